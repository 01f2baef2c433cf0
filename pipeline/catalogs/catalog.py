"""``.po``/``.pot`` files ↔ ``Catalog``: the only module that imports ``polib``.

Catalogs are written the way GNU ``msgcat --no-wrap`` writes them: one line per string
(split only after embedded newlines) and ``#:`` references filled to 79 columns, so GNU
tools, Poedit and Weblate configured without wrapping cause no diff churn. A file name
holding a space or a tab is written between U+2068 and U+2069 in ``#:`` lines, as GNU
gettext 0.22 and later do, and read back whole. Reading is strict: merge-conflict
markers, bad UTF-8, broken strings and duplicate messages are errors that name
``path:line``. A catalog is always parsed from its bytes (``parse_catalog``), never from
a string a library could take for a file name.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import polib

from pipeline.errors import CatalogError
from pipeline.files import read_regular

PAGE_WIDTH = 79
"""GNU gettext's page width; it wraps ``#:`` lines there even with ``--no-wrap``."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One message of a catalog, as gettext defines it."""

    msgid: str
    """The source text."""
    msgstr: str = ""
    """The translation; empty means untranslated."""
    msgctxt: str | None = None
    """Disambiguating context, if any."""
    msgid_plural: str = ""
    """Plural source text (never produced from articles; kept if a translator adds it)."""
    msgstr_plural: tuple[tuple[int, str], ...] = ()
    """Plural translations by index."""
    flags: tuple[str, ...] = ()
    """``#,`` flags in file order (``fuzzy``, ``md-text``, ``no-check-…``)."""
    translator_comment: str = ""
    """``# `` lines, written by translators; always kept."""
    comment: str = ""
    """``#.`` lines: where the text stands, written by ``extract``."""
    occurrences: tuple[tuple[str, str], ...] = ()
    """``#:`` references as (path, line)."""
    previous_msgid: str | None = None
    """``#| msgid`` (``#~| msgid`` on an obsolete entry): the source text the (fuzzy)
    translation was made for."""
    previous_msgctxt: str | None = None
    """``#| msgctxt`` (``#~| msgctxt``)."""
    obsolete: bool = False
    """``#~``: the text left the source; kept so the translation can come back."""
    line: int = 0
    """1-based line of the entry's ``msgid`` in the file read (0 for new entries)."""

    @property
    def key(self) -> tuple[str | None, str]:
        """Identity of a message: (msgctxt, msgid)."""
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        """Marked ``fuzzy``: a guess to be reviewed, never published."""
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Publishable: active, not fuzzy, with a non-empty translation."""
        if self.obsolete or self.fuzzy:
            return False
        if self.msgid_plural:
            return bool(self.msgstr_plural) and all(s for _, s in self.msgstr_plural)
        return bool(self.msgstr)


@dataclass(frozen=True, slots=True)
class Catalog:
    """A whole ``.po`` or ``.pot`` file."""

    header: tuple[tuple[str, str], ...]
    """Header fields in file order."""
    entries: tuple[Entry, ...]
    """Messages in file order, obsolete ones included."""
    header_comment: str = ""
    """Comment lines above the header."""
    header_flags: tuple[str, ...] = ()
    """Flags of the header entry (``fuzzy`` in templates)."""
    path: str = field(default="", compare=False)
    """Where it was read from (for messages)."""

    def field(self, name: str) -> str | None:
        """The value of header field ``name``, if present."""
        for key, value in self.header:
            if key == name:
                return value
        return None

    def with_field(self, name: str, value: str) -> Catalog:
        """A copy with header field ``name`` set (in place if present, else appended)."""
        fields = list(self.header)
        for k, (key, _) in enumerate(fields):
            if key == name:
                fields[k] = (name, value)
                break
        else:
            fields.append((name, value))
        return replace(self, header=tuple(fields))

    @property
    def active(self) -> tuple[Entry, ...]:
        """Entries that are not obsolete."""
        return tuple(e for e in self.entries if not e.obsolete)


def read_catalog(path: Path, shown: str) -> Catalog:
    """Parse the ``.po``/``.pot`` at ``path`` (``shown`` is its name in messages).

    Raises ``CatalogError`` naming ``shown:line`` when the file cannot be read exactly,
    or when it is not a regular file (a FIFO is refused, never opened).
    """
    try:
        data = read_regular(path, shown, CatalogError)
    except FileNotFoundError:
        raise CatalogError("cannot read: no such file", path=shown) from None
    except MemoryError:
        raise _too_large(shown) from None
    return parse_catalog(data, shown)


def parse_catalog(data: bytes, shown: str) -> Catalog:
    """Parse catalog bytes; see ``read_catalog``. Touches no file.

    Accepts exactly what GNU ``msgfmt --check`` accepts as syntax, and also refuses, as
    it does, duplicate messages (obsolete ones included), a second header, a plural
    entry whose forms do not match the header's ``nplurals``, and a ``\\004`` in a string.
    Everything else it refuses is bad UTF-8. Every error is a ``CatalogError`` at
    ``shown:line`` with a hint; running out of memory is one too.
    """
    try:
        return _catalog(data, shown)
    except _Syntax as exc:
        raise CatalogError(exc.message, path=shown, line=exc.line, hint=exc.hint) from None
    except MemoryError:
        raise _too_large(shown) from None


def _too_large(shown: str) -> CatalogError:
    return CatalogError(
        "too large to read (out of memory)",
        path=shown,
        hint="a catalog holds article text; look for a string that grew by accident "
        "(a pasted file, a runaway tool) and remove it",
    )


# ---------------------------------------------------------------------------------------
# Reading: GNU gettext's grammar (po-lex.c, po-gram-gen.y, read-catalog.c), on the bytes.
#
# Tokens are keywords (``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr``,
# ``msgstr[N]``), strings and comments; they may be laid out freely between newlines, as
# msgfmt reads them. ``#~`` marks a token obsolete, ``#|`` previous. A message ends at a
# comment, at the next keyword that starts one, or at the end of the file. The reader
# never backtracks: memory is the file plus a few copies of its longest string.

_SPACE = re.compile(rb"[ \t\r\f\v]*")
_WORD = re.compile(rb"[A-Za-z0-9_]+")
_PLAIN = re.compile(rb'[^"\\\n]*')
_DIGITS = re.compile(rb"[0-9]*")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_HEX = re.compile(rb"[0-9A-Fa-f]*")
_SIMPLE_ESCAPES = frozenset(b'ntbrfva\\"')
_CONFLICT = re.compile(rb"(?:<{7}|={7}|>{7}|\|{7})(?: |$)")
_CONFLICT_STARTS = (b"<", b"=", b">", b"|")
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_KEYWORDS = frozenset(("msgctxt", "msgid", "msgid_plural", "msgstr"))
_SYNTAX_HINT = (
    "compare the entry with the ones around it; 'msgfmt --check FILE' explains gettext "
    "syntax errors in detail"
)
_STRING_HINT = 'every string is in double quotes on one line; write \\" for a quote'
_ESCAPE_HINT = (
    'gettext knows \\n \\t \\r \\f \\v \\b \\a \\\\ \\" \\ooo (octal) and \\xhh (hex); '
    "write \\\\ for a backslash"
)

# Token kinds.
_KEY, _STR, _NOTE = 0, 1, 2


class _Syntax(Exception):
    """A reader error before the file name is known to it."""

    def __init__(self, message: str, line: int, hint: str = _SYNTAX_HINT) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


@dataclass(slots=True)
class _Draft:
    """A message being read."""

    line: int = 0
    """The line of its ``msgid``."""
    obsolete: bool = False
    strings: dict[str, str] = field(default_factory=dict)
    """``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr``: their values so far."""
    plural: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)
    state: str = ""
    """The keyword whose strings are being read ("" before any; "msgstr[]" for forms)."""
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    refs: list[tuple[str, str]] = field(default_factory=list)


class _Reader:
    """GNU gettext's PO grammar as a state machine fed one token at a time:

    ``[#| [msgctxt S+] msgid S+ [msgid_plural S+]] [msgctxt S+] msgid S+``
    then ``msgstr S+`` or ``msgid_plural S+ msgstr[0] S+ msgstr[1] S+ …``; comments come
    between messages only; every token of a message is ``#~`` or none is.
    """

    def __init__(self) -> None:
        self.done: list[Entry] = []
        self.header: _Draft | None = None
        self.header_at = -1
        """The header's index in ``done``."""
        self.draft = _Draft()
        self.started = False
        """``draft`` has had a keyword (not only comments)."""
        self.prev_key = ""
        """The ``#|`` keyword whose strings are being read."""
        self.need = ""
        """A keyword (shown) still waiting for its first string."""

    def _same_state(self, obsolete: bool, line: int) -> None:
        if (self.started or self.prev_key) and self.draft.obsolete != obsolete:
            raise _Syntax("inconsistent use of #~ (obsolete) within one entry", line)
        self.draft.obsolete = obsolete

    def _check_need(self, line: int) -> None:
        if self.need:
            raise _Syntax(f"{self.need} without a string", line, _STRING_HINT)

    def note(self, kind: str, text: str, line: int) -> None:
        """A comment line: it ends the message being read."""
        self._check_need(line)
        if self.prev_key:
            raise _Syntax("a comment between a '#|' line and its msgid", line)
        if self.started:
            self.finish(line)
        d = self.draft
        if kind == ",":
            d.flags.extend(f for f in (p.strip() for p in text.split(",")) if f)
        elif kind == ":":
            d.refs.extend(_parse_references(text))
        elif kind == ".":
            d.comment.append(text.removeprefix(" ").rstrip())
        else:
            d.tcomment.append(text.removeprefix(" ").rstrip())

    def previous(self, key: str | None, value: str | None, line: int, obsolete: bool) -> None:
        """A ``#|`` keyword (``key``) or string (``value``)."""
        if value is not None:
            if not self.prev_key:
                raise _Syntax("a '#|' string without a keyword before it", line)
            self._same_state(obsolete, line)
            self.draft.previous[self.prev_key] += value
            self.need = ""
            return
        self._check_need(line)
        if self.started:
            self.finish(line)
        self._same_state(obsolete, line)
        allowed = {"": ("msgctxt", "msgid"), "msgctxt": ("msgid",), "msgid": ("msgid_plural",)}
        if key not in allowed.get(self.prev_key, ()):
            raise _Syntax(f"unexpected '#| {key}'", line)
        self.prev_key = key
        self.draft.previous[self.prev_key] = ""
        self.need = f"#| {key}"

    def keyword(self, key: str, index: int | None, line: int, obsolete: bool) -> None:
        self._check_need(line)
        d = self.draft
        if key in ("msgctxt", "msgid") and self.started and d.state not in ("", "msgctxt"):
            self.finish(line)
            d = self.draft
        if self.prev_key:
            if self.prev_key == "msgctxt":
                raise _Syntax("'#| msgctxt' without '#| msgid'", line)
            if key not in ("msgctxt", "msgid"):
                raise _Syntax(f"'{key}' after a '#|' line: the msgid is missing", line)
            self._same_state(obsolete, line)
            self.prev_key = ""
        self._same_state(obsolete, line)
        state = d.state
        shown = key if index is None else f"msgstr[{index}]"
        if key == "msgctxt":
            if state:
                raise _Syntax("msgctxt without the msgid it belongs to", line)
            d.line = line
        elif key == "msgid":
            if state not in ("", "msgctxt"):
                raise _Syntax("unexpected msgid", line)
            d.line = line
        elif state in ("", "msgctxt"):
            raise _Syntax(f"{shown} without a msgid before it", line)
        elif key == "msgid_plural":
            if state != "msgid":
                raise _Syntax("unexpected msgid_plural", line)
        elif index is None:
            if state == "msgid_plural":
                raise _Syntax(
                    "a plural entry has msgstr instead of msgstr[0]",
                    line,
                    "write the plural forms as msgstr[0], msgstr[1]…",
                )
            if state != "msgid":
                raise _Syntax("a second msgstr in one entry", line)
        elif state == "msgid":
            raise _Syntax(
                f"msgstr[{index}] without msgid_plural",
                line,
                "add the msgid_plural line, or write msgstr without an index",
            )
        elif index != len(d.plural) or state not in ("msgid_plural", "msgstr[]"):
            raise _Syntax(
                f"msgstr[{index}] out of order: expected msgstr[{len(d.plural)}]",
                line,
                "write the plural forms as msgstr[0], msgstr[1]… in order",
            )
        self.started = True
        if index is None:
            d.state = key
            d.strings[key] = ""
        else:
            d.state = "msgstr[]"
            d.plural.append("")
        self.need = shown

    def string(self, value: str, line: int, obsolete: bool) -> None:
        d = self.draft
        if self.prev_key:
            raise _Syntax("a string after a '#|' line", line)
        if not self.started:
            raise _Syntax("a string without a keyword before it", line, _STRING_HINT)
        self._same_state(obsolete, line)
        if d.state == "msgstr[]":
            d.plural[-1] += value
        else:
            d.strings[d.state] += value
        self.need = ""

    def finish(self, line: int) -> None:
        """End the message being read (``line``: where the next token or the file ends)."""
        self._check_need(line)
        if self.prev_key:
            raise _Syntax("a '#|' line without the entry it belongs to", line)
        if not self.started:
            return
        d = self.draft
        if d.state == "msgctxt":
            raise _Syntax(
                "msgctxt without the msgid it belongs to",
                d.line,
                "delete the msgctxt line, or write the msgid and msgstr it is the context of",
            )
        if d.state == "msgid":
            raise _Syntax("msgid without msgstr", d.line, 'add msgstr "" after the msgid')
        if d.state == "msgid_plural":
            raise _Syntax(
                "msgid_plural without msgstr[0]", d.line, 'add msgstr[0] "", msgstr[1] ""…'
            )
        strings = d.strings
        for key, text in (*strings.items(), *(("", p) for p in d.plural)):
            if "\x04" in text and key != "msgid":  # msgfmt allows it there
                raise _Syntax(
                    "a string holds the control character EOT (\\004), the context separator",
                    d.line,
                    "remove it; use msgctxt for a context",
                )
        msgctxt = strings.get("msgctxt")
        if msgctxt is None and not strings["msgid"] and not d.obsolete and self.header is None:
            self.header, self.header_at = d, len(self.done)
        self.done.append(
            Entry(
                msgid=strings["msgid"],
                msgstr=strings.get("msgstr", ""),
                msgctxt=msgctxt,
                msgid_plural=strings.get("msgid_plural", ""),
                msgstr_plural=tuple(enumerate(d.plural)),
                flags=tuple(d.flags),
                translator_comment="\n".join(d.tcomment),
                comment="\n".join(d.comment),
                occurrences=tuple(d.refs),
                previous_msgid=d.previous.get("msgid"),
                previous_msgctxt=d.previous.get("msgctxt"),
                obsolete=d.obsolete,
                line=d.line,
            )
        )
        self.draft = _Draft()
        self.started = False


def _catalog(data: bytes, shown: str) -> Catalog:
    """The catalog in ``data``; raises ``_Syntax``."""
    reader = _Reader()
    pos, line, size = 0, 0, len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    while pos <= size:
        line += 1
        end = data.find(b"\n", pos)
        if end < 0:
            end = size
        stop = end - 1 if end > pos and data[end - 1] == 13 else end  # CR LF ends a line
        if data[pos : pos + 1] in _CONFLICT_STARTS and _CONFLICT.match(data, pos, stop):
            raise _Syntax(
                "unresolved merge conflict marker",
                line,
                "resolve the conflict (keep one msgstr per entry), or set up "
                "'pipeline merge-driver' for *.po files as the README shows",
            )
        _line_tokens(reader, data, pos, stop, line)
        pos = end + 1
    reader.finish(line)
    return _assemble(reader, shown)


def _assemble(reader: _Reader, shown: str) -> Catalog:
    """The catalog of a whole file read: header apart, duplicates and plural forms
    checked as ``msgfmt --check`` does."""
    header = reader.header
    seen: dict[tuple[str | None, str], int] = {}
    entries: list[Entry] = []
    for at, entry in enumerate(reader.done):
        first = seen.get(entry.key)
        if first is not None:
            what = (
                'a second header entry (msgid "")'
                if entry.key == (None, "")
                else ("duplicate message")
            )
            raise _Syntax(
                f"{what} (first defined at line {first})",
                entry.line,
                "delete one of the two entries, keeping the better translation"
                + (" (an obsolete #~ entry counts too)" if entry.obsolete else ""),
            )
        seen[entry.key] = entry.line
        if at != reader.header_at:
            entries.append(entry)
    fields: dict[str, str] = {}
    comment, flags = "", cast(tuple[str, ...], ())
    if header is not None:
        key = None
        for text in header.strings.get("msgstr", "").splitlines():  # as polib reads it
            name, colon, value = text.partition(":")
            if colon:
                key = name
                fields[key] = value.strip()
            elif key is not None:
                fields[key] += "\n" + text.strip()
        comment = "\n".join(header.tcomment)
        flags = ("fuzzy",) if "fuzzy" in header.flags else ()
        forms = _NPLURALS.search(fields.get("Plural-Forms", ""))
        if forms:
            _check_plural_counts(entries, int(forms[1]))
    return Catalog(
        header=tuple(fields.items()),
        entries=tuple(entries),
        header_comment=comment,
        header_flags=flags,
        path=shown,
    )


def _check_plural_counts(entries: Sequence[Entry], count: int) -> None:
    """As ``msgfmt --check``: a plural entry that may be published has exactly the
    header's ``nplurals`` forms (fuzzy and obsolete ones are not checked)."""
    for entry in entries:
        if entry.msgid_plural and not entry.obsolete and not entry.fuzzy:
            forms = len(entry.msgstr_plural)
            if forms != count:
                raise _Syntax(
                    f"a plural entry has {forms} msgstr[] forms, but the header's "
                    f"Plural-Forms says nplurals={count}",
                    entry.line,
                    f"write msgstr[0] to msgstr[{count - 1}], or correct Plural-Forms",
                )


def _line_tokens(reader: _Reader, data: bytes, i: int, end: int, line: int) -> None:
    """Feed the tokens of one line (``data[i:end]``, without its line end) to ``reader``."""
    i = _SPACE.match(data, i, end).end()  # type: ignore[union-attr]
    if i >= end:
        return
    obsolete = previous = False
    first = data[i]
    if first == 35:  # "#"
        mark = data[i + 1 : i + 2]
        if mark == b"~":
            obsolete, i = True, i + 2
            if data[i : i + 1] == b"|":
                previous, i = True, i + 1
        elif mark == b"|":
            previous, i = True, i + 2
        else:
            _comment(reader, data, i, end, line)
            return
    after_string = False
    while True:
        i = _SPACE.match(data, i, end).end()  # type: ignore[union-attr]
        if i >= end:
            return
        c = data[i]
        if c == 34:  # '"'
            i, value = _string(data, i + 1, end, line)
            if previous:
                reader.previous(None, value, line, obsolete)
            else:
                reader.string(value, line, obsolete)
            after_string = True
            continue
        if c == 35:  # "#": a comment to the end of the line
            mark = data[i + 1 : i + 2]
            if mark in (b"~", b"|"):
                raise _Syntax("'#~' or '#|' in the middle of a line", line)
            _comment(reader, data, i, end, line)
            return
        word = _WORD.match(data, i, end)
        if word is None or (c < 65 and word.end() - i > 0 and data[i : word.end()].isdigit()):
            if after_string:
                raise _Syntax("broken string (a missing or unescaped quote)", line, _STRING_HINT)
            _not_utf8_at(data, i, end, line)
            shown = data[i : i + 1].decode("utf-8", "replace")
            raise _Syntax(f"syntax error: unexpected {shown!r}", line)
        key = word[0].decode("ascii")
        if key not in _KEYWORDS:
            if after_string:
                raise _Syntax("broken string (a missing or unescaped quote)", line, _STRING_HINT)
            raise _Syntax(f"syntax error: unknown keyword {key!r}", line)
        i = word.end()
        index = None
        if key == "msgstr":
            j = _SPACE.match(data, i, end).end()  # type: ignore[union-attr]
            if data[j : j + 1] == b"[":
                j = _SPACE.match(data, j + 1, end).end()  # type: ignore[union-attr]
                digits = _DIGITS.match(data, j, end)[0]  # type: ignore[index]
                j = _SPACE.match(data, j + len(digits), end).end()  # type: ignore[union-attr]
                if not digits or data[j : j + 1] != b"]":
                    raise _Syntax("syntax error: a plural form is written msgstr[N]", line)
                index, i = int(digits), j + 1
        if previous:
            if index is not None or key == "msgstr":
                raise _Syntax(f"unexpected '#| {key}'", line)
            reader.previous(key, None, line, obsolete)
        else:
            reader.keyword(key, index, line, obsolete)
        after_string = False


def _comment(reader: _Reader, data: bytes, i: int, end: int, line: int) -> None:
    """The comment starting with the ``#`` at ``i``: ``#,`` flags, ``#:`` references,
    ``#.`` extracted comments; any other is a translator's comment."""
    kind = data[i + 1 : i + 2]
    if kind in (b",", b":", b"."):
        reader.note(kind.decode("ascii"), _text(data, i + 2, end, line), line)
    else:
        reader.note("#", _text(data, i + 1, end, line), line)


def _text(data: bytes, i: int, end: int, line: int) -> str:
    try:
        return data[i:end].decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8(line) from None


def _not_utf8(line: int) -> _Syntax:
    return _Syntax("not UTF-8", line, "convert it with: msgconv --to-code=UTF-8 FILE -o FILE")


def _not_utf8_at(data: bytes, i: int, end: int, line: int) -> None:
    if data[i] >= 128:
        _text(data, i, end, line)


def _string(data: bytes, i: int, end: int, line: int) -> tuple[int, str]:
    """The string opening before ``i``: (index after its closing quote, its value)."""
    start, escaped, plain = i, False, True
    while True:
        i = _PLAIN.match(data, i, end).end()  # type: ignore[union-attr]
        if i >= end:
            raise _Syntax("broken string (a missing or unescaped quote)", line, _STRING_HINT)
        if data[i] == 34:
            break
        escaped = True
        c = data[i + 1] if i + 1 < end else -1
        if c in _SIMPLE_ESCAPES:
            i += 2
        elif 48 <= c <= 55:  # an octal digit
            digits = _OCTAL.match(data, i + 1, end)[0]  # type: ignore[index]
            plain = plain and int(digits, 8) < 256
            i += 1 + len(digits)
        elif c == 120:  # "x"
            digits = _HEX.match(data, i + 2, end)[0]  # type: ignore[index]
            if not digits:
                raise _Syntax("invalid escape '\\x' (no hex digits after it)", line, _ESCAPE_HINT)
            plain = plain and len(digits) == 2
            i += 2 + len(digits)
        else:
            if c < 0:
                raise _Syntax("broken string (a missing or unescaped quote)", line, _STRING_HINT)
            shown = data[i : i + 2].decode("utf-8", "replace")
            raise _Syntax(f"invalid escape '{shown}'", line, _ESCAPE_HINT)
    raw = data[start:i]
    if escaped:
        raw = codecs.escape_decode(raw)[0] if plain else _unescape_slowly(raw)
    try:
        return i + 1, raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Syntax(
            "not UTF-8" if not escaped else "not UTF-8 (after its \\ooo or \\xhh escapes)",
            line,
            "convert it with: msgconv --to-code=UTF-8 FILE -o FILE",
        ) from None


_SLOW_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))", re.S)
_SIMPLE_VALUES = dict(zip(b'ntbrfva\\"', (bytes((c,)) for c in b'\n\t\b\r\f\v\a\\"'), strict=True))


