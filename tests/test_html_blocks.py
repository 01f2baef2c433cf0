"""HTML blocks: which texts become messages, and how translations are written back.

Each case in ``EXTRACTED`` is an article and the (kind, msgid) pairs it must give; every
case is also rebuilt by an empty, an identity and a pseudo catalog (the corpus
invariants of ``tests/test_corpus.py``), and by translations that try to add blank lines
or leave their attribute.
"""

from __future__ import annotations

import pytest

from pipeline.markdown.segment import segment_document
from pipeline.publish.markdown import render
from tests.pseudo import pseudo

T, ALT, TITLE = "html text", "html attribute alt", "html attribute title"

EXTRACTED: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "div-p": (
        '<div class="note">\n  <p>Read the <a href="/m">manual</a>.</p>\n</div>\n',
        [(T, 'Read the <a href="/m">manual</a>.')],
    ),
    "lines-joined": (
        "<p>First line\n   second line</p>\n",
        [(T, "First line second line")],
    ),
    "details-summary": (
        "<details>\n<summary>Why?</summary>\nBecause <em>so</em>.\n</details>\n",
        [(T, "Why?"), (T, "Because <em>so</em>.")],
    ),
    "figure-figcaption-img": (
        '<figure>\n<img src="a.png" alt="A map" title=\'Map\'>\n'
        "<figcaption>The map.</figcaption>\n</figure>\n",
        [(ALT, "A map"), (TITLE, "Map"), (T, "The map.")],
    ),
    "table-cells": (
        "<table><tr><td>One</td><td><code>x</code></td><td> </td><td>&amp;</td></tr></table>\n",
        [(T, "One"), (T, "&amp;")],
    ),
    "entities-as-written": (
        "<p>Tom &amp; Jerry &#8212; &quot;friends&quot;</p>\n",
        [(T, "Tom &amp; Jerry &#8212; &quot;friends&quot;")],
    ),
    "kept-elements": (
        "<div>\n<script>var a = '<p>x</p>';</script>\n<style>p { color: red }</style>\n"
        "<pre>keep\nme</pre>\n<textarea>keep</textarea>\n<!-- keep -->\n<p>Text</p>\n</div>\n",
        [(T, "Text")],
    ),
    "code-only-run": ("<p><code>only code</code></p>\n", []),
    "attributes-inside-prose-stay-inside": (
        '<p>See <abbr title="HyperText">HTML</abbr> <img src="i" alt="icon"> now.</p>\n',
        [(T, 'See <abbr title="HyperText">HTML</abbr> <img src="i" alt="icon"> now.')],
    ),
    "aria-label-placeholder-unquoted": (
        "<input placeholder=Name aria-label='Your name'>\n",
        [("html attribute placeholder", "Name"), ("html attribute aria-label", "Your name")],
    ),
    "type-7-first-line-kept-out": (
        '<a href="/x">\nClick here\n</a>\n',
        [(T, "Click here </a>")],
    ),
    "markdown-after-blank-line-not-doubled": (
        "<div>\n\n*Markdown* here.\n\n</div>\n",
        [("paragraph", "*Markdown* here.")],
    ),
    "in-a-quote": (
        "> <p>Quoted\n> text.</p>\n",
        [(T, "Quoted text.")],
    ),
    "in-a-list": (
        "- item\n\n  <div>\n  Inner text\n  </div>\n",
        [("list item", "item"), (T, "Inner text")],
    ),
    "crlf": (
        "<p>One\r\n  two</p>\r\n",
        [(T, "One two")],
    ),
    "skip-directive": ("<!-- i18n: skip -->\n<div>Skipped</div>\n", []),
    "script-comment-stops-trust": (
        "<div><script><!--<script></script>Not text--></script><p>Lost</p></div>\n",
        [],
    ),
    "comment-space-before-gt-stops-trust": (
        "<div><!-- a -- > still comment --><p>Lost</p></div>\n",
        [],
    ),
    "custom-element-ends-a-run": (
        "<p>Before <my-widget>inside</my-widget> after</p>\n",
        [(T, "Before"), (T, "inside"), (T, "after")],
    ),
    "nul-left-out": ("<p>a\x00b</p>\n", []),
}


def _cases() -> list[str]:
    return sorted(EXTRACTED)


@pytest.mark.parametrize("name", _cases())
def test_extracted(name: str) -> None:
    source, expected = EXTRACTED[name]
    doc = segment_document(source, name)
    assert [(s.kind, s.msgid) for s in doc.segments] == expected
    for seg in doc.segments:
        if seg.kind.startswith("html"):
            assert not seg.markdown


@pytest.mark.parametrize("name", _cases())
def test_rebuilds(name: str) -> None:
    source, _ = EXTRACTED[name]
    doc = segment_document(source, name)
    assert render(doc, {}).text == source
    assert render(doc, {s.msgid: s.msgid for s in doc.segments}).text == source
    table = {s.msgid: pseudo(s.msgid) for s in doc.segments}
    rebuilt = render(doc, table)
    assert not rebuilt.fallbacks
    out = segment_document(rebuilt.text, name)
    assert out.shape == doc.shape
    assert [(s.kind, " ".join(s.msgid.split())) for s in out.segments] == [
        (s.kind, " ".join(table[s.msgid].split())) for s in doc.segments
    ]


def _one(source: str, msgstr: str) -> str:
    doc = segment_document(source, "a.md")
    [seg] = [s for s in doc.segments if s.kind.startswith("html")]
    rebuilt = render(doc, {seg.msgid: msgstr})
    assert not rebuilt.fallbacks
    return rebuilt.text


@pytest.mark.parametrize(
    ("source", "msgstr", "expected"),
    [
        ('<img src=a alt="A">\n', 'x" onerror="y', '<img src=a alt="x&quot; onerror=&quot;y">\n'),
        ("<img src=a alt='A'>\n", "it's", "<img src=a alt='it&#39;s'>\n"),
        ("<img src=a alt=A>\n", "two words", '<img src=a alt="two words">\n'),
        ("<img src=a alt=A>\n", "one", "<img src=a alt=one>\n"),
        ('<img src=a alt="A">\n', "a\n\nb", '<img src=a alt="a b">\n'),
        ("<p>One line.</p>\n", "Bir\n\n\nsətir.", "<p>Bir sətir.</p>\n"),
    ],
)
def test_written(source: str, msgstr: str, expected: str) -> None:
    assert _one(source, msgstr) == expected


def test_rewrapped_with_the_source_prefix_never_a_blank_line_nor_inside_a_tag() -> None:
    source = "> <p>Short first\n> line.</p>\n"
    msgstr = (
        'Bir <a href="https://example.org/a long path" title="a b c">iki üç</a>\n\n'
        "dörd beş altı yeddi səkkiz doqquz on <code>a b c d e f g h</code> on bir."
    )
    text = _one(source, msgstr)
    lines = text.split("\n")[:-1]
    assert all(line.startswith("> ") and line[2:].strip() for line in lines), text
    assert len(lines) > 2
    assert '<a href="https://example.org/a long path" title="a b c">' in text
    assert "<code>a b c d e f g h</code>" in text
