"""Localized article = the source with each translation spliced into its segment's span.

Every byte outside a translated span is copied from the source. A translation is written
so that it cannot change the document's structure: text that would start a block at a
line start is escaped, and re-wrapping never breaks a line before such text. The result
is then verified by segmenting it again: the block structure must equal the source's and
every translated span must read back as the text written there. A translation that fails
is replaced by its source text and reported as a ``Fallback``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from pipeline.errors import SourceError
from pipeline.markdown.document import BOM, Document, LineTable, Segment, char_width, display_width
from pipeline.markdown.frontmatter import format_toml_string, format_yaml_scalar, with_flag
from pipeline.markdown.parse import block_starts
from pipeline.markdown.references import keep_references
from pipeline.markdown.segment import segment_document
from pipeline.publish.html_blocks import write_attribute, write_html_text

MIN_WRAP_WIDTH = 20
"""Never wrap narrower than this, however deep the containers (a source width of 8 in a
five-level quote would otherwise put one word per line)."""


@dataclass(frozen=True, slots=True)
class Fallback:
    """A translation that was not published because writing it broke the article."""

    segment: Segment
    """The segment whose source text was kept."""
    reason: str
    """Why, in words for the user."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A localized article and what happened to each translation."""

    text: str
    """The article with translations spliced in."""
    translated: int
    """Segments written with a translation (or whose translation equals the source)."""
    fallbacks: tuple[Fallback, ...]
    """Translations that broke the article and were replaced by the source text."""


@dataclass(frozen=True, slots=True)
class _Write:
    text: str
    """What replaces the span."""
    expected: str
    """The msgid that segmenting the output must find in the span."""


def render(
    doc: Document, translations: Mapping[str, str], *, rewrite_identical: bool = False
) -> Rendered:
    """Splice ``translations`` (message key, ``Segment.key`` → publishable msgstr) into
    ``doc``.

    Segments without a translation keep their source text. A translation equal to its
    msgid keeps the source bytes exactly, so an identity catalog rebuilds the source;
    ``rewrite_identical`` sends it through the writer instead (tests use it to prove
    that the writer, not only that shortcut, keeps every text where it stood). A
    shortcut or collapsed reference link whose text a translation changed is written as
    a full reference (``references.keep_references``), so the link survives.
    """
    writes: dict[int, _Write] = {}
    bad: dict[int, str] = {}
    same = 0
    for i, seg in enumerate(doc.segments):
        msgstr = _sentences(doc, seg, translations) if seg.sentences else translations.get(seg.key)
        if not msgstr:
            continue
        if msgstr == seg.msgid and not rewrite_identical:
            same += 1
            continue
        if seg.markdown:
            msgstr = keep_references(seg.msgid, msgstr, doc.references)
        if seg.layout.mode == "admonition" and _balance_brackets(msgstr) != msgstr:
            # Without the admonition extension the title line and the body are one
            # paragraph: "[x" here and "](javascript:…)" there would make a link.
            bad[i] = UNBALANCED
            continue
        write = write_segment(doc, seg, msgstr) if msgstr.strip() else None
        if write and write.text.strip() and write.expected.strip():
            writes[i] = write
        else:  # the segment would vanish: no parse is needed to know that
            bad[i] = EMPTY
    bad.update(_find_failures(doc, writes))
    fallbacks = tuple(Fallback(doc.segments[i], reason) for i, reason in sorted(bad.items()))
    kept = {i: write for i, write in writes.items() if i not in bad}
    return Rendered(_assemble(doc, kept), same + len(kept), fallbacks)


def _sentences(doc: Document, seg: Segment, translations: Mapping[str, str]) -> str | None:
    """Sentence mode: the paragraph rebuilt from its sentences' translations (a sentence
    without one keeps its source text) and the source's joiners; None when no sentence
    is translated."""
    found = [translations.get(m.key) for m in seg.messages]
    if not any(found):
        return None
    return seg.joined(
        [
            keep_references(m.msgid, text, doc.references) if text else m.msgid
            for m, text in zip(seg.messages, found, strict=True)
        ]
    )


