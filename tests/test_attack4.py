"""Fourth attack round: the publishing features of issue 11 (output layouts, manifests
and stale removal, the publication policy, the front-matter policy, HTML pages) against
a hostile editor, translator or crafted repository.

Each test builds a project in ``tmp_path`` and drives the CLI through click's
CliRunner, then judges what is on disk: which files exist, and what the published front
matter reads as (tomllib / PyYAML, as a site generator reads it), never the tool's own
messages alone.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import polib
import pytest
import yaml
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.files import digest
from pipeline.publish.slugs import MAX_LENGTH, unique_slugs

FIXTURES = Path(__file__).parent / "fixtures" / "attack4"
INCOMPLETE = sorted((FIXTURES / "incomplete").glob("*.md"))

ARTICLE = "---\ntitle: Storm\n---\n\n# Storm\n\nHello world.\n"

HUGO = (
    'source_dir = "content"\n'
    'output_path = "content/{dir}/{stem}.{lang}{suffix}"\n'
    "publish_min_complete = 0\n"
    "required_fields = []\n"
)
"""Hugo's translations by file name: the outputs live beside the articles."""


def _invoke(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def _project(root: Path, settings: str, files: dict[str, str], languages: str = '"az"') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f"[tool.pipeline]\nlanguages = [{languages}]\n{settings}", "utf-8"
    )
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    extracted = _invoke(root, "extract")
    assert extracted.exit_code == 0, extracted.output
    return root


def _front_matter(text: str) -> object:
    """The front matter of ``text`` as a site generator reads it."""
    fence, rest = text[:3], text.split("\n", 1)[1]
    inner = rest[: rest.index(f"\n{fence}\n") + 1]
    return tomllib.loads(inner) if fence == "+++" else yaml.safe_load(inner)


# --- 1. nothing outside the project, no article, no hand-written file is deleted ------


def test_a_manifest_edited_to_list_an_article_does_not_delete_it(tmp_path: Path) -> None:
    """In a layout that writes beside the articles the manifest's folder is the source
    folder. A manifest line naming the article itself (with its true SHA-256), slipped
    into a pull request as a "generated file", must not make merge delete the article,
    nor a hand-written file beside it: only files the layout names for the language
    are merge's to remove."""
    files = {"content/storm.md": ARTICLE, "content/notes.txt": "hand-written\n"}
    root = _project(tmp_path, HUGO, files)
    assert _invoke(root, "merge").exit_code == 0
    manifest = root / "content" / ".pipeline-manifest-az"
    with manifest.open("a", encoding="utf-8") as handle:
        for rel in files:
            handle.write(f"{digest((root / rel).read_bytes())}  {rel.split('/', 1)[1]}\n")
    _invoke(root, "merge")
    assert (root / "content" / "storm.md").read_text("utf-8") == ARTICLE
    assert (root / "content" / "notes.txt").exists()


def test_a_staging_link_does_not_delete_files_outside_the_project(tmp_path: Path) -> None:
    """``output/az/.pipeline-tmp`` committed as a link to a folder outside the project:
    the sweep of staging folders at the start of merge must not follow it and delete
    what is there (a ``.gitignore``, a ``<pid>-….tmp`` whose pid is not running)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    dead_pid = 4_194_309  # above the kernel's largest pid: never a running process
    victims = [outside / ".gitignore", outside / f"{dead_pid}-notes.tmp"]
    for victim in victims:
        victim.write_text("not the pipeline's\n", "utf-8")
    settings = "publish_min_complete = 0\nrequired_fields = []\n"
    root = _project(tmp_path / "project", settings, {"source/storm.md": ARTICLE})
    assert _invoke(root, "merge").exit_code == 0
    (root / "output" / "az" / ".pipeline-tmp").symlink_to(outside, target_is_directory=True)
    _invoke(root, "merge")
    assert [v.name for v in victims if not v.exists()] == []


# --- 2. -l LANG must not change what an article is -------------------------------------


def test_merge_of_one_language_does_not_take_another_languages_output_for_an_article(
    tmp_path: Path,
) -> None:
    """Hugo layout, az and ka: ``storm.ka.md`` is ka's output. ``merge -l az`` (the
    README's per-language CI matrix) must not read it as an article and publish a
    translation of the translation, ``storm.ka.az.md``."""
    root = _project(tmp_path, HUGO, {"content/storm.md": ARTICLE}, '"az", "ka"')
    assert _invoke(root, "merge").exit_code == 0
    _invoke(root, "merge", "-l", "az")
    assert sorted(p.name for p in (root / "content").glob("*.md")) == [
        "storm.az.md",
        "storm.ka.md",
        "storm.md",
    ]


def test_check_of_one_language_judges_only_the_articles(tmp_path: Path) -> None:
    """``check -l az`` in the same project must judge ``storm.md`` alone: another
    language's output is no article with a missing catalog."""
    settings = HUGO + "min_complete = 0\n"
    root = _project(tmp_path, settings, {"content/storm.md": ARTICLE}, '"az", "ka"')
    assert _invoke(root, "merge").exit_code == 0
    checked = _invoke(root, "check", "-l", "az")
    assert "storm.ka" not in checked.output
    assert checked.exit_code == 0, checked.output


