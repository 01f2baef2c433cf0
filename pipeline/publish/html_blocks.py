"""Writing a translation into an HTML block: its prose (``html`` layout) and its
attribute values (``attribute`` layout), as ``markdown.html_blocks`` segmented them.

An HTML block ends at a blank line, so nothing written here ever holds one: a text
comes out on the source's lines (one line for a one-line source, else re-wrapped to the
source's width with its continuation prefix, never inside a tag or ``<code>``), and an
attribute value on one line. A value cannot leave its attribute: the delimiting quote is
written ``&quot;`` or ``&#39;``, and a value written without quotes in the source is
quoted when the translation needs it. What the translation may contain (tags, URLs,
handlers) is the checks' to judge before anything is written (``checks.run.gate``).
"""

from __future__ import annotations

import re

from pipeline.markdown.document import Layout, display_width

MIN_WIDTH = 20
"""Never wrap narrower than this, however deep the containers."""

_JOINT_RE = re.compile(r"[ \t]*(?:\n[ \t]*)+")
_HTML_WS = "\t\n\f\r "
_PIECE_RE = re.compile(
    r"""(?P<unit><code\b(?:"[^"]*"|'[^']*'|[^'">])*>.*?</code\s*>
      | <[A-Za-z/!?](?:"[^"]*"|'[^']*'|[^'">])*>?)
    | (?P<space>[ \t\n\f\r]+)
    | (?P<text>[^ \t\n\f\r<]+|<)""",
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
"""A tag or a whole ``<code>`` element (never broken), a space, or other text."""
_UNQUOTED_RE = re.compile(r"""[^\t\n\f\r "'=<>`/]+""")
"""A value that may stand without quotes (and cannot be misread as ending the tag)."""


def write_html_text(layout: Layout, text: str) -> tuple[str, str]:
    """``text`` (a translation, line ends normalized to ``\\n``) as written into an
    ``html`` span, and the msgid segmenting the result gives back. Without
    ``layout.wrap`` the text is one line (each line break and the indentation around it
    one space); with it, words are re-wrapped to ``layout.width``."""
    one_line = _JOINT_RE.sub(" ", text).strip(_HTML_WS)
    if not layout.wrap:
        return one_line, one_line
    words = _words(one_line)
    first = max(layout.width - layout.first_column, MIN_WIDTH)
    rest = max(layout.width - display_width(layout.continuation), MIN_WIDTH)
    lines: list[list[str]] = [[]]
    used = 0
    for word in words:
        room = first if len(lines) == 1 else rest
        size = display_width(word)
        if lines[-1] and used + 1 + size > room:
            lines.append([])
            used = 0
        used += size + (1 if lines[-1] else 0)
        lines[-1].append(word)
    rows = [" ".join(line) for line in lines if line]
    return (layout.eol + layout.continuation).join(rows), " ".join(rows)


def _words(text: str) -> list[str]:
    """``text`` split at whitespace outside tags and ``<code>`` elements."""
    words: list[str] = []
    current: list[str] = []
    for match in _PIECE_RE.finditer(text):
        if match["space"] is not None:
            if current:
                words.append("".join(current))
                current = []
        else:
            # a tag's own line breaks would start a line without the container prefix
            current.append(_JOINT_RE.sub(" ", match[0]).replace("\n", " "))
    if current:
        words.append("".join(current))
    return words


def write_attribute(layout: Layout, text: str) -> tuple[str, str]:
    """``text`` written as an attribute value delimited by ``layout.quote`` (``"``,
    ``'`` or none), on one line, and the msgid segmenting the result gives back. The
    delimiter inside the text becomes a character reference; a value that cannot stand
    unquoted is quoted with ``"``."""
    value = re.sub(r"[\t\n\f\r ]*\n[\t\n\f\r ]*", " ", text).strip(_HTML_WS)
    value = value.replace("\n", " ")
    quote = layout.quote
    if not quote and _UNQUOTED_RE.fullmatch(value):
        return value, value
    if quote == "'":
        escaped = value.replace("'", "&#39;")
        return escaped, escaped
    escaped = value.replace('"', "&quot;")
    return (escaped, escaped) if quote == '"' else (f'"{escaped}"', escaped)
