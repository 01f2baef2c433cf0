"""Front matter: where each translatable value stands, and how to write one back.

YAML (between ``---`` lines) and TOML (between ``+++`` lines, Hugo's format). The only
module that imports ``yaml`` and ``tomlkit``. Re-dumping either would destroy the
editor's layout, quoting and comments, so values are located exactly (``yaml.compose``'s
marks; for TOML, tomlkit's round trip) and only their spans are ever replaced.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import tomlkit
import tomlkit.container
import tomlkit.exceptions
import tomlkit.items
import yaml

from pipeline.errors import SourceError

_STR_TAG = "tag:yaml.org,2002:str"
_PROPERTIES_RE = re.compile(r"(?:[&!]\S*[ \t]+)+")
BOM = "\ufeff"


SEPARATOR = "."
"""Joins the parts of a key path: ``seo.title``, ``faq.0.answer``."""
WILDCARD = "*"
"""A key-path part that stands for every key of a mapping or every item of a list."""
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class Scalar:
    """A string value that a configured key path reaches in the front matter."""

    key: str
    """Where the value stands: the keys and list indices (from 0) that lead to it from
    the top, joined by ``.`` (``title``, ``seo.title``, ``faq.0.answer``, ``tags.1``)."""
    value: str
    """The value as YAML reads it."""
    start: int
    """Offset of the scalar's first character in the front-matter text."""
    end: int
    """Offset just past it (a block scalar's final line breaks excluded)."""
    style: str
    """YAML: ``""`` (plain), ``'``, ``"``, ``|`` or ``>``; prefixed with ``[`` inside a
    flow collection (``[a, b]``, ``{k: v}``), where commas and brackets end a plain
    scalar. TOML: the string's delimiter, ``"`` or ``'``, or three of them for a
    multi-line string (the span includes the delimiters)."""


def key_path(pattern: str) -> tuple[str, ...]:
    """The parts of a ``front_matter_keys`` entry: ``"faq.*.answer"`` → ``("faq", "*",
    "answer")``. A part is a key, a list index (``0``) or ``*`` (every key or item)."""
    return tuple(pattern.split(SEPARATOR))


