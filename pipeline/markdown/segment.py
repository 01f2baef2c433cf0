"""Markdown text → ``Document``: the translatable segments and where each stands.

It reads the block tokens of ``parse`` (the parsers) and never re-renders Markdown: every
segment records the exact character span of the source that holds its text, and the
invariant the rest of the pipeline relies on is

    document.text == skeleton[0] + seg[0].source + skeleton[1] + ... + skeleton[n]

where ``seg[i].source == text[seg[i].start:seg[i].end]`` and the spans are sorted and
disjoint. Rebuilding an article replaces spans and copies every other byte.

markdown-it-py gives block line maps but no columns, so spans are recovered from the
source and each one is verified against the parser's view of the text; a span that cannot
be verified is left out (its bytes are copied unchanged, untranslated) rather than
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from markdown_it.token import Token

from pipeline.errors import ConfigError, SourceError
from pipeline.locales import language
from pipeline.markdown.admonitions import admonition_title_segment
from pipeline.markdown.document import (
    BOM,
    EOT,
    SEGMENT_KEY,
    SEGMENT_MODES,
    Document,
    Layout,
    LineTable,
    Segment,
    SourceWarning,
    display_width,
)
from pipeline.markdown.frontmatter import opening_fence, scalars, toml_scalars, unclosed
from pipeline.markdown.html_blocks import html_block_segments
from pipeline.markdown.links import image_segments, reference_title_segment
from pipeline.markdown.parse import MAX_NESTING, parse_blocks, references_of, shape_of
from pipeline.markdown.tables import split_row, unescape_pipes

__all__ = ["Document", "Layout", "Segment", "segment_document"]

_ATX_CLOSE_RE = re.compile(r"(?:[ \t]+#+)?[ \t]*$")


@dataclass(slots=True)
class _Heading:
    start: int
    level: int
    text: str
    scope_end: int
    """Where the container holding the heading ends: it titles nothing past that."""


@dataclass(slots=True)
class _Builder:
    """Collects segments while walking the token stream (mutable, private)."""

    path: str
    lines: LineTable
    segments: list[Segment] = field(default_factory=list)
    headings: list[_Heading] = field(default_factory=list)
    note: str = ""
    """An ``i18n: note`` for the segments of the block being walked."""
    msgctxt: str | None = None
    """An ``i18n: context`` for the segments of the block being walked."""

    def add(self, seg: Segment) -> None:
        if EOT in seg.msgid:
            return  # no gettext catalog can hold it apart from a msgctxt: copied as is
        if self.note or self.msgctxt is not None:
            seg = replace(seg, note=self.note, msgctxt=self.msgctxt)
        self.segments.append(seg)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        lo, hi = 0, len(self.lines.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.lines.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


def segment_document(
    text: str,
    path: str,
    front_matter_keys: Sequence[str] = ("title", "description", "summary"),
    *,
    language_key: str = "lang",
) -> Document:
    """Split an article into its translatable segments.

    ``<!-- i18n: … -->`` directives (``DIRECTIVES``) keep blocks out of the segments or
    give their segments a note for translators or a msgctxt.

    Raises ``SourceError`` when the front matter (YAML between ``---`` lines, TOML
    between ``+++`` lines) is not closed, not valid or not a mapping, or when an
    ``i18n:`` comment is not a well-placed directive (at its line). Every other input
    is accepted: constructs whose text cannot be located verifiably stay untranslatable,
    and blocks nested past ``MAX_NESTING`` are ``Document.warnings``.
    """
    offset = 1 if text.startswith(BOM) else 0
    body = text[offset:]
    tokens, env = parse_blocks(body)
    fence = opening_fence(body)
    has_front_matter = bool(tokens) and tokens[0].type == "front_matter"
    if fence and not has_front_matter:
        raise unclosed(fence, path)
    lines = LineTable(text, offset)
    builder = _Builder(path, lines)
    _walk(tokens, builder)
    _reference_titles(env, builder)
    mode = lang = ""
    if has_front_matter and tokens[0].map:
        mode, lang = _front_matter(
            tokens[0].map, builder, front_matter_keys, language_key, toml=fence == "+++"
        )
    segments = sorted(builder.segments, key=lambda s: s.start)
    segments = _drop_overlaps(segments)
    segments = _with_context(segments, builder.headings)
    return Document(
        path,
        text,
        tuple(segments),
        shape_of(tokens),
        tuple(front_matter_keys),
        references_of(env),
        _nesting_warnings(tokens, path),
        mode,
        lang,
    )


def _nesting_warnings(tokens: Sequence[Token], path: str) -> tuple[SourceWarning, ...]:
    found = []
    for tok in tokens:
        if tok.type == "too_deep" and tok.map:
            first, end = tok.map[0] + 1, tok.map[1]
            lines = f"line {first} is" if end == first else f"lines {first}-{end} are"
            found.append(
                SourceWarning(
                    f"lists or quotes nested too deeply to translate: {lines} copied "
                    "untranslated and not offered to translators",
                    path=path,
                    line=first,
                    hint=f"nest less deeply (the limit is {MAX_NESTING} levels; a list level "
                    "counts two, a block quote one)",
                )
            )
    return tuple(found)


def _drop_overlaps(segments: list[Segment]) -> list[Segment]:
    kept: list[Segment] = []
    for seg in segments:
        if seg.end <= seg.start:
            continue
        if kept and seg.start < kept[-1].end:
            continue  # cannot happen for verified spans; never splice twice into one span
        kept.append(seg)
    return kept


def _with_context(segments: list[Segment], headings: list[_Heading]) -> list[Segment]:
    """Fill each segment's ``context`` with the heading path in force at its position."""
    headings = sorted(headings, key=lambda h: h.start)
    levels = {h.start: h.level for h in headings}
    out: list[Segment] = []
    stack: list[_Heading] = []
    hi = 0
    for seg in segments:
        while hi < len(headings) and headings[hi].start < seg.start:
            head = headings[hi]
            # A heading inside a list item or quote never ends a section outside it.
            while stack and stack[-1].level >= head.level and stack[-1].scope_end <= head.scope_end:
                stack.pop()
            stack.append(head)
            hi += 1
        stack = [h for h in stack if h.scope_end > seg.start]
        own = levels.get(seg.start)
        outer = [h for h in stack if own is None or h.level < own]
        context = " > ".join(_short(h.text) for h in outer)
        out.append(_replace_context(seg, context))
    return out


