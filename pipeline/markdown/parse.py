"""The markdown-it parsers the pipeline reads Markdown with, and what they read.

One configuration everywhere (CommonMark, GFM tables, front matter, footnotes, MkDocs
admonitions, a nesting limit), so that extraction, the checks and the verification of
a rebuilt article read every text the same way. ``segment`` turns the block tokens into
segments; the checks read messages through ``parse_inline``, ``link_destinations`` and
``inline_html``; ``references`` and ``inline_spans`` wrap the inline rules of a
``new_parser`` to learn where constructs stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from pipeline.markdown.document import BOM, References
from pipeline.markdown.frontmatter import mask_toml

__all__ = [
    "MAX_NESTING",
    "block_shape",
    "block_starts",
    "inline_html",
    "link_destinations",
    "new_parser",
    "parse_blocks",
    "parse_inline",
    "references_of",
    "shape_of",
]


MAX_NESTING = 64
"""Block nesting parsed in full, in markdown-it levels (a list level is two: the list
and its item; a block quote is one), so lists 31 deep and quotes 63 deep. Past it a
block is kept whole as one ``too_deep`` token: its bytes are copied untranslated and
the article warns about it. markdown-it's own limit (20) would instead drop everything
after such a block, to the end of the article."""


def _too_deep(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule, tried first: past ``MAX_NESTING``, take the rest of the innermost
    container (every line until one indented less than it) as one ``too_deep`` token.
    The recursion into deeper containers stops here, so no input can exhaust the
    stack, and the container's end is where its parent's parsing resumes."""
    if state.level < MAX_NESTING:
        return False
    if silent:
        return True
    last = start_line
    for line in range(start_line, end_line):
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break
            last = line
    token = state.push("too_deep", "", 0)
    token.block = True
    token.hidden = True
    token.map = [start_line, last + 1]
    state.line = last + 1
    return True


def _parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(admon_plugin)  # MkDocs' and Python-Markdown's !!! / ??? blocks
    )
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "too_deep", _too_deep)
    # A container opens two levels at most before its content is parsed, so markdown-it's
    # own limit is never reached for blocks; inline nesting uses it too.
    md.options["maxNesting"] = MAX_NESTING + 4
    return md


_MD = _parser()


def new_parser() -> MarkdownIt:
    """A new markdown-it instance configured as the pipeline parses, for readers that
    wrap its rules (``references``)."""
    return _parser()


def _lax_parser() -> MarkdownIt:
    # Bare web addresses are links on GitHub and in Hugo (goldmark's linkify is on by
    # default), so the safety checks read them as links too.
    md = _parser().enable("linkify")
    md.options["linkify"] = True
    # Keep every destination as written (entities and escapes resolved, nothing
    # percent-encoded or refused): the safety checks must see a javascript: link that
    # this parser would drop but a laxer site generator would publish.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


_LAX = _lax_parser()


def parse_blocks(text: str) -> tuple[list[Token], dict[str, object]]:
    """Parse Markdown (without a BOM) into markdown-it tokens and the parser's env."""
    env: dict[str, object] = {}
    return _MD.parse(mask_toml(text), env), env


_BLOCKS = _parser().disable("inline")


def block_starts(text: str) -> tuple[int, ...]:
    """0-based lines where the top-level blocks of ``text`` (without a BOM) begin: a
    part of the article from one of them to another parses as it does in the whole
    (inline text aside, which is not parsed here: this is the fast half of a parse)."""
    tokens = _BLOCKS.parse(mask_toml(text), {})
    return tuple(sorted({tok.map[0] for tok in tokens if tok.level == 0 and tok.map}))


def _env(references: References) -> dict[str, object]:
    return {
        "references": {label: {"href": href, "title": title} for label, href, title in references}
    }


def parse_inline(text: str, references: References = ()) -> list[Token]:
    """Inline tokens of one segment's text (for checks that compare msgid and msgstr),
    with ``references`` (the article's definitions) resolving reference links."""
    tokens = _MD.parseInline(text, _env(references))
    return list(tokens[0].children or []) if tokens else []


def references_of(env: dict[str, object]) -> References:
    refs = env.get("references")
    if not isinstance(refs, dict):
        return ()
    return tuple(
        (str(label), str(ref.get("href") or ""), str(ref.get("title") or ""))
        for label, ref in sorted(refs.items())
        if isinstance(ref, dict)
    )


_LINK_MARKS = ("[", "<", "://", "www.", "@")
"""What a link, image, autolink or web address (GFM: scheme, "www.", e-mail) contains."""


@lru_cache(maxsize=8192)
def link_destinations(text: str, references: References = ()) -> tuple[tuple[str, str], ...]:
    """Every link and image destination in one segment's text, as ``("link" | "image" |
    "web address", url)`` pairs in order (a web address is a bare URL that GitHub and
    Hugo make a link): inline links, autolinks, images and reference links resolved
    through ``references``, with character references and backslash escapes resolved,
    and none refused for its scheme."""
    if not any(mark in text for mark in _LINK_MARKS):
        return ()  # every link, image, autolink and web address needs one of these
    found: list[tuple[str, str]] = []
    stack = list(reversed(_lax_inline(text, references)))
    in_link = 0
    while stack:
        tok = stack.pop()
        if tok.type == "link_open":
            in_link += 1
            kind = "web address" if tok.markup == "linkify" else "link"
            found.append((kind, str(tok.attrGet("href") or "")))
        elif tok.type == "link_close":
            in_link -= 1
        elif tok.type == "image":
            found.append(("image", str(tok.attrGet("src") or "")))
            stack.extend(reversed(tok.children or []))
        elif tok.type == "text" and not in_link and "@" in tok.content:
            # GFM's extended e-mail autolink takes any dotted domain; linkify-it wants a
            # known top-level domain, so editors@evil.example would pass unseen.
            found.extend(
                ("web address", "mailto:" + m[0]) for m in _GFM_EMAIL_RE.finditer(tok.content)
            )
    return tuple(found)


_GFM_EMAIL_RE = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+(?<![-_])")
"""GFM's extended e-mail autolink (spec section 6.9), as GitHub and goldmark link it."""


@lru_cache(maxsize=8192)
def inline_html(text: str, references: References = ()) -> tuple[str, ...]:
    """The raw HTML that markdown-it passes through in one segment's text: each inline
    HTML token (tag, comment, CDATA, declaration, processing instruction), in order."""
    if "<" not in text:
        return ()
    return tuple(tok.content for tok in _lax_inline(text, references) if tok.type == "html_inline")


@lru_cache(maxsize=4096)
def _lax_inline(text: str, references: References) -> tuple[Token, ...]:
    """The lax parser's inline tokens of ``text``, parsed once for both readers above
    (read only: the tokens are shared)."""
    tokens = _LAX.parseInline(text, _env(references))
    return tuple(tokens[0].children or []) if tokens else ()


def block_shape(text: str) -> tuple[str, ...]:
    """The block structure of ``text``: one entry per block token (type, tag, markup).

    Two documents with the same shape have the same headings, lists, quotes, tables and
    paragraphs in the same nesting, whatever their text and line wrapping.
    """
    body = text[1:] if text.startswith(BOM) else text
    tokens, _ = parse_blocks(body)
    return shape_of(tokens)


def shape_of(tokens: Sequence[Token]) -> tuple[str, ...]:
    out: list[str] = []
    for tok in tokens:
        if tok.type == "inline":
            continue
        markup = tok.markup if tok.type in {"bullet_list_open", "list_item_open"} else ""
        out.append(f"{tok.type}:{tok.tag}:{markup}")
    return tuple(out)