def test_merge_of_one_language_keeps_the_other_languages_pages(tmp_path: Path) -> None:
    """Hugo layout with HTML pages in the same folder: ``merge -l az`` must not remove
    ka's page, index and feed, which the last full merge wrote and ka still publishes."""
    settings = HUGO + 'html = true\nhtml_path = "content/{dir}/{stem}.{lang}.html"\n'
    root = _project(tmp_path, settings, {"content/storm.md": ARTICLE}, '"az", "ka"')
    assert _invoke(root, "merge").exit_code == 0
    ka = ["feed.ka.xml", "index.ka.html", "storm.ka.html"]
    assert all((root / "content" / name).exists() for name in ka)
    _invoke(root, "merge", "-l", "az")
    assert [name for name in ka if not (root / "content" / name).exists()] == []


def test_first_merge_does_not_warn_about_the_pages_it_just_wrote(tmp_path: Path) -> None:
    """Hugo layout with HTML pages beside the Markdown: the first merge writes ka's
    page, index and feed, then warns that "no article produces" each of them."""
    settings = HUGO + 'html = true\nhtml_path = "content/{dir}/{stem}.{lang}.html"\n'
    root = _project(tmp_path, settings, {"content/storm.md": ARTICLE}, '"az", "ka"')
    merged = _invoke(root, "merge")
    assert merged.exit_code == 0
    assert "warning" not in merged.output, merged.output


# --- 3. the publication policy: translation_incomplete ---------------------------------


@pytest.mark.parametrize("case", INCOMPLETE, ids=[p.stem for p in INCOMPLETE])
def test_incomplete_flag_keeps_every_other_front_matter_value(tmp_path: Path, case: Path) -> None:
    """Published with the source in its gaps, an article's front matter must read as
    the source's with ``translation_incomplete`` true: not invalid (a YAML flow
    mapping, a TOML array over several lines), not with the flag inside another value
    (a TOML multi-line string with a line starting ``[``), not left ``false``."""
    settings = 'publish_incomplete = "fallback"\nrequired_fields = []\n'
    source = case.read_text("utf-8")
    root = _project(tmp_path, settings, {"source/case.md": source})
    assert _invoke(root, "merge").exit_code == 0
    published = (root / "output" / "az" / "case.md").read_text("utf-8")
    before = _front_matter(source)
    assert isinstance(before, dict)
    assert _front_matter(published) == {**before, "translation_incomplete": True}


def test_a_translation_cannot_hide_the_incomplete_flag(tmp_path: Path) -> None:
    """A TOML multi-line description is translated line for line. A translator who
    writes ``translation_incomplete = false`` on a line of it must not stop merge from
    flagging an article it publishes with gaps (nor get the line read as the flag)."""
    settings = 'publish_incomplete = "fallback"\nrequired_fields = []\n'
    source = '+++\ntitle = "Storm"\ndescription = """\nA storm.\n"""\n+++\n\nHello world.\n'
    root = _project(tmp_path, settings, {"source/case.md": source})
    po_path = root / "locales" / "az" / "case.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        if entry.msgid.startswith("A storm."):
            entry.msgstr = "Tufan.\ntranslation_incomplete = false"
        elif entry.msgid == "Storm":
            entry.msgstr = "Tufan"
    po.save(str(po_path))
    assert _invoke(root, "merge").exit_code == 0
    published = _front_matter((root / "output" / "az" / "case.md").read_text("utf-8"))
    assert isinstance(published, dict)
    assert published.get("translation_incomplete") is True, published


# --- the front-matter policy: slugs ------------------------------------------------------


def test_a_deduplicated_slug_stays_within_the_longest_slug() -> None:
    """Two articles whose titles slug to the same ``MAX_LENGTH`` characters: the
    second's ``-2`` must not make its slug longer than any slug may be."""
    longest = "-".join(["word"] * 20)[:MAX_LENGTH]
    slugs = unique_slugs({Path("a.md"): longest, Path("b.md"): longest})
    assert len(set(slugs.values())) == 2
    assert max(len(s) for s in slugs.values()) <= MAX_LENGTH, slugs


def test_fixture_folder_is_not_empty() -> None:
    assert INCOMPLETE, "no fixture found: the parametrized test would test nothing"
    assert all(p.stat().st_size > 0 for p in INCOMPLETE)
