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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, cast

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
    """``#| msgid``: the source text the (fuzzy) translation was made for."""
    previous_msgctxt: str | None = None
    """``#| msgctxt``."""
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


_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.M)
_BROKEN_STRING_RE = re.compile(
    # A line that starts a string (after an optional keyword) but does not end it
    # properly. One scan of the whole text: a loop over lines cost 0.4 s at 20,000
    # entries.
    r"^[ \t]*(?:#~[ \t]*)?(?:#\|[ \t]*)?"
    r"(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"
    r'"(?!(?:[^"\\\n]|\\.)*"[ \t\r]*$)',
    re.MULTILINE,
)


def read_catalog(path: Path, shown: str) -> Catalog:
    """Parse the ``.po``/``.pot`` at ``path`` (``shown`` is its name in messages).

    Raises ``CatalogError`` naming ``shown:line`` when the file cannot be read exactly,
    or when it is not a regular file (a FIFO is refused, never opened).
    """
    try:
        data = read_regular(path, shown, CatalogError)
    except FileNotFoundError:
        raise CatalogError("cannot read: no such file", path=shown) from None
    return parse_catalog(data, shown)


def parse_catalog(data: bytes, shown: str) -> Catalog:
    """Parse catalog bytes; see ``read_catalog``. Touches no file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            "not UTF-8",
            path=shown,
            line=line,
            hint="convert it with: msgconv --to-code=UTF-8 FILE -o FILE",
        ) from None
    text = text.removeprefix("\ufeff")
    conflict = _CONFLICT_RE.search(text)
    if conflict:
        raise CatalogError(
            "unresolved merge conflict marker",
            path=shown,
            line=text.count("\n", 0, conflict.start()) + 1,
            hint="resolve the conflict (keep one msgstr per entry), or set up "
            "'pipeline merge-driver' for *.po files as the README shows",
        )
    broken = _BROKEN_STRING_RE.search(text)
    if broken:
        raise CatalogError(
            "broken string (a missing or unescaped quote)",
            path=shown,
            line=text.count("\n", 0, broken.start()) + 1,
            hint='every string is one line in double quotes; write \\" for a quote',
        )
    try:
        po = _polib_parse(text)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogError(
            "syntax error",
            path=shown,
            line=int(match[1]) if match else None,
            hint="compare the entry with the ones around it; 'msgfmt --check FILE' "
            "explains gettext syntax errors in detail",
        ) from None
    catalog = _with_positions(_from_polib(po, shown), text)
    _check_duplicates(catalog, shown)
    return catalog


def _from_polib(po: polib.POFile, shown: str) -> Catalog:
    entries = []
    for e in po:
        entries.append(
            Entry(
                msgid=e.msgid,
                msgstr=e.msgstr,
                msgctxt=e.msgctxt,
                msgid_plural=e.msgid_plural or "",
                msgstr_plural=tuple(sorted((int(k), v) for k, v in e.msgstr_plural.items())),
                flags=tuple(e.flags),
                translator_comment=e.tcomment or "",
                comment=e.comment or "",
                occurrences=tuple((str(p), str(n)) for p, n in e.occurrences),
                previous_msgid=e.previous_msgid,
                previous_msgctxt=e.previous_msgctxt,
                obsolete=bool(e.obsolete),
                line=max(int(e.linenum or 0), 1),
            )
        )
    return Catalog(
        header=tuple(po.metadata.items()),
        entries=tuple(entries),
        header_comment=po.header or "",
        header_flags=tuple((po.metadata_is_fuzzy and ["fuzzy"]) or []),
        path=shown,
    )


def _polib_parse(text: str) -> polib.POFile:
    """polib's parser run over ``text`` itself.

    ``polib.pofile(text)`` first asks ``os.path.isfile(text)`` and, when a catalog's
    whole content happens to name an existing file, parses that file instead. Its parser
    is built here on an empty name (never a file) and handed the lines, as ``pofile``
    does for content; this relies on polib 1.x internals (pinned ``<2``).
    """
    parser: polib._POFileParser[polib.POFile] = polib._POFileParser("", encoding="utf-8")
    # Lines end at "\n" only, as gettext reads them: str.splitlines() also breaks at
    # U+0085, U+2028, form feeds… inside a string, and would cut a translation in two.
    parser.fhandle = cast(IO[str], text.split("\n"))
    po = parser.parse()
    po.wrapwidth = 0
    return po


_POSITION_RE = re.compile(r"^(?:(?:#~[ \t]*)?msgid[ \t]|#:(.*)$)", re.M)
_ISOLATE_OPEN, _ISOLATE_CLOSE = "\u2068", "\u2069"
_REFERENCE_SPACES = " \t\r\f\v"


def _with_positions(catalog: Catalog, text: str) -> Catalog:
    """Entries' ``line`` set to their ``msgid`` line (polib gives the first comment's),
    and their ``occurrences`` read from the ``#:`` lines before it (polib splits a file
    name at its spaces, even one GNU wrapped in U+2068/U+2069).

    Entries and ``msgid`` keywords come in the same order, the header's ``msgid ""``
    (if any) first; if the counts disagree the file is unusual and polib's values stay.
    """
    lines: list[int] = []
    refs: list[tuple[tuple[str, str], ...]] = []
    pending: list[tuple[str, str]] = []
    line, pos = 1, 0
    for match in _POSITION_RE.finditer(text):
        if match[1] is not None:
            pending.extend(_parse_references(match[1]))
            continue
        line += text.count("\n", pos, match.start())  # from the last match: linear
        pos = match.start()
        lines.append(line)
        refs.append(tuple(pending))
        pending = []
    header = len(lines) - len(catalog.entries)
    if header not in (0, 1):
        return catalog
    entries = zip(catalog.entries, lines[header:], refs[header:], strict=True)
    return replace(
        catalog,
        entries=tuple(replace(e, line=n, occurrences=r) for e, n, r in entries),
    )


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


def _check_duplicates(catalog: Catalog, shown: str) -> None:
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        if entry.key in seen:
            raise CatalogError(
                f"duplicate message (first defined at line {seen[entry.key]})",
                path=shown,
                line=entry.line,
                hint="delete one of the two entries, keeping the better translation",
            )
        seen[entry.key] = entry.line


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
