"""Translation memory: TMX and ``.po`` compendiums in and out, and lookups that fill new
messages. The only ``lxml`` import.

A memory serves one language pair (a source language, a target language). It is made of
the project's own reviewed translations (every non-fuzzy entry of the target language's
catalogs: ``CandidatePool.reviewed``) and of imported units, kept in a compendium under
``locales/<lang>/`` (``memory_file_name``): a ``.po`` a reviewer reads and edits, each
entry with a ``#. memory: <origin>`` comment naming where it came from.

Lookups (``Memory.exact``, ``Memory.closest``):

- **Exact, placeholder-aware.** Two texts are the same when they differ only in spacing
  and in their *placeholders*: numbers, inline code spans, link and image destinations,
  and web addresses (``placeholders``). The memory's translation then
  gets the new placeholders put in (``substitute``): ``613 people were killed`` →
  ``614 …``. When that cannot be done unambiguously (a number written differently in
  the translation, one old value standing for two new ones), the translation is offered
  as it is, to review (``Suggestion.sure`` is false).
- **Close.** The imported units' closest text by ``CandidatePool.closest`` (the same
  prefilter, ratio and precision rules as an edited message), offered as a fuzzy guess.

TMX (1.4b) is read as untrusted input: streamed by ``lxml.etree.iterparse`` with entity
resolution, network access and DTD loading off; a document that declares entities of its
own (an XXE or a "billion laughs") is refused before any of its elements is read, and
the file size (``MAX_TMX_BYTES``) and each segment's length (``MAX_SEGMENT``) are
bounded. Inline codes (``<bpt>``, ``<ept>``, ``<it>``, ``<ph>``, ``<ut>``) are flattened
to their text, the native code they stand for (``**``, ``<b>``, ``{1}``): in a Markdown
message the markup is text. ``<hi>`` keeps its text; a ``<sub>`` (a subflow: an
attribute's own translatable text) is dropped.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import IO, Any, Literal

from lxml import etree

from pipeline import __version__
from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, read_catalog
from pipeline.catalogs.matching import CandidatePool, same_words
from pipeline.catalogs.template import SOURCE_LANGUAGE_FIELD
from pipeline.errors import PipelineError
from pipeline.files import require_regular, write_atomic
from pipeline.locales import same_language
from pipeline.markdown.inline_spans import inline_spans

MEMORY_STEM = "memory"
"""The compendium of the default pair is ``locales/<lang>/memory.po``."""

NOTE = "memory: "
"""Starts the ``#.`` line naming where a translation from the memory came from."""

MAX_TMX_BYTES = 512 * 1024 * 1024
"""Largest TMX read (bytes): far above any newsroom's memory, far below what exhausts a
machine (the parse is streamed; only the units kept stay in memory)."""

MAX_SEGMENT = 100_000
"""Longest segment kept (characters); longer ones are skipped and counted: no message
is that long, and one that is would only slow every lookup."""

MemoryExact = Literal["fuzzy", "translated"]
"""What an exact match from the memory gives (setting ``memory_exact``)."""


def memory_file_name(source_language: str, default_source: str) -> str:
    """The compendium's file name under ``locales/<target>/`` for units translated from
    ``source_language``: ``memory.po`` for the project's ``default_source``, else
    ``memory.<source>.po`` (one file per language pair)."""
    if source_language == default_source:
        return f"{MEMORY_STEM}.po"
    return f"{MEMORY_STEM}.{source_language}.po"


_MEMORY_NAME_RE = re.compile(rf"{MEMORY_STEM}(?:\.[A-Za-z]{{2,3}}(?:_[A-Za-z0-9]{{2,8}})*)?\.po")


def memory_path(locales_dir: Path, target: str, source: str, default_source: str) -> Path:
    """Where the compendium from ``source`` into ``target`` lives (``memory_file_name``)."""
    return locales_dir / target / memory_file_name(source, default_source)


def is_memory_file(name: str) -> bool:
    """``name`` (relative to ``locales/<lang>/``) is a memory compendium, not an
    article's catalog: ``memory.po`` or ``memory.<source>.po`` at the top."""
    return _MEMORY_NAME_RE.fullmatch(name) is not None


