"""Finding the old message an edited text came from: the only ``rapidfuzz`` import.

Comparing a changed paragraph with every old one is what makes ``msgmerge`` and Babel
slow on large catalogs (design notes, section 6). Here each search is two steps:

1. **Prefilter.** An inverted index maps each word to the candidates containing it. The
   query's rarest words (at most ``QUERY_WORDS`` of them) vote for the candidates that
   contain them, each vote weighted by the word's inverse document frequency; the
   ``TOP_K`` best-voted candidates go on. Rare words carry a paragraph's identity, and
   their posting lists are short, so a search touches a few hundred postings, not every
   candidate.
2. **Score.** ``rapidfuzz.fuzz.ratio`` (normalized Indel similarity, the measure
   ``difflib`` and ``msgmerge`` approximate) on those candidates. A candidate is
   accepted when it scores at least ``CUTOFF``, or at least ``SHARED_CUTOFF`` while
   sharing a whole sentence of ``SHARED_SENTENCE`` characters or more with the query
   (a paragraph that lost, gained or replaced one of its few sentences) that is no
   boilerplate (``STOCK_SENTENCE``) — except a short candidate (``SHORT_WORDS``) that
   lost two words or more (``SHORT_LOST``). The best-scoring accepted candidate is
   the match, ties going to the earlier one.

A new message written from the same stock material as old ones (the same frame, names,
dates, closing sentence) but saying something else must not get their translation: see
``STOCK_SENTENCE`` and ``SHORT_LOST``, and ``benchmarks/update_bench.py`` (hard negatives).

Searches are deterministic: the same candidates in the same order and the same query give
the same answer.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from pipeline.catalogs.catalog import Catalog, Entry

CUTOFF = 70.0
"""Lowest ``fuzz.ratio`` (0–100) accepted on its own.

Unrelated paragraphs of ordinary prose share letters and function words, so their ratio
is far from 0: a new paragraph's best unrelated candidate scores in the 50s, and
paragraphs written on one pattern ("The ``+`` operator yields the sum…" / "The ``*``
operator yields the product…") reach the 60s. ``msgmerge`` accepts 60 and so gives
such paragraphs a wrong guess; at 70 none is, while every one-word edit of a
paragraph and most one-sentence edits score above it (design notes §6: 75 and above
loses more real edits)."""

SHARED_CUTOFF = 60.0
"""Lowest ``fuzz.ratio`` accepted when the two texts also share a whole sentence: a
paragraph of two or three sentences that lost or replaced one scores 55–70."""

SHARED_SENTENCE = 40
"""Characters a shared sentence needs, so a stock phrase ("Read more.") is no evidence."""

STOCK_SENTENCE = 3
"""Candidates a shared sentence may be found in and still tell which paragraph the query
was edited from; one found in more is boilerplate, no evidence.

Newsroom paragraphs end in the same long stock sentences ("This was reported by the
press service of the ministry."), found in hundreds of paragraphs. A new paragraph of
two or three new sentences and such a closer shares a sentence of 40 characters or more
with every one of them, and the frames and names they also share lift some to a ratio
of 60: with any shared sentence as evidence, such a paragraph got one of them as a wrong
guess (``benchmarks/update_bench.py``, hard negatives). A sentence kept by an edit is
found in the paragraph it came from, seldom in others. (Accepting stock sentences that
make up a third of the query or more as well found no more edits there, and gave more
new paragraphs a guess.) Counted among this index's candidates only: in a pool of a few
entries a stock sentence may look rare, and still count."""

SHORT_WORDS = 12
"""A candidate of at most this many words is a short message: a heading, a caption, a
one-line notice, where each word carries much of the meaning."""

SHORT_LOST = 2
"""Words of a short candidate the query may not lose (``_lost_words``).

Short messages are written on a few frames with the same names and dates, so unrelated
ones score 70–90: "The ceremony will be held on Friday." / "The concert will be held on
Sunday." is 79, "The memorial service will take place in Ganja on 8 November." / "… in
Kutaisi on 12 November." 89 — another notice, which the ratio alone cannot tell from an
edit. An edit keeps the old message's words but one (a word replaced, inserted or
deleted, a slip fixed), and words added lose nothing ("Vigils in Baku" → "Vigils in Ganja
and Baku"); two words of the old one replaced is another message."""

SPELLING = 1
"""Optimal-string-alignment distance within which a word of 4 letters or more (without a
digit) counts as kept, its spelling fixed ("hled" → "held", "Firday" → "Friday")."""

TOP_K = 20
"""Candidates of the prefilter that are scored with ``fuzz.ratio``."""

QUERY_WORDS = 24
"""The query's rarest distinct words that vote in the prefilter."""

COMMON_SHARE = 0.05
"""A word found in more than this share of the candidates (and in more than 50) does not
vote, unless the query has fewer than ``MIN_VOTERS`` rarer words."""

MIN_VOTERS = 8
"""Words that vote at least (or all the query's known words, if fewer)."""

_WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…:;])\s+")
_HSPACE_RE = re.compile(r"[ \t]+")
_SPACED_EOL_RE = re.compile(r" ?\n ?")


