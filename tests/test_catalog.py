"""Catalog files: what we write is what GNU gettext writes, and bad files are errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, parse_catalog, read_catalog
from pipeline.errors import CatalogError
from pipeline.project import extract_project
from tests.conftest import MakeProject
from tests.gettext_tools import msgcat_no_wrap, msgfmt_check

FIXTURES = Path(__file__).parent / "fixtures"
BAD_PO = sorted((FIXTURES / "bad_po").glob("*.po"))
GOLDEN_SOURCES = sorted((Path(__file__).parent / "golden").glob("*/source.md"))
SAMPLE = Path(__file__).resolve().parents[1] / "source" / "khojaly-tragedy.md"


@pytest.mark.parametrize("path", BAD_PO, ids=[p.name for p in BAD_PO])
def test_bad_po_is_an_error_at_its_line(path: Path) -> None:
    expect = re.match(r"# expect: (\d+): (.*)", path.read_bytes().decode("latin-1"))
    assert expect, "a bad_po fixture starts with '# expect: LINE: message'"
    with pytest.raises(CatalogError) as info:
        read_catalog(path, path.name)
    assert info.value.line == int(expect[1])
    assert info.value.message.startswith(expect[2])
    assert info.value.hint, "every catalog error says what to do next"
    assert str(info.value).startswith(f"{path.name}:{expect[1]}: ")


def _written_catalogs(make_project: MakeProject, flags: str) -> list[Path]:
    articles: dict[str, str | bytes] = {"khojaly.md": SAMPLE.read_bytes()}
    for source in GOLDEN_SOURCES:
        articles[f"golden/{source.parent.name}.md"] = source.read_bytes()
    config = make_project(articles, languages=("az", "ka", "ru"), extra=f"po_flags = {flags}\n")
    result = extract_project(config)
    assert not result.errors
    return sorted(config.locales_dir.rglob("*.po*"))


def test_written_catalogs_are_what_msgcat_no_wrap_writes(make_project: MakeProject) -> None:
    files = _written_catalogs(make_project, "[]")
    assert len(files) >= 4
    for path in files:
        assert msgcat_no_wrap(path) == path.read_text("utf-8"), path


def test_gnu_tools_only_drop_the_flags_they_do_not_know(make_project: MakeProject) -> None:
    """GNU gettext keeps only flags it knows, so ``md-text`` (on by default for Weblate)
    is the one thing msgcat changes; nothing else differs."""
    for path in _written_catalogs(make_project, '["md-text"]'):
        ours = path.read_text("utf-8")
        assert "#, md-text\n" in ours
        without = ours.replace("#, md-text\n", "").replace(", md-text\n", "\n")
        assert msgcat_no_wrap(path) == without, path


def test_written_catalogs_pass_msgfmt_check(make_project: MakeProject) -> None:
    for path in _written_catalogs(make_project, '["md-text"]'):
        done = msgfmt_check(path)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("length", range(20, 80, 3))
def test_reference_lines_wrap_exactly_like_gnu(tmp_path: Path, length: int) -> None:
    name = "source/" + "x" * (length - 10) + ".md"
    entry = Entry(msgid="Text", occurrences=tuple((name, str(n)) for n in range(1, 12)))
    catalog = Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),), entries=(entry,))
    path = tmp_path / "refs.po"
    path.write_text(catalog_text(catalog), "utf-8")
    assert msgcat_no_wrap(path) == path.read_text("utf-8")


def test_reading_and_writing_round_trips_every_kind_of_entry() -> None:
    text = (
        "# Azerbaijani translation.\n"
        'msgid ""\nmsgstr ""\n'
        '"Project-Id-Version: x\\n"\n"Language: az\\n"\n"X-Generator: Poedit 3.4\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
        "\n# translator's note\n#. paragraph\n#: source/a.md:3\n#, fuzzy, md-text\n"
        '#| msgid "Old text"\nmsgid ""\n"Two\\n"\n"lines"\nmsgstr ""\n"İki\\n"\n"sətir"\n'
        '\nmsgctxt "menu"\nmsgid "File"\nmsgstr "Fayl"\n'
        '\nmsgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] "Bir fayl"\nmsgstr[1] "%d fayl"\n'
        '\n#~ msgid "Gone"\n#~ msgstr "Getdi"\n'
    )
    catalog = parse_catalog(text.encode(), "a.po")
    assert catalog_text(catalog) == text
    fuzzy = catalog.entries[0]
    assert fuzzy.fuzzy and not fuzzy.translated and fuzzy.previous_msgid == "Old text"
    assert catalog.entries[-1].obsolete and not catalog.entries[-1].translated
    assert [k for k, _ in catalog.header][2] == "X-Generator"  # header order is kept


def test_written_catalogs_load_in_babel_polib_and_translate_toolkit(
    make_project: MakeProject,
) -> None:
    import polib
    from babel.messages.pofile import read_po
    from translate.storage.po import pofile

    for path in _written_catalogs(make_project, '["md-text"]'):
        ours = read_catalog(path, path.name)
        msgids = [e.msgid for e in ours.active]
        assert [e.msgid for e in polib.pofile(str(path)) if not e.obsolete] == msgids
        with path.open("rb") as handle:
            babel_ids = [m.id for m in read_po(handle) if m.id]
        assert babel_ids == msgids
        units = pofile.parsefile(str(path)).units
        assert [u.source for u in units if not u.isheader() and not u.isobsolete()] == msgids
