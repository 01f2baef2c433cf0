"""The front-matter policy ([front_matter]): set and slug rules applied to localized
articles, byte-faithfully; slugs transliterated and unique; the setting validated.

Cases are data in ``tests/fixtures/front_matter_policy/*.toml`` (each file says its
fields); merge's use of the policy is covered by the golden folders
``tests/golden/policy-*``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ConfigError, SourceError
from pipeline.policy import Action, parse_policy
from pipeline.publish.front_matter import apply_policy
from pipeline.publish.slugs import slug, unique_slugs
from tests.conftest import MakeProject

FIXTURES = Path(__file__).parent / "fixtures" / "front_matter_policy"


def _cases(name: str, table: str = "case") -> list[Any]:
    cases = tomllib.loads((FIXTURES / name).read_text("utf-8"))[table]
    return [pytest.param(case, id=case.get("name") or case["text"]) for case in cases]


ARTICLES = _cases("yaml.toml") + _cases("toml.toml")


def _apply(case: dict[str, Any], text: str | None = None) -> tuple[str, str | None]:
    return apply_policy(
        case["input"] if text is None else text,
        parse_policy(case["policy"], "pipeline.toml"),
        case.get("lang", "az"),
        Path(case.get("article", "news/storm.md")),
    )


def test_there_are_cases() -> None:
    assert len(ARTICLES) >= 15


@pytest.mark.parametrize("case", ARTICLES)
def test_policy_applied(case: dict[str, Any]) -> None:
    text, candidate = _apply(case)
    assert text == case["output"]
    assert candidate == case.get("slug")


@pytest.mark.parametrize("case", ARTICLES)
def test_only_the_policy_values_change(case: dict[str, Any]) -> None:
    """Byte-faithful: compared line by line, every line that differs from the input
    (replaced or added) is a line of a key the policy sets, and a second application
    changes nothing."""
    policy = parse_policy(case["policy"], "pipeline.toml")
    keys = {rule.key for rule in policy.edits}
    text, _slug = _apply(case)
    before = case["input"].splitlines(keepends=True)
    after = text.splitlines(keepends=True)
    key_line = re.compile(r"[ \t]*[\"']?([A-Za-z0-9_-]+)[\"']?[ \t]*[:=]")
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if tag == "equal":
            continue
        for line in after[j1:j2]:
            match = key_line.match(line)
            fence = line.rstrip("\r\n") == "---" and not case["input"].startswith("---")
            assert fence or (match and match[1] in keys), f"{line!r} changed"
    assert _apply(case, text)[0] == text


@pytest.mark.parametrize("case", _cases("errors.toml"))
def test_articles_the_policy_cannot_change(case: dict[str, Any]) -> None:
    with pytest.raises(SourceError) as caught:
        _apply(case)
    assert case["error"] in caught.value.message
    assert caught.value.line == case["line"]
    assert caught.value.path == "news/storm.md"


@pytest.mark.parametrize("case", _cases("config.toml"))
def test_the_setting(case: dict[str, Any], make_project: MakeProject) -> None:
    if "error" in case:
        with pytest.raises(ConfigError) as caught:
            make_project(extra=case["settings"])
        assert case["error"] in caught.value.message
        assert "front_matter" in caught.value.message
        assert caught.value.path == "pipeline.toml"
        assert caught.value.hint
        return
    config = make_project(extra=case["settings"])
    assert list(config.front_matter_keys) == case["keys"]
    assert [rule.key for rule in config.front_matter_policy.edits] == case["edits"]


def test_no_setting_is_no_policy(make_project: MakeProject) -> None:
    config = make_project()
    assert not config.front_matter_policy.rules
    assert apply_policy("---\ntitle: x\n---\n", config.front_matter_policy, "az", Path("a.md")) == (
        "---\ntitle: x\n---\n",
        None,
    )
    assert config.front_matter_policy.keys(Action.TRANSLATE) == ()


@pytest.mark.parametrize("case", _cases("slugs.toml", "slug"))
def test_slug(case: dict[str, Any]) -> None:
    assert slug(case["text"], case["lang"]) == case["slug"]


def test_a_long_title_is_cut_at_a_word() -> None:
    made = slug("Xocalı " * 40, "az")
    assert len(made) <= 100
    assert made.endswith("xocali")


@pytest.mark.parametrize("case", _cases("slugs.toml", "unique"))
def test_unique_slugs(case: dict[str, Any]) -> None:
    candidates = {Path(k): v for k, v in case["candidates"].items()}
    assert unique_slugs(candidates) == {Path(k): v for k, v in case["expected"].items()}


def test_merge_writes_the_policy_for_each_target_language(make_project: MakeProject) -> None:
    """Through ``merge``: every target language gets its own lang and slug (from its
    own title: untranslated here, so the source title's slug), the source is untouched."""
    from pipeline.project import extract_project, merge_project

    source = "---\ntitle: Khojaly\n---\n\nBody.\n"
    config = make_project(
        {"news/storm.md": source},
        languages=("az", "ka"),
        extra='[front_matter]\nlang = { set = "{lang}" }\nslug = { slug = "title" }\n',
    )
    extract_project(config)
    assert not merge_project(config).errors
    for lang in ("az", "ka"):
        out = (config.output_dir / lang / "news" / "storm.md").read_text("utf-8")
        assert out == f"---\ntitle: Khojaly\nlang: {lang}\nslug: khojaly\n---\n\nBody.\n"
    assert (config.source_dir / "news" / "storm.md").read_text("utf-8") == source