# --- units and suggestions ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation the memory holds."""

    source: str
    """The source text (a msgid)."""
    target: str
    """Its translation (a msgstr)."""
    origin: str
    """Where it came from: the file imported (``khojaly-2019.tmx``) or the article."""
    context: str | None = None
    """The msgctxt it was translated under (a project catalog's entry; None for an
    imported unit): under another context it is only ever a guess."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the memory offers for a message."""

    source: str
    """The memory's source text (``#|`` previous msgid when it differs)."""
    target: str
    """The translation, with the new placeholders put in when ``exact`` and ``sure``."""
    origin: str
    """``Unit.origin``: what the ``#. memory:`` comment names."""
    exact: bool
    """Same text, placeholders aside; else a close match."""
    sure: bool
    """Exact, and every placeholder that changed was replaced in the translation (or
    none changed): it may be filled as translated (``memory_exact``). False for a close
    match and for an exact one whose substitution was ambiguous."""


# --- placeholders -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A part of a message that a translation carries over unchanged."""

    start: int
    """Where it starts in the text (characters)."""
    end: int
    """Where it ends."""
    kind: str
    """``number``, ``code``, ``link`` (a link's or an image's destination) or ``url``."""

    def value(self, text: str) -> str:
        """Its characters in ``text``."""
        return text[self.start : self.end]


_DIGITS_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
"""Digits with thousands or decimal separators (``1,000``, ``3.5``): a number when it
stands alone (``_numbers``). Boundaries are checked by hand: lookarounds tried at every
character make the regular expression three times slower."""


def _numbers(text: str) -> Iterator[tuple[int, int]]:
    """Where the numbers of ``text`` stand: ``_DIGITS_RE`` runs not part of a word
    (``G20``, ``mp3``, ``613th`` are text) nor of a dotted code (``v1.2``)."""
    for match in _DIGITS_RE.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in "_.," or after.isalnum() or after == "_":
            continue
        yield start, end


_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?'\")\]]")
"""A web address in running text (GitHub and Hugo link it), without trailing punctuation."""

_NUMBER_MARK = "\x00n\x00"

_MARKUP = ("`", "[", "<")
"""What a code span, link, image or autolink needs: text without them is not parsed."""


@lru_cache(maxsize=4096)
def placeholders(text: str) -> tuple[Placeholder, ...]:
    """The placeholders of a Markdown message, in order, none overlapping.

    Code spans (backticks included), autolinks, and inline link and image destinations
    come from the inline parse (``inline_spans``; a reference link's label is text
    there); web addresses and numbers are found in what is left. Pure (cached per text).
    """
    found: list[Placeholder] = []
    covered: list[tuple[int, int]] = []
    if any(mark in text for mark in _MARKUP):
        for start, end, kind in inline_spans(text):
            if kind == "code":
                found.append(Placeholder(start, end, "code"))
                covered.append((start, end))
            elif kind == "autolink":
                found.append(Placeholder(start + 1, end - 1, "url"))
                covered.append((start, end))
            elif kind in ("link", "image"):
                target = _destination(text, start, end)
                if target is not None:
                    found.append(Placeholder(*target, "link"))
                    covered.append(target)
            elif kind == "html":
                covered.append((start, end))  # a tag's attributes are no running text

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in covered)

    for match in _URL_RE.finditer(text):
        if free(match.start(), match.end()):
            found.append(Placeholder(match.start(), match.end(), "url"))
            covered.append(match.span())
    for start, end in _numbers(text):
        if free(start, end):
            found.append(Placeholder(start, end, "number"))
    found.sort(key=lambda p: p.start)
    return tuple(found)