def _unescape_slowly(raw: bytes) -> bytes:
    r"""Escapes as gettext decodes them, for the rare ``\ooo`` past 255 and ``\x`` with
    other than two hex digits: the value is cut to its low byte."""

    def one(match: re.Match[bytes]) -> bytes:
        if match[1] is not None:
            return bytes((int(match[1], 8) & 255,))
        if match[2] is not None:
            return bytes((int(match[2], 16) & 255,))
        return _SIMPLE_VALUES[match[3][0]]

    return _SLOW_ESCAPE.sub(one, raw)


_ISOLATE_OPEN, _ISOLATE_CLOSE = "\u2068", "\u2069"
_REFERENCE_SPACES = " \t\r\f\v"


def _parse_references(text: str) -> list[tuple[str, str]]:
    """``#:`` line content → (path, line) pairs, the way GNU gettext reads them: split at
    spaces and tabs, except inside U+2068…U+2069; ``:digits`` at the end is the line."""
    out: list[tuple[str, str]] = []
    i, end = 0, len(text)
    while i < end:
        if text[i] in _REFERENCE_SPACES:
            i += 1
            continue
        if text[i] == _ISOLATE_OPEN:
            close = text.find(_ISOLATE_CLOSE, i + 1)
            close = end if close < 0 else close
            name, j = text[i + 1 : close], close + 1
            while j < end and text[j] not in _REFERENCE_SPACES:
                j += 1
            number = text[close + 2 : j] if text[close + 1 : close + 2] == ":" else ""
            out.append((name, number if number.isascii() and number.isdigit() else ""))
        else:
            j = i
            while j < end and text[j] not in _REFERENCE_SPACES:
                j += 1
            token = text[i:j]
            path, colon, number = token.rpartition(":")
            if colon and number.isascii() and number.isdigit():
                out.append((path, number))
            else:
                out.append((token, ""))
        i = j
    return out


