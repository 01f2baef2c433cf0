"""Terms kept consistent: the ``glossary`` check (one article in one language, against the
language's glossary) and the ``consistency`` check (one language across articles)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pipeline.catalogs.catalog import Entry
from pipeline.catalogs.glossary import Glossary
from pipeline.checks.problem import Problem, Severity


def glossary_problems(
    glossary: Glossary,
    publishable: Mapping[str, str],
    entries: Mapping[str, Entry],
    *,
    keys: Iterable[str],
    severity: Severity,
    po: str,
) -> Iterator[Problem]:
    """A ``glossary`` problem (of ``severity``) for each term of a msgid whose agreed
    translation its msgstr lacks, for each message key of ``keys`` translated in
    ``publishable`` (key → msgstr; fuzzy and empty entries are not judged), located at
    its entry of ``entries`` in ``po``. An entry flagged ``no-check-glossary`` is not
    judged."""
    for key in keys:
        msgstr = publishable.get(key)
        entry = entries.get(key)
        if msgstr is None or entry is None or "no-check-glossary" in entry.flags:
            continue
        for missing in glossary.missing(entry.msgid, msgstr):
            wanted = " or ".join(f"“{t}”" for t in missing.translations)
            yield Problem(
                "glossary",
                severity,
                f"“{missing.source}” is not translated as the glossary says: {wanted}",
                f"use {wanted} (an inflected form counts: see README, Glossary), or fix "
                f"{glossary.path or 'the glossary'}; if this text rightly says otherwise, "
                "add '#, no-check-glossary' to the entry",
                po,
                entry.line,
            )


@dataclass(frozen=True, slots=True)
class Translated:
    """One translated, non-fuzzy entry of a catalog, as ``consistency`` compares it: its
    texts as hashes (whitespace ignored), so a project's worth fits in memory and in
    the cache."""

    msgctxt: str | None
    """Its context."""
    msgid: str
    """Hash of its source text (``text_key``)."""
    msgstr: str
    """Hash of its translation (``text_key``)."""
    preview: str
    """The start of its source text, to name it in a message."""
    path: str
    """Its catalog, as shown."""
    line: int
    """Line of its msgid there."""

    def row(self) -> list[str | int | None]:
        """As a JSON-friendly list (``from_row`` reads it back)."""
        return [self.msgctxt, self.msgid, self.msgstr, self.preview, self.path, self.line]

    @classmethod
    def from_row(cls, row: object) -> Translated:
        """``row`` read back; ``ValueError`` when it is not one ``row`` wrote."""
        if not isinstance(row, list) or len(row) != 6:
            raise ValueError("not a translated entry")
        msgctxt, msgid, msgstr, preview, path, line = row
        texts = (msgid, msgstr, preview, path)
        if not (
            all(isinstance(x, str) for x in texts)
            and (msgctxt is None or isinstance(msgctxt, str))
            and isinstance(line, int)
        ):
            raise ValueError("not a translated entry")
        return cls(msgctxt, msgid, msgstr, preview, path, line)


def text_key(text: str) -> str:
    """Whitespace-insensitive identity of a text, short enough to keep by the million."""
    return hashlib.blake2b(" ".join(text.split()).encode("utf-8"), digest_size=16).hexdigest()


def translated_entries(entries: Iterable[Entry], path: str) -> Iterator[Translated]:
    """The entries ``consistency`` compares: active, not fuzzy, translated, singular."""
    for e in entries:
        if e.translated and not e.msgid_plural:
            text = " ".join(e.msgid.split())
            preview = text if len(text) <= 60 else text[:59] + "…"
            yield Translated(
                e.msgctxt, text_key(e.msgid), text_key(e.msgstr), preview, path, e.line
            )


def consistency_problems(lang: str, entries: Iterable[Translated]) -> Iterator[Problem]:
    """A ``consistency`` warning for each entry that translates the same source text
    (same msgctxt, msgid compared ignoring whitespace) differently from the first
    catalog of ``lang`` to translate it (in the order given), naming both places.
    Texts are grouped by the hash of their msgid: one pass."""
    first: dict[tuple[str | None, str], Translated] = {}
    for t in entries:
        seen = first.setdefault((t.msgctxt, t.msgid), t)
        if seen.msgstr == t.msgstr:
            continue
        yield Problem(
            "consistency",
            "warning",
            f"“{t.preview}” is translated another way in {seen.path}:{seen.line} ({lang})",
            "the same text should read the same in every article: use one translation "
            "(a glossary term keeps names consistent), unless the context differs",
            t.path,
            t.line,
        )
