"""Writing translations: line-start escaping, wrapping, hard breaks."""

from __future__ import annotations

import pytest

from pipeline.markdown.segment import segment_document
from pipeline.publish.markdown import escape_line_start, render, wrap_line


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("1992. il hadisələri", "1992\\. il hadisələri"),
        ("26) fevral", "26\\) fevral"),
        ("- siyahı deyil", "\\- siyahı deyil"),
        ("+ artı", "\\+ artı"),
        ("* ulduz", "\\* ulduz"),
        ("# heşteq deyil", "\\# heşteq deyil"),
        ("###### altı", "\\###### altı"),
        ("> sitat deyil", "\\> sitat deyil"),
        ("--", "\\--"),
        ("===", "\\==="),
        ("***", "\\***"),
        ("- - -", "\\- - -"),
        ("```js", "\\```js"),
        ("~~~", "\\~~~"),
        ("| --- |", "\\| --- |"),
        ("<div>blok</div>", "\\<div>blok</div>"),
        ("<!-- şərh -->", "\\<!-- şərh -->"),
        ("[^1]: qeyd", "\\[^1]: qeyd"),
        # not block syntax: unchanged
        ("1992-ci il", "1992-ci il"),
        ("-10 dərəcə", "-10 dərəcə"),
        ("#hashtag", "#hashtag"),
        ("``` kod ``` içində", "``` kod ``` içində"),
        ("<span>sətir</span> mətn", "<span>sətir</span> mətn"),
        ("Adi mətn", "Adi mətn"),
        ("ქართული ტექსტი", "ქართული ტექსტი"),
    ],
)
def test_escape_line_start(line: str, escaped: str) -> None:
    assert escape_line_start(line) == escaped


def test_a_start_the_source_shares_is_not_escaped() -> None:
    assert escape_line_start("``` x ``` y", "``` a ``` b") == "``` x ``` y"


@pytest.mark.parametrize(
    "text",
    [
        "a b c - d e f 1992. g h + i j # k l > m n",
        "söz " * 40,
        "ქართული ტექსტი " * 20,
        "uzun-bir-söz-heç-vaxt-bölünmür-çünki-boşluq-yoxdur qısa",
        "C:\\ yol və daha çox mətn burada",
    ],
)
def test_wrapping_never_starts_a_line_with_block_syntax(text: str) -> None:
    lines = wrap_line(text.strip(), 12, 12)
    assert " ".join(lines).split() == text.split()
    for line in lines[1:]:
        assert escape_line_start(line) == line
    for line in lines[:-1]:
        assert not line.endswith("\\")


@pytest.mark.parametrize(
    ("source", "translation", "output"),
    [
        ("Score:\\\n2:1\n", "Hesab:\n--", "Hesab:\\\n\\--\n"),
        ("Line one  \nline two\\\nthree\n", "Bir\nIki\nÜç\nDörd", "Bir  \nIki\\\nÜç\\\nDörd\n"),
        ("Addr   \nnext\n", "Ünvan\nsonra", "Ünvan   \nsonra\n"),
        ("Plain.\n", "İlk\nikinci", "İlk\\\nikinci\n"),
        ("Path\\\nend\n", "C:\\\nson", "C:\\   \nson\n"),
        ("1. Item\n", "1992. il", "1. 1992\\. il\n"),
        ("# Title #\n", "Başlıq #", "# Başlıq \\# #\n"),
        ("| a | b |\n|---|---|\n| x | y |\n", "x | y", "| a | b |\n|---|---|\n| x \\| y | y |\n"),
    ],
)
def test_translations_are_written_so_the_structure_holds(
    source: str, translation: str, output: str
) -> None:
    doc = segment_document(source, "a.md")
    first = doc.segments[-1] if source.startswith("|") else doc.segments[0]
    if source.startswith("|"):
        first = next(s for s in doc.segments if s.msgid == "x")
    rendered = render(doc, {first.msgid: translation})
    assert rendered.text == output
    assert not rendered.fallbacks


def test_a_translation_that_would_break_structure_falls_back() -> None:
    doc = segment_document("Para.\n\n- item\n", "a.md")
    rendered = render(doc, {"Para.": "Abzas\n\n\n", "item": "bənd"})
    assert rendered.text == "Abzas\n\n- bənd\n"
    doc = segment_document("![alt](x.png)\n", "a.md")
    rendered = render(doc, {"alt": "a]b(c"})
    assert rendered.text in {"![a\\]b(c](x.png)\n", "![alt](x.png)\n"}


def test_each_paragraph_is_rewrapped_to_its_own_width() -> None:
    narrow = "one two three four\nfive six seven\n"
    wide = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda\nmu nu\n"
    doc = segment_document(narrow + "\n" + wide, "a.md")
    assert [s.layout.width for s in doc.segments] == [18, 63]
    words = "söz " * 30
    rendered = render(doc, {s.msgid: words.strip() for s in doc.segments})
    first, second = rendered.text.split("\n\n")
    assert max(len(line) for line in first.splitlines()) <= 20  # MIN_WRAP_WIDTH
    assert max(len(line) for line in second.splitlines()) == 63


def test_a_one_line_paragraph_is_not_rewrapped() -> None:
    doc = segment_document("Short.\n\nwrapped\ntext\n", "a.md")
    assert [(s.layout.wrap, s.layout.width) for s in doc.segments] == [(False, 0), (True, 7)]
    rendered = render(doc, {"Short.": "söz " * 30})
    assert rendered.text.splitlines()[0] == ("söz " * 30).strip()


def test_many_refused_translations_each_fall_back_with_its_reason() -> None:
    paragraphs = [
        f"Paragraph number {k} of the article,\nwrapped over two lines." for k in range(60)
    ]
    doc = segment_document("\n\n".join(paragraphs) + "\n\n- a list\n- of items\n", "a.md")
    bad = {
        0: " ",  # nothing left
        7: "<x-note>",  # a lone custom tag starts an HTML block
        8: "`kod\nbloku`",  # a hard break in a code span is text there
        31: "\n\t\n",
        59: "<x-note>",
    }
    table = {s.msgid: bad.get(k, f"Abzas {k}, tərcümə olunub.") for k, s in enumerate(doc.segments)}
    rendered = render(doc, table)
    reasons = {doc.segments.index(f.segment): f.reason for f in rendered.fallbacks}
    assert reasons == {
        0: "has no text once its spaces and line breaks are removed",
        7: "changes the document's block structure",
        8: "does not read back as written (Markdown in it changes the text)",
        31: "has no text once its spaces and line breaks are removed",
        59: "changes the document's block structure",
    }
    out = segment_document(rendered.text, "a.md")
    assert out.shape == doc.shape
    for k, (seg, got) in enumerate(zip(doc.segments, out.segments, strict=True)):
        assert got.msgid == (seg.msgid if k in bad else table[seg.msgid])


def test_a_dropped_footnote_reference_blames_only_its_translation() -> None:
    source = "Text[^1] here.\n\nOther text.\n\n[^1]: The note\n    wraps.\n"
    doc = segment_document(source, "a.md")
    rendered = render(
        doc, {"Text[^1] here.": "Mətn.", "The note wraps.": "Qeyd.", "Other text.": "Başqa."}
    )
    assert [f.segment.msgid for f in rendered.fallbacks] == ["Text[^1] here."]
    assert rendered.text == "Text[^1] here.\n\nBaşqa.\n\n[^1]: Qeyd.\n"
