"""Which translations a catalog lets us publish (gettext's rules, exactly).

An entry is published only when it is active (not ``#~`` obsolete), not ``fuzzy``, and
its msgstr is not empty. Everything else keeps the source text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.catalogs.catalog import Catalog, Entry


@dataclass(frozen=True, slots=True)
class Translations:
    """A catalog's usable translations and the state of every other message."""

    publishable: dict[str, str]
    """msgid → msgstr for entries that may be published."""
    fuzzy: frozenset[str]
    """msgids whose entry is fuzzy (not published)."""
    entries: dict[str, Entry]
    """msgid → active entry (for line numbers in reports)."""


def translations(catalog: Catalog | None) -> Translations:
    """Sort ``catalog``'s active entries by what may be published (None: nothing)."""
    if catalog is None:
        return Translations({}, frozenset(), {})
    publishable: dict[str, str] = {}
    fuzzy: set[str] = set()
    entries: dict[str, Entry] = {}
    for entry in catalog.active:
        if entry.msgctxt is not None or entry.msgid_plural:
            continue  # articles produce neither; a hand-made entry must not shadow ours
        entries[entry.msgid] = entry
        if entry.translated:
            publishable[entry.msgid] = entry.msgstr
        elif entry.fuzzy and entry.msgstr:
            fuzzy.add(entry.msgid)
    return Translations(publishable, frozenset(fuzzy), entries)
