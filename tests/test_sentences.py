"""The sentence splitter (sentence mode): boundaries on hand-written test sets, the cover
invariant on every paragraph of the corpora, and no boundary inside Markdown constructs.

Test sets: ``tests/fixtures/sentences/<language>.txt`` (format in that folder's
README.md); protected constructs: ``tests/fixtures/sentences/masked.txt``.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from pipeline.markdown.inline_spans import inline_spans
from pipeline.markdown.segment import segment_document
from pipeline.markdown.sentences import (
    _abbreviations,
    known_languages,
    sentence_rules,
    sentences,
    split_sentences,
)

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "sentences"
CORPUS = TESTS / "corpus"
LANGUAGES = ("az", "en", "ka", "ru", "tr")
FLOWING = {"paragraph", "list item", "block quote"}


def read_test_set(path: Path) -> list[tuple[int, list[str], list[str]]]:
    """Paragraphs of a test set: ``(line, sentences, joiners)``, one per block of lines."""
    paragraphs: list[tuple[int, list[str], list[str]]] = []
    lines: list[tuple[int, str]] = []
    for number, line in enumerate([*path.read_text("utf-8").splitlines(), ""], start=1):
        if line.startswith("#"):
            continue
        if line.strip():
            lines.append((number, line))
            continue
        if lines:
            texts = [text.removesuffix("\\") for _, text in lines]
            joiners = ["\n" if text.endswith("\\") else " " for _, text in lines[:-1]]
            paragraphs.append((lines[0][0], texts, joiners))
        lines = []
    return paragraphs


def _join(texts: list[str], joiners: list[str]) -> str:
    return "".join(t + j for t, j in zip(texts, [*joiners, ""], strict=True))


CASES = [
    pytest.param(path.stem, texts, joiners, id=f"{path.name}:{line}")
    for path in sorted(FIXTURES.glob("*.txt"))
    if path.stem in LANGUAGES
    for line, texts, joiners in read_test_set(path)
]


def test_every_language_has_a_test_set_of_twenty_sentences() -> None:
    for language in LANGUAGES:
        count = sum(len(texts) for lang, texts, _ in (c.values for c in CASES) if lang == language)
        assert count >= 20, f"{language}.txt has {count} sentences"
    assert set(LANGUAGES) <= set(known_languages())


@pytest.mark.parametrize(("language", "texts", "joiners"), CASES)
def test_boundaries_are_the_test_sets(language: str, texts: list[str], joiners: list[str]) -> None:
    msgid = _join(texts, joiners)
    got, got_joiners = sentences(msgid, language)
    assert list(got) == texts
    assert list(got_joiners) == joiners


def _assert_cover(msgid: str, language: str) -> None:
    spans = split_sentences(msgid, language)
    texts, joiners = sentences(msgid, language)
    assert _join(list(texts), list(joiners)) == msgid
    assert [msgid[s:e] for s, e in spans] == list(texts)
    assert all(j and not j.strip() for j in joiners), joiners
    inner = texts[1:-1] if len(texts) > 2 else ()
    assert all(t and t == t.strip() for t in inner)
    if msgid == msgid.strip():
        assert all(t == t.strip() and t for t in texts)
    # no cut inside a construct markdown-it finds (code, link, image, HTML, emphasis…)
    for start, end, kind in inline_spans(msgid):
        cuts = [e for _, e in spans[:-1]] + [s for s, _ in spans[1:]]
        assert not [c for c in cuts if start < c < end], (kind, msgid[start:end])


def _corpus_msgids() -> list[str]:
    documents = [
        ex["markdown"]
        for ex in json.loads((CORPUS / "commonmark" / "commonmark.json").read_text("utf-8"))
    ]
    documents.append((CORPUS / "commonmark" / "spec.md").read_text("utf-8"))
    documents += [p.read_text("utf-8") for p in sorted((CORPUS / "jekyll-docs").rglob("*.md"))]
    msgids: set[str] = set()
    for text in documents:
        try:
            document = segment_document(text, "corpus.md")
        except Exception:  # a refused example (front matter on line 1): not a paragraph
            continue
        msgids.update(s.msgid for s in document.segments if s.kind in FLOWING)
    return sorted(msgids)


@pytest.fixture(scope="module")
def corpus_msgids() -> list[str]:
    msgids = _corpus_msgids()
    assert len(msgids) > 1000  # the corpora are found
    return msgids


@pytest.mark.parametrize("language", ["en", "ka"])
def test_every_corpus_paragraph_is_covered_by_its_sentences(
    corpus_msgids: list[str], language: str
) -> None:
    # English rules (cased) and Georgian (caseless: the most boundaries) on real prose
    for msgid in corpus_msgids:
        _assert_cover(msgid, language)
    split = sum(1 for m in corpus_msgids if len(split_sentences(m, language)) > 1)
    assert split > 100  # the corpus has many paragraphs of several sentences


@pytest.mark.parametrize(("language", "texts", "joiners"), CASES)
def test_cover_holds_on_the_test_sets(language: str, texts: list[str], joiners: list[str]) -> None:
    _assert_cover(_join(texts, joiners), language)


def _masked_cases() -> list[object]:
    cases = []
    path = FIXTURES / "masked.txt"
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line and not line.startswith("#"):
            cases.append(pytest.param(line, id=f"masked.txt:{number}"))
    return cases


@pytest.mark.parametrize("marked", _masked_cases())
def test_no_boundary_inside_a_protected_construct(marked: str) -> None:
    # ⟦…⟧ marks a construct that must stay whole; the text has a boundary outside it
    text = marked.replace("⟦", "").replace("⟧", "")
    protected = []
    offset = 0
    for k, char in enumerate(marked):
        if char == "⟦":
            start = k - offset
            offset += 1
        elif char == "⟧":
            protected.append((start, k - offset))
            offset += 1
    spans = split_sentences(text, "en")
    assert len(spans) > 1, "each case has a boundary outside its construct"
    for start, end in protected:
        assert any(s <= start and end <= e for s, e in spans), text[start:end]


def test_caseless_scripts_come_from_the_data() -> None:
    rules = sentence_rules("ka")
    assert unicodedata.category("ა") == "Ll"  # why an "is uppercase" test cannot work
    assert rules.is_caseless("ა")
    assert not rules.is_caseless("a")
    assert not rules.is_caseless("Ა")  # Mtavruli capitals are cased
    assert split_sentences("ეს არის. ის არის.", "ka") == ((0, 8), (9, 17))
    # the same text in a cased script's rules would need a capital: it stays one sentence
    assert len(split_sentences("this is. that is.", "en")) == 1


def test_language_tags_pick_the_file_and_unknown_languages_get_shared_rules() -> None:
    assert sentence_rules("az-Latn").language == "az"
    assert sentence_rules("en_US").language == "en"
    assert sentence_rules("xx").language == ""
    assert split_sentences("Mr. Smith left. He was tired.", "xx") == ((0, 3), (4, 15), (16, 29))
    assert split_sentences("", "en") == ()
    assert split_sentences("One", "en") == ((0, 3),)


def test_malformed_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="must end with a period"):
        _abbreviations("xx", {"inner": ["Mr"]})
    with pytest.raises(ValueError, match="in two lists"):
        _abbreviations("xx", {"inner": ["Mr."], "may_end": ["mr."]})
