"""Word counts of one message, the unit completeness is measured in.

What counts as a word, for every language written with spaces between words (English,
Azerbaijani, Georgian, Russian and the like):

- a word is a run of Unicode letters, digits and combining marks, after NFC
  normalization; an inner hyphen or apostrophe joins two runs into one word
  (``military-political``, ``ABŞ-ın``, ``don't``), and so does a ``.`` or ``,`` between
  digits (``100,000`` and ``3.11`` are one word each);
- numbers are words (a translator handles each of them); punctuation alone is not;
- Markdown syntax is not counted: only the text a reader sees is (link text and image
  alt text included, link targets excluded);
- inline code spans, raw HTML, URLs (autolinks and bare ``http://``/``www.`` addresses)
  and footnote references (``[^1]``) are not words: nobody translates them.

Languages written without spaces (Chinese, Japanese, Thai) would count a whole clause as
one word; none is configured here, so no dictionary-based segmentation is attempted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from pipeline.markdown.parse import parse_inline


class InlineToken(Protocol):
    """What we read of a markdown-it inline token (``segment`` owns the parser)."""

    @property
    def type(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def markup(self) -> str: ...
    @property
    def children(self) -> Sequence[InlineToken] | None: ...

    def attrGet(self, name: str) -> str | int | float | None: ...


_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_RUN = rf"[^\W_][\w{_MARKS}]*"
_JOIN = r"(?:[-'’\u2010\u2011](?=[^\W_])|(?<=\d)[.,](?=\d))"
WORD_RE = re.compile(rf"{_RUN}(?:{_JOIN}{_RUN})*")
"""One word (see the module docstring)."""

URL_RE = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>]*")
"""A bare URL in running text."""

FOOTNOTE_REF_RE = re.compile(r"\[\^([^\]\s]+)\]")
"""A footnote reference; without the article's definitions the parser leaves it as text."""


def visible_text(text: str, *, markdown: bool = True) -> str:
    """The text a reader sees of one message: Markdown syntax, code spans, HTML, URLs and
    footnote references removed (a code span or a break becomes a space)."""
    if not markdown:
        return _strip_non_words(text)
    return visible_text_of(parse_inline(text))


def visible_text_of(tokens: Sequence[InlineToken]) -> str:
    """``visible_text`` of a message already parsed (``segment.parse_inline``)."""
    return _strip_non_words("".join(_pieces(tokens)))


def count_words(text: str, *, markdown: bool = True) -> int:
    """How many words ``text`` has (a message, in Markdown unless ``markdown`` is False)."""
    return len(words(text, markdown=markdown))


def words(text: str, *, markdown: bool = True) -> list[str]:
    """The words of ``text``, in order."""
    return words_of(visible_text(text, markdown=markdown))


def words_of(visible: str) -> list[str]:
    """The words of text already stripped of Markdown (``visible_text``)."""
    return WORD_RE.findall(unicodedata.normalize("NFC", visible))


def _strip_non_words(text: str) -> str:
    return FOOTNOTE_REF_RE.sub(" ", URL_RE.sub(" ", text))


def _pieces(tokens: Iterable[InlineToken]) -> Iterator[str]:
    autolink = False
    for tok in tokens:
        if tok.type == "link_open":
            autolink = tok.markup in {"autolink", "linkify"}
        elif tok.type == "link_close":
            autolink = False
        elif tok.type == "text" and not autolink:
            yield tok.content
        elif tok.type == "image":
            yield " "
            yield from _pieces(tok.children or ())
            yield " "
        elif tok.type in {"softbreak", "hardbreak", "code_inline", "html_inline"}:
            yield " "
