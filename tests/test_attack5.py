"""Fifth attack round: the features of issue 12 (translation memory and TMX, the
glossary, articles written in any language) against untrusted TMX, ``.po`` and CSV
files and a careless editor.

Each test states what must hold; the catalogs written are read back with polib and the
TMX with the standard library's XML parser, never judged by the tool's own messages.
Cases are data under ``tests/fixtures/attack5/``.
"""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from pipeline.catalogs.glossary import Glossary, Term
from pipeline.catalogs.memory import Memory, Unit
from pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "attack5"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _invoke(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def _project(root: Path, settings: str, files: dict[str, str], languages: str = '"az"') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f"[tool.pipeline]\nlanguages = [{languages}]\npublish_min_complete = 0\n"
        f"required_fields = []\n{settings}",
        "utf-8",
    )
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def _translate(po: Path, msgstrs: dict[str, str]) -> None:
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid in msgstrs:
            entry.msgstr = msgstrs[entry.msgid]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    catalog.save()


def _tmx(units: list[tuple[str, str]], target: str = "az") -> str:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", srclang="en", datatype="plaintext", segtype="sentence")
    body = ET.SubElement(root, "body")
    for source, translation in units:
        tu = ET.SubElement(body, "tu")
        for lang, text in (("en", source), (target, translation)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    return ET.tostring(root, encoding="unicode")


# --- 1. a memory suggestion must not change what the source kept -----------------------


def _substitutions() -> list[tuple[int, list[str]]]:
    """``substitutions.txt``: (line, [source, translation, new text, harm])."""
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


SUBSTITUTIONS = _substitutions()
_KEPT_RE = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>]+)>|(`[^`]+`)")
"""Inline link targets, autolinks and code spans: what a translation copies as it is."""


def _kept(text: str) -> list[str]:
    return sorted(next(g for g in m.groups() if g) for m in _KEPT_RE.finditer(text))


@pytest.mark.parametrize(
    ("line", "case"), SUBSTITUTIONS, ids=[f"line{n}" for n, _ in SUBSTITUTIONS]
)
def test_a_sure_memory_match_keeps_the_sources_link_targets_and_code(
    line: int, case: list[str]
) -> None:
    # Only a number changed between the two texts; the translation wrote it in words,
    # so the only digits left in it are inside a link target or a code span: putting
    # the new number there breaks a link the source did not change (a "sure" fill that
    # memory_exact = "translated" publishes, or that merge's gate then rejects).
    source, target, new, harm = case
    found = Memory([Unit(source, target, "client.tmx")]).exact(new)
    assert found is not None and found.exact, f"substitutions.txt:{line}"
    assert not found.sure or _kept(found.target) == _kept(new), (
        f"substitutions.txt:{line}: {harm}: {found.target!r}"
    )


def test_a_translation_made_under_another_context_is_never_filled_as_translated(
    tmp_path: Path,
) -> None:
    # The same words under another context are suggested, never reused as they are
    # (README, Directives): a text that differs only in a number must not slip past.
    root = _project(
        tmp_path,
        'memory_exact = "translated"\n',
        {"source/lottery.md": "# Lottery\n\n<!-- i18n: context lottery -->\nWon 5 times.\n"},
    )
    assert _invoke(root, "extract").exit_code == 0
    _translate(
        root / "locales/az/lottery.po",
        {"Lottery": "Lotereya", "Won 5 times.": "5 dəfə uduş çıxdı."},
    )
    (root / "source/results.md").write_text("# Results\n\nWon 6 times.\n", "utf-8")
    assert _invoke(root, "extract").exit_code == 0
    entry = polib.pofile(str(root / "locales/az/results.po")).find("Won 6 times.")
    assert entry is not None
    assert not entry.msgstr or entry.fuzzy, (
        f"the lottery's translation was filled as translated: {entry.msgstr!r}"
    )


# --- 3. a reviewer's work on memory.po ------------------------------------------------

MEMORY_PO = """\
msgid ""
msgstr ""
"Language: az\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

# reviewer: wrong in sports articles, keep out until checked
#. memory: old.tmx
#, fuzzy
msgid "The match was won."
msgstr "Oyun udulub."

#. memory: old.tmx
msgctxt "lottery"
msgid "Won"
msgstr "Uduş"
"""


def test_import_keeps_what_a_reviewer_did_to_the_memory(tmp_path: Path) -> None:
    # README: memory.po is "a .po like any other: review it". An import of another
    # file must not drop the reviewer's fuzzy flag, comment or context; and importing
    # the old file again must not bring the distrusted unit back as reviewed.
    root = _project(
        tmp_path,
        "",
        {
            "source/storm.md": "# Storm\n\nHello world.\n",
            "locales/az/memory.po": MEMORY_PO,
            "new.tmx": _tmx([("Hello world.", "Salam dünya.")]),
            "old.tmx": _tmx([("The match was won.", "Oyun udulub.")]),
        },
    )
    assert _invoke(root, "memory", "import", str(root / "new.tmx")).exit_code == 0
    memory = polib.pofile(str(root / "locales/az/memory.po"))
    match = memory.find("The match was won.")
    assert match is not None, "the reviewer's fuzzy entry was deleted"
    assert match.fuzzy and "keep out until checked" in match.tcomment
    won = memory.find("Won", msgctxt="lottery")
    assert won is not None and won.msgstr == "Uduş", "the entry's msgctxt was dropped"
    assert _invoke(root, "memory", "import", str(root / "old.tmx")).exit_code == 0
    again = polib.pofile(str(root / "locales/az/memory.po")).find("The match was won.")
    assert again is not None and again.fuzzy, "the distrusted unit came back as reviewed"


# --- 5. articles written in another language ---------------------------------------------

EN = "---\ntitle: Storm in Baku\n---\n\n# Storm in Baku\n\nThe port closed at noon.\n"


@pytest.mark.parametrize("lang", ["az-Latn", "az_AZ", "az-Latn-AZ", "en-GB", "ru"])
def test_an_article_language_spelled_otherwise_is_published_with_html(
    tmp_path: Path, lang: str
) -> None:
    # README: "An article may be written in any language CLDR knows". With html = true
    # merge raised ValueError (site.py: no output root holds output/az_Latn/…), after
    # writing a feed into a folder no language owns.
    article = f"---\ntitle: Bakıda tufan\nlang: {lang}\n---\n\n# Bakıda tufan\n\nLiman bağlandı.\n"
    root = _project(
        tmp_path,
        "html = true\n",
        {"source/storm.md": EN, "source/tufan.md": article},
        languages='"az", "ka"',
    )
    assert _invoke(root, "extract").exit_code == 0
    merged = _invoke(root, "merge")
    assert merged.exit_code == 0, merged.output
    folders = {p.name for p in (root / "output").iterdir() if p.is_dir()}
    # a spelling of a configured language is that language; a language no setting
    # names (ru, or regional en_GB) gets its own page in a folder of its own
    own = {"ru": {"ru"}, "en-GB": {"en_GB"}}.get(lang, set())
    assert folders <= {"az", "ka", "en", *own}, f"written outside the languages' folders: {folders}"


def test_the_same_word_in_another_source_language_is_not_reused(tmp_path: Path) -> None:
    # Azerbaijani "Son" (latest) is not English "Son": the English article's Georgian
    # translation (ვაჟი, a son) must not be published for the Azerbaijani article. The
    # memory and the pool serve a language pair (issue 12), not a target language.
    root = _project(tmp_path, "", {"source/family.md": "# Family\n\nSon\n"}, '"az", "ka"')
    assert _invoke(root, "extract").exit_code == 0
    _translate(root / "locales/ka/family.po", {"Son": "ვაჟი"})
    (root / "source/xeber.md").write_text("---\nlang: az\n---\n\n# Xəbər\n\nSon\n", "utf-8")
    assert _invoke(root, "extract").exit_code == 0
    entry = polib.pofile(str(root / "locales/ka/xeber.po")).find("Son")
    assert entry is not None
    assert not entry.translated(), f"an en→ka translation reused for az→ka: {entry.msgstr!r}"


def test_export_names_each_units_source_language(tmp_path: Path) -> None:
    # The TMX says srclang="en"; an Azerbaijani article's msgids must not be exported
    # as English texts (a CAT tool would offer them for English sentences).
    article = "---\nlang: az\n---\n\n# Bakıda tufan\n\nDəniz limanı günorta bağlandı.\n"
    root = _project(tmp_path, "", {"source/tufan.md": article}, '"az", "ka"')
    assert _invoke(root, "extract").exit_code == 0
    _translate(
        root / "locales/ka/tufan.po",
        {"Bakıda tufan": "ქარიშხალი ბაქოში", "Dəniz limanı günorta bağlandı.": "პორტი დაიკეტა."},
    )
    assert _invoke(root, "memory", "export", str(root / "out.tmx")).exit_code == 0
    english = [
        seg.text
        for tuv in ET.parse(root / "out.tmx").iter("tuv")
        if tuv.get(XML_LANG) == "en"
        for seg in tuv.iter("seg")
    ]
    assert "Bakıda tufan" not in english, f"Azerbaijani exported as English: {english}"


# --- 4. the glossary ----------------------------------------------------------------------


def _glossary_cases() -> list[dict[str, str]]:
    with (FIXTURES / "glossary_cases.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


GLOSSARY_CASES = _glossary_cases()


@pytest.mark.parametrize("case", GLOSSARY_CASES, ids=[c["case"] for c in GLOSSARY_CASES])
def test_glossary_terms_are_found_where_a_translator_would_see_them(case: dict[str, str]) -> None:
    # found: the msgid holds the term (a #. glossary: comment); missing: the glossary
    # check warns. A term with punctuation was silently dead ("U.S."), one with symbols
    # matched any word of its first letter ("C++" in "Vitamin C"), and words inside code
    # and addresses (copied as they are) were asked to be translated.
    glossary = Glossary("en", case["target"], (Term(case["term"], case["translation"]),))
    found = bool(glossary.found_in(case["msgid"]))
    missing = bool(glossary.missing(case["msgid"], case["msgstr"]))
    assert (found, missing) == (case["found"] == "yes", case["missing"] == "yes"), case["case"]


def test_a_large_glossary_does_not_stall_extract() -> None:
    # 20,000 terms (a newsroom's name list) cost 0.2 s per message: 48 s for a
    # 200-message article, minutes for an archive. Terms should be indexed by word.
    terms = tuple(Term(f"Name{i:05d}x Surname{i:05d}y", f"Ad{i}") for i in range(20_000))
    glossary = Glossary("en", "az", terms)
    glossary.found_in("warm up")
    start = time.perf_counter()
    for k in range(20):
        glossary.found_in(f"The storm closed the port at noon, officials said on day {k}.")
    assert time.perf_counter() - start < 1.0
