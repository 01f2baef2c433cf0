"""The ``.po`` reader agrees with GNU ``msgfmt`` on what is a catalog, both ways.

Every file in ``fixtures/bad_po_msgfmt/`` is refused by msgfmt and by us (a
``CatalogError`` at ``path:line`` with a hint, the file left byte-identical); every file
in ``fixtures/good_po_msgfmt/`` is accepted by both. A new case is a new file; its first
line says what it tries (``# case: …``).

Which msgfmt: ``msgfmt --check-header -o /dev/null FILE``. Plain ``msgfmt`` is the
syntax (lexer and grammar: keywords, strings, escapes, ``#~``/``#|`` placement, plural
indices in order) plus duplicate messages; ``--check-header`` adds the one header rule
our reader mirrors, that a plural entry has exactly the header's ``nplurals`` forms.
Not ``--check`` as a whole: ``--check-format`` judges ``c-format``-style strings and
``--check-domain`` domain names, neither of which is syntax, and the fixtures' headers are
complete enough that ``--check-header`` only warns about the fields they leave out. One
plain-msgfmt rule is not syntax either and is left to the checks: a msgstr must begin
and end with ``\\n`` when its msgid does; no fixture depends on it.

``DIVERGENCES`` lists the files where we differ from msgfmt on purpose, with the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogs.catalog import catalog_text, parse_catalog, read_catalog, same_messages
from pipeline.cli import main
from pipeline.errors import CatalogError
from pipeline.project import extract_project
from tests.conftest import MakeProject
from tests.gettext_tools import require

FIXTURES = Path(__file__).parent / "fixtures"
BAD = sorted((FIXTURES / "bad_po_msgfmt").glob("*.po"))
GOOD = sorted((FIXTURES / "good_po_msgfmt").glob("*.po"))

DIVERGENCES = {
    "bom.po": "msgfmt 0.21 calls a UTF-8 byte order mark a syntax error; editors on "
    "Windows add one, and it carries no meaning, so we read past it (as polib, Babel and "
    "Poedit do) and write the file without it",
}


def msgfmt_accepts(path: Path) -> bool:
    done = subprocess.run(
        [require("msgfmt"), "--check-header", "-o", os.devnull, str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def case_of(path: Path) -> str:
    first = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return first.decode("utf-8").removeprefix("# case: ")


def test_the_corpus_is_large_enough() -> None:
    assert len(BAD) >= 60
    assert len(GOOD) >= 30


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_a_catalog_msgfmt_refuses_is_refused_at_its_line(path: Path) -> None:
    before = path.read_bytes()
    assert not msgfmt_accepts(path), f"msgfmt accepts {path.name} ({case_of(path)})"
    with pytest.raises(CatalogError) as info:
        read_catalog(path, path.name)
    error = info.value
    assert error.line is not None and 1 <= error.line <= before.count(b"\n") + 1
    assert error.hint, "every catalog error says what to do next"
    assert str(error).startswith(f"{path.name}:{error.line}: ")
    assert path.read_bytes() == before


@pytest.mark.parametrize("path", GOOD, ids=[p.name for p in GOOD])
def test_a_catalog_msgfmt_accepts_is_read(path: Path) -> None:
    if path.name in DIVERGENCES:
        assert not msgfmt_accepts(path), f"msgfmt now accepts {path.name}: drop the divergence"
    else:
        assert msgfmt_accepts(path), f"msgfmt refuses {path.name} ({case_of(path)})"
    catalog = read_catalog(path, path.name)
    again = parse_catalog(catalog_text(catalog).encode("utf-8"), "again.po")
    assert same_messages(again, catalog), "what we write from it reads back the same"
    assert (again.header, again.header_comment, again.header_flags) == (
        catalog.header,
        catalog.header_comment,
        catalog.header_flags,
    )


def test_what_we_write_from_an_accepted_catalog_msgfmt_accepts_too(tmp_path: Path) -> None:
    for path in GOOD:
        out = tmp_path / path.name
        out.write_text(catalog_text(read_catalog(path, path.name)), "utf-8")
        assert msgfmt_accepts(out), path.name


def test_values_are_what_gettext_reads() -> None:
    escapes = read_catalog(FIXTURES / "good_po_msgfmt" / "escapes.po", "e.po")
    assert escapes.entries[0].msgstr == 'x \n \t " \\ \a \b \f \r \v'
    octal = read_catalog(FIXTURES / "good_po_msgfmt" / "escapes-octal-hex.po", "o.po")
    by_id = {e.msgid: e.msgstr for e in octal.entries}
    assert by_id["b"] == "ABC éé \x00end \x07"
    hex_long = read_catalog(FIXTURES / "good_po_msgfmt" / "escape-hex-long.po", "h.po")
    assert hex_long.entries[0].msgstr == "B"  # \x4142: all hex digits read, low byte kept
    free = read_catalog(FIXTURES / "good_po_msgfmt" / "keyword-on-its-own-line.po", "k.po")
    assert [(e.msgid, e.msgstr, e.line) for e in free.entries] == [("a", "b", 9)]
    old = read_catalog(FIXTURES / "good_po_msgfmt" / "obsolete-with-previous.po", "p.po")
    [entry] = old.entries
    assert entry.obsolete and entry.previous_msgid == "Old text"
    assert entry.previous_msgctxt == "old ctx"


def test_a_stray_msgctxt_no_longer_re_keys_the_next_entry() -> None:
    path = FIXTURES / "bad_po_msgfmt" / "stray-msgctxt-before-comment.po"
    with pytest.raises(CatalogError, match="msgctxt without the msgid") as info:
        read_catalog(path, "s.po")
    assert info.value.line == path.read_text("utf-8").split("\n").index('msgctxt "menu"') + 1


ARTICLE = "# Hello\n\nText.\n"


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_extract_reports_a_bad_catalog_and_leaves_it_byte_identical(
    make_project: MakeProject, path: Path
) -> None:
    config = make_project({"a.md": ARTICLE})
    target = config.locales_dir / "az" / "a.po"
    target.parent.mkdir(parents=True)
    target.write_bytes(path.read_bytes())
    result = extract_project(config)
    [error] = [e for e in result.errors if isinstance(e, CatalogError)]
    assert error.path == "locales/az/a.po" and error.line
    assert target.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("case", ["stray-msgctxt-before-comment", "escape-q"])
def test_the_cli_names_path_and_line_and_writes_nothing(
    make_project: MakeProject, case: str
) -> None:
    config = make_project({"a.md": ARTICLE})
    source = FIXTURES / "bad_po_msgfmt" / f"{case}.po"
    target = config.locales_dir / "az" / "a.po"
    target.parent.mkdir(parents=True)
    target.write_bytes(source.read_bytes())
    expected = read_error(source)
    runner = CliRunner()

    result = runner.invoke(main, ["--project", str(config.root), "extract"])
    assert result.exit_code == 1
    assert f"locales/az/a.po:{expected.line}: {expected.message}" in result.output
    assert target.read_bytes() == source.read_bytes()

    result = runner.invoke(main, ["--project", str(config.root), "check"])
    assert result.exit_code == 1
    assert re.search(
        rf"locales/az/a\.po:{expected.line}: catalog-parse: {re.escape(expected.message)}",
        result.output,
    )
    assert target.read_bytes() == source.read_bytes()


def read_error(path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        read_catalog(path, path.name)
    return info.value


def test_running_out_of_memory_is_a_catalog_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.catalogs.catalog

    def exhausted(*_args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(pipeline.catalogs.catalog, "_line_tokens", exhausted)
    with pytest.raises(CatalogError, match="out of memory") as info:
        parse_catalog(b'msgid "a"\nmsgstr "b"\n', "big.po")
    assert info.value.hint


def test_a_long_string_is_read_without_backtracking() -> None:
    value = "word \\n " * 200_000
    data = f'msgid "a"\nmsgstr "{value}"\n'.encode()
    [entry] = parse_catalog(data, "long.po").entries
    assert entry.msgstr == value.replace("\\n", "\n")