def _destination(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the destination of the inline link (or image) ``text[start:end]`` stands;
    None when it has none (a reference link) or it cannot be told."""
    span = text[start:end]
    if span.endswith(")"):
        opening = span.rfind("](")
        if opening < 0:
            return None
        first = opening + 2
        inner = span[first:-1]
        lead = len(inner) - len(inner.lstrip())
        body = inner.lstrip()
        if body.startswith("<"):
            close = body.find(">")
            if close < 0:
                return None
            return start + first + lead + 1, start + first + lead + close
        length = len(body.split(maxsplit=1)[0]) if body.strip() else 0
        if not length:
            return None
        return start + first + lead, start + first + lead + length
    return None


def pattern_of(text: str) -> str:
    """``text`` with each placeholder replaced by a mark of its kind, spacing as
    ``same_words``: two texts with the same pattern are the same text for a memory."""
    if not any(mark in text for mark in _MARKUP) and "://" not in text and "www." not in text:
        # numbers only, found as ``placeholders`` finds them without its inline parse:
        # a memory of 20,000 units is indexed in a fraction of a second
        spans = [(start, end, _NUMBER_MARK) for start, end in _numbers(text)]
    else:
        spans = [(p.start, p.end, f"\x00{p.kind[0]}\x00") for p in placeholders(text)]
    parts: list[str] = []
    at = 0
    for start, end, mark in spans:
        parts += [text[at:start], mark]
        at = end
    parts.append(text[at:])
    return _same_words("".join(parts))


def _same_words(text: str) -> str:
    """``same_words``, without its substitutions when they would change nothing (most
    texts: one space between words, no tab): a memory's index reads every unit."""
    if "\t" in text or "  " in text or " \n" in text or "\n " in text:
        return same_words(text)
    return text.strip(" \n")


def substitute(
    target: str, old_source: str, new_source: str, old: Sequence[Placeholder] | None = None
) -> str | None:
    """``target`` (the translation of ``old_source``) with the placeholders that differ
    in ``new_source`` (a text of the same ``pattern_of``) put in; None when it cannot be
    done unambiguously.

    Each old value that changed must be found in ``target`` exactly as often as in
    ``old_source`` (a number by its digits, not inside a longer number; code and
    addresses as written), and one old value may stand for one new value only. The
    result is verified: as many placeholders as ``target`` had, each new value there.
    """
    old = placeholders(old_source) if old is None else old
    new = placeholders(new_source)
    if len(old) != len(new) or any(o.kind != n.kind for o, n in zip(old, new, strict=True)):
        return None
    mapping: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for o, n in zip(old, new, strict=True):
        was, now = o.value(old_source), n.value(new_source)
        if mapping.setdefault(was, now) != now:
            return None
        kinds[was] = o.kind
    changes = {was: now for was, now in mapping.items() if was != now}
    if not changes:
        return target
    spans: list[tuple[int, int, str]] = []
    # a number inside the translation's code, link targets or addresses is part of
    # them: never the running-text number that changed (the translation may have
    # written that one in words)
    fenced = [(p.start, p.end) for p in placeholders(target) if p.kind != "number"]
    for was, now in changes.items():
        wanted = sum(1 for o in old if o.value(old_source) == was)
        where = [
            (s, e)
            for s, e in _occurrences(target, was, kinds[was])
            if kinds[was] != "number" or not any(a <= s and e <= b for a, b in fenced)
        ]
        if len(where) != wanted:
            return None
        spans += [(s, e, now) for s, e in where]
    spans.sort()
    if any(a[1] > b[0] for a, b in pairwise(spans)):
        return None
    out: list[str] = []
    at = 0
    for s, e, now in spans:
        out += [target[at:s], now]
        at = e
    out.append(target[at:])
    result = "".join(out)
    if len(placeholders(result)) != len(placeholders(target)):
        return None
    if any(now not in result for now in changes.values()):
        return None
    return result


def _occurrences(text: str, value: str, kind: str) -> Iterator[tuple[int, int]]:
    if kind == "number":
        pattern = rf"(?<![0-9])(?<![0-9][.,]){re.escape(value)}(?![0-9])(?![.,][0-9])"
        for match in re.finditer(pattern, text):
            yield match.span()
        return
    at = text.find(value)
    while at >= 0:
        yield at, at + len(value)
        at = text.find(value, at + len(value))


# --- the memory -------------------------------------------------------------------------


_PER_PATTERN = 8
"""Units kept per pattern: texts that are all placeholders ("2019", a bare link) share
one pattern by the thousand, and a lookup tries a few at most."""


PROJECT_ORIGIN = "this project's catalogs"
"""The origin of a project translation whose entry names no article (an obsolete one)."""


QUERY_WORDS = 12
"""The query's rarest words that vote for close matches among imported units (the
project's own catalogs use ``matching.QUERY_WORDS``, 24). A memory is large and its
lookups many: on ``benchmarks/memory_bench.py`` (20,000 units, 2,000 messages) 12 gives
the same matches as 24 (484 and 487 of 500 edits found, 2 and 5 of 500 new texts given
a wrong guess, seeds 7 and 3) in 1.75 s instead of 2.07 s."""


class Memory:
    """A language pair's memory: ``units`` imported, and ``pool``, the project's
    catalogs of the target language (only their reviewed entries are the memory).

    Immutable once built; its indexes are built on the first lookup, so a run where
    nothing asks pays nothing. Of several units with one source text, the first is kept.
    """

    __slots__ = ("_close", "_exact", "pool", "units")

    def __init__(self, units: Iterable[Unit] = (), pool: CandidatePool | None = None) -> None:
        seen: set[str] = set()
        kept: list[Unit] = []
        for unit in units:
            if unit.source and unit.target and unit.source not in seen:
                seen.add(unit.source)
                kept.append(unit)
        self.units: tuple[Unit, ...] = tuple(kept)
        """The imported units, in order."""
        self.pool: CandidatePool = pool if pool is not None else CandidatePool(())
        """The project's catalogs of the target language."""
        self._exact: dict[str, list[tuple[Unit, bool]]] | None = None
        self._close: CandidatePool | None = None

    def __len__(self) -> int:
        return len(self.units)

    def digest(self) -> str:
        """A digest of all a lookup draws on: the pool's reviewed entries and the units.
        Two memories with one digest give every message the same suggestions (origins
        aside)."""
        h = hashlib.sha256(self.pool.reviewed_digest().encode())
        for unit in self.units:
            h.update(f"{unit.source}\0{unit.target}\0".encode())
        return h.hexdigest()

    def _index(self) -> dict[str, list[tuple[Unit, bool]]]:
        """Pattern (``pattern_of``) → up to ``_PER_PATTERN`` (unit, imported) pairs."""
        if self._exact is None:
            index: dict[str, list[tuple[Unit, bool]]] = {}
            for unit, imported in self._all_units():
                held = index.setdefault(pattern_of(unit.source), [])
                if len(held) < _PER_PATTERN:
                    held.append((unit, imported))
            self._exact = index
        return self._exact

    def _all_units(self) -> Iterator[tuple[Unit, bool]]:
        # the project's own reviewed translations first: its current wording
        for e in self.pool.reviewed().entries:
            origin = e.occurrences[0][0] if e.occurrences else PROJECT_ORIGIN
            yield Unit(e.msgid, e.msgstr, origin, e.msgctxt), False
        for unit in self.units:
            yield unit, True

    def exact(self, msgid: str, msgctxt: str | None = None) -> Suggestion | None:
        """The unit whose text is ``msgid``'s, spacing and placeholders aside (the
        project's reviewed translations first, then the imported units), its
        placeholders replaced (see the module); the first whose placeholders can be
        replaced unambiguously, else the first, unsure. A project translation of the
        very same text under the same ``msgctxt`` is left out: the update reuses it as
        it is (``CandidatePool.same``); under another it is offered, never sure."""
        candidates = self._index().get(pattern_of(msgid))
        if not candidates:
            return None
        plain = same_words(msgid)
        unsure: Suggestion | None = None
        # the very same text first: nothing to substitute
        for unit, imported in sorted(candidates, key=lambda c: same_words(c[0].source) != plain):
            same_context = unit.context == msgctxt
            if same_words(unit.source) == plain:
                if not imported and same_context:
                    continue
                return Suggestion(
                    unit.source, unit.target, unit.origin, exact=True, sure=same_context
                )
            text = substitute(unit.target, unit.source, msgid)
            if text is not None:
                return Suggestion(unit.source, text, unit.origin, exact=True, sure=same_context)
            if unsure is None:
                unsure = Suggestion(unit.source, unit.target, unit.origin, exact=True, sure=False)
        return unsure

    def closest(self, msgid: str) -> Suggestion | None:
        """The imported unit closest to ``msgid`` (``CandidatePool.closest``), if any."""
        if not self.units:
            return None
        if self._close is None:
            self._close = CandidatePool(
                Entry(msgid=u.source, msgstr=u.target, comment=u.origin) for u in self.units
            )
        hit = self._close.closest(msgid, query_words=QUERY_WORDS)
        if hit is None:
            return None
        entry = hit[0]
        return Suggestion(entry.msgid, entry.msgstr, entry.comment, exact=False, sure=False)


# --- the compendium (locales/<lang>/memory.po) -------------------------------------------


def units_of(catalog: Catalog, origin: str) -> list[Unit]:
    """The units of a compendium: every translated, non-fuzzy, singular entry; each
    keeps the origin its ``#. memory:`` comment names, else ``origin``."""
    found: list[Unit] = []
    for e in catalog.entries:
        if not e.translated or e.msgid_plural or not e.msgid:
            continue
        notes = [line[len(NOTE) :] for line in e.comment.split("\n") if line.startswith(NOTE)]
        found.append(Unit(e.msgid, e.msgstr, notes[0].strip() if notes else origin))
    return found


def memory_catalog(units: Sequence[Unit], target: str, source: str) -> Catalog:
    """The compendium holding ``units`` (one entry each, in order) for ``source`` →
    ``target``: a ``.po`` any gettext tool reads, each entry with its origin."""
    header = (
        ("Project-Id-Version", f"translation memory {source}-{target}"),
        ("Language", target),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Source-Language", source),
    )
    entries = tuple(Entry(msgid=u.source, msgstr=u.target, comment=NOTE + u.origin) for u in units)
    return Catalog(
        header=header,
        entries=entries,
        header_comment=(
            f"Translation memory, {source} → {target}: units imported by "
            "'pipeline memory import'.\n"
            "extract fills new messages from it (see README: Translation memory).\n"
            "Review it like a catalog; delete an entry to forget it."
        ),
    )


@dataclass(frozen=True, slots=True)
class Merged:
    """What adding units to a compendium did."""

    units: tuple[Unit, ...]
    """The compendium's units after the import."""
    added: int = 0
    """Units new to it."""
    known: int = 0
    """Units it held already (same source, same translation)."""
    conflicting: tuple[str, ...] = field(default=())
    """Source texts it held with another translation: the one it held is kept."""


def merged_units(existing: Sequence[Unit], new: Iterable[Unit]) -> Merged:
    """``existing`` units, then those of ``new`` whose source text they lack (spacing
    aside); a source text already there with another translation keeps it."""
    by_text = {same_words(u.source): u for u in existing}
    units = list(existing)
    added = known = 0
    conflicting: list[str] = []
    for unit in new:
        if not unit.source.strip() or not unit.target.strip():
            continue
        held = by_text.get(same_words(unit.source))
        if held is None:
            by_text[same_words(unit.source)] = unit
            units.append(unit)
            added += 1
        elif held.target == unit.target:
            known += 1
        elif unit.source not in conflicting:
            conflicting.append(unit.source)
    return Merged(tuple(units), added, known, tuple(conflicting))


# --- TMX in -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TmxRead:
    """The units of a TMX, per target language asked."""

    units: Mapping[str, tuple[Unit, ...]]
    """Target language code (as asked) → its units, in file order."""
    tus: int = 0
    """Translation units (``<tu>``) read."""
    without_source: int = 0
    """Units with no variant in the source language (skipped)."""
    too_long: int = 0
    """Segments longer than ``MAX_SEGMENT`` (skipped)."""
    languages: tuple[str, ...] = ()
    """The ``xml:lang`` values found (the first ``_LANGUAGES_SHOWN``), for messages."""


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGES_SHOWN = 12
_INLINE = frozenset({"bpt", "ept", "it", "ph", "ut", "hi"})
_HINT = "export it again from your CAT tool as TMX 1.4 (OmegaT, Trados, memoQ, Weblate)"


def read_tmx(path: Path, shown: str, source: str, targets: Sequence[str]) -> TmxRead:
    """The units of the TMX at ``path`` (``shown`` in messages) from ``source`` into each
    of ``targets``, languages compared as CLDR does (``same_language``: ``az-Latn-AZ``
    is ``az``). The origin of each unit is the file's name.

    Raises ``PipelineError`` (``shown:line`` + hint) for a file that is not a regular
    file, larger than ``MAX_TMX_BYTES``, not well-formed XML, not a TMX, or that
    declares XML entities (see the module).
    """
    try:
        st = path.stat()  # before opening: a FIFO would block the open itself
        require_regular(st.st_mode, shown, PipelineError)
        _bounded(st.st_size, shown)
        with path.open("rb") as stream:
            st = os.fstat(stream.fileno())  # what was opened, if it changed meanwhile
            require_regular(st.st_mode, shown, PipelineError)
            _bounded(st.st_size, shown)
            return _read_tmx(stream, path.name, shown, source, targets)
    except etree.XMLSyntaxError as exc:
        raise PipelineError(
            f"not well-formed XML: {exc.msg}", path=shown, line=exc.lineno or None, hint=_HINT
        ) from None
    except OSError as exc:
        raise PipelineError(f"cannot read: {exc.strerror}", path=shown) from None


def _bounded(size: int, shown: str) -> None:
    if size > MAX_TMX_BYTES:
        raise PipelineError(
            f"is {size} bytes, more than a memory may be ({MAX_TMX_BYTES}); it was not read",
            path=shown,
            hint="split it by language or by year in your CAT tool, and import each part",
        )


def _read_tmx(
    stream: IO[bytes], origin: str, shown: str, source: str, targets: Sequence[str]
) -> TmxRead:
    found: dict[str, list[Unit]] = {code: [] for code in targets}
    tus = without_source = too_long = 0
    matches: dict[tuple[str, str], bool] = {}
    seen: dict[str, None] = {}

    def same(lang: str, code: str) -> bool:
        if (lang, code) not in matches:
            matches[lang, code] = same_language(lang.replace("-", "_"), code)
        return matches[lang, code]

    parsed = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    root: Any = None
    for event, element in parsed:
        if root is None:
            root = element
            _refuse_entities(element, shown)
            if element.tag != "tmx":
                raise PipelineError(
                    f"the document is <{element.tag}>, not a TMX (<tmx>)",
                    path=shown,
                    line=element.sourceline,
                    hint=_HINT,
                )
            continue
        if event != "end" or element.tag != "tu":
            continue
        tus += 1
        variants: list[tuple[str, str]] = []
        for tuv in element.iterchildren("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is None or not lang:
                what = "no xml:lang" if not lang else "no <seg>"
                raise PipelineError(
                    f"a <tuv> with {what}", path=shown, line=tuv.sourceline, hint=_HINT
                )
            variants.append((lang, _seg_text(seg, shown)))
            if len(seen) < _LANGUAGES_SHOWN:
                seen.setdefault(lang)
        src = next((text for lang, text in variants if same(lang, source)), None)
        if src is None:
            without_source += 1
        elif len(src) > MAX_SEGMENT:
            too_long += 1
        elif src.strip():
            for code in targets:
                text = next((t for lang, t in variants if same(lang, code)), None)
                if text is None or not text.strip():
                    continue
                if len(text) > MAX_SEGMENT:
                    too_long += 1
                    continue
                found[code].append(Unit(src, text, origin))
        # streamed: what was read is let go, so memory holds the units only
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]
    if root is None:
        raise PipelineError("the file is empty", path=shown, hint=_HINT)
    units = {k: tuple(v) for k, v in found.items()}
    return TmxRead(units, tus, without_source, too_long, tuple(seen))


def _refuse_entities(root: Any, shown: str) -> None:
    """Refuse a document whose DTD declares entities (read before any element is)."""
    dtd = root.getroottree().docinfo.internalDTD
    names = [e.name for e in dtd.iterentities()] if dtd is not None else []
    if names:
        listed = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        raise PipelineError(
            f"declares XML entities ({listed}); a TMX needs none, and they can read "
            "local files or fill the memory (XXE, 'billion laughs'): it was not read",
            path=shown,
            line=root.sourceline,
            hint="remove the <!DOCTYPE …[ … ]> declarations, or export the TMX again",
        )


def _seg_text(seg: Any, shown: str) -> str:
    """A ``<seg>``'s text, inline codes flattened (see the module); CRLF read as LF."""
    parts: list[str] = [seg.text or ""]
    for child in seg:
        parts.append(_inline_text(child, shown))
        parts.append(child.tail or "")
    return "".join(parts).replace("\r\n", "\n")


def _inline_text(element: Any, shown: str) -> str:
    if element.tag is etree.Entity:
        raise PipelineError(
            f"refers to the entity {element.text}, which a TMX cannot define",
            path=shown,
            line=element.sourceline,
            hint="write the character itself (or &amp; &lt; &gt; &quot; &apos;)",
        )
    if not isinstance(element.tag, str) or element.tag == "sub":
        return ""  # a subflow's text is another segment's
    if element.tag not in _INLINE:
        raise PipelineError(
            f"<{element.tag}> is no TMX inline element", path=shown, line=element.sourceline
        )
    parts: list[str] = [element.text or ""]
    for child in element:
        parts.append(_inline_text(child, shown))
        parts.append(child.tail or "")
    return "".join(parts)


# --- TMX out ----------------------------------------------------------------------------


_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, even escaped."""


def tmx_code(code: str) -> str:
    """A language code as TMX writes it (BCP 47: ``pt-BR``, not ``pt_BR``)."""
    return code.replace("_", "-")


@dataclass(frozen=True, slots=True)
class TmxWritten:
    """A TMX document made by ``tmx_bytes``."""

    data: bytes
    """The document (UTF-8)."""
    tus: int
    """Its ``<tu>`` elements."""
    skipped: int
    """Pairs left out: a character XML cannot hold."""


def tmx_bytes(source: str, pairs: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> TmxWritten:
    """A TMX 1.4b document of ``pairs`` (target language → its (source, translation)
    pairs, in order), from ``source``.

    One ``<tu>`` per source text, with a ``<tuv>`` per language that translates it; a
    language with two translations of one text gives a second ``<tu>``. Duplicates are
    dropped; the order is that of first use. Deterministic (no dates), so an export of an
    unchanged project gives the same bytes.
    """
    texts: dict[str, dict[str, list[str]]] = {}
    skipped = 0
    for lang, units in pairs:
        for src, target in units:
            if _NOT_XML_RE.search(src) or _NOT_XML_RE.search(target):
                skipped += 1
                continue
            targets = texts.setdefault(src, {}).setdefault(lang, [])
            if target not in targets:
                targets.append(target)
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="article-l10n-pipeline",
        creationtoolversion=__version__,
        datatype="plaintext",
        segtype="paragraph",
        adminlang="en",
        srclang=tmx_code(source),
        **{"o-tmf": "po"},
    )
    body = etree.SubElement(root, "body")
    tus = 0
    for src, by_lang in texts.items():
        for k in range(max(len(v) for v in by_lang.values())):
            tu = etree.SubElement(body, "tu")
            tus += 1
            _tuv(tu, source, src)
            for lang, targets in by_lang.items():
                if k < len(targets):
                    _tuv(tu, lang, targets[k])
    # the declaration written as OmegaT and Trados write it (lxml's uses single quotes)
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    data = declaration + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return TmxWritten(data, tus, skipped)


def _tuv(tu: Any, lang: str, text: str) -> None:
    tuv = etree.SubElement(tu, "tuv")
    tuv.set(_XML_LANG, tmx_code(lang))
    etree.SubElement(tuv, "seg").text = text


# --- what the commands did --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imported:
    """``pipeline memory import`` in one language."""

    language: str
    """The target language."""
    path: str
    """Its compendium, as shown."""
    merged: Merged
    """What the import added to it."""
    written: bool
    """The compendium was written (False when nothing was new)."""

    def summary(self) -> str:
        """``12 added, 3 already there, 1 kept (another translation there)``."""
        m = self.merged
        parts = [f"{m.added} added"]
        if m.known:
            parts.append(f"{m.known} already there")
        if m.conflicting:
            parts.append(f"{len(m.conflicting)} kept as they were (translated otherwise there)")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Exported:
    """``pipeline memory export``."""

    path: str
    """The TMX written, as shown."""
    tus: int
    """Its ``<tu>`` elements."""
    pairs: tuple[tuple[str, int], ...]
    """Per target language, the distinct (source, translation) pairs it holds."""
    skipped: int
    """Pairs left out (``TmxWritten.skipped``)."""


# --- the commands' work -----------------------------------------------------------------


def read_units(
    file: Path, shown: str, targets: Sequence[str], source: str
) -> dict[str, tuple[Unit, ...]]:
    """The units of ``file`` from ``source`` into each of ``targets`` that it has any
    for: a TMX (``read_tmx``), or a ``.po``/``.pot`` compendium (``units_of``) in the
    language its ``Language`` header names (or the one target, when it names none).

    ``PipelineError`` (``shown:line`` + hint) when it cannot be read, or holds no unit
    for any of ``targets``.
    """
    seen: tuple[str, ...] = ()
    if file.suffix.lower() in (".po", ".pot"):
        catalog = read_catalog(file, shown)
        named = catalog.field("Language") or ""
        code = next((c for c in targets if same_language(named, c)), None) if named else None
        if code is None and not named and len(targets) == 1:
            code = targets[0]
        if code is None:
            raise PipelineError(
                f"is a catalog of '{named}', not of {', '.join(targets)}"
                if named
                else "has no Language header, so its language is not known",
                path=shown,
                hint=f"add the language with 'pipeline init {named}'"
                if named
                else "name it: pipeline memory import FILE.po -l LANG",
            )
        found = {code: tuple(units_of(catalog, file.name))}
    else:
        read = read_tmx(file, shown, source, targets)
        found, seen = dict(read.units), read.languages
    found = {code: units for code, units in found.items() if units}
    if not found:
        raise PipelineError(
            f"holds no translation from {source} into {', '.join(targets)}",
            path=shown,
            hint=f"its languages are {', '.join(seen)}; add the one you need with "
            "'pipeline init LANG'"
            if seen
            else "check that it is a TMX or a .po of this project's languages",
        )
    return found


def add_units(path: Path, shown: str, units: Sequence[Unit], target: str, source: str) -> Imported:
    """Add ``units`` to the compendium at ``path`` (``merged_units``), written only when
    it gains some; ``CatalogError`` when the compendium there cannot be read.

    What a reviewer did to the compendium stays as it is: every entry it has (fuzzy,
    commented, under a msgctxt, emptied) is kept, and a unit whose text it has in any
    state is not added again (a distrusted unit does not come back as reviewed)."""
    old = read_catalog(path, shown) if path.exists() else None
    held = [
        Unit(e.msgid, e.msgstr or e.msgid, path.name)
        for e in (old.entries if old else ())
        if e.msgid and not e.msgid_plural
    ]
    merged = merged_units(held, units)
    if merged.added:
        fresh = memory_catalog(merged.units[len(held) :], target, source)
        catalog = fresh if old is None else replace(old, entries=old.entries + fresh.entries)
        write_atomic(path, catalog_text(catalog), shown)
    return Imported(target, shown, merged, written=bool(merged.added))


def export_tmx(
    file: Path,
    shown: str,
    source: str,
    catalogs: Sequence[tuple[str, Sequence[tuple[Path, str]]]],
) -> Exported:
    """Write ``file`` (``shown``): a TMX (``tmx_bytes``) of every translated, non-fuzzy,
    singular entry of ``catalogs`` (target language → its catalogs as (path, shown), in
    order). A catalog of an article written in another language than ``source``
    (``template.SOURCE_LANGUAGE_FIELD``) belongs to another pair and is left out. Every
    catalog is read before anything is written (``CatalogError``)."""
    pairs: list[tuple[str, Sequence[tuple[str, str]]]] = []
    for lang, paths in catalogs:
        found: dict[tuple[str, str], None] = {}
        for path, where in paths:
            catalog = read_catalog(path, where)
            if (catalog.field(SOURCE_LANGUAGE_FIELD) or source) != source:
                continue  # an article in another language: another language pair
            for e in catalog.entries:
                if e.translated and e.msgid and not e.msgid_plural:
                    found.setdefault((e.msgid, e.msgstr))
        pairs.append((lang, tuple(found)))
    written = tmx_bytes(source, pairs)
    write_atomic(file, written.data.decode("utf-8"), shown)
    return Exported(shown, written.tus, tuple((k, len(v)) for k, v in pairs), written.skipped)