def _steps(name: str, parts: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """What is left of ``parts`` after a mapping key ``name``: the rest when the first
    part is ``name`` or ``*``, and also when ``name`` itself has dots and the first parts
    spell it (a top-level ``og.title:`` key is still named by ``og.title``)."""
    if parts[0] in {name, WILDCARD}:
        yield parts[1:]
    if SEPARATOR in name:
        n = name.count(SEPARATOR) + 1
        if len(parts) >= n and SEPARATOR.join(parts[:n]) == name:
            yield parts[n:]


def scalars(source: str, keys: Sequence[str], *, path: str, first_line: int) -> list[Scalar]:
    """String values that the key paths ``keys`` reach in ``source``, in source order.

    A path that ends at a list takes the strings in it (``tags``, like ``tags.*``).
    Values of other types, paths that reach nothing, ``<<`` merge keys and values whose
    span does not read back as the value on its own are left out (copied untranslated).
    A value reached twice (two paths, or an ``*alias``) is taken once, under the first
    path that reaches it.

    ``source`` is the text between the ``---`` lines, which starts at 1-based line
    ``first_line`` of ``path``. Raises ``SourceError`` at the right line when it is not
    valid YAML.
    """
    root = _compose(source, path=path, first_line=first_line)
    if root is None:
        return []  # only comments, or nothing
    found: dict[int, Scalar] = {}
    for pattern in keys:
        for at, node, flow in _yaml_reach(root, key_path(pattern), (), flow=False):
            scalar = _yaml_scalar(source, SEPARATOR.join(at), node, flow)
            if scalar is not None:
                found.setdefault(scalar.start, scalar)
    return sorted(found.values(), key=lambda s: s.start)


def _compose(source: str, *, path: str, first_line: int) -> yaml.MappingNode | None:
    """The YAML front matter's root mapping (None when it holds only comments); a
    ``SourceError`` at the right line when it is not valid YAML or not a mapping."""
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
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        raise SourceError(
            "front matter is not a mapping of keys to values",
            path=path,
            line=first_line + root.start_mark.line,
            hint="write the front matter as 'key: value' lines (e.g. 'title: My article')",
        )
    return root


def _yaml_reach(
    node: yaml.Node, parts: tuple[str, ...], at: tuple[str, ...], *, flow: bool
) -> Iterator[tuple[tuple[str, ...], yaml.ScalarNode, bool]]:
    """Scalars that ``parts`` reach from ``node`` (reached by ``at``), each with its
    path and whether it stands inside a flow collection."""
    inner = flow or bool(getattr(node, "flow_style", False))
    if not parts:
        if isinstance(node, yaml.ScalarNode):
            yield at, node, flow
        elif isinstance(node, yaml.SequenceNode):  # a list of strings: each of them
            for i, item in enumerate(node.value):
                if isinstance(item, yaml.ScalarNode):
                    yield (*at, str(i)), item, inner
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
                for rest in _steps(key.value, parts):
                    yield from _yaml_reach(value, rest, (*at, key.value), flow=inner)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if parts[0] in {str(i), WILDCARD}:
                yield from _yaml_reach(item, parts[1:], (*at, str(i)), flow=inner)


def _yaml_scalar(source: str, key: str, node: yaml.ScalarNode, flow: bool) -> Scalar | None:
    """``node`` as a ``Scalar``, if it is a string whose span reads back as its value."""
    if node.tag != _STR_TAG:
        return None
    whole, end = node.start_mark.index, node.end_mark.index
    start = whole
    properties = _PROPERTIES_RE.match(source, start, end)
    if properties:
        start = properties.end()  # an &anchor or !tag stays; only the value changes
    while end > start and source[end - 1] in "\r\n":
        end -= 1  # a block scalar ends after its last line break, which stays
    # The parser's marks are exact, but a span is only ever replaced once it is shown
    # to hold the value: read alone (properties included), it must give the same text.
    if not _reads_back(source[whole:end] + "\n", node.value, flow=flow, loose=True):
        return None
    return Scalar(key, node.value, start, end, ("[" if flow else "") + (node.style or ""))


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


def _reads_back(scalar: str, value: str, *, flow: bool = False, loose: bool = False) -> bool:
    """``scalar`` reads as ``value``, as a mapping value or inside ``[…]``; with
    ``loose``, as a string equal to ``value`` but for outer blanks and line breaks."""
    try:
        loaded = yaml.safe_load(f"k: [{scalar}]" if flow else f"k: {scalar}")
    except yaml.YAMLError:
        return False
    if not isinstance(loaded, dict):
        return False
    got = loaded.get("k")
    if flow:
        if not isinstance(got, list) or len(got) != 1:
            return False
        got = got[0]
    if loose:
        return isinstance(got, str) and got.strip() == value.strip()
    return isinstance(got, str) and got == value


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


# --- Where front matter is -------------------------------------------------------------

_FIRST_LINE_RE = re.compile(r"(-{3,}|\+\+\+)[ \t]*(?:\r\n|\r|\n|$)")
_LINE_RE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def opening_fence(body: str) -> str | None:
    """``"---"`` or ``"+++"`` when the first line of ``body`` (an article without its
    BOM) opens front matter, else None. Front matter is only ever at line 1."""
    match = _FIRST_LINE_RE.match(body)
    if not match:
        return None
    return "+++" if match[1] == "+++" else "---"


def unclosed(fence: str, path: str) -> SourceError:
    """The error for front matter opened on line 1 with ``fence`` and never closed."""
    if fence == "+++":
        hint = "end the TOML front matter with a line '+++'"
    else:
        hint = (
            "end the front matter with a line '---' (for a thematic break at the top of "
            "an article, write '***' instead)"
        )
    return SourceError(
        f"front matter opened with '{fence}' has no closing '{fence}' line",
        path=path,
        line=1,
        hint=hint,
    )


def mask_toml(body: str) -> str:
    """``body`` with its TOML front matter disguised for a YAML front-matter parser.

    The ``+++`` lines become ``---`` and every character between them a space (line
    breaks kept), so the text has the same length and lines, and a Markdown parser with
    a ``---`` front-matter rule reads the block as front matter, never as Markdown. A
    ``body`` without closed ``+++`` front matter is returned unchanged.
    """
    if not body.startswith("+++") or opening_fence(body) != "+++":
        return body
    lines = _LINE_RE.finditer(body)
    first = next(lines)
    for match in lines:
        # Hugo ends TOML front matter at the first line that starts with "+++", even
        # inside a multi-line string: so do we, and a translation that writes such a line
        # no longer reads back (it falls back instead of moving text out of the block).
        if match[1].startswith("+++"):
            inner = re.sub(r"[^\r\n]", " ", body[first.end() : match.start()])
            return (
                _dashes(first[1])
                + first[2]
                + inner
                + _dashes(match[1])
                + match[2]
                + body[match.end() :]
            )
        if not match[0]:
            break  # the end of the text
    return body


def _dashes(fence_line: str) -> str:
    return "---" + " " * (len(fence_line) - 3)


# --- TOML --------------------------------------------------------------------------------

_TOML_DELIMITERS = {
    tomlkit.items.StringType.SLB: '"',
    tomlkit.items.StringType.SLL: "'",
    tomlkit.items.StringType.MLB: '"""',
    tomlkit.items.StringType.MLL: "'''",
}
_TOML_ERROR_AT_RE = re.compile(r" at line \d+ col \d+$")


def toml_scalars(source: str, keys: Sequence[str], *, path: str, first_line: int) -> list[Scalar]:
    """String values that the key paths ``keys`` reach in ``source``, in source order.

    As for YAML: a path names keys of tables (``[seo]``, ``seo.title = …``, inline
    ``{…}``) and indices of arrays (``[[faq]]``, ``[…]``), ``*`` any of them; a path that
    ends at an array takes the strings in it. Other values and paths that reach nothing
    are left out. ``source`` is the text between the ``+++`` lines, which starts at
    1-based line ``first_line`` of ``path``. Each span covers the whole string with its
    delimiters; ``value`` has line breaks as ``\\n``. Raises ``SourceError`` at the
    right line when ``source`` is not valid TOML.
    """
    doc = _parse_toml(source, path=path, first_line=first_line)
    found: dict[int, tuple[str, tomlkit.items.String]] = {}
    for pattern in keys:
        for at, item in _toml_reach(doc, key_path(pattern), ()):
            found.setdefault(id(item), (SEPARATOR.join(at), item))
    return _toml_spans(doc, source, list(found.values())) if found else []


def _parse_toml(source: str, *, path: str, first_line: int) -> tomlkit.TOMLDocument:
    """``source`` parsed by tomlkit; a ``SourceError`` at the right line if it is not TOML."""
    try:
        return tomlkit.parse(source)
    except tomlkit.exceptions.ParseError as exc:
        problem = _TOML_ERROR_AT_RE.sub("", str(exc))
        raise SourceError(
            f"front matter is not valid TOML: {problem}",
            path=path,
            line=first_line + max(exc.line, 1) - 1,
            hint="fix the TOML between the '+++' lines (strings need quotes: title = \"…\")",
        ) from None


_TomlNode = tomlkit.items.Item | tomlkit.container.Container


def _toml_reach(
    node: _TomlNode, parts: tuple[str, ...], at: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], tomlkit.items.String]]:
    """Strings that ``parts`` reach from ``node`` (reached by ``at``), with their paths.

    Tables are walked through their bodies, never tomlkit's mapping view, so every
    string found is the very item the document writes; a table split in pieces
    (``[a.b]`` then ``[a]``, dotted keys) is each of its pieces in turn.
    """
    if not parts:
        if isinstance(node, tomlkit.items.String):
            yield at, node
        elif isinstance(node, tomlkit.items.Array):  # an array of strings: each of them
            for i, item in enumerate(node):
                if isinstance(item, tomlkit.items.String):
                    yield (*at, str(i)), item
        return
    if isinstance(node, tomlkit.items.Table | tomlkit.items.InlineTable):
        node = node.value
    if isinstance(node, tomlkit.container.Container):
        for key, value in node.body:
            if key is not None:
                for rest in _steps(key.key, parts):
                    yield from _toml_reach(value, rest, (*at, key.key))
    elif isinstance(node, tomlkit.items.AoT | tomlkit.items.Array):
        items = node.body if isinstance(node, tomlkit.items.AoT) else list(node)
        for i, item in enumerate(items):
            if parts[0] in {str(i), WILDCARD}:
                yield from _toml_reach(item, parts[1:], (*at, str(i)))


