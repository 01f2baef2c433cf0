"""Output layouts (``output_path``): each site generator's recipe writes exactly the
files it expects, byte-faithful, and a second run changes nothing.

Cases are data, ``tests/fixtures/layouts/*.toml``: the settings, the articles, the
languages and the files ``merge`` must write (or the error it must give).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

CASES = sorted((Path(__file__).parent / "fixtures" / "layouts").glob("*.toml"))

ARTICLE = "---\ntitle: Storm in Baku\n---\n\n# Storm in Baku\n\nThe port closed at noon.\n"


def _project(root: Path, case: dict[str, object]) -> None:
    langs = ", ".join(f'"{code}"' for code in case["languages"])  # type: ignore[attr-defined]
    # published whatever is translated: an empty catalog must rebuild the source
    policy = "publish_min_complete = 0\nrequired_fields = []\n"
    settings = f"languages = [{langs}]\n{policy}{case['settings']}"
    (root / "pipeline.toml").write_text(settings, "utf-8")
    source = tomllib.loads(str(case["settings"]) or "\n").get("source_dir", "source")
    for name in case["articles"]:  # type: ignore[attr-defined]
        path = root / source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE, "utf-8")


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    return result.exit_code, result.output + result.stderr


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".pipeline-cache" not in p.parts
    }


def test_every_recipe_is_here() -> None:
    names = {c.stem for c in CASES}
    wanted = {"hugo-by-folder", "hugo-by-suffix", "jekyll-language-folder"}
    assert wanted | {"mkdocs-static-i18n-suffix", "docusaurus", "default"} <= names


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_layout(path: Path, tmp_path: Path) -> None:
    case = tomllib.loads(path.read_text("utf-8"))
    _project(tmp_path, case)
    code, out = _run(tmp_path, "extract")
    if "error" in case:
        assert code == 1 and case["error"] in out, out
        before = _files(tmp_path)
        assert _run(tmp_path, "merge")[0] == 1
        assert _files(tmp_path) == before, "nothing is written"
        return
    assert code == 0, out
    templates = {f for f in _files(tmp_path) if f.endswith(".pot")}
    assert len(templates) == len(case["articles"]), templates
    before = _files(tmp_path)
    code, out = _run(tmp_path, "merge")
    assert code == 0, out
    written = {
        f for f in _files(tmp_path) - before if ".pipeline-manifest" not in f.rsplit("/")[-1]
    }
    assert written == set(case["expected"])
    for name in case["expected"]:
        # an empty catalog: the source, byte for byte
        assert (tmp_path / name).read_text("utf-8") == ARTICLE
    # the files merge wrote beside the articles are not articles: no template for them
    assert _run(tmp_path, "extract")[0] == 0
    assert {f for f in _files(tmp_path) if f.endswith(".pot")} == templates
    assert _run(tmp_path, "merge", "--check")[0] == 0, "a second run changes nothing"


def test_a_withheld_article_is_removed_from_a_layout_beside_the_sources(tmp_path: Path) -> None:
    """Under Hugo's suffix layout the manifest is per language; a translation that falls
    below the policy is removed, the source article beside it never."""
    (tmp_path / "pipeline.toml").write_text(
        'languages = ["az"]\nsource_dir = "content"\n'
        'output_path = "content/{dir}/{stem}.{lang}{suffix}"\n'
        "publish_min_complete = 0\nrequired_fields = []\n",
        "utf-8",
    )
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "storm.md").write_text(ARTICLE, "utf-8")
    assert _run(tmp_path, "extract")[0] == 0
    assert _run(tmp_path, "merge")[0] == 0
    assert (tmp_path / "content" / "storm.az.md").is_file()
    assert (tmp_path / "content" / ".pipeline-manifest-az").is_file()
    settings = (tmp_path / "pipeline.toml").read_text("utf-8")
    (tmp_path / "pipeline.toml").write_text(
        settings.replace("publish_min_complete = 0", "publish_min_complete = 100"), "utf-8"
    )
    code, out = _run(tmp_path, "merge")
    assert code == 0, out
    assert "content/storm.az.md: not published" in out
    assert "content/storm.az.md: removed" in out
    assert not (tmp_path / "content" / "storm.az.md").exists()
    assert (tmp_path / "content" / "storm.md").read_text("utf-8") == ARTICLE


def test_an_editors_own_translation_beside_the_source_is_never_overwritten(
    tmp_path: Path,
) -> None:
    """Under Hugo's suffix layout an editor may already have written storm.az.md by
    hand; merge, whose manifest does not list it, leaves it alone and says so."""
    (tmp_path / "pipeline.toml").write_text(
        'languages = ["az"]\nsource_dir = "content"\n'
        'output_path = "content/{dir}/{stem}.{lang}{suffix}"\n'
        "publish_min_complete = 0\nrequired_fields = []\n",
        "utf-8",
    )
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "storm.md").write_text(ARTICLE, "utf-8")
    own = "---\ntitle: Bakıda tufan\n---\n\nRedaktorun öz tərcüməsi.\n"
    (tmp_path / "content" / "storm.az.md").write_text(own, "utf-8")
    assert _run(tmp_path, "extract")[0] == 0
    code, out = _run(tmp_path, "merge")
    assert code == 1
    assert "content/storm.az.md: merge did not write this file" in out, out
    assert (tmp_path / "content" / "storm.az.md").read_text("utf-8") == own
    (tmp_path / "content" / "storm.az.md").unlink()
    assert _run(tmp_path, "merge")[0] == 0
    assert (tmp_path / "content" / "storm.az.md").read_text("utf-8") == ARTICLE
    # now merge's own: the next run may rewrite it
    assert _run(tmp_path, "merge")[0] == 0
