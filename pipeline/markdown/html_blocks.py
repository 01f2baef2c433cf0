"""An HTML block → its segments: the prose between block-level tags, and the text of the
``alt``, ``title``, ``aria-label`` and ``placeholder`` attributes.

CommonMark copies an HTML block to the page as it is, so its text is HTML text, not
Markdown (``Segment.markdown`` is False). The block is tokenized with the standard
library's ``html.parser.HTMLParser``, which reports where each tag, comment and text
starts (``getpos``). What a run of text is:

- text between block-level tags (``div``, ``p``, ``td``, ``summary``, ``figcaption``…
  and every element not in ``INLINE``) is one message, its inline tags (``<a href>``,
  ``<em>``, ``<code>``, ``<br>``…) inside it, as a paragraph's Markdown is; a run whose
  only content is tags, whitespace and ``<code>`` is not offered;
- ``KEPT`` elements (``<script>``, ``<style>``, ``<pre>``, ``<textarea>``…), comments
  and declarations are copied as they are, and so is ``<code>`` alone;
- the attributes in ``ATTRIBUTES`` of a tag outside any offered run are messages of
  their own (inside a run they are part of its text, as written).

The message is the source text as written (character references kept); a run over
several lines shows each line break with the indentation around it as one space, and
``Layout.wrap`` tells the writer to re-wrap a translation to the source's width with the
source's continuation prefix.

Every span is verified, not guessed: each content line of the block must end its source
line (container prefixes stand on the left), and each token the parser reports must be
where and what a browser would read there (a tag ends at its first ``>`` outside a
quoted value, a comment at ``-->`` or ``--!>``, a declaration at ``>``, text holds no
``<`` that opens markup, a ``<script>`` holds no ``<!--``). At the first disagreement
the rest of the block is copied untranslated: whatever the parser misread cannot become
a translator's text.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from html.parser import HTMLParser

from pipeline.markdown.document import Layout, LineTable, Segment, display_width

TEXT_KIND = "html text"
"""``Segment.kind`` of prose in an HTML block."""
ATTRIBUTE_KIND = "html attribute "
"""``Segment.kind`` prefix of an attribute's text (``html attribute alt``)."""

ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
"""Attributes whose value a reader sees or hears: the image's text, the tooltip, the
name a screen reader speaks, an empty field's hint. Others are copied as they are."""

INLINE = frozenset(
    {
        *("a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "button", "cite", "code"),
        *("data", "del", "dfn", "em", "font", "i", "img", "input", "ins", "kbd", "label"),
        *("mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike"),
        *("strong", "sub", "sup", "time", "tt", "u", "var", "wbr"),
    }
)
"""Phrasing elements that stay inside a run of text. Every other element, custom ones
included, ends a run."""

KEPT = frozenset(
    {
        *("script", "style", "pre", "textarea", "title", "xmp", "listing", "plaintext"),
        *("noembed", "noframes", "noscript", "iframe", "object", "template", "svg", "math"),
        *("select", "canvas", "video", "audio"),
    }
)
"""Elements whose content is copied as it is: code, raw text, embedded documents."""

VOID = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link"),
        *("meta", "param", "source", "track", "wbr"),
    }
)
"""Elements without content (their start tag opens nothing)."""

_WS = "\t\n\f\r "
_TAG_RE = re.compile(
    rf"""</?[A-Za-z][^{_WS}/>]*
    (?:[{_WS}/]+(?:[^{_WS}/>=][^{_WS}/>=]*
        (?:[{_WS}]*=[{_WS}]*(?:"[^"]*"|'[^']*'|[^{_WS}>]+))?)?)*
    [{_WS}/]*>""",
    re.VERBOSE,
)
"""A start or end tag as a browser reads it: to the first ``>`` outside a quoted value."""
_ATTRIBUTE_RE = re.compile(
    rf"""[{_WS}/]*(?P<name>[^{_WS}/>=][^{_WS}/>=]*)
    (?:[{_WS}]*=[{_WS}]*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^{_WS}>]+)))?""",
    re.VERBOSE,
)
_MARKUP_RE = re.compile(r"<[A-Za-z/!?]")
"""Where a browser sees markup (anything else after ``<`` is text)."""
_JOINT_RE = re.compile(r"[ \t]*\n[ \t]*")
"""A line break and the indentation around it: one space in a message."""