def _toml_spans(
    doc: tomlkit.TOMLDocument, source: str, found: list[tuple[str, tomlkit.items.String]]
) -> list[Scalar]:
    """Where each string of ``found`` stands in ``source``, in source order.

    tomlkit keeps no offsets, but it writes a document back byte for byte and writes a
    string from its raw text (``_original``). So each string's raw text is swapped for a
    numbered marker, the document is written, and the markers' places, corrected by the
    length differences before them, are the strings' places in ``source``. Each span is
    then checked against the string's own text; a string whose marker is not written, or
    whose span does not check out, is left out (untranslated) rather than guessed.
    """
    if "\x00" in source:
        return []  # tomlkit refuses NUL; never let a marker collide
    raws: list[str] = []
    for k, (_key, item) in enumerate(found):
        original = getattr(item, "_original", None)
        if not isinstance(original, str):
            return []
        raws.append(original)
        item._original = f"\x00{k}\x00"
    try:
        marked = doc.as_string()
    finally:
        for (_key, item), original in zip(found, raws, strict=True):
            item._original = original
    out: list[Scalar] = []
    shift = 0
    for match in re.finditer("\x00([0-9]+)\x00", marked):
        k = int(match[1])
        key, item = found[k]
        delimiter = _TOML_DELIMITERS[item.type]
        start = match.start() + shift - len(delimiter)
        end = start + len(item.as_string())
        shift += len(raws[k]) - len(match[0])
        if source[start:end] != item.as_string():
            continue
        out.append(Scalar(key, _newlines(str(item)), start, end, delimiter))
    return out


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def format_toml_string(value: str, style: str, original: str = "", eol: str = "\n") -> str:
    """Write ``value`` as a TOML string of the type ``style`` (as found in the source).

    A multi-line string keeps the source's line break after the opening delimiter and
    its closing layout (``original`` is the source string, delimiters included), and
    writes line breaks as ``eol``. A literal string that cannot hold ``value`` (a quote,
    a control character; a line break in a one-line literal) becomes the basic string
    of the same kind. Whatever is written must read back as ``value`` with tomlkit; if
    it would not, the one-line basic string, which holds every text, is written.
    """
    candidates: list[str] = []
    if style in {'"""', "'''"}:
        inner = original[3:-3] if len(original) >= 6 else ""
        lead = re.match(r"(?:\r\n|\n)?", inner)
        trail = re.search(r"(?:\r\n|\n)[ \t]*$", inner)
        head = lead[0] if lead else ""
        tail = trail[0] if trail and trail.start() >= len(head) else ""
        if style == "'''":
            body = _multi_line_literal(value, eol, ends_string=not tail)
            if body is not None:
                candidates.append("'''" + head + body + tail + "'''")
        candidates.append('"""' + head + _multi_line_basic(value, eol, not tail) + tail + '"""')
    elif style == "'" and not _LITERAL_REFUSES.search(value) and "\n" not in value:
        candidates.append("'" + value + "'")
    for text in candidates:
        if _toml_reads_back(text, value):
            return text
    return _basic(value)