def catalog_text(catalog: Catalog) -> str:
    """The file text of ``catalog``, byte-identical to what ``msgcat --no-wrap`` writes.

    Header fields keep their order (polib would reorder them), so fields a translator's
    tool added stay where they were.
    """
    parts = []
    if catalog.header_comment:
        parts.append(
            "".join(
                "#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
                for line in catalog.header_comment.split("\n")
            )
        )
    header_text = "".join(f"{key}: {value}\n" for key, value in catalog.header)
    header = polib.POEntry(msgid="", msgstr=header_text, flags=list(catalog.header_flags))
    # polib writes "#:" lines with names as they are (a space splits one name in two):
    # it writes a stand-in, which is replaced with GNU's lines.
    stand_in = "#: " + _REFS_STAND_IN + "\n"
    chunks = [header.__unicode__(0)]
    ordered = [e for e in catalog.entries if not e.obsolete] + [
        e for e in catalog.entries if e.obsolete
    ]
    for e in ordered:
        entry = polib.POEntry(
            msgid=e.msgid,
            msgstr=e.msgstr,
            msgctxt=e.msgctxt,
            msgid_plural=e.msgid_plural,
            msgstr_plural=dict(e.msgstr_plural),
            flags=list(e.flags),
            tcomment=e.translator_comment,
            comment=e.comment,
            occurrences=[(_REFS_STAND_IN, "")] if e.occurrences else [],
            previous_msgid=e.previous_msgid,
            previous_msgctxt=e.previous_msgctxt,
            obsolete=e.obsolete,
        )
        chunk = entry.__unicode__(0)
        if e.occurrences:
            chunk = chunk.replace(stand_in, _references(e.occurrences), 1)
        chunks.append(chunk)
    return "".join(parts) + "\n".join(chunks)