def same_words(text: str) -> str:
    """``text`` with the spacing that cannot change a translation taken out.

    Runs of spaces and tabs count as one space, and spaces at either end or around a
    line break do not count. Line breaks themselves stay: in a msgid they are hard
    breaks, which a translation has to reproduce. Two texts with the same result are
    the same text for a translator (a re-wrapped or re-spaced paragraph).
    """
    return _SPACED_EOL_RE.sub("\n", _HSPACE_RE.sub(" ", text)).strip(" \n")


def _words(text: str) -> set[str]:
    return set(_WORD_RE.findall(text.casefold()))


def _sentences(text: str) -> set[str]:
    return {s for s in _SENTENCE_END_RE.split(text) if len(s) >= SHARED_SENTENCE}


def _lost_words(old: str, new: str) -> int:
    """Words of a short ``old`` that ``new`` lost, up to ``SHORT_LOST``; 0 if ``old`` is long.

    A word is kept when ``new`` has it (case aside) or, if it has 4 letters or more and
    no digit, a word ``SPELLING`` away from it. A number is kept only as it is: a date
    or a count changed is a change of meaning.
    """
    words = _WORD_RE.findall(old.casefold())
    if len(words) > SHORT_WORDS:
        return 0
    kept = _words(new)
    # A fixed spelling replaces the word, so its variant is a word ``old`` lacks: else
    # "31 March" → "31 December" would keep "march" through the "match" both have.
    added = kept.difference(words)
    lost = 0
    for word in set(words) - kept:
        spelling = len(word) >= 4 and not any(c.isdigit() for c in word)
        if not spelling or all(
            OSA.distance(word, k, score_cutoff=SPELLING) > SPELLING for k in added
        ):
            lost += 1
            if lost >= SHORT_LOST:
                break
    return lost


@dataclass(frozen=True, slots=True)
class Match:
    """The candidate a query matched."""

    index: int
    """Position of the candidate in the sequence the index was built from."""
    score: float
    """Its ``fuzz.ratio`` with the query, ``CUTOFF`` to 100."""


class WordIndex:
    """An inverted word index over candidate texts, for ``closest``.

    Built once, queried many times; immutable after construction.
    """

    __slots__ = ("_df_cap", "_idf", "_postings", "_sentence_df", "texts")

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts: tuple[str, ...] = tuple(texts)
        """The candidate texts, in the order given."""
        postings: dict[str, list[int]] = {}
        for number, text in enumerate(self.texts):
            for word in _words(text):
                postings.setdefault(word, []).append(number)
        total = max(len(self.texts), 1)
        self._postings = {word: tuple(ids) for word, ids in postings.items()}
        self._idf = {word: math.log(1 + total / len(ids)) for word, ids in postings.items()}
        self._df_cap = max(int(total * COMMON_SHARE), 50)
        self._sentence_df: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def _shares_sentence(self, sentences: set[str], text: str) -> bool:
        """``text`` has one of ``sentences`` (the query's) that no more than
        ``STOCK_SENTENCE`` candidates have."""
        shared = sentences & _sentences(text)
        if not shared:
            return False
        if self._sentence_df is None:  # counted on the first need: most runs never need it
            self._sentence_df = {}
            for candidate in self.texts:
                for s in _sentences(candidate):
                    self._sentence_df[s] = self._sentence_df.get(s, 0) + 1
        return any(self._sentence_df.get(s, 0) <= STOCK_SENTENCE for s in shared)

    def closest(
        self,
        query: str,
        *,
        cutoff: float = CUTOFF,
        top_k: int = TOP_K,
        query_words: int = QUERY_WORDS,
    ) -> Match | None:
        """The candidate most similar to ``query`` that is accepted (see the module), if any.

        ``cutoff`` replaces ``CUTOFF``; with ``cutoff=0`` every shortlisted candidate is
        accepted (to measure scores), short ones that lost words too. ``query_words``
        replaces ``QUERY_WORDS``.
        """
        known = sorted((len(self._postings[w]), w) for w in _words(query) if w in self._postings)
        if not known:
            return None
        voting = [w for df, w in known if df <= self._df_cap][:query_words]
        if len(voting) < MIN_VOTERS:  # few rare words: the commoner ones must vote too
            voting = [w for _, w in known[:MIN_VOTERS]]
        votes: dict[int, float] = {}
        get = votes.get
        for word in voting:
            weight = self._idf[word]
            for number in self._postings[word]:
                votes[number] = get(number, 0.0) + weight
        # A C-level key: ties keep the dict's (deterministic) insertion order.
        shortlist = heapq.nlargest(top_k, votes, key=votes.__getitem__)
        lowest = min(cutoff, SHARED_CUTOFF)
        sentences: set[str] | None = None
        best: Match | None = None
        for number in sorted(shortlist):
            text = self.texts[number]
            score = fuzz.ratio(query, text, score_cutoff=lowest)
            if not score or (best is not None and score <= best.score):
                continue
            if score < cutoff:
                sentences = _sentences(query) if sentences is None else sentences
                if not self._shares_sentence(sentences, text):
                    continue
            if cutoff and _lost_words(text, query) >= SHORT_LOST:
                continue
            best = Match(number, score)
        return best