_LITERAL_REFUSES = re.compile("['\x00-\x08\x0b-\x1f\x7f]")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def _basic(value: str) -> str:
    """A one-line basic string: every text can be written as one."""
    return '"' + "".join(_escape_char(ch) for ch in value) + '"'


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ord(ch) < 0x20 or ch == "\x7f":
        return f"\\u{ord(ch):04X}"
    return ch


def _multi_line_basic(value: str, eol: str, ends_string: bool) -> str:
    out: list[str] = []
    for i, ch in enumerate(value):
        if ch == "\n":
            out.append(eol)
        elif ch == "\t":
            out.append(ch)
        elif ch == '"':
            # Never three quotes in a row, nor one just before the closing delimiter.
            last = i + 1 == len(value)
            out.append('\\"' if (last and ends_string) or value[i + 1 : i + 2] == '"' else ch)
        else:
            out.append(_escape_char(ch))
    return "".join(out)


def _multi_line_literal(value: str, eol: str, ends_string: bool) -> str | None:
    if "'''" in value or re.search("[\x00-\x08\x0b-\x1f\x7f]", value):
        return None
    if ends_string and value.endswith("'"):
        return None
    return value.replace("\n", eol)


def _toml_reads_back(text: str, value: str) -> bool:
    """``text``, as a TOML value, reads as ``value`` (line breaks and outer blanks aside,
    as a segment's text is read)."""
    try:
        loaded = tomlkit.parse(f"k = {text}\n").get("k")
    except tomlkit.exceptions.TOMLKitError:
        return False
    return isinstance(loaded, str) and _newlines(str(loaded)).strip() == value.strip()


# --- Setting a top-level value (the front-matter policy) -----------------------------------


def value_at(source: str, key: str, *, toml: bool, path: str, first_line: int) -> str | None:
    """The string value that the key path ``key`` (``title``, ``seo.title``) names in
    ``source`` (the text between the fences), or None when it names no string (absent,
    a number, a list). ``SourceError`` as ``scalars`` when ``source`` is not valid."""
    read = toml_scalars if toml else scalars
    for scalar in read(source, (key,), path=path, first_line=first_line):
        if scalar.key == key:
            return scalar.value
    return None