def _replace_context(seg: Segment, context: str) -> Segment:
    return replace(seg, context=context)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Walk:
    """Where a walk over an article's block tokens is: the containers it is inside."""

    b: _Builder
    containers: list[str]
    """Kinds of the open containers (``block quote``, ``list item``…), outermost first."""
    scopes: list[int]
    """Where each open container ends (a text offset)."""
    everything: int
    """The article's length: the scope outside every container."""
    pending: list[tuple[str, str, int]] = field(default_factory=list)
    """``i18n:`` directives waiting for the next block: (verb, text, line)."""
    skipping: int = 0
    """The line of an open ``i18n: skip-start`` (0: none)."""
    noted_until: int = 0
    """Index of the token past the block the builder's note applies to."""


Handler = Callable[[Sequence[Token], int, _Walk], int]
"""A construct's handler: given the tokens and the index of the construct's opening
token, segment what it holds and return the index of the next token to look at."""


def _walk(tokens: Sequence[Token], b: _Builder) -> None:
    """Segment ``tokens`` (markdown-it's block tokens) by dispatching each opening token
    to its construct's handler (``HANDLERS``); tokens without one are skipped."""
    walk = _Walk(b, [], [], len(b.lines.text))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "html_block" and _directive(tok, walk):
            i += 1
            continue
        if walk.skipping:
            i += 1  # inside skip-start … skip-end: copied as it is
            continue
        if walk.pending and _starts_block(tok):
            end = _block_end(tokens, i)
            verbs = [verb for verb, _, _ in walk.pending]
            notes = [text for verb, text, _ in walk.pending if verb == "note"]
            contexts = [(text, line) for verb, text, line in walk.pending if verb == "context"]
            walk.pending.clear()
            if "skip" in verbs:
                i = end
                continue
            if len(contexts) > 1:
                raise _directive_error(
                    b.path,
                    contexts[1][1],
                    "a block has one 'i18n: context'; this is its second",
                    "keep one context directive before the block",
                )
            b.note, walk.noted_until = "\n".join(notes), end
            b.msgctxt = contexts[0][0] if contexts else None
        if walk.noted_until and i >= walk.noted_until:
            b.note, b.msgctxt, walk.noted_until = "", None, 0
        handler = HANDLERS.get(tok.type)
        i = handler(tokens, i, walk) if handler is not None else i + 1
    if walk.skipping:
        raise _directive_error(
            b.path,
            walk.skipping,
            "'i18n: skip-start' has no 'i18n: skip-end' after it",
            "add a line <!-- i18n: skip-end --> where the skipped part ends",
        )
    if walk.pending:
        verb, _, line = walk.pending[0]
        raise _directive_error(
            b.path,
            line,
            f"'i18n: {verb}' has no block after it",
            "put the directive on the line before the block it is about, or delete it",
        )