_REFS_STAND_IN = "\ue000pipeline-references\ue000"
"""Written by polib where an entry's ``#:`` lines go (private-use characters: no path
or text of ours holds them)."""


def _references(occurrences: Sequence[tuple[str, str]]) -> str:
    """``#:`` lines as GNU gettext (0.22+) writes them: a name holding a space or a tab
    between U+2068 and U+2069; a reference moves to a new line when it would reach
    column 79, counting the name's bytes without the isolates, as GNU does."""
    out, column, current = [], 2, "#:"
    for path, line in occurrences:
        suffix = f":{line}" if line else ""
        width = len(path.encode("utf-8")) + len(suffix) + 1
        if column > 2 and column + width > PAGE_WIDTH:
            out.append(current)
            column, current = 2, "#:"
        spaced = " " in path or "\t" in path
        current += " " + (f"{_ISOLATE_OPEN}{path}{_ISOLATE_CLOSE}" if spaced else path) + suffix
        column += width
    out.append(current)
    return "\n".join(out) + "\n"


def same_messages(a: Catalog, b: Catalog, ignore_flags: Iterable[str] = ()) -> bool:
    """The two catalogs have the same entries (header and file layout aside).

    ``ignore_flags`` are left out of the comparison (flags we add ourselves, which GNU
    tools and Poedit drop when they rewrite a file).
    """
    skip = set(ignore_flags)

    def norm(cat: Catalog) -> list[Entry]:
        return [
            replace(e, line=0, flags=tuple(f for f in e.flags if f not in skip))
            for e in cat.entries
        ]

    return norm(a) == norm(b)
