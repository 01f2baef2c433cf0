"""A visible pseudo-translation that keeps Markdown syntax, link targets and code."""

from __future__ import annotations

import re

# Code spans, link destinations, autolinks and HTML tags, entities, escapes,
# reference labels and footnote references must survive translation untouched.
_PROTECT = re.compile(
    r"(`+)[\s\S]*?\1|\]\([^)]*\)|<[^>]*>|&#?\w+;|\\[\s\S]|\]\[[^\]]*\]|\[\^[^\]]*\]"
    r"|https?://\S+"
)


def _letters(text: str) -> str:
    # a-z → Georgian letters: still letters, so emphasis flanking rules are unchanged.
    return "".join(chr(ord(c) - 0x61 + 0x10D0) if "a" <= c <= "z" else c for c in text)


def pseudo(msgid: str) -> str:
    """``msgid`` with every unprotected a-z letter replaced and ~40 % longer."""
    out, pos = [], 0
    for match in _PROTECT.finditer(msgid):
        out.append(_letters(msgid[pos : match.start()]))
        out.append(match[0])
        pos = match.end()
    out.append(_letters(msgid[pos:]))
    text = "".join(out)
    padding = " ẋ" * max(1, len(msgid) // 5)
    return text + padding