_DIRECTIVE_RE = re.compile(r"\s*<!--\s*i18n:((?:(?!-->).)*)-->\s*", re.S)
_MENTIONS_RE = re.compile(r"<!--\s*i18n:")
DIRECTIVES = ("skip", "skip-start", "skip-end", "note", "context")
"""The ``<!-- i18n: … -->`` directives an editor may write before a block."""
_WITH_TEXT = frozenset({"note", "context"})


def _directive(tok: Token, walk: _Walk) -> bool:
    """Read ``tok`` (an HTML block) as a directive and act on it; False when it is not
    one. ``SourceError`` when it is an ``i18n:`` comment that is not a directive."""
    line = (tok.map[0] if tok.map else 0) + 1
    match = _DIRECTIVE_RE.fullmatch(tok.content)
    if match is None:
        if _MENTIONS_RE.search(tok.content):
            raise _directive_error(
                walk.b.path,
                line,
                "an 'i18n:' directive must be alone in its HTML comment, on lines of its own",
                "write it as <!-- i18n: skip --> on the line before the block it is about",
            )
        return False
    verb, _, text = match[1].strip().partition(" ")
    text = " ".join(text.split())
    if verb not in DIRECTIVES or (verb in _WITH_TEXT) != bool(text) or EOT in text:
        shown = match[1].strip()
        raise _directive_error(
            walk.b.path,
            line,
            f"'i18n: {shown}' is not a directive",
            "the directives are: i18n: skip, i18n: skip-start, i18n: skip-end, "
            "i18n: note TEXT, i18n: context TEXT",
        )
    if walk.skipping and verb != "skip-end":
        return True  # inside a skipped range, a directive is skipped too
    if verb == "skip-start":
        walk.skipping = line
    elif verb == "skip-end":
        if not walk.skipping:
            raise _directive_error(
                walk.b.path,
                line,
                "'i18n: skip-end' without an 'i18n: skip-start' before it",
                "add <!-- i18n: skip-start --> where the skipped part begins, or delete it",
            )
        walk.skipping = 0
    else:
        walk.pending.append((verb, text, line))
    return True


def _directive_error(path: str, line: int, message: str, hint: str) -> SourceError:
    return SourceError(message, path=path, line=line, hint=hint)


def _starts_block(tok: Token) -> bool:
    """``tok`` opens a block (a paragraph, a list, a fence…) a reader sees, not closes
    one: an HTML block that is only a comment is no block a directive can be about."""
    if tok.type == "html_block" and _COMMENT_RE.fullmatch(tok.content):
        return False
    return tok.block and tok.type != "inline" and tok.nesting >= 0


_COMMENT_RE = re.compile(r"\s*<!--(?:(?!-->).)*-->\s*", re.S)


def _block_end(tokens: Sequence[Token], i: int) -> int:
    """The index past the block ``tokens[i]`` opens (its closing token included)."""
    level = 0
    for j in range(i, len(tokens)):
        level += tokens[j].nesting
        if level <= 0:
            return j + 1
    return len(tokens)