def set_top_level(
    source: str, key: str, value: str, *, toml: bool, eol: str, path: str, first_line: int
) -> str:
    """``source`` (the text between the fences) with the top-level ``key`` set to the
    one-line string ``value``, every other byte kept.

    An existing value's span is replaced, in its quoting style when that style can hold
    ``value`` (a plain, block or non-string YAML value becomes plain when YAML reads it
    back as this string, else double-quoted; TOML keeps ``"`` or ``'``); an ``&anchor``
    stays, a ``!tag`` goes. An absent key is added as a line ending in ``eol``: YAML
    ``key: value`` at the end, TOML ``key = "value"`` after the last top-level line
    before the first table header (a comment just above the header stays with it).

    ``key`` must be a bare key (letters, digits, ``_``, ``-``: the policy checks it).
    ``SourceError`` (``path``; ``first_line`` is the 1-based line of ``source``'s start)
    when the front matter is not valid, when ``key`` holds a list or table, or when the
    result does not read back as the old front matter with just ``key`` set to ``value``.
    """
    if toml:
        new = _toml_set(source, key, value, eol=eol, path=path, first_line=first_line)
        before: Any = tomlkit.parse(source).unwrap()
    else:
        new = _yaml_set(source, key, value, eol=eol, path=path, first_line=first_line)
        before = yaml.safe_load(source) or {}  # valid: _yaml_set has composed it
    try:
        after = tomlkit.parse(new).unwrap() if toml else yaml.safe_load(new)
    except (tomlkit.exceptions.TOMLKitError, yaml.YAMLError):
        after = None
    # The write is only kept once it is shown to change nothing but the one value.
    if after != {**before, key: value}:
        raise SourceError(
            f"front-matter key '{key}' cannot be set to '{value}' without changing other values",
            path=path,
            line=first_line,
            hint=f"write '{key}' as a plain one-line value (or remove it) in the source, "
            "or remove its rule from [front_matter]",
        )
    return new


def _holds_collection(key: str, path: str, line: int) -> SourceError:
    return SourceError(
        f"front-matter key '{key}' holds a list or table, which the front_matter "
        "policy would replace with a string",
        path=path,
        line=line,
        hint=f"rename the source's '{key}', or remove its rule from [front_matter]",
    )


def _append_line(source: str, line: str, eol: str) -> str:
    if source and not source.endswith(("\n", "\r")):
        source += eol
    return source + line + eol


def _yaml_set(source: str, key: str, value: str, *, eol: str, path: str, first_line: int) -> str:
    root = _compose(source, path=path, first_line=first_line)
    found: tuple[yaml.Node, yaml.Node] | None = None
    for k, v in root.value if root is not None else ():
        if isinstance(k, yaml.ScalarNode) and k.tag != _MERGE_TAG and k.value == key:
            found = (k, v)  # PyYAML (like most readers) keeps the last of duplicate keys
    if found is None:
        return _append_line(source, f"{key}: {format_yaml_scalar(value, '')}", eol)
    key_node, node = found
    if not isinstance(node, yaml.ScalarNode):
        raise _holds_collection(key, path, first_line + key_node.start_mark.line)
    whole = start = node.start_mark.index
    end = node.end_mark.index
    keep = ""
    properties = _PROPERTIES_RE.match(source, start, end)
    if properties:
        start = properties.end()
        # an alias elsewhere may name the anchor; a !!int tag would make the string wrong
        anchors = [p for p in properties[0].split() if p.startswith("&")]
        keep = " ".join(anchors) + " " if anchors else ""
    while end > start and source[end - 1] in "\r\n":
        end -= 1  # a block scalar's last line break stays
    quoted = node.tag == _STR_TAG and node.style in {"'", '"'}
    flow = "[" if root is not None and root.flow_style else ""
    text = keep + format_yaml_scalar(value, flow + (node.style if quoted else ""))
    if whole == end and (whole == 0 or source[whole - 1] not in " \t"):
        text = " " + text  # an empty value: "lang:" becomes "lang: az"
    return source[:whole] + text + source[end:]


