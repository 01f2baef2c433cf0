"""Admonitions of MkDocs and Python-Markdown (``!!! tip "Title"``, ``??? note``,
``???+ warning``): the title a translator sees.

The block itself is parsed by mdit-py-plugins' ``admon`` plugin (its body, indented by
four spaces, holds ordinary Markdown blocks, segmented as everywhere else). The title
is the text between the quotes after the type; without quotes the renderer makes one
from the type (``Note``), which is no text of the article, and a ``""`` title means
none: neither is offered.
"""

from __future__ import annotations

import re

from pipeline.markdown.document import Layout, Segment

_TITLE_RE = re.compile(
    r'(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*[ \t]+"(?P<title>.*)"[ \t]*\Z'
)
"""The opening line's end: the marker, the type (one or more words) and the quoted
title (Python-Markdown's rule: the last quote on the line closes it)."""


def admonition_title_segment(raw_line: str, offset: int, line: int, title: str) -> Segment | None:
    """The title segment of the admonition opened on ``raw_line`` (which starts at
    ``offset`` in the document, on 1-based ``line``); ``title`` is the title as the
    parser read it. None when there is no quoted title or it does not verify."""
    match = _TITLE_RE.search(raw_line)
    if match is None or match["title"] != title or not title.strip():
        return None
    start = offset + match.start("title")
    return Segment(
        msgid=title,
        start=start,
        end=start + len(title),
        line=line,
        kind="admonition title",
        context="",
        layout=Layout(mode="admonition", at_line_start=False),
    )
