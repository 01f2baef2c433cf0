"""Which translations a catalog lets us publish (gettext's rules, exactly).

An entry is published only when it is active (not ``#~`` obsolete), not ``fuzzy``, and
its msgstr is not empty. Everything else keeps the source text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.catalogs.catalog import Catalog, Entry
from pipeline.markdown.document import EOT, message_key


@dataclass(frozen=True, slots=True)
class Translations:
    """A catalog's usable translations and the state of every other message."""

    publishable: dict[str, str]
    """Message key (``document.message_key``: the msgid, or msgctxt and msgid) → msgstr
    for entries that may be published."""
    fuzzy: frozenset[str]
    """Keys of the messages whose entry is fuzzy (not published)."""
    entries: dict[str, Entry]
    """Message key → active entry (for line numbers in reports)."""


def translations(catalog: Catalog | None) -> Translations:
    """Sort ``catalog``'s active entries by what may be published (None: nothing)."""
    if catalog is None:
        return Translations({}, frozenset(), {})
    publishable: dict[str, str] = {}
    fuzzy: set[str] = set()
    entries: dict[str, Entry] = {}
    for entry in catalog.active:
        if entry.msgid_plural or EOT in entry.msgid or EOT in (entry.msgctxt or ""):
            continue  # articles produce neither; a hand-made entry must not shadow ours
        key = message_key(entry.msgctxt, entry.msgid)
        entries[key] = entry
        if entry.translated:
            publishable[key] = entry.msgstr
        elif entry.fuzzy and entry.msgstr:
            fuzzy.add(key)
    return Translations(publishable, frozenset(fuzzy), entries)
