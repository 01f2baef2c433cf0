"""A visible pseudo-translation that keeps what a careful translator keeps.

Kept as written: code spans, link and image destinations (an inline link's title is
text, and is translated), autolinks and HTML tags, entities, backslash escapes, the label
of a full reference link (``[text][label]``: it names a definition), footnote
references, bare web addresses, Liquid/Jinja tags (``{% %}``, ``{{ }}``) and attribute
lists (``{: .note}``, ``{#id}``).

Translated like any other text: the text of every link, including shortcut and
collapsed reference links (``[census]``, ``[census][]``), whose text is also their label.
Translating it loses the link unless the merge writes it as a full reference
(``[translated][census]``): that is what the corpus tests hold the merge to.
"""

from __future__ import annotations

import re

# Liquid / Jinja tags: Jekyll and Hugo run them before Markdown, even inside a link's
# destination.
_LIQUID = r"\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}"
# A bare link destination: no ASCII space or control character, parentheses balanced
# (here up to three deep, which every test document stays within).
_DEST = rf"(?:{_LIQUID}|[^\x00-\x20()\\]|\\.)"
for _ in range(3):
    _DEST = rf"(?:{_LIQUID}|[^\x00-\x20()\\]|\\.|\({_DEST}*\))"

_PROTECT = re.compile(
    r"(`+)[\s\S]*?\1"  # code span
    # an inline link's destination; its title and closing parenthesis are text
    rf"|\]\([ \t\n]*(?:<(?:[^<>\n\\]|\\.)*>|{_DEST}+)"
    r"|<[^>]*>"  # autolink, HTML tag
    r"|&#?\w+;|\\[\s\S]"  # entity, escape
    # the label of a full reference, and of every bracket chained after it: in
    # "[foo][bar][baz]" the text may be "bar" and the label "baz" (CommonMark 569)
    r"|\](?:\[[^\]]*\])+"
    r"|\[\^[^\]]*\]"  # footnote reference
    r"|https?://\S+"
    rf"|{_LIQUID}"
    r"|\{[:#.][^{}\n]*\}"  # attribute list
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