EMPTY = "has no text once its spaces and line breaks are removed"
STRUCTURE = "changes the document's block structure"
MISREAD = "does not read back as written (Markdown in it changes the text)"
TOGETHER = "breaks the article together with others"
UNBALANCED = (
    "has a bracket that is not closed: in a renderer without admonitions it would join "
    "the text below it"
)
_FRONT_MATTER = frozenset({"yaml", "toml"})
_EOL_RE = re.compile(r"\r\n|\r|\n")


def _assemble(doc: Document, writes: Mapping[int, _Write]) -> str:
    parts: list[str] = []
    pos = 0
    for i in sorted(writes):
        seg = doc.segments[i]
        parts.append(doc.text[pos : seg.start])
        parts.append(writes[i].text)
        pos = seg.end
    parts.append(doc.text[pos:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What segmenting a rebuilt article again found."""

    misread: dict[int, str]
    """Writes whose text reads back differently while the block structure held."""
    broken: str = ""
    """Why the article broke where no write can be named from this parse ("" if not)."""
    near: frozenset[int] = frozenset()
    """Segments at or next to the differences (filled only when asked to locate them)."""

    @property
    def sound(self) -> bool:
        return not self.misread and not self.broken


def _find_failures(doc: Document, writes: Mapping[int, _Write]) -> dict[int, str]:
    """Indices of ``writes`` that break the article, with the reason for each.

    The whole article is rebuilt and segmented again; when it is sound (the usual case)
    that one parse is all. When it is not, the differences are located and each place
    is verified on its own: its top-level blocks and their neighbours (markdown-it's
    block maps), a few lines parsed a few times instead of the whole article once per
    rejected write. The writes found guilty there are dropped and the whole article is
    verified again, until it is sound: the output is always verified whole. A failure
    that no place explains is found by halving the writes over the whole article.
    """
    bad: dict[int, str] = {}
    pending = dict(writes)
    while pending:
        verdict = _verify(doc, pending, locate=True)
        if verdict.sound:
            break
        found = verdict.misread or _local_failures(doc, pending, verdict.near)
        if not found:
            found = _halving(doc, pending, verdict)
        bad.update(found)
        for i in found:
            pending.pop(i, None)
    return bad


def _halving(
    doc: Document, writes: Mapping[int, _Write], verdict: _Verdict | None = None
) -> dict[int, str]:
    """The writes that break ``doc``, found by halving the set of writes."""
    bad: dict[int, str] = {}
    pending = dict(writes)
    while pending:
        if verdict is None:
            verdict = _verify(doc, pending)
        if verdict.sound:
            break
        found = verdict.misread or _bisect(doc, pending, verdict)
        if not found:  # the translations only break the article together
            found = dict.fromkeys(pending, TOGETHER)
        bad.update(found)
        for i in found:
            pending.pop(i, None)
        verdict = None
    return bad


def _bisect(doc: Document, writes: dict[int, _Write], verdict: _Verdict) -> dict[int, str]:
    """Find the writes that change the block structure, halving the set each time."""
    if verdict.sound:
        return {}
    if verdict.misread:
        return verdict.misread
    if len(writes) == 1:
        return dict.fromkeys(writes, verdict.broken)
    keys = sorted(writes)
    half = len(keys) // 2
    left = {k: writes[k] for k in keys[:half]}
    right = {k: writes[k] for k in keys[half:]}
    return _bisect(doc, left, _verify(doc, left)) | _bisect(doc, right, _verify(doc, right))


def _verify(doc: Document, writes: Mapping[int, _Write], *, locate: bool = False) -> _Verdict:
    """Segment the article rebuilt with ``writes`` and compare it with ``doc``.

    Sound when the block structure is the source's and every segment reads back as
    the text written there (or as its source text). With ``locate``, a broken verdict
    also names the segments near the differences.
    """
    if not writes:
        return _Verdict({})
    text = _assemble(doc, writes)
    try:
        out = segment_document(text, doc.path, doc.front_matter_keys)
    except SourceError:
        values = [i for i in writes if doc.segments[i].layout.mode in _FRONT_MATTER]
        kind = doc.segments[values[0]].layout.mode.upper() if values else "YAML"
        reason = f"makes the front matter invalid {kind}"
        if len(values) == 1:
            return _Verdict({values[0]: reason})
        return _Verdict({}, reason, frozenset(values))  # which value did it: not known
    if out.shape == doc.shape and len(out.segments) == len(doc.segments):
        bad = {}
        for i, seg in enumerate(doc.segments):
            got = out.segments[i]
            want = writes[i].expected if i in writes else seg.msgid
            if _loose(got.msgid) != _loose(want) or got.kind != seg.kind:
                if i not in writes:
                    break
                bad[i] = MISREAD
        else:
            return _Verdict(bad)
    return _Verdict({}, STRUCTURE, _differences(doc, writes, out) if locate else frozenset())


def _differences(doc: Document, writes: Mapping[int, _Write], out: Document) -> frozenset[int]:
    """Source segments whose text is not where it should be in ``out``, or next to text
    ``out`` has and the source does not.

    Each segment is expected on its source line moved by the lines the writes before it
    add or remove, with its kind, reading back as what was written there.
    """
    expected: dict[int, list[int]] = {}
    lines: list[int] = []
    shift = 0
    for i, seg in enumerate(doc.segments):
        line = seg.line + shift
        expected.setdefault(line, []).append(i)
        lines.append(line)
        if i in writes:
            written = len(_EOL_RE.findall(writes[i].text))
            shift += written - len(_EOL_RE.findall(doc.source_of(seg)))
    found: dict[int, list[Segment]] = {}
    for got in out.segments:
        found.setdefault(got.line, []).append(got)
    near: set[int] = set()
    for line, group in expected.items():
        have = found.get(line, [])
        if len(have) != len(group) or any(
            got.kind != doc.segments[i].kind
            or _loose(got.msgid)
            != _loose(writes[i].expected if i in writes else doc.segments[i].msgid)
            for i, got in zip(group, have, strict=True)
        ):
            near.update(group)
    for line in found.keys() - expected.keys():
        near.add(max(bisect_right(lines, line) - 1, 0))
    return frozenset(near)


def _local_failures(
    doc: Document, writes: Mapping[int, _Write], near: frozenset[int]
) -> dict[int, str]:
    """The writes that break the article where it differs, each place verified alone.

    A place is a top-level block holding segments in ``near``, parsed with the block
    before and the block after it as context, and with the writes there that are not
    suspected in other places. Those not in ``near`` are verified first; then the ones
    in ``near`` in this block are added one at a time, and a write is refused when
    adding it to those already accepted breaks the place. A place whose source does
    not segment alone as it does in the article (a reference defined elsewhere, say)
    is skipped: the caller verifies the whole article in any case.
    """
    offsets = _block_offsets(doc.text)
    starts = [seg.start for seg in doc.segments]
    blocks: dict[int, set[int]] = {}
    for i in near:
        if i in writes:
            blocks.setdefault(bisect_right(offsets, doc.segments[i].start) - 1, set()).add(i)
    bad: dict[int, str] = {}
    for block, suspects in sorted(blocks.items()):
        a = offsets[max(block - 1, 0)]
        b = offsets[block + 2] if block + 2 < len(offsets) else len(doc.text)
        inside = list(range(bisect_left(starts, a), bisect_left(starts, b)))
        sub = _window(doc, a, b, inside)
        if sub is None:
            continue
        local = {
            k: writes[i]
            for k, i in enumerate(inside)
            if i in writes and (i in suspects or i not in near)
        }
        judged = {k for k, i in enumerate(inside) if i in suspects}
        found = _greedy(sub, local, judged)
        bad.update({inside[k]: reason for k, reason in found.items()})
    return bad


def _window(doc: Document, a: int, b: int, inside: list[int]) -> Document | None:
    """``doc.text[a:b]`` segmented alone, if its segments are ``inside``'s exactly."""
    # A blank line first keeps a thematic break there from opening front matter.
    prefix = "" if a == 0 else "\n"
    try:
        sub = segment_document(prefix + doc.text[a:b], doc.path, doc.front_matter_keys)
    except SourceError:
        return None
    if len(sub.segments) != len(inside):
        return None
    shift = a - len(prefix)
    for k, i in enumerate(inside):
        mine, theirs = sub.segments[k], doc.segments[i]
        if (mine.start + shift, mine.end + shift, mine.msgid, mine.kind) != (
            theirs.start,
            theirs.end,
            theirs.msgid,
            theirs.kind,
        ):
            return None
    return sub


def _greedy(doc: Document, writes: Mapping[int, _Write], suspects: set[int]) -> dict[int, str]:
    """Add each suspect in turn to the other writes, refusing those that break ``doc``.

    The other writes are verified (and halved if they fail) the first time a suspect
    fails with them: a write there that drops the only reference to a footnote breaks
    the footnote, a suspect that is not to blame.
    """
    bad: dict[int, str] = {}
    accepted = {i: w for i, w in writes.items() if i not in suspects}
    proven = not accepted
    for i in sorted(suspects):
        verdict = _verify(doc, accepted | {i: writes[i]})
        if not verdict.sound and not proven:
            found = _halving(doc, accepted)
            proven = True
            if found:
                bad.update(found)
                accepted = {k: w for k, w in accepted.items() if k not in found}
                verdict = _verify(doc, accepted | {i: writes[i]})
        if verdict.sound:
            accepted[i] = writes[i]
            proven = True
        else:
            bad[i] = verdict.misread.get(i) or verdict.broken or STRUCTURE
    return bad


@lru_cache(maxsize=8)
def _block_offsets(text: str) -> tuple[int, ...]:
    """Where each top-level block of ``text`` begins (the first is 0): a place to start
    parsing a part of the article as markdown-it would parse it in the whole.

    Cached: one article is rendered once per language.
    """
    offset = 1 if text.startswith(BOM) else 0
    table = LineTable(text, offset)
    found = {0} | {table.starts[k] for k in block_starts(text[offset:]) if 0 < k < len(table)}
    return tuple(sorted(found))


def _loose(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text)


def write_segment(doc: Document, seg: Segment, msgstr: str) -> _Write:
    """The text that replaces ``seg``'s span for ``msgstr``, and the msgid it yields."""
    layout = seg.layout
    text = msgstr.replace("\r\n", "\n").replace("\r", "\n")
    if layout.mode == "flow":
        return _write_flow(doc, seg, text)
    if layout.mode == "html":
        return _Write(*write_html_text(layout, text))
    if layout.mode == "attribute":
        return _Write(*write_attribute(layout, text))
    one_line = " ".join(part.strip() for part in text.split("\n") if part.strip())
    if layout.mode == "admonition":
        return _Write(one_line, one_line)  # the title ends at the line's last quote
    if layout.mode == "line":
        one_line = _escape_atx_closing(one_line)
    elif layout.mode == "cell":
        one_line = _escape_pipes(one_line)
        if layout.at_line_start:
            one_line = escape_line_start(one_line, seg.msgid)
    elif layout.mode == "alt":
        one_line = _balance_brackets(one_line)
        if layout.label:
            # a collapsed or shortcut reference image: its alt text was its label
            if one_line == seg.msgid:
                return _Write(doc.source_of(seg), one_line)
            return _Write(f"{one_line}][{layout.label}]", one_line)
    elif layout.mode == "title":
        return _Write(_escape_title(one_line, layout.quote), one_line)
    elif layout.mode == "yaml":
        value = text.strip()
        return _Write(format_yaml_scalar(value, layout.quote, doc.source_of(seg)), value)
    elif layout.mode == "toml":
        value = text.strip()
        written = format_toml_string(value, layout.quote, doc.source_of(seg), layout.eol)
        return _Write(written, value)
    return _Write(one_line, one_line)


def _write_flow(doc: Document, seg: Segment, text: str) -> _Write:
    layout = seg.layout
    sep = layout.eol + layout.continuation
    if layout.raw_lines:
        # Line ends may carry meaning here (spaces inside a code span): keep them.
        kept = [line.lstrip(" \t") for line in text.strip("\n").split("\n")]
        kept = [escape_line_start(line) for line in kept if line.strip()]
        kept[-1] = kept[-1].rstrip(" \t")
        return _Write(sep.join(kept), "\n".join(kept))
    logical = [line.strip() for line in text.split("\n")]
    logical = [line for line in logical if line]
    logical = [
        escape_line_start(line, seg.msgid if k == 0 else "") for k, line in enumerate(logical)
    ]
    definition = _REFERENCE_DEF_RE.match(logical[0]) if logical else None
    if definition and not seg.msgid.startswith(definition[0]):
        logical[0] = "\\" + logical[0]
    width = layout.width if layout.wrap else 0
    first_avail = max(width - layout.first_column, MIN_WRAP_WIDTH)
    cont_avail = max(width - display_width(layout.continuation), MIN_WRAP_WIDTH)
    out: list[str] = []
    for k, line in enumerate(logical):
        if width:
            physical = wrap_line(line, first_avail if k == 0 else cont_avail, cont_avail)
        else:
            physical = [line]
        chunk = sep.join(physical)
        if k < len(logical) - 1:
            styles = layout.hard_breaks or ("\\",)
            mark = styles[min(k, len(styles) - 1)]
            if (len(line) - len(line.rstrip("\\"))) % 2 == 1:
                # After a lone backslash another would only escape it, and markdown-it
                # reads "\\ " as one unit, so it takes three spaces to make the break.
                mark = "   "
            chunk += mark
        out.append(chunk)
    return _Write(sep.join(out), "\n".join(logical))


_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
_LINE_START_HAZARD = re.compile(
    r"""(?:
        \#{1,6}(?:[ \t]|$)                  # ATX heading
      | [-+*](?:[ \t]|$)                     # bullet list item
      | \d{1,9}[.)](?:[ \t]|$)               # ordered list item
      | >                                    # block quote
      | `{3,}[^`]*$ | ~{3,}                  # code fence
      | (?:[-*_][ \t]*){3,}$                 # thematic break
      | =+[ \t]*$ | -{2,}[ \t]*$              # setext underline
      | [|:][-|: \t]*$                       # table delimiter row
      | \[\^[^\]\s]+\]:                      # footnote definition
      | <(?:script|pre|style|textarea)(?:[\s>]|$)   # HTML blocks, types 1-6
      | <!-- | <\? | <![A-Za-z] | <!\[CDATA\[
      | </?(?:"""
    + _HTML_BLOCK_TAGS
    + r""")(?:[\s/>]|$)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_ORDERED_RE = re.compile(r"(\d{1,9})([.)])")
_REFERENCE_DEF_RE = re.compile(r"\[(?:[^\]\\]|\\.)+\]:")
"""Starts a link reference definition: only at a paragraph's first line."""


def escape_line_start(line: str, source: str = "") -> str:
    """Escape block syntax at the start of a line so the line stays paragraph text.

    ``1992. il`` → ``1992\\. il``, ``- x`` → ``\\- x``, ``# x`` → ``\\# x``; text without
    a hazard is returned unchanged, and so is a start the ``source`` text shares (it
    was parsed as text there, so it is text here too).
    """
    match = _LINE_START_HAZARD.match(line)
    if not match:
        return line
    if source and source.startswith(match[0]):
        return line
    ordered = _ORDERED_RE.match(line)
    if ordered:
        return ordered[1] + "\\" + line[len(ordered[1]) :]
    return "\\" + line


def _unsafe_start(text: str, pos: int) -> bool:
    """A line starting at ``text[pos]`` would begin a block (so never break there)."""
    if _LINE_START_HAZARD.match(text, pos):
        return True
    word_end = text.find(" ", pos)
    word = text[pos : word_end if word_end >= 0 else len(text)]
    if word.startswith(("```", "~~~")):
        return True  # a fence if no backtick follows on the same line: unknowable here
    return bool(word) and not word.strip("|:-=*_+#>~`")


def wrap_line(text: str, first: int, rest: int) -> list[str]:
    """Greedy word wrap at ASCII spaces to display widths ``first``, then ``rest``.

    A break is never made where the next line would start with block syntax, or where
    the line would end in a backslash (that would be a hard break); the line runs long
    instead. A word longer than the width stands on its own line.
    """
    lines: list[str] = []
    start = 0
    best: int | None = None
    columns = list(accumulate((char_width(ch) for ch in text), initial=0))
    for match in re.finditer(" ", text):
        space = match.start()
        width = first if not lines else rest
        fits = columns[space] - columns[start] <= width
        if not fits and best is not None:
            lines.append(text[start:best].rstrip(" "))
            start, best = best + 1, None
            fits = columns[space] - columns[start] <= rest
        if _breakable(text, start, space):
            if fits:
                best = space
            else:
                lines.append(text[start:space].rstrip(" "))
                start, best = space + 1, None
    width = first if not lines else rest
    if columns[-1] - columns[start] > width and best is not None:
        lines.append(text[start:best].rstrip(" "))
        start = best + 1
    lines.append(text[start:])
    return lines


def _breakable(text: str, start: int, space: int) -> bool:
    before = text[start:space].rstrip(" ")
    nxt = space + 1
    if not before or nxt >= len(text) or text[nxt] == " ":
        return False
    if (len(before) - len(before.rstrip("\\"))) % 2 == 1:
        return False
    return not _unsafe_start(text, nxt)


def _escape_atx_closing(text: str) -> str:
    match = re.search(r"(?:^|[ \t])(#+)[ \t]*$", text)
    if not match:
        return text
    return text[: match.start(1)] + "\\" + text[match.start(1) :]


def _escape_pipes(text: str) -> str:
    # markdown-it's escapedSplit: a pipe right after any backslash is already escaped.
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def _balance_brackets(text: str) -> str:
    depth = 0
    for match in re.finditer(r"\\.|[\[\]]", text):
        tok = match[0]
        if tok == "[":
            depth += 1
        elif tok == "]":
            depth -= 1
            if depth < 0:
                break
    if depth == 0:
        return text
    return re.sub(r"(?<!\\)([\[\]])", r"\\\1", text)


def _escape_title(text: str, quote: str) -> str:
    """A plain-text title written so that CommonMark reads back exactly ``text``."""
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", text)
    chars = "()" if quote == "(" else quote
    return re.sub("([" + re.escape(chars) + "])", r"\\\1", text)


INCOMPLETE_KEY = "translation_incomplete"
"""The front-matter flag on an article published with the source text in its gaps
(``publish_incomplete = "fallback"``), for a template to show."""


def mark_incomplete(text: str) -> str | None:
    """``text`` (a localized article) flagged ``translation_incomplete: true`` in its
    front matter (``frontmatter.with_flag``: verified by parsing, every other byte
    kept); None when the flag cannot be set safely."""
    return with_flag(text, INCOMPLETE_KEY)