def _open_container(tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    tok = tokens[i]
    walk.containers.append(_CONTAINER_KINDS[tok.type])
    lines = walk.b.lines
    end_line = tok.map[1] if tok.map else len(lines)
    walk.scopes.append(lines.starts[end_line] if end_line < len(lines) else walk.everything)
    return i + 1


def _close_container(_tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    if walk.containers:
        walk.containers.pop()
        walk.scopes.pop()
    return i + 1


def _on_heading(tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    if i + 1 < len(tokens):
        _heading(
            tokens[i], tokens[i + 1], walk.b, walk.scopes[-1] if walk.scopes else walk.everything
        )
    return i + 1


def _on_paragraph(tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    if i + 1 < len(tokens):
        _paragraph(tokens[i + 1], walk.containers[-1] if walk.containers else "paragraph", walk.b)
    return i + 1


def _on_table_row(tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    return _table_row(tokens, i, walk.b) if tokens[i].map else i + 1


def _on_html_block(tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    first, end = tokens[i].map or (0, 0)  # no map: no lines, no segments
    for seg in html_block_segments(tokens[i].content, first, end - first, walk.b.lines):
        walk.b.add(seg)
    return i + 1


def _on_admonition(tokens: Sequence[Token], i: int, walk: _Walk) -> int:
    """An admonition: its quoted title a segment, its body a container of blocks."""
    _open_container(tokens, i, walk)
    tok = tokens[i]
    if i + 2 < len(tokens) and tokens[i + 1].type == "admonition_title_open" and tok.map:
        title = tokens[i + 2]
        first = tok.map[0]
        lines = walk.b.lines
        seg = admonition_title_segment(
            lines.raw(first), lines.starts[first], first + 1, title.content
        )
        if seg is not None:
            walk.b.add(seg)
        return i + 4  # past the title's open, inline and close tokens
    return i + 1


_CONTAINER_KINDS = {
    "blockquote_open": "block quote",
    "list_item_open": "list item",
    "footnote_open": "footnote",
    "admonition_open": "admonition",
}

HANDLERS: Mapping[str, Handler] = MappingProxyType(
    {
        **dict.fromkeys(_CONTAINER_KINDS, _open_container),
        "blockquote_close": _close_container,
        "list_item_close": _close_container,
        "footnote_close": _close_container,
        "admonition_open": _on_admonition,
        "admonition_close": _close_container,
        "heading_open": _on_heading,
        "paragraph_open": _on_paragraph,
        "tr_open": _on_table_row,
        "html_block": _on_html_block,
    }
)
"""Each construct's handler by the type of its opening token (markdown-it-py's
``rules_block`` table is the model): a new construct is a new handler and a new row."""


@dataclass(frozen=True, slots=True)
class _LineSpan:
    line: int
    start: int
    end: int


def _locate_lines(
    inline: Token, first_line: int, count: int, b: _Builder
) -> list[_LineSpan] | None:
    """Find each line's text of a multi-line inline block, anchored at the line's end.

    Container prefixes are always on the left of a line, so the parser's line text must
    end the raw line (before trailing blanks). Returns None when any line fails that test.
    """
    fragments = inline.content.split("\n")
    if len(fragments) != count:
        return None
    spans = []
    for k, frag in enumerate(fragments):
        i = first_line + k
        if i >= len(b.lines):
            return None
        want = frag.strip(" \t")
        if not want:
            return None
        raw = b.lines.raw(i).rstrip(" \t")
        if not raw.replace("\x00", "\ufffd").endswith(want):
            return None
        start = b.lines.starts[i] + len(raw) - len(want)
        spans.append(_LineSpan(i, start, start + len(want)))
    return spans


def _paragraph(inline: Token, kind: str, b: _Builder) -> None:
    if not inline.map or not inline.content:
        return
    first, last = inline.map
    spans = _locate_lines(inline, first, last - first, b)
    if spans is None:
        return
    children = list(inline.children or [])
    text = b.lines.text
    if kind == "block quote" and _ALERT_RE.fullmatch(text[spans[0].start : spans[0].end]):
        # A GitHub alert's marker ("> [!NOTE]") must stay alone on its line, or the quote
        # is no alert: it is no part of the message.
        if len(spans) == 1:
            return
        cut = next((k for k, c in enumerate(children) if c.type in _BREAKS), None)
        if cut is None or children[cut].type != "softbreak":
            return
        spans, children = spans[1:], children[cut + 1 :]
    if kind == "list item":
        box = _TASK_RE.match(text, spans[0].start)
        prefix = text[b.lines.starts[spans[0].line] : spans[0].start]
        if box and box.end() < spans[0].end and _ITEM_START_RE.fullmatch(prefix):
            # a task list's box ("- [ ] ", "- [x] ") is the reader's checkbox, not text
            spans[0] = _LineSpan(spans[0].line, box.end(), spans[0].end)
    if len(spans) > 1 and _IAL_LINE_RE.fullmatch(text[spans[-1].start : spans[-1].end]):
        # kramdown's block attribute list ("{: .note}") on the paragraph's last line
        cut = max((k for k, c in enumerate(children) if c.type in _BREAKS), default=None)
        if cut is not None and children[cut].type == "softbreak":
            spans, children = spans[:-1], children[:cut]
    if _standalone_image(children, spans, b):
        return
    _flow_segment(spans, children, kind, b)


_BREAKS = frozenset({"softbreak", "hardbreak"})
_ALERT_RE = re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", re.IGNORECASE)
"""A GitHub alert's marker, the first line of its block quote (also read by mdBook and
Hugo)."""
_TASK_RE = re.compile(r"\[[ xX]\][ \t]+")
_ITEM_START_RE = re.compile(r"[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]+")
"""What precedes the first line of a list item's text: quotes, indentation, the marker."""
_IAL_LINE_RE = re.compile(r"\{:[^{}\n]*\}")
"""A kramdown block attribute list alone on a line (``{: .note}``, ``{: #id}``)."""
_HEADING_ATTRS_RE = re.compile(r"[ \t]+\{[#.:][^{}]*\}\Z")
"""An attribute list ending a heading (``{#install}``, ``{: #id .class}``, ``{.class}``):
the anchor a link elsewhere points to, not text."""


def _flow_segment(
    spans: list[_LineSpan], children: Sequence[Token], kind: str, b: _Builder, *, heading: str = ""
) -> str | None:
    """Add a paragraph-like segment over ``spans``; return its msgid (None if skipped)."""
    text = b.lines.text
    joints = _joints(spans, children, b)
    raw_lines = joints is None
    parts: list[str] = []
    hard_styles: list[str] = []
    for k, span in enumerate(spans):
        piece = text[span.start : span.end]
        if k < len(spans) - 1:
            if raw_lines:
                trail = text[span.end : b.lines.content_end[span.line]]
                parts.append(piece + trail + "\n")
                continue
            assert joints is not None
            joint = joints[k]
            if joint == "backslash":
                parts.append(piece[:-1] + "\n")
                hard_styles.append("\\")
            elif joint == "spaces":
                parts.append(piece + "\n")
                hard_styles.append(text[span.end : b.lines.content_end[span.line]])
            else:
                parts.append(piece + " ")
        else:
            parts.append(piece)
    msgid = "".join(parts)
    if "\x00" in msgid:
        return None
    first, lastspan = spans[0], spans[-1]
    start_line = first.line
    prefix = text[b.lines.starts[start_line] : first.start]
    continuation = _continuation_prefix(spans, prefix, b)
    soft = not raw_lines and joints is not None and "soft" in joints
    # Each wrapped paragraph keeps its own width: one long line elsewhere in the article
    # must not re-wrap it.
    width = max(display_width(b.lines.raw(s.line).rstrip(" \t")) for s in spans) if soft else 0
    layout = Layout(
        mode="flow",
        eol=b.lines.eol(start_line) or "\n",
        continuation=continuation,
        first_column=display_width(prefix),
        wrap=soft,
        hard_breaks=tuple(hard_styles),
        at_line_start=True,
        raw_lines=raw_lines,
        width=width,
    )
    b.add(
        Segment(
            msgid=msgid,
            start=first.start,
            end=lastspan.end,
            line=b.line_of(first.start),
            kind=heading or kind,
            context="",
            layout=layout,
        )
    )
    return msgid


def _joints(spans: list[_LineSpan], children: Sequence[Token], b: _Builder) -> list[str] | None:
    """Classify each line joint as ``soft``, ``spaces`` or ``backslash`` (hard breaks).

    A joint is a hard-break candidate when its line ends in two spaces or an unescaped
    backslash. The parser's ``hardbreak`` tokens must account for every candidate;
    otherwise some candidate sits inside a code span or HTML, and the joints cannot be
    told apart (None: keep the source's line breaks in the msgid).
    """
    text = b.lines.text
    candidates = []
    for span in spans[:-1]:
        trail = text[span.end : b.lines.content_end[span.line]]
        piece = text[span.start : span.end]
        backslashes = len(piece) - len(piece.rstrip("\\"))
        if trail.endswith("  ") and not trail.strip(" "):
            candidates.append("spaces")
        elif not trail and backslashes % 2 == 1:
            candidates.append("backslash")
        else:
            candidates.append("soft")
    hard = sum(1 for c in children if c.type == "hardbreak")
    if hard != sum(1 for c in candidates if c != "soft"):
        return None
    return candidates


def _continuation_prefix(spans: list[_LineSpan], prefix: str, b: _Builder) -> str:
    """The prefix for lines a translation adds: a source continuation line's, if any.

    Lazy continuation lines (no prefix where the first line has one) are valid Markdown
    but not a style to copy. Without a usable one, the first line's prefix with its list
    or footnote marker blanked keeps the added lines inside the same containers
    (``> - `` → ``>   ``).
    """
    text = b.lines.text
    depth = prefix.count(">")
    for span in spans[1:]:
        cont = text[b.lines.starts[span.line] : span.start]
        lazy = not cont and bool(prefix)
        if cont.count(">") == depth and not lazy:
            return cont
    return re.sub(r"[^>\s]", " ", re.sub(r"\[\^[^\]]*\]:", lambda m: " " * len(m[0]), prefix))


def _heading(open_tok: Token, inline: Token, b: _Builder, scope_end: int) -> None:
    if not inline.map or not inline.content:
        return
    level = int(open_tok.tag[1:])
    first = inline.map[0]
    kind = f"heading {level}"
    if open_tok.markup in {"=", "-"}:
        count = len(inline.content.split("\n"))
        spans = _locate_lines(inline, first, count, b)
        if spans is None:
            return
        msgid = _flow_segment(spans, inline.children or [], kind, b, heading=kind)
        if msgid is not None:
            b.headings.append(_Heading(spans[0].start, level, msgid, scope_end))
        return
    raw = b.lines.raw(first)
    content = inline.content
    pos = raw.rfind(content)
    if pos < 0 or "\x00" in content:
        return
    before, after = raw[:pos], raw[pos + len(content) :]
    if not _ATX_CLOSE_RE.fullmatch(after) or not re.search(r"#{1,6}[ \t]+$", before):
        return
    start = b.lines.starts[first] + pos
    attrs = _HEADING_ATTRS_RE.search(content)
    if attrs and attrs.start() > 0:
        content = content[: attrs.start()]
    b.headings.append(_Heading(start, level, content, scope_end))
    b.add(
        Segment(
            msgid=content,
            start=start,
            end=start + len(content),
            line=first + 1,
            kind=kind,
            context="",
            layout=Layout(mode="line", eol=b.lines.eol(first) or "\n", at_line_start=False),
        )
    )


def _table_row(tokens: Sequence[Token], i: int, b: _Builder) -> int:
    """Add the cells of the row opened at ``tokens[i]``; return the index after the row."""
    row_open = tokens[i]
    assert row_open.map is not None
    line = row_open.map[0]
    header = False
    cells: list[str] = []
    j = i + 1
    while j < len(tokens) and tokens[j].type != "tr_close":
        if tokens[j].type == "inline":
            cells.append(tokens[j].content)
        elif tokens[j].type == "th_open":
            header = True
        j += 1
    raw = b.lines.raw(line)
    located = split_row(raw)
    if located is None:
        return j + 1
    for k, content in enumerate(cells):
        if k >= len(located) or not content:
            continue
        cstart, cend = located[k]
        piece = raw[cstart:cend]
        if unescape_pipes(piece) != content or "\x00" in piece:
            continue
        start = b.lines.starts[line] + cstart
        b.add(
            Segment(
                msgid=piece,
                start=start,
                end=start + len(piece),
                line=line + 1,
                kind="table header" if header else "table cell",
                context="",
                layout=Layout(
                    mode="cell",
                    eol=b.lines.eol(line) or "\n",
                    at_line_start=cstart == 0,
                ),
            )
        )
    return j + 1


def _standalone_image(children: Sequence[Token], spans: list[_LineSpan], b: _Builder) -> bool:
    """An image alone in its paragraph gives alt and title segments instead of a paragraph.

    The image URL is no translator's business, so the paragraph itself is not a segment.
    Returns False (treat as a paragraph) when the image's parts cannot be located.
    """
    types = [c.type for c in children]
    if types == ["image"]:
        image = children[0]
    elif types == ["link_open", "image", "link_close"]:
        image = children[1]
    else:
        return False
    if len(spans) != 1:
        return False
    span = spans[0]
    title = image.attrGet("title")
    found = image_segments(
        b.lines.text[span.start : span.end],
        span.start,
        span.line + 1,
        image.content,
        title if isinstance(title, str) else "",
    )
    if found is None:
        return False
    for seg in found:
        b.add(seg)
    return True


def _reference_titles(env: dict[str, object], b: _Builder) -> None:
    """Titles of link reference definitions (single-line titles only)."""
    refs = env.get("references")
    if not isinstance(refs, dict):
        return
    for ref in refs.values():
        title, where = ref.get("title"), ref.get("map")
        if not title or not where:
            continue
        last = where[1] - 1
        seg = reference_title_segment(b.lines.raw(last), b.lines.starts[last], last + 1, title)
        if seg is not None:
            b.add(seg)


def _front_matter(
    where: list[int], b: _Builder, keys: Sequence[str], language_key: str, *, toml: bool
) -> tuple[str, str]:
    """Segments for the values of the configured front-matter keys; returns the
    article's ``SEGMENT_KEY`` value and its language (``language_key``, a CLDR code),
    each empty when it gives none. ``SourceError`` when the first is none of
    ``SEGMENT_MODES`` or the second no language CLDR knows."""
    first_line, end_line = where[0] + 1, where[1] - 1
    if end_line <= first_line:
        return "", ""
    base = b.lines.starts[first_line]
    source = b.lines.text[base : b.lines.starts[end_line]]
    read = toml_scalars if toml else scalars
    mode = lang = ""
    wanted = (*keys, SEGMENT_KEY, language_key)
    for scalar in read(source, wanted, path=b.path, first_line=first_line + 1):
        if scalar.key == language_key and not lang:
            lang = _article_language(scalar.value, b, b.line_of(base + scalar.start))
            if language_key not in keys:
                continue
        if scalar.key == SEGMENT_KEY and not mode:
            mode = scalar.value.strip()
            if mode not in SEGMENT_MODES:
                raise SourceError(
                    f"{SEGMENT_KEY}: '{mode}' is not a way to segment an article",
                    path=b.path,
                    line=b.line_of(base + scalar.start),
                    hint=f"write {SEGMENT_KEY}: sentence or {SEGMENT_KEY}: paragraph",
                )
            if SEGMENT_KEY not in keys:
                continue
        msgid = scalar.value.strip()
        if not msgid:
            continue
        start = base + scalar.start
        line = b.line_of(start)
        b.add(
            Segment(
                msgid=msgid,
                start=start,
                end=base + scalar.end,
                line=line,
                kind=f"front matter: {scalar.key}",
                context="",
                layout=Layout(
                    mode="toml" if toml else "yaml",
                    quote=scalar.style,
                    eol=b.lines.eol(line - 1) or "\n",
                    at_line_start=False,
                ),
                markdown=False,
                field=scalar.key,
            )
        )
    return mode, lang


def _article_language(value: str, b: _Builder, line: int) -> str:
    """The CLDR code an article's language key names; ``SourceError`` at ``line``."""
    try:
        return language(value.strip()).code
    except ConfigError as exc:
        raise SourceError(
            f"the article's language: {exc.message}",
            path=b.path,
            line=line,
            hint="write a language code CLDR knows (az, ka, ru, en), or remove the key",
        ) from None