def _toml_set(source: str, key: str, value: str, *, eol: str, path: str, first_line: int) -> str:
    doc = _parse_toml(source, path=path, first_line=first_line)
    item = next((v for k, v in doc.body if k is not None and k.key == key), None)
    if item is None:
        line = f"{key} = {_basic(value)}"
        at = _toml_top_end(source)
        if at is None:
            return _append_line(source, line, eol)
        return source[:at] + line + eol + source[at:]
    if isinstance(
        item,
        tomlkit.items.Table | tomlkit.items.AoT | tomlkit.items.Array | tomlkit.items.InlineTable,
    ):
        raise _holds_collection(key, path, first_line + _line_of_key(source, key))
    if isinstance(item, tomlkit.items.String):
        for span in _toml_spans(doc, source, [(key, item)]):
            style = span.style if span.style in {'"', "'"} else '"'
            text = format_toml_string(value, style, source[span.start : span.end], eol)
            return source[: span.start] + text + source[span.end :]
    doc[key] = value  # a number, boolean or date: tomlkit writes every other byte as read
    return doc.as_string()


def _line_of_key(source: str, key: str) -> int:
    """The 0-based line where ``key`` (or its ``[key]`` header) first starts a line (0
    if nowhere)."""
    match = re.search(rf"^[ \t]*(?:\[[ \t]*)?[\"']?{re.escape(key)}\b", source, re.M)
    return source.count("\n", 0, match.start()) if match else 0


_TOML_HEADER_RE = re.compile(r"[ \t]*\[")


def _toml_top_end(source: str) -> int | None:
    """Where a new top-level key goes in ``source``: just after the last line that is
    neither blank nor a comment before the first table header (0 when there is none);
    None when there is no table header (the key goes at the end)."""
    last = 0
    for match in _LINE_RE.finditer(source):
        if not match[0]:
            break
        line = match[1]
        # a "[" line is a header only where the text before it is whole TOML (not inside
        # a multi-line string or array)
        if _TOML_HEADER_RE.match(line) and _is_toml(source[: match.start()]):
            return last
        if line.strip() and not line.lstrip().startswith("#"):
            last = match.end()
    return None


def _is_toml(text: str) -> bool:
    try:
        tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError:
        return False
    return True


_CLOSE_RE = {
    "---": re.compile(r"^(?:-{3,}|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.M),
    "+++": re.compile(r"^\+\+\+[ \t]*(?:\r\n|\r|\n|\Z)", re.M),
}


def with_flag(text: str, key: str) -> str | None:
    """``text`` (an article, BOM and all) with the top-level front-matter ``key`` set
    to ``true``: a line ``key: true`` (``key = true`` in TOML) as the front matter's
    first, which is top level in any block mapping, or a front matter of its own when
    the article has none. Every other byte is kept.

    A value the key already has is replaced on its own line; a YAML flow mapping gets
    the key as its first entry. Verified by parsing: the front matter must read back as
    before with the key true. Returns ``text`` when the key is already true, and None
    when it cannot be set safely (the front matter does not parse as a mapping)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    eol_match = re.search(r"\r\n|\r|\n", body)
    eol = eol_match[0] if eol_match else "\n"
    fence = opening_fence(body)
    if fence is None:
        return f"{bom}---{eol}{key}: true{eol}---{eol}{body}"
    first = _FIRST_LINE_RE.match(body)
    assert first is not None
    start = first.end()
    close = _CLOSE_RE[fence].search(body, start)
    if close is None:
        return None
    front = body[start : close.start()]
    toml = fence == "+++"
    before = _front_mapping(front, toml=toml)
    if before is None:
        return None
    if before.get(key) is True:
        return text
    sep = " = " if toml else ": "
    candidates = [f"{key}{sep}true{eol}" + front]  # a first line is always top level
    if key in before:  # the value it has, replaced on its own top-level line
        own_line = rf"^{re.escape(key)}[ \t]*[:=][ \t]*([^\r\n]*?)[ \t]*$"
        candidates = [
            front[: m.start(1)] + "true" + front[m.end(1) :]
            for m in re.finditer(own_line, front, re.M)
        ]
    elif not toml and front.lstrip().startswith("{"):  # a YAML flow mapping
        brace = front.index("{") + 1
        candidates.append(f"{front[:brace]}{key}: true, {front[brace:]}")
    for candidate in candidates:
        if _front_mapping(candidate, toml=toml) == {**before, key: True}:
            return bom + body[:start] + candidate + body[close.start() :]
    return None


def _front_mapping(front: str, *, toml: bool) -> dict[str, Any] | None:
    """The front matter ``front`` as a mapping, or None when it is none (or broken)."""
    try:
        data: object = tomllib.loads(front) if toml else yaml.safe_load(front)
    except (tomllib.TOMLDecodeError, yaml.YAMLError):
        return None
    if data is None and not front.strip():
        return {}
    return data if isinstance(data, dict) else None