def candidate_entry(entry: Entry) -> bool:
    """``entry`` can lend its translation: it has one (fuzzy or not) and is singular."""
    return bool(entry.msgstr) and not entry.msgid_plural and bool(entry.msgid)


class CandidatePool:
    """Translated entries that may lend a fuzzy guess, with their word index.

    The index is built on the first search, so a run where no text changed pays
    nothing for it. Candidates keep the order given; of several entries with the same
    msgid only the first is kept.
    """

    __slots__ = ("_by_words", "_index", "_reviewed", "entries")

    def __init__(self, entries: Iterable[Entry]) -> None:
        seen: set[str] = set()
        kept: list[Entry] = []
        for entry in entries:
            if candidate_entry(entry) and entry.msgid not in seen:
                seen.add(entry.msgid)
                kept.append(entry)
        self.entries: tuple[Entry, ...] = tuple(kept)
        """The candidates, in order."""
        self._index: WordIndex | None = None
        self._by_words: dict[tuple[str | None, str], Entry] | None = None
        self._reviewed: CandidatePool | None = None

    def same(self, msgid: str, msgctxt: str | None = None) -> Entry | None:
        """The first candidate with this text, or with only its whitespace different,
        under the same msgctxt: its translation applies as it is (no guess involved).
        Under another msgctxt the same text may need another translation: ``closest``
        offers it as a guess."""
        if self._by_words is None:
            self._by_words = {}
            for entry in self.entries:
                self._by_words.setdefault((entry.msgctxt, same_words(entry.msgid)), entry)
        return self._by_words.get((msgctxt, same_words(msgid)))

    def __len__(self) -> int:
        return len(self.entries)

    def reviewed(self) -> CandidatePool:
        """The candidates that are not fuzzy, as a pool of their own (built once).

        An untranslated message that is already in a catalog looks for a guess on every
        run, so it may only draw on what a run cannot create: an update writes fuzzy
        guesses, never reviewed translations. Drawing on fuzzy ones, a second ``extract``
        could find a guess the first did not (one it wrote itself).
        """
        if self._reviewed is None:
            self._reviewed = (
                self
                if not any(e.fuzzy for e in self.entries)
                else CandidatePool(e for e in self.entries if not e.fuzzy)
            )
        return self._reviewed

    def reviewed_digest(self) -> str:
        """A digest of ``reviewed()``, in order: all an update draws on for a message
        already in its catalog (new messages are what change a catalog anyway). Two pools
        with one digest give every such message the same suggestions."""
        h = hashlib.sha256()
        for e in self.reviewed().entries:
            h.update(f"{e.msgctxt}\0{e.msgid}\0{e.msgstr}\0".encode())
        return h.hexdigest()

    def closest(
        self, msgid: str, *, cutoff: float = CUTOFF, query_words: int = QUERY_WORDS
    ) -> tuple[Entry, float] | None:
        """The candidate whose msgid is most similar to ``msgid`` (and its score);
        ``query_words`` as for ``WordIndex.closest``."""
        if not self.entries:
            return None
        if self._index is None:
            self._index = WordIndex([e.msgid for e in self.entries])
        match = self._index.closest(msgid, cutoff=cutoff, query_words=query_words)
        return None if match is None else (self.entries[match.index], match.score)


def language_pool(catalogs: Iterable[Catalog]) -> CandidatePool:
    """A pool of every translated entry (active or obsolete) of ``catalogs``.

    Pass the catalogs of one language, in a fixed order (sorted by path), read before
    any of them is updated; ``update_catalog(..., pool=...)`` draws on it when an
    edited text has no close match among its own catalog's old entries.
    """
    return CandidatePool(e for catalog in catalogs for e in catalog.entries)
