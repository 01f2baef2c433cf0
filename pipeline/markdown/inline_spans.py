"""Where each inline construct stands in a segment's text, as markdown-it reads it.

markdown-it's inline tokens carry no columns, so the rules that make code spans, links,
images, autolinks, inline HTML, footnotes and emphasis are wrapped to record the columns
they consume. The sentence splitter reads these spans to keep its boundaries out of
them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import MappingProxyType

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from pipeline.markdown.parse import MAX_NESTING

__all__ = ["InlineSpan", "inline_spans"]

InlineSpan = tuple[int, int, str]
"""``(start, end, kind)``: characters ``start:end`` of a segment's text hold one inline
construct; kind is ``code``, ``link``, ``image``, ``autolink``, ``html``, ``footnote``
or ``emphasis`` (``*``, ``_``, ``**``, ``__``, delimiters included)."""

_SPAN_KINDS = MappingProxyType(
    {
        "backticks": "code",
        "link": "link",
        "image": "image",
        "autolink": "autolink",
        "html_inline": "html",
        "footnote_ref": "footnote",
        "footnote_inline": "footnote",
        "emphasis": "emphasis",
    }
)


def _tracked(kind: str, rule: Callable[[StateInline, bool], bool]) -> Callable[..., bool]:
    """Wrap an inline rule to record where its construct stands: markdown-it's inline
    tokens carry no columns. Only the segment's own text counts (an image's alt text and
    an inline footnote are parsed again as new sources), and an emphasis delimiter, one
    token per character, notes its column in ``meta`` for the pairing done afterwards."""

    def tracked(state: StateInline, silent: bool) -> bool:
        if silent or state.src != state.env.get("span_source"):
            return rule(state, silent)
        if state.pending:
            state.pushPending()  # so that the tokens pushed below are the rule's own
        start, first = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if kind == "emphasis":
            for k, tok in enumerate(state.tokens[first:]):
                tok.meta["column"] = start + k
        else:
            state.env["spans"].append((start, state.pos, kind))
        return True

    return tracked


def _spans_parser() -> MarkdownIt:
    # segment.py's inline reading: CommonMark and footnotes (its other options are
    # block rules); a separate instance, since the rules below are wrapped
    md = MarkdownIt("commonmark").use(footnote_plugin)
    md.options["maxNesting"] = MAX_NESTING + 4
    ruler = md.inline.ruler
    for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
        if name in _SPAN_KINDS:
            ruler.at(name, _tracked(_SPAN_KINDS[name], rule))
    return md


_SPANS = _spans_parser()


@lru_cache(maxsize=4096)
def inline_spans(text: str) -> tuple[InlineSpan, ...]:
    """The inline constructs of one segment's text as markdown-it reads it (no reference
    definitions: a reference link is text here), sorted by start; spans nest (emphasis
    inside a link) but never cross."""
    # normalize would turn "\r\n" into one character and shift every column after it
    source = text.replace("\r", " ").replace("\x00", "\ufffd")
    spans: list[InlineSpan] = []
    tokens = _SPANS.parseInline(source, {"span_source": source, "spans": spans})
    opened: list[Token] = []
    for tok in tokens[0].children or [] if tokens else []:
        if tok.type in {"em_open", "strong_open"}:
            opened.append(tok)
        elif tok.type in {"em_close", "strong_close"} and opened:
            # a strong pair is recorded at its inner delimiter characters
            first = opened.pop()
            start = first.meta["column"] - len(first.markup) + 1
            spans.append((start, tok.meta["column"] + len(tok.markup), "emphasis"))
    return tuple(sorted(spans, key=lambda span: (span[0], -span[1])))
