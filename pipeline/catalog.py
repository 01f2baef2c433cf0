"""``.po``/``.pot`` files ↔ ``Catalog``: the only module that imports ``polib``.

Catalogs are written the way GNU ``msgcat --no-wrap`` writes them: one line per string
(split only after embedded newlines) and ``#:`` references filled to 79 columns, so GNU
tools, Poedit and Weblate configured without wrapping cause no diff churn. Reading is
strict: merge-conflict markers, bad UTF-8, broken strings and duplicate messages are
errors that name ``path:line``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from pipeline.errors import CatalogError

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

    Raises ``CatalogError`` naming ``shown:line`` when the file cannot be read exactly.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=shown) from None
    return parse_catalog(data, shown)


def parse_catalog(data: bytes, shown: str) -> Catalog:
    """Parse catalog bytes; see ``read_catalog``."""
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
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogError(
            "syntax error",
            path=shown,
            line=int(match[1]) if match else None,
            hint="compare the entry with the ones around it; 'msgfmt --check FILE' "
            "explains gettext syntax errors in detail",
        ) from None
    catalog = _with_msgid_lines(_from_polib(po, shown), text)
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


_MSGID_LINE_RE = re.compile(r"^(?:#~[ \t]*)?msgid[ \t]", re.M)


def _with_msgid_lines(catalog: Catalog, text: str) -> Catalog:
    """Entries' ``line`` set to their ``msgid`` line (polib gives the first comment's).

    Entries and ``msgid`` keywords come in the same order, the header's ``msgid ""``
    (if any) first; if the counts disagree the file is unusual and polib's lines stay.
    """
    lines: list[int] = []
    line, pos = 1, 0
    for match in _MSGID_LINE_RE.finditer(text):
        line += text.count("\n", pos, match.start())  # from the last match: linear
        pos = match.start()
        lines.append(line)
    header = len(lines) - len(catalog.entries)
    if header not in (0, 1):
        return catalog
    entries = zip(catalog.entries, lines[header:], strict=True)
    return replace(catalog, entries=tuple(replace(e, line=line) for e, line in entries))


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
            occurrences=list(e.occurrences),
            previous_msgid=e.previous_msgid,
            previous_msgctxt=e.previous_msgctxt,
            obsolete=e.obsolete,
        )
        chunks.append(entry.__unicode__(0))
    return "".join(parts) + _gnu_references("\n".join(chunks))


def _gnu_references(text: str) -> str:
    """Fill ``#:`` lines the way GNU does: a reference moves to a new ``#:`` line when
    it would reach column 79."""
    out = []
    for line in text.split("\n"):
        if not line.startswith("#: "):
            out.append(line)
            continue
        column, current = 2, "#:"
        for ref in line[3:].split(" "):
            if column > 2 and column + len(ref) + 1 > PAGE_WIDTH:
                out.append(current)
                column, current = 2, "#:"
            current += " " + ref
            column += len(ref) + 1
        out.append(current)
    return "\n".join(out)


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
