"""The ``.po`` merge driver: ``merge_catalogs`` on its own and under a real ``git merge``."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, read_catalog
from pipeline.catalogs.mergedriver import CONFLICT_NOTE, merge_catalogs, merge_files
from pipeline.cli import main
from pipeline.errors import CatalogError
from tests.conftest import MakeProject

HEADER = (
    ("Project-Id-Version", "a"),
    ("PO-Revision-Date", "2026-02-26 00:00+0000"),
    ("Last-Translator", ""),
    ("Language", "az"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
)


def po(*entries: Entry, header: tuple[tuple[str, str], ...] = HEADER) -> Catalog:
    return Catalog(header=header, entries=entries)


def e(msgid: str, msgstr: str = "", **kw: object) -> Entry:
    return Entry(msgid, msgstr, occurrences=(("source/a.md", "3"),), **kw)  # type: ignore[arg-type]


BASE = po(e("One"), e("Two"), e("Three", "Üç"))


def by_id(catalog: Catalog) -> dict[str, Entry]:
    return {x.msgid: x for x in catalog.entries}


def test_work_on_different_entries_never_conflicts() -> None:
    ours = po(e("One", "Bir"), e("Two"), e("Three", "Üç"))
    theirs = po(e("One"), e("Two", "İki"), e("Three", "Üç"))
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 0
    assert [(x.msgid, x.msgstr) for x in merged.entries] == [
        ("One", "Bir"),
        ("Two", "İki"),
        ("Three", "Üç"),
    ]


def test_different_fields_of_one_entry_merge() -> None:
    ours = po(e("One", "Bir"), e("Two"), e("Three", "Üç"))
    theirs = po(replace(e("One"), occurrences=(("source/a.md", "9"),)), e("Two"), e("Three", "Üç"))
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 0
    one = by_id(merged)["One"]
    assert one.msgstr == "Bir" and one.occurrences == (("source/a.md", "9"),)


def test_a_real_conflict_keeps_both_texts_visibly() -> None:
    ours = po(e("One", "Bir"), e("Two"), e("Three", "Üç"))
    theirs = po(e("One", "Birinci\nsətir"), e("Two"), e("Three", "Üç"))
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 1
    one = by_id(merged)["One"]
    assert one.fuzzy and one.msgstr == "Bir"
    assert one.translator_comment.split("\n") == [
        CONFLICT_NOTE,
        "ours: Bir",
        "theirs: Birinci\\nsətir",
    ]
    assert "<<<<<<<" not in catalog_text(merged)


def test_a_reviewed_translation_wins_over_a_fuzzy_one() -> None:
    ours = po(e("One", "Bir?", flags=("fuzzy",)), e("Two"), e("Three", "Üç"))
    theirs = po(e("One", "Bir"), e("Two"), e("Three", "Üç"))
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 1 and by_id(merged)["One"].msgstr == "Bir"


def test_entries_added_and_removed_on_either_side() -> None:
    ours = po(e("Zero", "Sıfır"), e("One"), e("Two"), e("Three", "Üç"))  # added Zero
    theirs = po(e("One"), e("Three", "Üç"), e("Four", "Dörd"))  # dropped Two, added Four
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 0
    assert [x.msgid for x in merged.entries] == ["Zero", "One", "Three", "Four"]


def test_an_entry_deleted_on_one_side_and_translated_on_the_other_is_kept() -> None:
    ours = po(e("One"), e("Three", "Üç"))
    theirs = po(e("One"), e("Two", "İki"), e("Three", "Üç"))
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 0 and by_id(merged)["Two"].msgstr == "İki"


def test_obsoleted_on_one_side_translated_on_the_other() -> None:
    ours = po(e("One"), replace(e("Two"), obsolete=True, occurrences=()), e("Three", "Üç"))
    theirs = po(e("One"), e("Two", "İki"), e("Three", "Üç"))
    merged, _ = merge_catalogs(BASE, ours, theirs)
    two = by_id(merged)["Two"]
    assert two.obsolete and two.msgstr == "İki"


def test_headers_merge_by_field() -> None:
    ours = replace(BASE, header=(*HEADER[:2], ("Last-Translator", "Aysel"), *HEADER[3:]))
    theirs = replace(
        BASE, header=(HEADER[0], ("PO-Revision-Date", "2026-03-01 10:00+0000"), *HEADER[2:])
    )
    merged, conflicts = merge_catalogs(BASE, ours, theirs)
    assert conflicts == 0
    assert merged.field("Last-Translator") == "Aysel"
    assert merged.field("PO-Revision-Date") == "2026-03-01 10:00+0000"


def test_no_common_ancestor() -> None:
    merged, conflicts = merge_catalogs(None, po(e("One", "Bir")), po(e("One", "Bir"), e("Two")))
    assert conflicts == 0 and [x.msgid for x in merged.entries] == ["One", "Two"]


def test_unparsable_input_is_a_clear_error_and_ours_is_untouched(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base.po", "ours.po", "theirs.po"))
    base.write_text(catalog_text(BASE), "utf-8")
    ours.write_text(catalog_text(BASE), "utf-8")
    theirs.write_text(catalog_text(BASE).replace('msgid "Two"', 'msgid "Two'), "utf-8")
    before = ours.read_bytes()
    with pytest.raises(CatalogError) as info:
        merge_files(base, ours, theirs, "locales/az/a.po")
    assert info.value.path == "locales/az/a.po (theirs)" and info.value.line
    assert ours.read_bytes() == before


# under git


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=check,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    # The real command, as the README tells users to configure it.
    command = f"{shlex.quote(sys.executable)} -m pipeline merge-driver %O %A %B %P"
    git(root, "config", "merge.po.driver", command)
    (root / ".gitattributes").write_text("*.po merge=po\n", "utf-8")
    write(root, BASE)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


def write(root: Path, catalog: Catalog) -> None:
    path = root / "locales" / "az" / "a.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalog_text(catalog), "utf-8")


def branch_edits(root: Path, ours: Catalog, theirs: Catalog) -> subprocess.CompletedProcess[str]:
    git(root, "checkout", "-q", "-b", "theirs")
    write(root, theirs)
    git(root, "commit", "-q", "-am", "theirs")
    git(root, "checkout", "-q", "main")
    write(root, ours)
    git(root, "commit", "-q", "-am", "ours")
    return git(root, "merge", "--no-edit", "theirs", check=False)


def test_git_merges_parallel_translations_cleanly(repo: Path) -> None:
    # neighbouring lines change on both sides: git's own merge would conflict here
    ours = po(e("One", "Bir"), e("Two"), e("Three", "Üç"))
    theirs = po(e("One"), e("Two", "İki"), e("Three", "Üç"))
    result = branch_edits(repo, ours, theirs)
    assert result.returncode == 0, result.stdout + result.stderr
    merged = read_catalog(repo / "locales" / "az" / "a.po", "a.po")
    assert {x.msgid: x.msgstr for x in merged.entries} == {
        "One": "Bir",
        "Two": "İki",
        "Three": "Üç",
    }
    assert git(repo, "status", "--porcelain").stdout == ""


def test_git_conflict_leaves_a_parsable_file_with_both_versions(repo: Path) -> None:
    ours = po(e("One", "Bir"), e("Two", "İki"), e("Three", "Üç"))
    theirs = po(e("One", "Birinci"), e("Two"), e("Three", "Üç"))
    result = branch_edits(repo, ours, theirs)
    assert result.returncode != 0
    assert "CONFLICT" in result.stdout
    path = repo / "locales" / "az" / "a.po"
    text = path.read_text("utf-8")
    assert "<<<<<<<" not in text
    merged = read_catalog(path, "a.po")  # parses
    one = by_id(merged)["One"]
    assert one.fuzzy and "ours: Bir" in one.translator_comment
    assert "theirs: Birinci" in one.translator_comment
    assert by_id(merged)["Two"].msgstr == "İki"


def test_git_falls_back_to_a_plain_conflict_on_a_broken_file(repo: Path) -> None:
    ours = po(e("One", "Bir"), e("Two"), e("Three", "Üç"))
    git(repo, "checkout", "-q", "-b", "theirs")
    path = repo / "locales" / "az" / "a.po"
    path.write_text(catalog_text(BASE).replace('msgid "Two"', 'msgid "Two'), "utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    git(repo, "checkout", "-q", "main")
    write(repo, ours)
    git(repo, "commit", "-q", "-am", "ours")
    result = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert result.returncode != 0
    assert "locales/az/a.po (theirs)" in result.stderr
    assert path.read_text("utf-8") == catalog_text(ours)  # ours untouched


# the reproduction: an editor's branch and a translator's branch, merged


def pipeline(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--project", str(root), *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )


OLD_SENTENCE = "Pick one of the 14 languages."
NEW_SENTENCE = "Pick one of the 15 languages."
TRANSLATION = "14 dildən birini seçin."


def translate(po: Path, msgid: str, msgstr: str) -> None:
    catalog = read_catalog(po, po.name)
    entries = tuple(replace(x, msgstr=msgstr) if x.msgid == msgid else x for x in catalog.entries)
    po.write_text(catalog_text(replace(catalog, entries=entries)), "utf-8")


@pytest.mark.parametrize("editor_first", [True, False], ids=["editor-ours", "translator-ours"])
def test_git_editor_and_translator_branches_then_extract(
    tmp_path: Path, editor_first: bool
) -> None:
    """An editor changes 14 to 15 and runs extract; a translator translates the old
    sentence; git merges with the driver; extract then offers the translation as a
    fuzzy guess for the new sentence, with the old one as ``#|``."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "pipeline.toml").write_text('languages = ["az"]\n', "utf-8")
    article = root / "source" / "a.md"
    article.write_text(f"# Languages\n\n{OLD_SENTENCE}\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    command = f"{shlex.quote(sys.executable)} -m pipeline merge-driver %O %A %B %P"
    git(root, "config", "merge.po.driver", command)
    (root / ".gitattributes").write_text("*.po merge=po\n", "utf-8")
    pipeline(root, "extract")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "article")
    po = root / "locales" / "az" / "a.po"

    def editor() -> None:
        article.write_text(f"# Languages\n\n{NEW_SENTENCE}\n", "utf-8")
        pipeline(root, "extract")
        git(root, "commit", "-q", "-am", "editor: 15 languages")

    def translator() -> None:
        translate(po, OLD_SENTENCE, TRANSLATION)
        git(root, "commit", "-q", "-am", "translator")

    first, second = (editor, translator) if editor_first else (translator, editor)
    git(root, "checkout", "-q", "-b", "other")
    second()
    git(root, "checkout", "-q", "main")
    first()
    merged = git(root, "merge", "--no-edit", "other", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr

    pipeline(root, "extract")
    catalog = read_catalog(po, "a.po")
    new = by_id(catalog)[NEW_SENTENCE]
    assert new.fuzzy and new.msgstr == TRANSLATION and new.previous_msgid == OLD_SENTENCE
    assert OLD_SENTENCE not in {x.msgid for x in catalog.entries}  # not left in #~
    text = po.read_text("utf-8")
    assert f'#| msgid "{OLD_SENTENCE}"' in text
    pipeline(root, "extract", "--check")  # a second run would change nothing


def test_check_warns_until_the_conflict_note_is_removed(make_project: MakeProject) -> None:
    config = make_project({"a.md": "# One\n\nTwo.\n"})
    root = config.root
    assert CliRunner().invoke(main, ["--project", str(root), "extract"]).exit_code == 0
    path = config.locales_dir / "az" / "a.po"
    base = read_catalog(path, "a.po")

    def translated(one: str) -> Catalog:
        return replace(
            base,
            entries=tuple(
                replace(x, msgstr=one if x.msgid == "One" else "İki.") for x in base.entries
            ),
        )

    merged, conflicts = merge_catalogs(base, translated("Bir"), translated("Birinci"))
    assert conflicts == 1
    path.write_text(catalog_text(merged), "utf-8")
    line = read_catalog(path, "a.po").entries[0].line
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert f"locales/az/a.po:{line}: merge-conflict: " in result.output
    assert "hint: review both texts" in result.output
    assert "merge-conflict" in result.output.split("FAIL")[0]  # a warning, listed
    # resolved: the comment and the fuzzy flag removed, the translation kept
    resolved = replace(
        merged,
        entries=tuple(replace(x, translator_comment="", flags=()) for x in merged.entries),
    )
    path.write_text(catalog_text(resolved), "utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert "merge-conflict" not in result.output
