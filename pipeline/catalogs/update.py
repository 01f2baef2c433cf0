"""Template + existing ``.po`` → updated ``.po``.

Pure functions on our own types: no file access, no clock (dates are passed in).
The update never loses a translation: a message whose text left the article becomes an
obsolete ``#~`` entry (or a fuzzy guess for the text that replaced it), and an obsolete
entry whose text returns is revived. The result lists entries in template order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from pipeline.catalogs.catalog import Catalog, Entry
from pipeline.catalogs.matching import CandidatePool, candidate_entry, same_words
from pipeline.catalogs.memory import NOTE, Memory, MemoryExact, Suggestion
from pipeline.catalogs.template import (
    SOURCE_LANGUAGE_FIELD,
    TEMPLATE_DATE_FIELD,
    new_catalog_header,
)
from pipeline.locales import Language, same_plural_forms


@dataclass(frozen=True, slots=True)
class UpdateStats:
    """What an update did to one ``.po``."""

    new: int = 0
    """Messages added without a translation."""
    fuzzy: int = 0
    """Messages given a fuzzy guess: an edited text, or one close to an obsolete text."""
    kept: int = 0
    """Messages whose translation (or fuzzy guess) was carried over unchanged."""
    revived: int = 0
    """Obsolete entries brought back because their text returned."""
    reused: int = 0
    """Messages translated from the same text in another catalog of the language."""
    memory: int = 0
    """Messages filled or given a guess from the translation memory."""
    obsoleted: int = 0
    """Entries made obsolete because their text left the article."""
    dropped: int = 0
    """Untranslated entries (without a translator's comment) removed with their text."""

    def summary(self) -> str:
        """``2 new, 3 fuzzy, 1 obsolete`` (only the non-zero parts)."""
        parts = [
            f"{n} {word}"
            for n, word in (
                (self.new, "new"),
                (self.fuzzy, "fuzzy"),
                (self.reused, "reused"),
                (self.memory, "from memory"),
                (self.revived, "revived"),
                (self.obsoleted, "obsolete"),
                (self.dropped, "removed"),
            )
            if n
        ]
        return ", ".join(parts) or "no message changes"


def update_catalog(
    old: Catalog | None,
    template: Catalog,
    lang: Language,
    po_flags: Sequence[str],
    *,
    pool: CandidatePool | None = None,
    split: Callable[[str], Sequence[str]] | None = None,
    memory: Memory | None = None,
    memory_exact: MemoryExact = "fuzzy",
) -> tuple[Catalog, UpdateStats]:
    """The ``.po`` for ``lang`` after ``template`` changed; ``old`` is the file on disk.

    Each template message takes its translation from the first of:

    1. the old entry with the same (msgctxt, msgid), active or obsolete (revived; an
       empty active entry gives way to an obsolete translation of the same text);
       its translation, flags, translator comments and ``#|`` previous text are kept;
    2. an old entry whose text differs only in spacing (``same_words``: a re-wrapped
       paragraph); kept as it was, not made fuzzy; or whose text still holds a marker
       that extraction now leaves out of messages (``MARKERS``: an alert's ``[!NOTE]``,
       a task box, an attribute block), its translation carried without the marker when
       it ends or starts with the same one, else as a fuzzy guess;
    3. when the article switched between paragraph and sentence messages, the old
       paragraph's translation (cut by ``split``, the target language's sentence rules)
       for its sentences, or the sentences' translations joined for their paragraph,
       as fuzzy guesses (``_Update.regrouped``);
    4. the closest old entry by ``fuzz.ratio`` (``pipeline.catalogs.matching``): first among the
       old entries no template message took — obsolete ones, and live ones whose text
       left the template (an edited text, or what a git merge of an editor's and a
       translator's branch leaves) —, then among ``pool`` (``matching.language_pool``:
       every catalog of the language, this one included; without it, this catalog's
       entries still in use). The guess is marked ``fuzzy`` with the old text as ``#|``
       previous msgid, or the old entry's own previous msgid if it was already a guess;
       Between the two, and after them, the translation memory (``memory``, see
       ``pipeline.catalogs.memory``): after this catalog's leftovers, a unit of the
       same text, placeholders aside, fills the message (fuzzy, unless
       ``memory_exact`` is ``"translated"`` and its placeholders were put in
       unambiguously); after ``pool``, the closest imported unit is a fuzzy guess.
       Either names its origin in a ``#. memory:`` comment, which stays with the
       translation while it is carried from run to run;
    5. none: a new, untranslated entry.

    Step 4 also serves a message whose entry (from step 1 or 2) is empty: it keeps its
    translator comment and flags and takes the guess. It draws on this catalog's
    leftovers, then on ``pool``'s reviewed entries only (``CandidatePool.reviewed``),
    so that a second run, which sees this run's guesses, finds nothing new.

    Old entries nothing took become obsolete ``#~`` entries when they hold a translation
    or a translator comment (untranslated ones are dropped: there is nothing to keep);
    their flags but ours, translator comments and ``#|`` text (written ``#~|``) stay.
    Entries follow the template, as ``msgmerge`` orders them; obsolete ones come last,
    in their old order. ``#.``/``#:`` comments and our own flags come from the template;
    header fields the translator set are kept. Pure and deterministic: the same inputs
    give the same catalog, and updating the result again with the same template (and
    pool) changes nothing.
    """
    olds = old.entries if old else ()
    update = _Update(olds, template.entries, frozenset(po_flags))
    update.exact()
    update.respaced()
    update.migrated()
    update.regrouped(split)
    update.fuzzy(pool, memory, memory_exact)
    entries, stats = update.result()
    catalog = Catalog(
        header=_merged_header(old, template, lang),
        entries=entries,
        header_comment=old.header_comment
        if old and old.header_comment
        else f"{lang.english_name} translation of {_article_of(template)}.",
        header_flags=tuple(f for f in old.header_flags if f != "fuzzy") if old else (),
    )
    return catalog, stats


class _Update:
    """The working state of one ``update_catalog`` call (see there for the rules).

    ``found[k]`` is the entry decided for template message ``k`` and ``kind[k]`` how it
    was found (an ``UpdateStats`` field); ``taken`` holds the old entries whose content
    went into the new catalog.
    """

    def __init__(
        self, olds: Sequence[Entry], template: Sequence[Entry], ours: frozenset[str]
    ) -> None:
        self.olds = olds
        self.template = template
        self.ours = ours
        self.found: list[Entry | None] = [None] * len(template)
        self.kind: list[str] = ["new"] * len(template)
        self.taken: set[int] = set()
        self.regroupable: set[int] = set()
        """Messages ``regrouped`` serves (see ``_regroupable``), set by ``exact``."""

    def _wants(self, k: int) -> bool:
        """Template message ``k`` has no translation yet: none found, or an empty entry."""
        found = self.found[k]
        return found is None or not _filled(found)

    def _settle(self, k: int, entry: Entry, kind: str) -> None:
        """``entry`` decided for message ``k``. An untranslated entry found before gives
        way to it, and hands on its translator comment and flags (nothing is dropped)."""
        prior = self.found[k]
        if prior is not None:
            notes = [n for n in (prior.translator_comment, entry.translator_comment) if n]
            translator_flags = (f for f in prior.flags if f not in self.ours and f != "fuzzy")
            entry = replace(
                entry,
                translator_comment="\n".join(dict.fromkeys(notes)),
                flags=tuple(dict.fromkeys((*entry.flags, *translator_flags))),
            )
        self.found[k] = entry
        self.kind[k] = kind

    def _take(self, k: int, number: int) -> None:
        """Old entry ``number`` stands for template message ``k``."""
        self.taken.add(number)
        prior = self.olds[number]
        self._settle(k, self._carried(self.template[k], prior), _kept(prior))

    def _carried(self, t: Entry, prior: Entry) -> Entry:
        """``prior`` brought up to date with template message ``t``."""
        translator_flags = tuple(f for f in prior.flags if f not in self.ours and f != "fuzzy")
        flags = (("fuzzy",) if prior.fuzzy else ()) + t.flags + translator_flags
        return replace(
            prior,
            msgid=t.msgid,
            msgctxt=t.msgctxt,
            comment=_noted(t.comment, *_memory_notes(prior)),
            occurrences=t.occurrences,
            flags=tuple(dict.fromkeys(flags)),
            obsolete=False,
            line=0,
        )

    def exact(self) -> None:
        active: dict[tuple[str | None, str], int] = {}
        obsolete: dict[tuple[str | None, str], int] = {}
        for number, e in enumerate(self.olds):
            (obsolete if e.obsolete else active).setdefault(e.key, number)
        self.regroupable = self._regroupable()
        for k, t in enumerate(self.template):
            live, gone = active.get(t.key), obsolete.get(t.key)
            if live is not None:
                self._take(k, live)
            if gone is not None and self._wants(k) and k not in self.regroupable:
                # an empty entry beside an obsolete translation of the same text (what a
                # merge of two branches can leave): the translation comes back
                self._take(k, gone)

    def _regroupable(self) -> set[int]:
        """Template messages that ``regrouped`` serves from live entries: an article
        switched between paragraph and sentence messages and back. Their obsolete
        entries from the earlier switch are not revived: the live translations are
        newer (and reviewed since), so they are offered instead, as guesses."""
        live = [n for n, e in enumerate(self.olds) if not e.obsolete and _filled(e) and e.msgid]
        texts = {(self.olds[n].msgctxt, _loose(self.olds[n].msgid)) for n in live}
        found: set[int] = set()
        for run in _runs(self.template, range(len(self.template))):
            first = self.template[run[0]]
            joined = _loose(" ".join(self.template[k].msgid for k in run))
            if len(run) > 1 and (first.msgctxt, joined) in texts:
                found.update(run)
        for run in _runs(self.olds, live):
            if len(run) > 1:
                e = self.olds[run[0]]
                joined = _loose(" ".join(self.olds[n].msgid for n in run))
                found.update(
                    k
                    for k, t in enumerate(self.template)
                    if (t.msgctxt, _loose(t.msgid)) == (e.msgctxt, joined)
                )
        return found

    def respaced(self) -> None:
        by_words: dict[tuple[str | None, str], list[int]] = {}
        for number in sorted(self._left(), key=lambda n: (self.olds[n].obsolete, n)):
            e = self.olds[number]
            by_words.setdefault((e.msgctxt, same_words(e.msgid)), []).append(number)
        for k, t in enumerate(self.template):
            if not self._wants(k):
                continue
            free = [
                n
                for n in by_words.get((t.msgctxt, same_words(t.msgid)), ())
                if n not in self.taken
                and (self.found[k] is None or _filled(self.olds[n]))
                and not (self.olds[n].obsolete and k in self.regroupable)
            ]
            if free:
                self._take(k, free[0])

    def migrated(self) -> None:
        by_text: dict[tuple[str | None, str], int] = {}
        for number in self._left():
            e = self.olds[number]
            bare, _ = without_marker(e.msgid)
            if bare != e.msgid:
                by_text.setdefault((e.msgctxt, bare), number)
        for k, t in enumerate(self.template):
            old = by_text.get(t.key)
            if old is None or old in self.taken or not self._wants(k):
                continue
            prior = self.olds[old]
            if not _filled(prior):
                continue
            _, marker = without_marker(prior.msgid)
            msgstr = prior.msgstr
            kept = marker.strip() and (
                msgstr.endswith(marker) if marker[:1].isspace() else msgstr.startswith(marker)
            )
            self.taken.add(old)
            carried = self._carried(t, prior)
            if kept:
                text = msgstr[: -len(marker)] if marker[:1].isspace() else msgstr[len(marker) :]
                self._settle(k, replace(carried, msgstr=text), _kept(prior))
            else:
                self._settle(k, self._guess(t, prior, own=True), "fuzzy")

    def regrouped(self, split: Callable[[str], Sequence[str]] | None) -> None:
        """An article switched between paragraph and sentence messages: a paragraph's
        translation goes to its sentences, the sentences' translations to their
        paragraph, as fuzzy guesses to review (``#|`` shows the text they were for).

        The sentences of one paragraph are consecutive messages with the same first
        ``#:`` reference. A paragraph's translation is cut by ``split`` (the target
        language's sentence rules); when the pieces are as many as the sentences, each
        sentence gets its own, else each gets the whole translation to cut by hand.
        The old entries stay as they were written, obsolete (``#~``), nothing lost."""
        left = [n for n in self._left() if _filled(self.olds[n])]
        if not left:
            return
        olds_by_text: dict[tuple[str | None, str], int] = {}
        for n in left:
            e = self.olds[n]
            olds_by_text.setdefault((e.msgctxt, _loose(e.msgid)), n)
        for run in _runs(self.template, range(len(self.template))):
            if len(run) < 2 or not all(self._wants(k) for k in run):
                continue
            first = self.template[run[0]]
            joined = _loose(" ".join(self.template[k].msgid for k in run))
            number = olds_by_text.get((first.msgctxt, joined))
            if number is None or number in self.taken:
                continue
            prior = self.olds[number]
            pieces = list(split(prior.msgstr)) if split is not None else []
            if len(pieces) != len(run):
                pieces = [prior.msgstr] * len(run)
            # not taken: the translation as the translator wrote it stays, obsolete
            for k, piece in zip(run, pieces, strict=True):
                guess = self._guess(self.template[k], prior, own=True)
                self._settle(k, replace(guess, msgstr=piece), "fuzzy")
        groups: dict[tuple[str | None, str], list[int]] = {}
        for run in _runs(self.olds, [n for n in left if not self.olds[n].obsolete]):
            if len(run) > 1:
                e = self.olds[run[0]]
                text = _loose(" ".join(self.olds[n].msgid for n in run))
                groups.setdefault((e.msgctxt, text), run)
        for k, t in enumerate(self.template):
            sentence_run = groups.get((t.msgctxt, _loose(t.msgid)))
            if sentence_run is None or not self._wants(k):
                continue
            parts = [self.olds[n] for n in sentence_run]
            prior = replace(
                parts[0],
                msgid=" ".join(e.msgid for e in parts),
                msgstr=" ".join(e.msgstr for e in parts),
                flags=tuple(dict.fromkeys(f for e in parts for f in e.flags)),
                previous_msgid=None,
            )
            self._settle(k, self._guess(t, prior, own=True), "fuzzy")

    def fuzzy(
        self,
        pool: CandidatePool | None,
        memory: Memory | None = None,
        memory_exact: MemoryExact = "fuzzy",
    ) -> None:
        """Guesses for the messages still without a translation: new ones, and empty
        entries (an editor's ``extract`` on one branch, a translation of the old text
        on another, merged). Any translation no template message took is a candidate."""
        wanted = [k for k, t in enumerate(self.template) if self._wants(k) and not t.msgid_plural]
        if not wanted:
            return
        left = [n for n in self._left() if candidate_entry(self.olds[n])]
        own = CandidatePool(self.olds[n] for n in left)
        number_of = {self.olds[n].key: n for n in reversed(left)}
        in_use = pool
        if in_use is None:
            used = sorted(self.taken)
            in_use = CandidatePool(self.olds[n] for n in used if not self.olds[n].obsolete)
        for k in wanted:
            t = self.template[k]
            if self.found[k] is None:
                others: CandidatePool | None = in_use
            else:
                # An entry already in the file asks again on every run: only reviewed
                # translations of other texts, which a run does not create (see
                # ``CandidatePool.reviewed``), so a second run finds nothing new.
                others = pool.reviewed() if pool is not None else None
            reused = others.same(t.msgid, t.msgctxt) if others is not None else None
            if reused is not None and own.same(t.msgid, t.msgctxt) is None:
                # The same text is translated in another catalog of this language (an
                # article moved or quoted): its translation applies as it is.
                self._settle(k, self._borrowed(t, reused), "reused")
                continue
            hit = own.closest(t.msgid)
            if hit is not None:
                self.taken.add(number_of[hit[0].key])
                self._settle(k, self._guess(t, hit[0], own=True), "fuzzy")
                continue
            # A run writes no memory: a message already in the file may draw on it too.
            recalled = memory.exact(t.msgid, t.msgctxt) if memory is not None else None
            if recalled is not None:
                sure = recalled.sure and memory_exact == "translated"
                self._settle(k, self._recalled(t, recalled, fuzzy=not sure), "memory")
                continue
            other = others.closest(t.msgid) if others is not None else None
            if other is not None:
                self._settle(k, self._guess(t, other[0], own=False), "fuzzy")
                continue
            recalled = memory.closest(t.msgid) if memory is not None else None
            if recalled is not None:
                self._settle(k, self._recalled(t, recalled, fuzzy=True), "memory")

    def _recalled(self, t: Entry, found: Suggestion, *, fuzzy: bool) -> Entry:
        """``t`` filled from the memory, its origin in a ``#. memory:`` comment; a fuzzy
        one shows the memory's text as ``#|`` when it differs."""
        differs = same_words(found.source) != same_words(t.msgid)
        return Entry(
            msgid=t.msgid,
            msgstr=found.target,
            msgctxt=t.msgctxt,
            flags=tuple(dict.fromkeys((*(("fuzzy",) if fuzzy else ()), *t.flags))),
            comment=_noted(t.comment, NOTE + found.origin),
            occurrences=t.occurrences,
            previous_msgid=found.source if fuzzy and differs else None,
        )

    def _borrowed(self, t: Entry, src: Entry) -> Entry:
        """``t`` with the translation of the same text from another catalog."""
        fuzzy = ("fuzzy",) if src.fuzzy else ()
        return Entry(
            msgid=t.msgid,
            msgstr=src.msgstr,
            msgctxt=t.msgctxt,
            flags=tuple(dict.fromkeys((*fuzzy, *t.flags))),
            comment=t.comment,
            occurrences=t.occurrences,
            previous_msgid=src.previous_msgid if src.fuzzy else None,
            previous_msgctxt=src.previous_msgctxt if src.fuzzy else None,
        )

    def _guess(self, t: Entry, src: Entry, *, own: bool) -> Entry:
        """A fuzzy entry for ``t`` carrying ``src``'s translation.

        Translator comments and flags come along only from this catalog's own entries
        (``own``), whose place the guess takes; another article's notes may not apply.
        """
        was_guess = src.fuzzy and src.previous_msgid is not None
        translator_flags = (
            tuple(f for f in src.flags if f not in self.ours and f != "fuzzy") if own else ()
        )
        return Entry(
            msgid=t.msgid,
            msgstr=src.msgstr,
            msgctxt=t.msgctxt,
            flags=tuple(dict.fromkeys(("fuzzy", *t.flags, *translator_flags))),
            translator_comment=src.translator_comment if own else "",
            comment=_noted(t.comment, *(_memory_notes(src) if own else ())),
            occurrences=t.occurrences,
            previous_msgid=src.previous_msgid if was_guess else src.msgid,
            previous_msgctxt=src.previous_msgctxt if was_guess else src.msgctxt,
        )

    def _left(self) -> list[int]:
        return [n for n in range(len(self.olds)) if n not in self.taken]

    def result(self) -> tuple[tuple[Entry, ...], UpdateStats]:
        """The entries in template order, then the obsolete ones in their old order."""
        active = [
            entry if entry is not None else replace(t, msgstr="", line=0)
            for entry, t in zip(self.found, self.template, strict=True)
        ]
        obsolete: list[Entry] = []
        obsoleted = dropped = 0
        position = {e.key: k for k, e in enumerate(active)}
        for number, e in enumerate(self.olds):
            if number in self.taken:
                continue
            if e.obsolete and e.key in position:
                # A catalog holds one entry per message, obsolete ones included: an old
                # translation of a live message (an article switched back from sentence
                # messages) is kept as a translator comment on it, never dropped.
                k = position[e.key]
                active[k] = _with_earlier(active[k], e)
            elif e.obsolete:
                obsolete.append(replace(e, line=0))
            elif _filled(e) or e.translator_comment:
                # A translator's note is work too, even on an untranslated entry.
                obsoleted += 1
                obsolete.append(
                    replace(
                        e,
                        obsolete=True,
                        occurrences=(),
                        comment="",
                        line=0,
                        flags=tuple(f for f in e.flags if f not in self.ours),
                        # "#|" stays, written "#~|" as msgmerge does, so a revival can
                        # show the translator the text the translation was made for
                    )
                )
            else:
                dropped += 1
        counts = Counter(self.kind)
        stats = UpdateStats(
            new=counts["new"],
            fuzzy=counts["fuzzy"],
            kept=counts["kept"],
            revived=counts["revived"],
            reused=counts["reused"],
            memory=counts["memory"],
            obsoleted=obsoleted,
            dropped=dropped,
        )
        return tuple(active + obsolete), stats


EARLIER = "earlier translation: "
"""Starts the translator comment that keeps an obsolete translation of a live message."""


def _with_earlier(entry: Entry, old: Entry) -> Entry:
    """``entry`` with ``old``'s translation (and translator comment) kept in its
    translator comment, unless it says the same already."""
    notes = [entry.translator_comment] if entry.translator_comment else []
    if old.translator_comment and old.translator_comment not in notes:
        notes.append(old.translator_comment)
    if old.msgstr and old.msgstr != entry.msgstr:
        line = EARLIER + " ".join(old.msgstr.split())
        if not any(line in n for n in notes):
            notes.append(line)
    return replace(entry, translator_comment="\n".join(notes))


MARKERS = (
    re.compile(r"\A\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\] ", re.IGNORECASE),
    re.compile(r"\A\[[ xX]\] "),
    re.compile(r"[ \t]+\{[#.:][^{}]*\}\Z"),
)
"""What extraction used to leave in a message and now keeps in the article: a GitHub
alert's marker (joined to the next line by a space), a task box, a heading's or a
paragraph's trailing attribute block."""


def without_marker(msgid: str) -> tuple[str, str]:
    """``msgid`` without its first ``MARKERS`` match, and the match ("" if none)."""
    for marker in MARKERS:
        match = marker.search(msgid)
        if match and match.group() != msgid:
            return msgid[: match.start()] + msgid[match.end() :], match.group()
    return msgid, ""


def _loose(text: str) -> str:
    """``text`` with every run of spaces and line breaks one space: sentences joined
    into their paragraph, whatever joined them."""
    return " ".join(text.split())


def _runs(entries: Sequence[Entry], numbers: Iterable[int]) -> list[list[int]]:
    """``numbers`` (ascending) cut into runs of consecutive entries with the same first
    ``#:`` reference and msgctxt: the sentences of one paragraph, in order."""
    runs: list[list[int]] = []
    for n in numbers:
        e = entries[n]
        if (
            runs
            and runs[-1][-1] == n - 1
            and e.occurrences[:1] == entries[n - 1].occurrences[:1]
            and e.occurrences
            and e.msgctxt == entries[n - 1].msgctxt
        ):
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _noted(comment: str, *notes: str) -> str:
    """``comment`` (the template's ``#.`` lines) with ``notes`` added below."""
    lines = comment.split("\n") if comment else []
    return "\n".join(dict.fromkeys([*lines, *notes]))


def _memory_notes(entry: Entry) -> list[str]:
    """The ``#. memory:`` lines of ``entry`` (none once its translation is gone): the
    translation carries the name of where it came from."""
    if not _filled(entry):
        return []
    return [line for line in entry.comment.split("\n") if line.startswith(NOTE)]


def _filled(entry: Entry) -> bool:
    """``entry`` holds a translation (fuzzy or not)."""
    return bool(entry.msgstr) or any(s for _, s in entry.msgstr_plural)


def _kept(prior: Entry) -> str:
    return "revived" if prior.obsolete else "kept"


def _article_of(template: Catalog) -> str:
    for entry in template.entries:
        for path, _ in entry.occurrences:
            return path
    return template.field("Project-Id-Version") or "the article"


def _merged_header(
    old: Catalog | None, template: Catalog, lang: Language
) -> tuple[tuple[str, str], ...]:
    """The old header with the fields we own brought up to date, others untouched."""
    if old is None or not old.header:
        return new_catalog_header(template, lang)
    merged = old
    owned = {
        TEMPLATE_DATE_FIELD: template.field(TEMPLATE_DATE_FIELD) or "",
        "Language": lang.code,
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    source = template.field(SOURCE_LANGUAGE_FIELD)
    if source:
        owned[SOURCE_LANGUAGE_FIELD] = source
    present = old.field("Plural-Forms")
    if not present or not same_plural_forms(present, lang.plural_forms):
        owned["Plural-Forms"] = lang.plural_forms  # an equivalent spelling is left alone
    for name, value in owned.items():
        merged = merged.with_field(name, value)
    if merged.field("MIME-Version") is None:
        merged = merged.with_field("MIME-Version", "1.0")
    return merged.header
