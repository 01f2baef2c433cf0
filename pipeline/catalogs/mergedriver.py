"""A git merge driver for ``.po`` files: two translators' edits merged entry by entry.

git's line merge turns two translators' work on neighbouring entries into
``<<<<<<<`` blocks that no gettext tool can read. This driver parses the three versions
and merges each message (keyed by msgctxt and msgid) field by field against the common
ancestor:

- a field only one side changed takes that side's value, so parallel work on different
  entries, or on different parts of one entry (a translation on one side, ``#:`` lines
  from an ``extract`` run on the other), never conflicts;
- flags merge as sets (an addition or removal on either side is kept);
- translator comments both sides changed are both kept;
- a translation both sides changed differently is a conflict that stays visible and
  loses nothing: the entry keeps one translation (a non-fuzzy one, ours if both are),
  is marked ``fuzzy`` (so it is not published), and a translator comment holds both;
- an entry one side deleted and the other changed is kept as changed (nothing a
  translator wrote is dropped; the next ``extract`` makes it obsolete if its text left).

The result lists entries in our order, with entries only theirs has after the entry they
follow there. Header fields merge the same way, a field both sides changed taking the
later date (``PO-Revision-Date``) or our value.

Set it up with::

    git config merge.po.driver "pipeline merge-driver %O %A %B %P"
    echo '*.po merge=po' >> .gitattributes
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, parse_catalog
from pipeline.errors import CatalogError
from pipeline.files import read_regular, write_atomic

CONFLICT_NOTE = "merge conflict: two translations; keep one, then remove these lines"
"""First line of the translator comment written on a conflicting entry."""

Key = tuple[str | None, str, bool]
"""An entry's identity in a merge: msgctxt, msgid, and whether it is an obsolete twin of
an active entry with the same text (a file may hold both)."""

T = TypeVar("T")


def _keyed(catalog: Catalog | None) -> dict[Key, Entry]:
    out: dict[Key, Entry] = {}
    if catalog is None:
        return out
    active = {e.key for e in catalog.entries if not e.obsolete}
    for e in catalog.entries:
        key = (e.msgctxt, e.msgid, e.obsolete and e.key in active)
        out.setdefault(key, e)
    return out


def _three_way(base: T, ours: T, theirs: T) -> tuple[T, bool]:
    """The merged value and whether both sides changed it differently."""
    if theirs in (ours, base):
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def _merge_flags(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> tuple[str, ...]:
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    merged = [f for f in (*ours, *theirs) if f not in removed]
    return tuple(dict.fromkeys(merged))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _translation(e: Entry) -> tuple[str, tuple[tuple[int, str], ...]]:
    return (e.msgstr, e.msgstr_plural)


def _shown(e: Entry) -> str:
    if e.msgid_plural:
        return " | ".join(_escaped(s) for _, s in e.msgstr_plural)
    return _escaped(e.msgstr)


def _merge_entry(
    base: Entry | None, ours: Entry | None, theirs: Entry | None
) -> tuple[Entry | None, bool]:
    """One message merged; ``True`` when its translation is a real conflict."""
    if ours is None and theirs is None:
        return None, False
    if ours is None or theirs is None:
        side = ours if ours is not None else theirs
        assert side is not None
        if base is None:
            return side, False  # added on one side
        # deleted on one side: gone if the other left it alone, else kept as changed
        return (None if _same(side, base) else side), False
    if base is None:  # added on both sides: what they agree on, else ours
        base = replace(theirs, msgstr="", msgstr_plural=(), translator_comment="", flags=())
    merged = ours
    for name in (
        "comment",
        "occurrences",
        "previous_msgid",
        "previous_msgctxt",
        "obsolete",
        "msgid_plural",
    ):
        value, _ = _three_way(getattr(base, name), getattr(ours, name), getattr(theirs, name))
        merged = replace(merged, **{name: value})
    flags = _merge_flags(base.flags, ours.flags, theirs.flags)
    comment, both = _three_way(
        base.translator_comment, ours.translator_comment, theirs.translator_comment
    )
    if both:
        comment = "\n".join(
            dict.fromkeys(
                [*ours.translator_comment.split("\n"), *theirs.translator_comment.split("\n")]
            )
        )
    translation, conflict = _three_way(_translation(base), _translation(ours), _translation(theirs))
    if conflict:
        keep = theirs if ours.fuzzy and not theirs.fuzzy else ours
        if not (keep.msgstr or any(s for _, s in keep.msgstr_plural)):
            keep = theirs if keep is ours else ours
        translation = _translation(keep)
        note = [CONFLICT_NOTE, f"ours: {_shown(ours)}", f"theirs: {_shown(theirs)}"]
        comment = "\n".join(filter(None, [*note, comment]))
        flags = tuple(dict.fromkeys(("fuzzy", *flags)))
    merged = replace(
        merged,
        msgstr=translation[0],
        msgstr_plural=translation[1],
        flags=flags,
        translator_comment=comment,
        line=0,
    )
    return merged, conflict


def _same(a: Entry, b: Entry) -> bool:
    return replace(a, line=0) == replace(b, line=0)


def _ordered(ours: Sequence[Key], theirs: Sequence[Key]) -> list[Key]:
    """Our keys in order, each key only theirs has placed after the one it follows there."""
    known = set(ours)
    after: dict[Key | None, list[Key]] = {}
    anchor: Key | None = None
    for key in theirs:
        if key in known:
            anchor = key
        else:
            after.setdefault(anchor, []).append(key)
    out = list(after.get(None, ()))
    for key in ours:
        out.append(key)
        out.extend(after.get(key, ()))
    return out


def _merge_header(
    base: Catalog | None, ours: Catalog, theirs: Catalog
) -> tuple[tuple[str, str], ...]:
    old = dict(base.header) if base else {}
    mine, other = dict(ours.header), dict(theirs.header)
    names = list(dict.fromkeys([*mine, *other]))
    fields: list[tuple[str, str]] = []
    for name in names:
        value, both = _three_way(old.get(name), mine.get(name), other.get(name))
        if both and name.endswith("-Date"):
            value = max(mine.get(name) or "", other.get(name) or "")
        if value is not None:
            fields.append((name, value))
    return tuple(fields)


def merge_catalogs(base: Catalog | None, ours: Catalog, theirs: Catalog) -> tuple[Catalog, int]:
    """``ours`` and ``theirs`` merged against their common ancestor ``base``.

    ``base`` is None when there is none (both sides added the file). Returns the merged
    catalog and the number of entries whose translations conflict (each left fuzzy, with
    both texts in a translator comment; see the module docstring).
    """
    b, o, t = _keyed(base), _keyed(ours), _keyed(theirs)
    conflicts = 0
    entries: list[Entry] = []
    for key in _ordered(list(o), list(t)):
        merged, conflict = _merge_entry(b.get(key), o.get(key), t.get(key))
        conflicts += conflict
        if merged is not None:
            entries.append(merged)
    header_comment, _ = _three_way(
        base.header_comment if base else "", ours.header_comment, theirs.header_comment
    )
    catalog = Catalog(
        header=_merge_header(base, ours, theirs),
        entries=tuple(entries),
        header_comment=header_comment,
        header_flags=_merge_flags(
            base.header_flags if base else (), ours.header_flags, theirs.header_flags
        ),
        path=ours.path,
    )
    return catalog, conflicts


def _read(path: Path, shown: str) -> Catalog | None:
    """One version's catalog (None: empty). A FIFO or device is refused, never opened."""
    try:
        data = read_regular(path, shown, CatalogError)
    except FileNotFoundError:
        raise CatalogError("cannot read: no such file", path=shown) from None
    if not data.strip():
        return None
    return parse_catalog(data, shown)


def merge_files(base: Path, ours: Path, theirs: Path, name: str | None = None) -> int:
    """git's ``%O %A %B``: merge the three files and write the result over ``ours``.

    ``name`` (git's ``%P``, the file's path in the repository) is used in messages.
    Returns git's exit status: 0 when merged cleanly, 1 when conflicts are left (as
    fuzzy entries; the file parses either way). Raises ``CatalogError`` naming the
    version and line when an input does not parse; ``ours`` is then left untouched, so
    git reports an ordinary conflict.
    """
    shown = name or str(ours)

    def label(path: Path, side: str) -> str:
        # Under git the three are temporary files: name the repository path and the side.
        # Run by hand, each file is named by its own path.
        return f"{name} ({side})" if name else str(path)

    old = _read(base, label(base, "common ancestor"))
    mine = _read(ours, label(ours, "ours"))
    other = _read(theirs, label(theirs, "theirs"))
    if mine is None or other is None:
        raise CatalogError(
            "one side of the merge is empty",
            path=shown,
            hint="resolve this file by hand (git checkout --ours/--theirs FILE)",
        )
    merged, conflicts = merge_catalogs(old, mine, other)
    write_atomic(ours, catalog_text(merged), shown)
    return 1 if conflicts else 0
