"""Our types for an article and its segments, and text measuring shared by the stages.

``segment`` produces these, ``catalog``/``extract`` turn segments into messages, and
``render`` writes translations back into the spans they describe.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal[
    "flow", "line", "cell", "alt", "title", "yaml", "toml", "html", "attribute", "admonition"
]
"""How a translation is written into a span (see ``Layout``)."""

BOM = "\ufeff"
_EOL_RE = re.compile(r"\r\n|\r|\n")


EOT = "\x04"
"""Joins msgctxt and msgid in one message key, as gettext's compiled catalogs do (so no
msgctxt or msgid we produce contains it)."""


def message_key(msgctxt: str | None, msgid: str) -> str:
    """One string naming a message: its msgid, or ``msgctxt EOT msgid`` with a context
    (gettext's own key in ``.mo`` files). Catalog lookups by segment use it."""
    return msgid if msgctxt is None else f"{msgctxt}{EOT}{msgid}"


def split_key(key: str) -> tuple[str | None, str]:
    """``message_key``'s inverse: (msgctxt or None, msgid)."""
    msgctxt, eot, msgid = key.partition(EOT)
    return (msgctxt, msgid) if eot else (None, key)


SEGMENT_KEY = "i18n_segment"
"""The front-matter key by which an article chooses sentence or paragraph messages."""
SEGMENT_MODES = ("paragraph", "sentence")
"""What a message is: a whole paragraph (a heading, a list item…), or one sentence."""


References = tuple[tuple[str, str, str], ...]
"""Link reference definitions as (normalized label, href, title): ``Document.references``."""


@dataclass(frozen=True, slots=True)
class Layout:
    """What the renderer needs to write a translation into a segment's span."""

    mode: Mode
    """``flow``: paragraph-like text over lines; ``line``: one line (ATX heading);
    ``cell``: a table cell; ``alt``/``title``: inside an image or link;
    ``yaml``, ``toml``: a front-matter value; ``html``: prose in an HTML block (one
    line, or re-wrapped like ``flow`` with ``wrap``); ``attribute``: an attribute value
    in an HTML block, delimited by ``quote`` (``"``, ``'`` or none)."""
    eol: str = "\n"
    """Line ending used for lines the translation adds."""
    continuation: str = ""
    """Prefix written before each added line (container markers and indentation)."""
    first_column: int = 0
    """Display column where the span's first line starts (the first line's prefix)."""
    wrap: bool = False
    """The source was hard-wrapped (soft line breaks join its lines): re-wrap the
    translation to ``width``. A one-line source is not re-wrapped."""
    hard_breaks: tuple[str, ...] = ()
    """How the source wrote each hard break, in order: ``\\`` or its trailing spaces.
    The translation's k-th break is written like the k-th (or the last) of these."""
    at_line_start: bool = True
    """The span starts a line of Markdown, so block syntax there would change structure."""
    quote: str = ""
    """``title``: the delimiter character; ``yaml``: the scalar style (``""``, ``'``,
    ``"``, ``|`` or ``>``); ``toml``: the string's delimiter (``"``, ``'`` or three of
    either)."""
    raw_lines: bool = False
    """``flow``: the msgid keeps source line breaks as ``\\n`` (breaks could not be
    classified), so translations are written one line per ``\\n`` and never re-wrapped."""
    label: str = ""
    """``alt`` of a collapsed or shortcut reference image (``![Old town][]``, whose alt
    text is its label): the label as written. The span then ends past the ``]`` (and
    ``[]``), and a translation is written as a full reference to the label."""
    width: int = 0
    """``wrap``: display width of the source paragraph's widest line, container prefix
    included; the translation is re-wrapped to it. 0 when the source is not wrapped."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable text of an article and the source span that holds it."""

    msgid: str
    """The text as translators see it: inline Markdown as written, soft breaks as one
    space, hard breaks as ``\\n``."""
    start: int
    """Offset of the span's first character in ``Document.text``."""
    end: int
    """Offset just past the span's last character."""
    line: int
    """1-based line of the span's start."""
    kind: str
    """What the text is: ``heading``, ``paragraph``, ``list item``, ``table cell``, …"""
    context: str
    """The headings the text stands under, outermost first, joined by `` > ``."""
    layout: Layout
    """How a translation is written back into the span."""
    markdown: bool = True
    """The text is Markdown (inline syntax applies); front-matter values are not."""
    field: str = ""
    """For a front-matter value, its path: the key (``title``), or the keys and list
    indices down to it (``seo.title``, ``faq.0.answer``); empty for every other text."""
    note: str = ""
    """The editor's note for translators (``<!-- i18n: note TEXT -->``), if any."""
    msgctxt: str | None = None
    """The editor's context (``<!-- i18n: context TEXT -->``): the same text under two
    contexts is two messages, translated separately."""

    sentences: tuple[tuple[int, int], ...] = ()
    """Sentence mode: the spans of ``msgid`` (start, end) that are its sentences, each a
    message of its own; the text between two is their joiner. Empty: the whole msgid is
    one message."""

    @property
    def key(self) -> str:
        """The message this segment is: ``message_key(msgctxt, msgid)``."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}{EOT}{self.msgid}"

    @property
    def messages(self) -> tuple[Message, ...]:
        """The messages translators get for this segment: one, or one per sentence."""
        if not self.sentences:
            return (Message(self.key, self.msgid, self.msgctxt),)
        return tuple(
            Message(message_key(self.msgctxt, self.msgid[a:b]), self.msgid[a:b], self.msgctxt)
            for a, b in self.sentences
        )

    def joined(self, texts: Sequence[str]) -> str:
        """Sentence mode: one text per sentence (translations, or the sources) rebuilt
        into the paragraph with the source's joiners between them."""
        out = [texts[0]]
        for k in range(1, len(self.sentences)):
            out.append(self.msgid[self.sentences[k - 1][1] : self.sentences[k][0]])
            out.append(texts[k])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a segment: what a catalog entry is for."""

    key: str
    """``message_key(msgctxt, msgid)``: how catalogs are looked up."""
    msgid: str
    msgctxt: str | None


@dataclass(frozen=True, slots=True)
class SourceWarning:
    """Something in an article that is not extracted, told to the user at ``path:line``
    (the article is still processed; warnings never fail a command)."""

    message: str
    """What is wrong, in words for the editor."""
    path: str
    """The article, as ``Document.path``."""
    line: int
    """1-based line where it starts."""
    hint: str = ""
    """What to do about it."""
    code: str = "nesting"
    """Stable identifier, as ``checks.Problem.code``."""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(frozen=True, slots=True)
class Document:
    """A source article: its text and its segments in source order."""

    path: str
    """Path shown in references and messages (relative to the project root)."""
    text: str
    """The whole article, exactly as read (BOM and line endings included)."""
    segments: tuple[Segment, ...]
    """Translatable segments, sorted by ``start``, spans disjoint."""
    shape: tuple[str, ...] = field(repr=False)
    """The block structure (see ``block_shape``), for comparing a rebuilt article."""
    front_matter_keys: tuple[str, ...] = ("title", "description", "summary")
    """The front-matter keys whose values were segmented."""
    references: References = ()
    """The article's link reference definitions as (normalized label, href, title), so a
    message's ``[text][label]``, ``[label][]`` and ``[label]`` read as the links they are."""
    warnings: tuple[SourceWarning, ...] = ()
    """Parts of the article that are copied untranslated, not extracted, and why."""
    segment_mode: str = ""
    """The article's own choice of messages, its front matter's ``SEGMENT_KEY`` value
    (``sentence`` or ``paragraph``); empty when it makes none."""
    language: str = ""
    """The language the article says it is written in (its front matter's language key,
    a CLDR code as configured spelling goes: ``az``); empty when it says none."""

    def source_of(self, segment: Segment) -> str:
        """The exact source text of ``segment``'s span."""
        return self.text[segment.start : segment.end]

    def skeleton(self) -> list[str]:
        """The text outside the spans: ``len(segments) + 1`` pieces, in order."""
        pieces, pos = [], 0
        for seg in self.segments:
            pieces.append(self.text[pos : seg.start])
            pos = seg.end
        pieces.append(self.text[pos:])
        return pieces


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace editor: wide CJK 2, combining marks 0."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


@functools.cache
def char_width(ch: str) -> int:
    """Columns one character takes: 2 for wide/full-width, 0 for combining and format."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1


class LineTable:
    """Line table of a text: where each line starts, where its content ends, its EOL.

    Lines are split exactly as markdown-it splits them (``\\r\\n``, ``\\r`` or ``\\n``),
    never with ``str.splitlines``, which also splits on form feeds and U+2028.
    """

    __slots__ = ("content_end", "ends", "starts", "text")

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.starts: list[int] = []
        self.content_end: list[int] = []
        self.ends: list[int] = []
        pos = offset
        for match in _EOL_RE.finditer(text, offset):
            self.starts.append(pos)
            self.content_end.append(match.start())
            self.ends.append(match.end())
            pos = match.end()
        if pos < len(text):
            self.starts.append(pos)
            self.content_end.append(len(text))
            self.ends.append(len(text))

    def __len__(self) -> int:
        return len(self.starts)

    def raw(self, i: int) -> str:
        """Line ``i`` without its line ending."""
        return self.text[self.starts[i] : self.content_end[i]]

    def eol(self, i: int) -> str:
        return self.text[self.content_end[i] : self.ends[i]]
