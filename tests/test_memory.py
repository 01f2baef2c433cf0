"""Translation memory: TMX in (hostile files too) and out (read back by Translate
Toolkit), placeholder-aware exact matches, close matches, the ``memory_exact`` setting,
the compendium's place among the catalogs, and the cache's verdicts when it changes."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogs import memory as memory_module
from pipeline.catalogs.catalog import Catalog, Entry, read_catalog
from pipeline.catalogs.memory import (
    NOTE,
    Memory,
    Unit,
    is_memory_file,
    read_tmx,
    substitute,
    tmx_bytes,
)
from pipeline.catalogs.update import update_catalog
from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.locales import language

FIXTURES = Path(__file__).parent / "fixtures" / "memory"
HOSTILE = sorted((FIXTURES / "hostile").glob("*.tmx"))


def _cases() -> list[tuple[int, list[str]]]:
    """``substitutions.txt``: (line, [source, translation, new text, expected])."""
    lines = (FIXTURES / "substitutions.txt").read_text("utf-8").split("\n")
    cases: list[tuple[int, list[str]]] = []
    block: list[str] = []
    start = 0
    for number, line in enumerate([*lines, ""], 1):
        if line.startswith("#"):
            continue
        if line:
            start = start or number
            block.append(line)
        elif block:
            assert len(block) == 4, f"substitutions.txt:{start}: a case is four lines"
            cases.append((start, block))
            block, start = [], 0
    return cases


CASES = _cases()


@pytest.mark.parametrize(("line", "case"), CASES, ids=[f"line{n}" for n, _ in CASES])
def test_placeholders_are_put_in_the_translation(line: int, case: list[str]) -> None:
    source, target, new, expected = case
    got = substitute(target, source, new)
    assert got == (None if expected == "AMBIGUOUS" else expected), f"substitutions.txt:{line}"
    found = Memory([Unit(source, target, "x.tmx")]).exact(new)
    assert found is not None and found.exact, f"substitutions.txt:{line}: not an exact match"
    assert found.sure == (expected != "AMBIGUOUS")
    assert found.target == (target if expected == "AMBIGUOUS" else expected)


def test_other_words_are_no_exact_match() -> None:
    memory = Memory([Unit("613 people were killed.", "613 nəfər öldürüldü.", "x.tmx")])
    assert memory.exact("613 people were injured.") is None
    assert memory.exact("613th people were killed.") is None


# --- TMX in -----------------------------------------------------------------------------


def test_omegat_tmx_is_read_with_cldr_language_matching() -> None:
    read = read_tmx(FIXTURES / "omegat.tmx", "omegat.tmx", "en", ["az", "ka", "ru"])
    az = {u.source: u.target for u in read.units["az"]}
    assert read.tus == 4 and read.without_source == 1  # the German-only unit
    assert az["On 26 February 1992, 613 civilians were killed in Khojaly."].startswith("26 fevral")
    # inline codes flattened to the native code they stand for; <sub> dropped
    assert az["Press <b>Save</b> to keep {1} changes."] == (
        "{1} dəyişikliyi saxlamaq üçün <b>Saxla</b> düyməsini basın."
    )
    assert [u.source for u in read.units["ka"]] == [
        "On 26 February 1992, 613 civilians were killed in Khojaly."
    ]
    assert read.units["ru"] == ()
    assert {u.origin for units in read.units.values() for u in units} == {"omegat.tmx"}


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_hostile_tmx_is_refused_quickly_and_reads_nothing(path: Path) -> None:
    start = time.perf_counter()
    with pytest.raises(PipelineError) as caught:
        read_tmx(path, path.name, "en", ["az"])
    assert time.perf_counter() - start < 2
    error = caught.value
    assert error.path == path.name and error.line and error.hint
    assert "root:" not in str(error)  # /etc/passwd never reached the message


def test_a_tmx_past_the_size_bound_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory_module, "MAX_TMX_BYTES", 1000)
    big = tmp_path / "big.tmx"
    shutil.copy(FIXTURES / "omegat.tmx", big)
    with pytest.raises(PipelineError, match="more than a memory may be"):
        read_tmx(big, "big.tmx", "en", ["az"])


def test_an_overlong_segment_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_module, "MAX_SEGMENT", 40)
    read = read_tmx(FIXTURES / "omegat.tmx", "omegat.tmx", "en", ["az"])
    assert read.too_long == 3 and read.units["az"] == ()


# --- TMX out, read back by Translate Toolkit ---------------------------------------------


def test_export_round_trips_through_translate_toolkit(tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    pairs = [
        ("az", [("Hello & <welcome>", "Salam & <xoş gəlmisiniz>"), ("Two\nlines", "İki\nsətir")]),
        ("pt_BR", [("Hello & <welcome>", "Olá & <bem-vindo>")]),
    ]
    written = tmx_bytes("en", pairs)
    assert written.tus == 2
    for lang, units in pairs:
        store = tmxfile.parsestring(written.data, "en", lang.replace("_", "-"))
        got = {(u.source, u.target) for u in store.units if u.target}
        assert got == set(units), lang
    # and back in through our own reader, languages matched as CLDR does
    path = tmp_path / "out.tmx"
    path.write_bytes(written.data)
    read = read_tmx(path, "out.tmx", "en", ["az", "pt_BR"])
    assert [(u.source, u.target) for u in read.units["az"]] == pairs[0][1]
    assert [(u.source, u.target) for u in read.units["pt_BR"]] == pairs[1][1]


# --- extract fills from the memory ------------------------------------------------------


def _template(*texts: str) -> Catalog:
    return Catalog(
        header=(("Project-Id-Version", "a"),),
        entries=tuple(
            Entry(msgid=t, comment="paragraph", occurrences=(("source/a.md", str(n)),))
            for n, t in enumerate(texts, 1)
        ),
    )


MEMORY = Memory(
    [
        Unit("On 26 February 1992, 613 civilians were killed.", "613 dinc sakin öldü.", "k.tmx"),
        Unit(
            "According to a press release of the ministry, the meeting will be held on Friday.",
            "Nazirliyin mətbuat açıqlamasına görə, görüş cümə günü keçiriləcək.",
            "press.tmx",
        ),
    ]
)


@pytest.mark.parametrize("setting", ["fuzzy", "translated"])
def test_exact_close_and_no_match(setting: str) -> None:
    template = _template(
        "On 26 February 1992, 614 civilians were killed.",
        "According to a press release from the ministry, the meeting will take place on Friday.",
        "Something entirely new about the weather in Baku today.",
    )
    lang = language("az")
    updated, stats = update_catalog(
        None,
        template,
        lang,
        (),
        memory=MEMORY,
        memory_exact=setting,  # type: ignore[arg-type]
    )
    exact, close, new = updated.entries
    assert exact.msgstr == "614 dinc sakin öldü."
    assert exact.fuzzy == (setting == "fuzzy")
    assert (exact.previous_msgid is not None) == exact.fuzzy  # #| shows the old number
    assert f"{NOTE}k.tmx" in exact.comment.split("\n")
    assert close.fuzzy and close.previous_msgid == MEMORY.units[1].source
    assert close.msgstr == MEMORY.units[1].target
    assert f"{NOTE}press.tmx" in close.comment.split("\n")
    assert not new.msgstr and NOTE not in new.comment
    assert stats.memory == 2
    again, _ = update_catalog(
        updated,
        template,
        lang,
        (),
        memory=MEMORY,
        memory_exact=setting,  # type: ignore[arg-type]
    )
    assert again == updated  # the note stays with the translation: a second run is stable


def test_project_translations_of_other_numbers_are_a_memory_too() -> None:
    from pipeline.catalogs.matching import CandidatePool

    reviewed = Entry(
        msgid="In 2019, 19 people came.",
        msgstr="2019-cu ildə 19 nəfər gəldi.",
        occurrences=(("source/old.md", "3"),),
    )
    memory = Memory((), CandidatePool([reviewed]))
    updated, _ = update_catalog(
        None, _template("In 2019, 20 people came."), language("az"), (), memory=memory
    )
    assert updated.entries[0].msgstr == "2019-cu ildə 20 nəfər gəldi."
    assert f"{NOTE}source/old.md" in updated.entries[0].comment.split("\n")


# --- the CLI: import, extract, export; the compendium among the catalogs -----------------


def _project(root: Path) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "pipeline.toml").write_text('languages = ["az", "ka"]\n', "utf-8")
    (root / "source" / "news.md").write_text(
        "# Khojaly remembered\n\nOn 26 February 1992, 614 civilians were killed in Khojaly.\n",
        "utf-8",
    )
    return root


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_import_extract_export(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    out = _run(root, "memory", "import", str(FIXTURES / "omegat.tmx"))
    assert "locales/az/memory.po: 3 added" in out and "locales/ka/memory.po: 1 added" in out
    assert "0 added, 3 already there" in _run(
        root, "memory", "import", str(FIXTURES / "omegat.tmx")
    )
    extracted = _run(root, "extract")
    assert "orphan" not in extracted and "no article uses" not in extracted
    az = read_catalog(root / "locales/az/news.po", "news.po")
    filled = next(e for e in az.entries if "614" in e.msgid)
    assert filled.fuzzy and "614 dinc sakin" in filled.msgstr
    assert f"{NOTE}omegat.tmx" in filled.comment.split("\n")
    # a reviewer confirms it: the export carries it, and the memory's own units
    po = root / "locales/az/news.po"
    po.write_text(
        po.read_text("utf-8").replace("#, fuzzy, md-text\n#| msgid", "#, md-text\n#| msgid")
    )
    _run(root, "memory", "export", str(tmp_path / "all.tmx"))
    from translate.storage.tmx import tmxfile

    store = tmxfile.parsestring((tmp_path / "all.tmx").read_bytes(), "en", "az")
    sources = {u.source for u in store.units if u.target}
    assert filled.msgid in sources and "Press <b>Save</b> to keep {1} changes." in sources


def test_compendium_from_po_needs_a_language(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    compendium = tmp_path / "c.po"
    compendium.write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr "Salam"\n', "utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "memory", "import", str(compendium)])
    assert result.exit_code == 1 and "no Language header" in result.output
    assert "1 added" in _run(root, "memory", "import", str(compendium), "-l", "az")
    assert [e.msgid for e in read_catalog(root / "locales/az/memory.po", "m").entries] == ["Hello"]


def test_memory_file_is_no_catalog_and_no_article_may_take_its_name(tmp_path: Path) -> None:
    assert is_memory_file("memory.po") and is_memory_file("memory.az.po")
    assert not is_memory_file("news/memory.po") and not is_memory_file("memory-2019.po")
    root = _project(tmp_path / "p")
    (root / "source" / "memory.md").write_text("# Memory\n", "utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "extract"])
    assert result.exit_code == 1 and "name of the translation memory" in result.output


def test_a_changed_memory_reruns_cached_extract_verdicts(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    _run(root, "extract")
    _run(root, "extract")  # the verdicts are cached now (entries still untranslated)
    po = root / "locales/az/news.po"
    before = po.read_bytes()
    memory = root / "locales/az/memory.po"
    memory.write_text(
        'msgid ""\nmsgstr ""\n"Language: az\\n"\n\n#. memory: k.tmx\n'
        'msgid "On 26 February 1992, 613 civilians were killed in Khojaly."\n'
        'msgstr "26 fevral 1992-ci ildə Xocalıda 613 dinc sakin qətlə yetirildi."\n',
        "utf-8",
    )
    _run(root, "extract")
    after = po.read_text("utf-8")
    assert po.read_bytes() != before and "614 dinc sakin" in after
    assert "#. memory: k.tmx" in after
    assert "0 file(s) written" in _run(root, "extract")
