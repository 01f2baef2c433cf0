"""YAML front matter: where each translatable value stands, and how to write one back.

The only module that imports ``yaml``. Re-dumping YAML would destroy the editor's layout,
quoting and comments, so values are located with ``yaml.compose``'s exact marks and
only their spans are ever replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from pipeline.errors import SourceError

_STR_TAG = "tag:yaml.org,2002:str"
_PROPERTIES_RE = re.compile(r"(?:[&!]\S*[ \t]+)+")
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Scalar:
    """A string value of a configured front-matter key."""

    key: str
    """The top-level key it belongs to."""
    value: str
    """The value as YAML reads it."""
    start: int
    """Offset of the scalar's first character in the front-matter text."""
    end: int
    """Offset just past it (a block scalar's final line breaks excluded)."""
    style: str
    """``""`` (plain), ``'``, ``"``, ``|`` or ``>``; prefixed with ``[`` for an item of a
    flow sequence (``[a, b]``), where commas and brackets end a plain scalar."""


def scalars(source: str, keys: Sequence[str], *, path: str, first_line: int) -> list[Scalar]:
    """String values of ``keys`` (or strings in their lists) in ``source``, in order.

    ``source`` is the text between the ``---`` lines, which starts at 1-based line
    ``first_line`` of ``path``. Raises ``SourceError`` at the right line when it is not
    valid YAML.
    """
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        context_mark = getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            problem = f"{problem} ({context} from line {first_line + context_mark.line})"
        raise SourceError(
            f"front matter is not valid YAML: {problem}",
            path=path,
            line=first_line + (mark.line if mark else 0),
            hint="fix the YAML between the '---' lines (quote values that contain ': ' or ' #')",
        ) from None
    if not isinstance(root, yaml.MappingNode):
        return []
    found = []
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode) or key.value not in keys:
            continue
        nodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
        flow = "[" if isinstance(value, yaml.SequenceNode) and value.flow_style else ""
        for node in nodes:
            if not isinstance(node, yaml.ScalarNode) or node.tag != _STR_TAG:
                continue
            start, end = node.start_mark.index, node.end_mark.index
            properties = _PROPERTIES_RE.match(source, start, end)
            if properties:
                start = properties.end()  # an &anchor or !tag stays; only the value changes
            while end > start and source[end - 1] in "\r\n":
                end -= 1  # a block scalar ends after its last line break, which stays
            found.append(Scalar(key.value, node.value, start, end, flow + (node.style or "")))
    return found


def format_yaml_scalar(value: str, style: str, original: str = "") -> str:
    """Write ``value`` as a YAML scalar in ``style`` (as found in the source) if it can be.

    Plain and single-quoted styles are kept when they read back as ``value``; folded
    (``>``) and literal (``|``) block scalars keep their header line and indentation
    from ``original`` (the source scalar), folded text re-wrapped to its width. Anything
    else becomes a double-quoted scalar, which can hold every string.
    """
    if style in {">", "|"} and original:
        block = _block_scalar(value, style, original)
        if block is not None:
            return block
    flow = style.startswith("[")
    style = style.removeprefix("[")
    if "\n" not in value:
        if style == "" and _reads_back(value, value, flow=flow):
            return value
        if style == "'":
            quoted = "'" + value.replace("'", "''") + "'"
            if _reads_back(quoted, value, flow=flow):
                return quoted
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch in {'"', "\\"}:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch in {"\x7f", "\x85", "\u2028", "\u2029", BOM}:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _reads_back(scalar: str, value: str, *, flow: bool = False) -> bool:
    """``scalar`` reads as ``value``, as a mapping value or inside ``[…]``."""
    try:
        loaded = yaml.safe_load(f"k: [{scalar}]" if flow else f"k: {scalar}")
    except yaml.YAMLError:
        return False
    want: object = [value] if flow else value
    return isinstance(loaded, dict) and loaded.get("k") == want


def _block_scalar(value: str, style: str, original: str) -> str | None:
    lines = re.split(r"(\r\n|\r|\n)", original)
    if len(lines) < 3:
        return None
    header, eol, body = lines[0], lines[1], lines[2]
    indent = body[: len(body) - len(body.lstrip(" "))]
    if not indent or not value.strip() or value != value.strip():
        return None
    if style == ">":
        width = max(len(line) for line in lines[2::2]) - len(indent)
        rows = _fold(value.replace("\n", " "), max(width, 20))
    else:
        rows = value.split("\n")
    if any(not row.strip() or row != row.strip() for row in rows):
        return None
    text = header + "".join(eol + indent + row for row in rows)
    return text if _reads_back(text + eol, value + "\n") or _reads_back(text + eol, value) else None


def _fold(text: str, width: int) -> list[str]:
    rows: list[str] = []
    for word in text.split():
        if rows and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] += " " + word
        else:
            rows.append(word)
    return rows
