"""Reference links stay alive through a translation (``markdown.references``).

Cases are data: ``tests/fixtures/reference_links/*.toml``, one ``[[case]]`` each.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.markdown.references import keep_references, link_uses
from pipeline.markdown.segment import segment_document
from tests.conftest import MakeProject

FIXTURES = Path(__file__).parent / "fixtures" / "reference_links"
CASES = [
    case
    for path in sorted(FIXTURES.glob("*.toml"))
    for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]
]


def _definitions(labels: list[str]) -> tuple[tuple[str, str, str], ...]:
    text = "x\n\n" + "".join(
        f"[{label}]: https://example.org/{k}\n" for k, label in enumerate(labels)
    )
    return segment_document(text, "defs.md").references


def test_there_are_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_keep_references(case: dict[str, object]) -> None:
    refs = _definitions(list(case["definitions"]))  # type: ignore[call-overload]
    msgid, msgstr = str(case["msgid"]), str(case["msgstr"])
    got = keep_references(msgid, msgstr, refs)
    assert got == case["expected"]
    assert keep_references(msgid, got, refs) == got, "idempotent"
    if got != msgstr:  # what was rewritten links where the source links
        want = sorted(u.label for u in link_uses(msgid, refs) if u.form != "inline")
        have = sorted(u.label for u in link_uses(got, refs) if u.form != "inline")
        assert have == want


ARTICLE = "# Sources\n\nSee the [census] for numbers.\n\n[census]: https://stat.gov.az/census\n"


@pytest.mark.parametrize(
    ("msgstr", "published", "exit_code"),
    [
        # translated text in brackets: merge writes the full reference, check is content
        ("Rəqəmlər üçün [siyahıyaalma] baxın.", "[siyahıyaalma][census]", 0),
        # the brackets are gone: no link can be kept; check names it, merge keeps the source
        ("Rəqəmlər üçün siyahıyaalmaya baxın.", "See the [census] for numbers.", 1),
    ],
)
def test_check_and_merge_agree_on_reference_links(
    make_project: MakeProject, msgstr: str, published: str, exit_code: int
) -> None:
    config = make_project({"a.md": ARTICLE})
    runner = CliRunner()
    root = str(config.root)
    assert runner.invoke(main, ["--project", root, "extract"]).exit_code == 0
    po = config.locales_dir / "az" / "a.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Sources"\nmsgstr ""', 'msgid "Sources"\nmsgstr "Mənbələr"')
    text = text.replace(
        'msgid "See the [census] for numbers."\nmsgstr ""',
        f'msgid "See the [census] for numbers."\nmsgstr "{msgstr}"',
    )
    po.write_text(text, encoding="utf-8")
    checked = runner.invoke(main, ["--project", root, "check"])
    assert checked.exit_code == exit_code, checked.output
    if exit_code:
        assert "link-count" in checked.output and "a.po:" in checked.output
    runner.invoke(main, ["--project", root, "merge"])
    out = (config.output_dir / "az" / "a.md").read_text(encoding="utf-8")
    assert published in out
