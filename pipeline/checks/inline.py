"""One message as the quality checks see it: the parts of its parsed inline Markdown.

``parse`` reads a msgid or msgstr with ``segment.parse_inline`` (the only parser) and
keeps what ``checks`` compares: link and image targets, reference-link labels, footnote
labels, code spans, raw HTML, the text tokens, the visible text and the emphasis markers
left unmatched. Results are cached: a msgid is parsed once for every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.checks.words import FOOTNOTE_REF_RE, InlineToken, visible_text_of
from pipeline.markdown.document import References
from pipeline.markdown.parse import parse_inline


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the checks compare of one message."""

    links: tuple[str, ...]
    """Link targets (``href``), autolinks included, in order."""
    images: tuple[str, ...]
    """Image sources, in order."""
    references: tuple[str, ...]
    """Labels of full reference links (``[text][label]``), case-folded."""
    footnotes: tuple[str, ...]
    """Labels of footnote references (``[^label]``)."""
    code: tuple[str, ...]
    """Code spans with their backticks, exactly as written."""
    html: tuple[str, ...]
    """Raw inline HTML (for plain text: anything that looks like a tag)."""
    texts: tuple[str, ...]
    """The contents of the text tokens (not code, not HTML)."""
    visible: str
    """What a reader sees (``words.visible_text``)."""
    stray_markers: int
    """Runs of ``*``/``_`` left as text that could have been meant as emphasis, less the
    ones escaped with a backslash."""


_REFERENCE_RE = re.compile(r"\]\[([^\]]+)\]")
_RAW_TAG_RE = re.compile(r"<(?:/?[A-Za-z][^<>]*|!--.*?--)>", re.S)
_MARKER_RE = re.compile(r"\*+|_+")


@lru_cache(maxsize=4096)
def parse(text: str, markdown: bool, references: References = ()) -> Parsed:
    """The parts of ``text`` the checks compare (``markdown``: False for plain text;
    ``references``: the article's link reference definitions)."""
    if not markdown:
        return Parsed((), (), (), (), (), tuple(_RAW_TAG_RE.findall(text)), (text,), text, 0)
    links: list[str] = []
    images: list[str] = []
    code: list[str] = []
    html: list[str] = []
    texts: list[str] = []
    tokens = parse_inline(text, references)
    for tok in _flat(tokens):
        if tok.type == "link_open":
            links.append(str(tok.attrGet("href") or ""))
        elif tok.type == "image":
            images.append(str(tok.attrGet("src") or ""))
        elif tok.type == "code_inline":
            code.append(tok.markup + tok.content + tok.markup)
        elif tok.type == "html_inline":
            html.append(tok.content)
        elif tok.type == "text":
            texts.append(tok.content)
    joined = "\n".join(texts)
    escaped = text.count("\\*") + text.count("\\_")
    return Parsed(
        links=tuple(links),
        images=tuple(images),
        references=tuple(m.casefold() for m in _REFERENCE_RE.findall(joined)),
        footnotes=tuple(FOOTNOTE_REF_RE.findall(joined)),
        code=tuple(code),
        html=tuple(html),
        texts=tuple(texts),
        visible=visible_text_of(tokens),
        stray_markers=max(0, sum(_markers(t) for t in texts) - escaped),
    )


def _flat(tokens: Sequence[InlineToken]) -> Iterator[InlineToken]:
    for tok in tokens:
        yield tok
        if tok.type == "image":
            yield from _flat(tok.children or ())


def _markers(text: str) -> int:
    """Runs of ``*``/``_`` left as text that could have opened or closed emphasis."""
    count = 0
    for match in _MARKER_RE.finditer(text):
        before = text[match.start() - 1] if match.start() else "x"
        after = text[match.end()] if match.end() < len(text) else "x"
        if before.isspace() and after.isspace():
            continue  # "2 * 3": a literal, never emphasis
        if match[0][0] == "_" and before.isalnum() and after.isalnum():
            continue  # snake_case
        count += 1
    return count
