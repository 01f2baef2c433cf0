"""GFM table rows: where each cell's text stands in the raw line.

markdown-it-py gives table cells no positions, so rows are re-split with the same rule
its ``escapedSplit`` uses (a ``|`` right after a backslash does not split) and each cell
is verified against the parser's content by the caller.
"""

from __future__ import annotations

import re

_ROW_LEAD_RE = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")


def split_row(raw: str) -> list[tuple[int, int]] | None:
    """Cell spans of a table row, split by markdown-it's rule (``|`` not after ``\\``).

    Each span excludes the cell's padding. Container prefixes (``> ``) are skipped.
    """
    lead = _ROW_LEAD_RE.match(raw)
    pos = lead.end() if lead else 0
    end = len(raw.rstrip(" \t"))
    if pos >= end:
        return None
    bounds = []
    cell_start = pos
    escaped = False
    for k in range(pos, end):
        ch = raw[k]
        if ch == "|" and not escaped:
            bounds.append((cell_start, k))
            cell_start = k + 1
        escaped = ch == "\\"
    bounds.append((cell_start, end))
    if bounds and bounds[0][0] == bounds[0][1]:
        bounds.pop(0)
    if bounds and bounds[-1][0] == bounds[-1][1]:
        bounds.pop()
    out = []
    for s, e in bounds:
        cell = raw[s:e]
        left = len(cell) - len(cell.lstrip(" \t"))
        right = len(cell.rstrip(" \t"))
        out.append((s + left, s + max(left, right)))
    return out


def unescape_pipes(cell: str) -> str:
    """Undo ``\\|`` exactly as markdown-it's ``escapedSplit`` does."""
    out: list[str] = []
    escaped = False
    for ch in cell:
        if ch == "|" and escaped:
            out.pop()
        out.append(ch)
        escaped = ch == "\\"
    return "".join(out)
