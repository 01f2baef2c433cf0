"""Translatable parts of links and images: alt text and title of an image that stands
alone, and titles of link reference definitions.

Each part is located in its source line and verified by unescaping it and comparing
with what the parser read; a part that does not verify is not offered for translation.
"""

from __future__ import annotations

import html
import re

from pipeline.markdown.document import Layout, Segment

_TITLE = r"""(?P<title>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))"""
_DEST_TITLE_RE = re.compile(
    r"\([ \t]*(?:<(?:[^<>\n\\]|\\.)*>|[^\s()<]*(?:\([^\s()]*\)[^\s()]*)*)[ \t]+"
    + _TITLE
    + r"[ \t]*\)"
)
_REF_TITLE_RE = re.compile(_TITLE + r"[ \t]*$")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Backslash escapes and entities resolved, as CommonMark reads a title."""
    return html.unescape(_ESCAPE_RE.sub(r"\1", text))


def image_segments(
    line_text: str, offset: int, line: int, alt: str, title: str
) -> list[Segment] | None:
    """Alt-text and title segments of the image that is alone on ``line_text``.

    ``line_text`` starts at ``offset`` in the document, on 1-based ``line``; ``alt`` is
    the image's label as written and ``title`` its title as parsed. Returns None when
    the image cannot be located (the caller then treats the paragraph as text), and an
    empty list when nothing in it may be translated. The alt text of a collapsed or
    shortcut reference image is its label: its span ends past the brackets, and its
    layout's ``label`` says so.
    """
    label = "![" + alt + "]"
    pos = line_text.find(label)
    if pos < 0 or line_text.find(label, pos + 1) >= 0:
        return None
    after = line_text[pos + len(label) : pos + len(label) + 2]
    if after == "[]" or after[:1] not in {"(", "["}:
        # A collapsed or shortcut reference image: its alt text is the label it resolves
        # through, so the span takes the "]" (and "[]") too and a translation is
        # written as a full reference, "![Köhnə şəhər][Old town]".
        if not alt.strip() or "\n" in alt:
            return []
        start = offset + pos + 2
        end = start + len(alt) + 1 + (2 if after == "[]" else 0)
        layout = Layout(mode="alt", at_line_start=False, label=alt)
        return [Segment(alt, start, end, line, "image alt text", "", layout)]
    found: list[Segment] = []
    if alt.strip():
        start = offset + pos + 2
        found.append(
            Segment(
                msgid=alt,
                start=start,
                end=start + len(alt),
                line=line,
                kind="image alt text",
                context="",
                layout=Layout(mode="alt", at_line_start=False),
            )
        )
    rest = pos + len(label)
    if title and line_text[rest : rest + 1] == "(":
        match = _DEST_TITLE_RE.match(line_text, rest)
        if match and unescape(match["title"][1:-1]) == title:
            start = offset + match.start("title") + 1
            found.append(_title_segment(match, start, line, "image title"))
    return found


def reference_title_segment(raw_line: str, offset: int, line: int, title: str) -> Segment | None:
    """The title segment of a link reference definition whose title ends ``raw_line``."""
    match = _REF_TITLE_RE.search(raw_line)
    if not match or unescape(match["title"][1:-1]) != title:
        return None
    body = match["title"][1:-1]
    if not body.strip():
        return None
    return _title_segment(match, offset + match.start("title") + 1, line, "link title")


def _title_segment(match: re.Match[str], start: int, line: int, kind: str) -> Segment:
    body = match["title"][1:-1]
    return Segment(
        msgid=unescape(body),  # a title is plain text: translators see no escapes
        start=start,
        end=start + len(body),
        line=line,
        kind=kind,
        context="",
        layout=Layout(mode="title", quote=match["title"][0], at_line_start=False),
        markdown=False,
    )