@dataclass(frozen=True, slots=True)
class _Event:
    """One token of the block, as ``HTMLParser`` reported it."""

    kind: str
    """``start``, ``startend``, ``end``, ``comment``, ``decl``, ``pi``, ``text``."""
    start: int
    """Offset in the block's content."""
    tag: str = ""
    """Lower-case element name (tags)."""
    raw: str = ""
    """The start tag as written (start tags)."""
    attrs: tuple[tuple[str, str | None], ...] = ()
    """The parser's (name, decoded value) pairs (start tags)."""


class _Recorder(HTMLParser):
    """Records every token with the offset where it starts (nothing is decoded)."""

    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = line_starts
        self.events: list[_Event] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        self.events.append(_Event("start", self._at(), tag, raw, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        self.events.append(_Event("startend", self._at(), tag, raw, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(_Event("end", self._at(), tag))

    def handle_data(self, data: str) -> None:
        self.events.append(_Event("text", self._at()))

    def handle_entityref(self, name: str) -> None:
        self.events.append(_Event("text", self._at()))

    def handle_charref(self, name: str) -> None:
        self.events.append(_Event("text", self._at()))

    def handle_comment(self, data: str) -> None:
        self.events.append(_Event("comment", self._at()))

    def handle_decl(self, decl: str) -> None:
        self.events.append(_Event("decl", self._at()))

    def unknown_decl(self, data: str) -> None:
        self.events.append(_Event("decl", self._at()))

    def handle_pi(self, data: str) -> None:
        self.events.append(_Event("pi", self._at()))


def _tokens(content: str) -> list[tuple[_Event, int]] | None:
    """Each token of ``content`` with the offset where it ends, or None when the parser
    fails or leaves a part unreported."""
    starts = [0] + [m.end() for m in re.finditer("\n", content)]
    parser = _Recorder(starts)
    try:
        parser.feed(content)
        parser.close()
    except Exception:  # the parser's own assertions on malformed input: copy the block
        return None
    events = [e for e in parser.events if 0 <= e.start <= len(content)]
    if not events or events[0].start != 0:
        return None
    found: list[tuple[_Event, int]] = []
    for k, event in enumerate(events):
        end = events[k + 1].start if k + 1 < len(events) else len(content)
        if end < event.start:
            return None
        if end > event.start:
            found.append((event, end))
    return found


def _browser_end(content: str, event: _Event) -> int:
    """Where a browser ends the markup token starting at ``event.start`` (-1: unknown)."""
    pos = event.start
    if event.kind in {"start", "startend", "end"}:
        match = _TAG_RE.match(content, pos)
        return match.end() if match else -1
    if event.kind == "comment" and content.startswith("<!--", pos):
        if content.startswith(">", pos + 4):
            return pos + 5
        if content.startswith("->", pos + 4):
            return pos + 6
        ends = [i for i in (content.find("-->", pos + 4), content.find("--!>", pos + 4)) if i >= 0]
        if not ends:
            return -1
        first = min(ends)
        return first + (3 if content.startswith("-->", first) else 4)
    close = content.find(">", pos)  # a declaration, CDATA or instruction: a bogus comment
    return close + 1 if close >= 0 else -1


@dataclass(frozen=True, slots=True)
class _Place:
    """Maps offsets in the block's content to offsets in the article."""

    lines: LineTable
    first: int
    """Index of the block's first line in ``lines``."""
    content_starts: tuple[int, ...]
    """Offset in the content where each of the block's lines starts."""
    bases: tuple[int, ...]
    """Offset in the article of each content line's first character."""

    def line(self, offset: int) -> int:
        """Index (from 0) of the block's line holding content ``offset``."""
        return max(bisect_right(self.content_starts, offset) - 1, 0)

    def source(self, offset: int) -> int:
        k = self.line(offset)
        return self.bases[k] + offset - self.content_starts[k]


def _place(content: str, first: int, count: int, lines: LineTable) -> _Place | None:
    """Where each content line stands in the article: every content line must end its
    source line (NUL read as U+FFFD, as markdown-it does); None when one does not."""
    pieces = content.split("\n")
    if pieces and not pieces[-1]:
        pieces.pop()
    if len(pieces) != count or first + count > len(lines):
        return None
    starts, bases, pos = [], [], 0
    for k, piece in enumerate(pieces):
        raw = lines.raw(first + k)
        if not raw.replace("\x00", "\ufffd").endswith(piece):
            return None
        starts.append(pos)
        bases.append(lines.starts[first + k] + len(raw) - len(piece))
        pos += len(piece) + 1
    return _Place(lines, first, tuple(starts), tuple(bases))


@dataclass(slots=True)
class _Run:
    """Text and inline tags between two block boundaries (mutable, private)."""

    start: int = -1
    end: int = -1
    has_text: bool = False
    tags: list[_Event] | None = None


def html_block_segments(content: str, first: int, count: int, lines: LineTable) -> list[Segment]:
    """The segments of one HTML block: ``content`` is markdown-it's ``html_block``
    content, over ``count`` lines from line index ``first`` of ``lines`` (the article's
    line table). Spans are verified (see the module docstring); what cannot be verified
    is left out, so the block is copied. Segments come in source order, disjoint."""
    place = _place(content, first, count, lines)
    tokens = _tokens(content) if place is not None else None
    if place is None or tokens is None:
        return []
    out: list[Segment] = []
    run = _Run(tags=[])
    kept: list[str] = []
    """The open ``KEPT`` elements (names), innermost last."""
    kept_from = 0
    code = 0

    def flush() -> None:
        if run.start >= 0 and run.has_text:
            seg = _text_segment(content, run.start, run.end, place)
            if seg is not None:
                out.append(seg)
                run.tags = []
        for tag in run.tags or []:
            out.extend(_attribute_segments(tag, place))
        run.start, run.end, run.has_text, run.tags = -1, -1, False, []

    for event, end in tokens:
        if event.kind == "text":
            if kept and kept[-1] in {"script", "style"}:
                continue  # raw text: the parser reads it to its end tag, as a browser does
            piece = content[event.start : end]
            if _MARKUP_RE.search(piece):
                break  # markup the parser read as text: stop trusting it here
            if not kept:
                if run.start < 0:
                    run.start = event.start
                run.end = end
                if not code and html.unescape(piece).strip():
                    run.has_text = True
            continue
        if _browser_end(content, event) != end:
            break
        if kept:
            if event.kind == "end" and event.tag == kept[-1]:
                if event.tag == "script" and "<!--" in content[kept_from : event.start]:
                    break  # a script's <!-- can move where it ends: trust nothing after
                kept.pop()
            elif event.kind in {"start", "startend"} and event.tag == kept[-1]:
                kept.append(event.tag)
            continue
        name = event.tag
        if event.kind in {"start", "startend"} and name in KEPT:
            flush()
            if event.kind == "startend" and name in {"svg", "math"}:
                continue  # foreign elements honour "/>": nothing is opened
            kept.append(name)
            kept_from = end
            continue
        if event.kind in {"start", "startend", "end"} and name in INLINE:
            if run.start < 0:
                run.start = event.start
            run.end = end
            if event.kind != "end" and run.tags is not None:
                run.tags.append(event)
            if name == "code" and event.kind == "start":
                code += 1
            elif name == "code" and event.kind == "end":
                code = max(code - 1, 0)
            continue
        flush()
        code = 0
        if event.kind in {"start", "startend"}:
            out.extend(_attribute_segments(event, place))
    else:
        if not kept:
            flush()
    return out


def _text_segment(content: str, start: int, end: int, place: _Place) -> Segment | None:
    """The segment for a run ``content[start:end]`` (trimmed of whitespace), or None."""
    piece = content[start:end]
    start += len(piece) - len(piece.lstrip(_WS))
    end -= len(piece) - len(piece.rstrip(_WS))
    if start == 0 and "\n" in content[:end]:
        # A block that starts with an inline tag alone on its line (CommonMark's type 7)
        # stays one only while that line holds nothing else: keep the line out.
        start = content.index("\n") + 1
        start += len(content[start:end]) - len(content[start:end].lstrip(_WS))
        if not html.unescape(re.sub(r"<[^>]*>", "", content[start:end])).strip():
            return None
    if end <= start:
        return None
    text = place.lines.text
    src_start, src_end = place.source(start), place.source(end - 1) + 1
    if "\x00" in text[src_start:src_end]:
        return None
    msgid = _JOINT_RE.sub(" ", content[start:end])
    first_k, last_k = place.line(start), place.line(end - 1)
    first_line = place.first + first_k
    line_start = place.lines.starts[first_line]
    continuation = ""
    if last_k > first_k:
        k = first_k + 1
        row = content[place.content_starts[k] :].split("\n", 1)[0]
        indent = len(row) - len(row.lstrip(" \t"))
        continuation = text[place.lines.starts[place.first + k] : place.bases[k] + indent]
    width = 0
    if last_k > first_k:
        width = max(
            display_width(place.lines.raw(place.first + k).rstrip(" \t"))
            for k in range(first_k, last_k + 1)
        )
    return Segment(
        msgid=msgid,
        start=src_start,
        end=src_end,
        line=first_line + 1,
        kind=TEXT_KIND,
        context="",
        layout=Layout(
            mode="html",
            eol=place.lines.eol(first_line) or "\n",
            continuation=continuation,
            first_column=display_width(text[line_start:src_start]),
            wrap=last_k > first_k,
            at_line_start=False,
            width=width,
        ),
        markdown=False,
    )


def _attribute_segments(tag: _Event, place: _Place) -> list[Segment]:
    """Segments for the ``ATTRIBUTES`` of one start tag, verified against what the
    parser decoded (none when the tag's attributes cannot be matched one for one)."""
    name = re.match(r"<[^\t\n\f\r />]*", tag.raw)
    found = []
    at = name.end() if name else len(tag.raw)
    while True:
        match = _ATTRIBUTE_RE.match(tag.raw, at)
        if not match or match.end() == at:
            break
        found.append(match)
        at = match.end()
    if len(found) != len(tag.attrs):
        return []
    out = []
    for match, (key, value) in zip(found, tag.attrs, strict=True):
        group = next((g for g in ("dq", "sq", "uq") if match[g] is not None), "")
        raw_value = match[group] if group else None
        if match["name"].lower() != key or (raw_value is not None) != (value is not None):
            return []
        if raw_value is None or html.unescape(raw_value) != value:
            return []
        if key not in ATTRIBUTES or not raw_value.strip(_WS) or "\n" in raw_value:
            continue  # a value over several lines is copied (it would be re-flowed)
        start = tag.start + match.start(group) + len(raw_value) - len(raw_value.lstrip(_WS))
        end = tag.start + match.end(group) - (len(raw_value) - len(raw_value.rstrip(_WS)))
        text = place.lines.text
        src_start, src_end = place.source(start), place.source(end - 1) + 1
        if "\x00" in text[src_start:src_end]:
            continue
        first_line = place.first + place.line(start)
        out.append(
            Segment(
                msgid=raw_value.strip(_WS),
                start=src_start,
                end=src_end,
                line=first_line + 1,
                kind=ATTRIBUTE_KIND + key,
                context="",
                layout=Layout(
                    mode="attribute",
                    eol=place.lines.eol(first_line) or "\n",
                    quote={"dq": '"', "sq": "'"}.get(group, ""),
                    at_line_start=False,
                ),
                markdown=False,
            )
        )
    return out
