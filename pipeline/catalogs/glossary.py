"""Glossaries: the terms translators must use, per language pair, and how a term is
found in a text.

A glossary is ``locales/<lang>/glossary.csv`` (UTF-8, a byte-order mark allowed): a
header row naming the columns ``source`` and ``translation`` (``note`` and ``pos``
optional, in any order), then one term a row. Several rows with the same source are
alternatives: any of their translations will do. A glossary for articles written in
another language than the project's ``source_language`` is
``locales/<lang>/glossary.<source>.csv`` (``glossary_path``).

Finding a term is the language's business, written here as data (no ICU):

- *Casing* (``CASINGS``): texts are compared case-folded, after the language's own rules
  are applied first. Turkic languages pair ``İ/i`` and ``I/ı`` (Python's
  ``"İ".lower()`` is ``i`` plus a combining dot, and its ``"I".lower()`` is ``i``:
  both wrong in az and tr); Georgian is caseless, so its Mtavruli capitals
  (U+1C90–U+1CBF, used for emphasis) compare as the Mkhedruli letters they stand for.
- *Tokens*: a term matches whole tokens only, a token being a word (a run of letters
  and digits, with the combining marks after them) or any other character that is not
  a space or a hyphen. The tokens of a term stand in a row, joined where the term's are
  and separated by spaces or hyphens where the term's are: ``U.S.`` and ``O'Brien``
  are found as written, ``C++`` is not ``C`` and ``G20`` is not ``G7``. Apostrophes
  (``’``, ``ʼ``) compare as ``'``.
- *Markup*: what a translator copies as it is (code spans, inline HTML, link and image
  destinations, autolinks, bare web and e-mail addresses, footnote labels) holds no
  term, in a msgid or a msgstr (``visible``).
- *Index*: terms are filed by the key of their first token (``Finder.key``), so a text
  is compared only with the terms that may start at one of its tokens.
- *Inflection* (``INFLECTIONS``, overridden by the ``glossary_inflection`` setting):
  each word of the term may lose up to ``change`` final letters, as long as
  ``min_stem`` letters remain, and take up to ``change + suffix`` letters after that
  stem: ``Xocalı`` matches ``Xocalının`` and ``Xocalıda``, ``Азербайджан`` matches
  ``Азербайджана``, ``ხოჯალი`` matches ``ხოჯალს``. A word shorter than ``min_stem``
  letters, or one with a digit, matches only as it is. A language with ``endings``
  (English) takes only those: ``Khojaly`` matches ``Khojalys``, not ``Khojalyan``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from pipeline.catalogs.catalog import Catalog
from pipeline.errors import CatalogError
from pipeline.files import read_regular
from pipeline.markdown.inline_spans import inline_spans

GLOSSARY_NAME = "glossary.csv"
"""The glossary's file name in ``locales/<lang>/``, for the project's source language."""

COLUMNS = ("source", "translation", "note", "pos")
"""The columns a glossary may have; the first two are required."""

COMMENT_PREFIX = "glossary: "
"""Starts each ``#.`` line ``extract`` writes for a glossary term."""

_HINT = (
    "a glossary is CSV: a header row 'source,translation,note' (a 'pos' column "
    "optional), then one term a row; quote a value that holds a comma"
)


# --- language data ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inflection:
    """How far a word of a term may differ from its glossary form in a text."""

    min_stem: int
    """Letters of the word that always stay (a shorter word matches only as it is)."""
    change: int = 0
    """Final letters that may change (``Москва`` → ``Москвы``: 1)."""
    suffix: int = 0
    """Letters that may be added beyond the changed ones (``Bakı`` → ``Bakıda``: 2)."""
    endings: tuple[str, ...] = ()
    """When given, the only endings a word may take (English plural: ``s``, ``es``);
    ``change`` and ``suffix`` then do not apply."""
    changing: str = ""
    """When given, the only final letters that may change (lower case): Azerbaijani and
    Turkish soften a final consonant (``çörək`` → ``çörəyi``) but never change a
    vowel, so ``Xocali`` is not a form of ``Xocalı``."""


_TURKIC_CASING = MappingProxyType({ord("I"): "ı", ord("İ"): "i"})
_MTAVRULI = MappingProxyType(
    {code: chr(code - 0x1C90 + 0x10D0) for code in (*range(0x1C90, 0x1CBB), 0x1CBD, 0x1CBE, 0x1CBF)}
)
_DEFAULT_CASING = MappingProxyType({ord("İ"): "i"})

CASINGS: Mapping[str, Mapping[int, str]] = MappingProxyType(
    {
        # I/ı and İ/i are two letters each in these alphabets
        "az": _TURKIC_CASING,
        "tr": _TURKIC_CASING,
        "crh": _TURKIC_CASING,
        "gag": _TURKIC_CASING,
        "ka": _MTAVRULI,
    }
)
"""Per language (base code), the characters folded by its own rule before Unicode
case folding; every other language folds ``İ`` to ``i`` (a dotted capital in a foreign
name) and the rest by Unicode."""

_AGGLUTINATIVE = Inflection(min_stem=4, change=1, suffix=8)
_TURKIC = Inflection(min_stem=4, change=1, suffix=8, changing="kqptç")
_GEORGIAN = Inflection(min_stem=4, change=1, suffix=8, changing="აი")
_SLAVIC = Inflection(min_stem=4, change=2, suffix=3)
_CYRILLIC = Inflection(min_stem=4, change=2, suffix=3, changing="аеёиоуыэюяйьєії")
_ROMANCE = Inflection(min_stem=4, change=1, suffix=2)

INFLECTIONS: Mapping[str, Inflection] = MappingProxyType(
    {
        "en": Inflection(min_stem=3, endings=("s", "es")),
        # case and possessive suffixes chain (Xocalı-da-kı-lar-dan); a final k/q/p/t
        # may soften before a vowel (çörək → çörəyi)
        "az": _TURKIC,
        "tr": _TURKIC,
        "crh": _TURKIC,
        "gag": _TURKIC,
        "kk": _AGGLUTINATIVE,
        "uz": _AGGLUTINATIVE,
        "tk": _AGGLUTINATIVE,
        "fi": _AGGLUTINATIVE,
        "et": _AGGLUTINATIVE,
        "hu": _AGGLUTINATIVE,
        # case endings and postpositions; a name's final -ი drops (ხოჯალი → ხოჯალში)
        "ka": _GEORGIAN,
        # case endings replace up to two letters (исламская → исламской)
        "ru": _CYRILLIC,
        "uk": _CYRILLIC,
        "be": _CYRILLIC,
        "pl": _SLAVIC,
        "cs": _SLAVIC,
        "sk": _SLAVIC,
        "sl": _SLAVIC,
        "hr": _SLAVIC,
        "sr": _SLAVIC,
        "bs": _SLAVIC,
        "lt": _SLAVIC,
        "lv": _SLAVIC,
        "de": Inflection(min_stem=4, suffix=3),
        "fr": _ROMANCE,
        "es": _ROMANCE,
        "it": _ROMANCE,
        "pt": _ROMANCE,
        "ro": _ROMANCE,
    }
)
"""Per language (base code), how its words inflect; a language not listed matches
whole words exactly (after case folding)."""


def base_code(code: str) -> str:
    """``az_Latn`` / ``pt-BR`` → ``az`` / ``pt``: the language the data is keyed by."""
    return re.split(r"[_-]", code, maxsplit=1)[0].lower()


def fold(text: str, lang: str) -> str:
    """``text`` case-folded the way ``lang`` folds it (``CASINGS``), in NFC."""
    table = CASINGS.get(base_code(lang), _DEFAULT_CASING)
    return unicodedata.normalize("NFC", text).translate(table).casefold()


# --- matching ---------------------------------------------------------------------------

_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f"
)
_LETTER = re.compile(r"[^\W\d_]")
"""A letter: a glossary term needs one."""
_GAP_CHARS = r"\s\-\u00ad\u2010\u2011"
_TOKEN = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}])*|[^{_GAP_CHARS}]")
"""A token: a word (letters and digits, with the combining marks and joiners that
follow them) or any one other character that is not a gap."""
_GAP = re.compile(rf"[{_GAP_CHARS}]+")
"""What may stand between the tokens of a term: spaces and hyphens."""
_APOSTROPHES = MappingProxyType({ord(c): "'" for c in "\u2019\u02bc\u2018\u00b4"})
"""Apostrophes written otherwise (``O’Brien``, ``İstanbul’da``) compare as ``'``."""

_HIDDEN = "\x00"
"""Stands for what a translator copies as it is (code, addresses): a token no term
holds, so no term is found in it, nor across it."""
_MARKUP = frozenset("`[<")
"""A text without any of these has no code span, link, image, autolink, HTML or
footnote for ``inline_spans`` to find."""
_HIDDEN_SPANS = frozenset({"code", "autolink", "html"})
_WEB_ADDRESS = re.compile(
    r"(?:\b[a-z][a-z0-9+.\-]{1,31}://|\bwww\.)[^\s<>`]*"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|\[\^[^\]\s]+\]",
    re.IGNORECASE,
)
"""A bare web address or e-mail address, which GitHub and Hugo make a link, and a
footnote reference (``[^1]``: the parse of one message, without the article's
definitions, takes it for text)."""


def visible(text: str) -> str:
    """``text`` (a msgid or msgstr, inline Markdown) with what a translator copies as it
    is replaced by ``_HIDDEN``: code spans, autolinks, inline HTML, the destination and
    title of links and images (their text stays), footnote labels, and bare web and
    e-mail addresses. Markup is found by the inline parse (``inline_spans``), so a
    backtick or a bracket that is only text hides nothing."""
    hidden: list[tuple[int, int]] = []
    if not _MARKUP.isdisjoint(text):
        spans = inline_spans(text)
        for start, end, kind in spans:
            if kind in _HIDDEN_SPANS:
                hidden.append((start, end))
            elif kind in {"link", "image"}:
                hidden.append((_label_end(text, start, spans), end))
    hidden.extend(m.span() for m in _WEB_ADDRESS.finditer(text))
    if not hidden:
        return text
    out: list[str] = []
    at = 0
    for start, end in sorted(hidden):
        if start >= at:
            out.extend((text[at:start], _HIDDEN))
        at = max(at, end)  # ranges overlap (an address inside a link): one token
    out.append(text[at:])
    return "".join(out)


def _label_end(text: str, start: int, spans: Sequence[tuple[int, int, str]]) -> int:
    """Where the text of the link or image at ``start`` ends (its closing ``]``): the
    first ``]`` that balances the opening ``[``, past backslash escapes and the code
    spans, autolinks and HTML inside the text (whose brackets do not count)."""
    skip = {s: e for s, e, kind in spans if kind in _HIDDEN_SPANS and s > start}
    i = text.index("[", start) + 1
    level = 1
    while i < len(text):
        if i in skip:
            i = skip[i]
            continue
        c = text[i]
        if c == "\\":
            i += 2
            continue
        level += (c == "[") - (c == "]")
        if not level:
            return i
        i += 1
    return start  # not a link after all: hide it whole


@dataclass(frozen=True, slots=True)
class Words:
    """A text, or a term, cut into tokens (``Finder.prepare``, ``Finder.term``)."""

    tokens: tuple[str, ...]
    """Its tokens, case-folded, in order: words, and each other character that is not
    a space or a hyphen (``u.s.`` is ``u``, ``.``, ``s``, ``.``)."""
    joined: tuple[bool, ...]
    """Per token: it follows the one before with nothing between (False for the first,
    and after spaces or hyphens)."""

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True, slots=True)
class Finder:
    """Finds terms in the texts of one language."""

    language: str
    """The language code."""
    inflection: Inflection | None
    """How its words inflect (None: whole words only)."""

    def prepare(self, text: str) -> Words:
        """``text`` (inline Markdown) cut into folded tokens, once for all the terms
        looked for in it; what a translator copies as it is (``visible``) is one token
        that no term holds."""
        return self._cut(visible(text))

    def term(self, text: str) -> Words:
        """The folded tokens of a glossary term (or of one of its translations)."""
        return self._cut(text)

    def _cut(self, text: str) -> Words:
        folded = fold(text, self.language).translate(_APOSTROPHES)
        tokens: list[str] = []
        joined: list[bool] = []
        end = -1
        for m in _TOKEN.finditer(folded):
            tokens.append(m[0])
            joined.append(m.start() == end)
            end = m.end()
        return Words(tuple(tokens), tuple(joined))

    def find(self, term: Words, text: Words) -> bool:
        """``term`` (``Finder.term``) stands in ``text`` (``Finder.prepare``)."""
        return any(self.at(term, text, i) for i in range(len(text) - len(term) + 1))

    def at(self, term: Words, text: Words, i: int) -> bool:
        """``term`` stands in ``text`` from its token ``i``: each token in one of its
        forms, and joined to the one before exactly where the term's is (``u.s.`` is
        not ``u. s.``; ``c++`` is not ``c``)."""
        n = len(term)
        if not n or i + n > len(text):
            return False
        tokens, joined = text.tokens, text.joined
        return all(
            self._same(term.tokens[k], tokens[i + k]) and (not k or term.joined[k] == joined[i + k])
            for k in range(n)
        )

    def key(self, word: str) -> str:
        """The index key of a term's first token: every form of it (``_same``) has
        this key among its ``keys``."""
        rule = self.inflection
        if not self._inflects(word) or rule is None:
            return word
        return word if rule.endings else word[: rule.min_stem]

    def keys(self, seen: str) -> set[str]:
        """The index keys under which a term whose first token ``seen`` may be a form of
        is filed (``key``)."""
        found = {seen}
        rule = self.inflection
        if rule is None:
            return found
        if rule.endings:
            found.update(seen[: -len(e)] for e in rule.endings if seen.endswith(e))
        else:
            found.add(seen[: rule.min_stem])
        return found

    def _inflects(self, word: str) -> bool:
        """``word`` may take other forms: a word of letters, long enough."""
        rule = self.inflection
        return (
            rule is not None
            and len(word) >= rule.min_stem
            and not any(c.isdigit() for c in word)
            and bool(_LETTER.match(word))
        )

    def _same(self, word: str, seen: str) -> bool:
        """``seen`` is ``word`` in one of its forms."""
        if seen == word:
            return True
        rule = self.inflection
        if rule is None or not self._inflects(word) or not seen.startswith(word[: rule.min_stem]):
            return False
        if rule.endings:
            return seen[len(word) :] in rule.endings and seen.startswith(word)
        keep = max(rule.min_stem, len(word) - rule.change)
        if rule.changing:
            while keep < len(word) and any(c not in rule.changing for c in word[keep:]):
                keep += 1  # only a tail of changing letters may change
        stem = word[:keep]
        return seen.startswith(stem) and len(seen) - len(stem) <= rule.change + rule.suffix


def finder(lang: str, overrides: Mapping[str, Inflection] | None = None) -> Finder:
    """The ``Finder`` of ``lang``: ``overrides`` (the ``glossary_inflection`` setting,
    by code or base code) before ``INFLECTIONS``."""
    given = overrides or {}
    rule = given.get(lang) or given.get(base_code(lang)) or INFLECTIONS.get(base_code(lang))
    return Finder(lang, rule)


# --- the glossary -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One row of a glossary."""

    source: str
    """The term as the articles write it."""
    translation: str
    """How translators must write it."""
    note: str = ""
    """Why, or when it applies (shown to translators)."""
    pos: str = ""
    """Part of speech, if given (``noun``, ``proper noun``…); informative only."""
    line: int = 0
    """1-based line of the row in the glossary file."""

    @property
    def comment(self) -> str:
        """The ``#.`` line ``extract`` writes: ``glossary: Khojaly → Xocalı`` (with
        ``; note`` when there is one)."""
        text = f"{COMMENT_PREFIX}{self.source} → {self.translation}"
        note = " ".join(self.note.split())
        line = f"{text}; {note}" if note else text
        # a glossary is a file anyone edits: no control character (a terminal escape)
        # reaches a catalog a translator opens
        return "".join(ch if ch.isprintable() else "\ufffd" for ch in line)


@dataclass(frozen=True, slots=True)
class Missing:
    """A term of a msgid whose agreed translation its msgstr lacks."""

    source: str
    """The term."""
    translations: tuple[str, ...]
    """What the glossary allows (any one of them)."""


@dataclass(frozen=True, slots=True)
class Glossary:
    """The terms of one language pair, ready to be looked for."""

    source_language: str
    """The language of the articles (of the msgids)."""
    target_language: str
    """The language of the translations."""
    terms: tuple[Term, ...]
    """The rows, in file order."""
    path: str = ""
    """Where it was read from (as shown), empty when built in memory."""
    overrides: tuple[tuple[str, Inflection], ...] = ()
    """The ``glossary_inflection`` setting it was built with."""

    _compiled: list[Compiled] = field(
        default_factory=list, init=False, repr=False, compare=False, hash=False
    )
    """``compiled``'s work, done on first use (hashing thousands of terms on every
    look-up would cost as much as the look-up)."""

    def compiled(self) -> Compiled:
        """The finders of the glossary's languages and its terms indexed, built once."""
        if not self._compiled:
            self._compiled.append(_compile(self))
        return self._compiled[0]

    def found_in(self, msgid: str) -> list[Term]:
        """The terms ``msgid`` holds (in glossary order)."""
        source, _, index = self.compiled()
        text = source.prepare(msgid)
        found: set[int] = set()
        for i, token in enumerate(text.tokens):
            for key in source.keys(token):
                for number, term in index.get(key, ()):
                    if number not in found and source.at(term, text, i):
                        found.add(number)
        return [self.terms[n] for n in sorted(found)]

    def comments(self, msgid: str) -> tuple[str, ...]:
        """The ``#.`` lines for ``msgid``: one per term it holds (``Term.comment``)."""
        return tuple(dict.fromkeys(t.comment for t in self.found_in(msgid)))

    def missing(self, msgid: str, msgstr: str) -> list[Missing]:
        """The terms of ``msgid`` none of whose translations ``msgstr`` holds."""
        _, target, _ = self.compiled()
        by_source: dict[str, list[str]] = {}
        for term in self.found_in(msgid):
            by_source.setdefault(term.source, []).append(term.translation)
        if not by_source:
            return []
        words = target.prepare(msgstr)
        return [
            Missing(source, tuple(dict.fromkeys(wanted)))
            for source, wanted in by_source.items()
            if not any(target.find(target.term(w), words) for w in wanted)
        ]


Compiled = tuple[Finder, Finder, Mapping[str, tuple[tuple[int, Words], ...]]]
"""A glossary ready to search: the finders of its source and target languages, and its
terms (their number in ``Glossary.terms`` and their tokens) by the ``Finder.key`` of
their first token, so a text is checked only against the terms that may start at one
of its tokens."""


def _compile(glossary: Glossary) -> Compiled:
    given = dict(glossary.overrides)
    source = finder(glossary.source_language, given)
    target = finder(glossary.target_language, given)
    index: dict[str, list[tuple[int, Words]]] = {}
    for number, term in enumerate(glossary.terms):
        words = source.term(term.source)
        if len(words):
            index.setdefault(source.key(words.tokens[0]), []).append((number, words))
    return source, target, MappingProxyType({k: tuple(v) for k, v in index.items()})


def glossary_path(locales_dir: Path, target: str, source: str, project_source: str) -> Path:
    """Where the glossary from ``source`` into ``target`` lives: ``<target>/glossary.csv``
    for the project's ``source_language``, else ``<target>/glossary.<source>.csv``."""
    name = GLOSSARY_NAME if source == project_source else f"glossary.{source}.csv"
    return locales_dir / target / name


def is_glossary(name: str) -> bool:
    """``name`` (a file name in ``locales/<lang>/``) is a glossary."""
    return name == GLOSSARY_NAME or (name.startswith("glossary.") and name.endswith(".csv"))


def read_glossary(
    path: Path,
    shown: str,
    *,
    source: str,
    target: str,
    overrides: Iterable[tuple[str, Inflection]] = (),
) -> Glossary | None:
    """The glossary at ``path`` from ``source`` into ``target``; None when there is no
    file. ``CatalogError`` at ``shown:line`` when it cannot be read or parsed (see
    ``parse_glossary``). Read once per process while the file is unchanged."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=shown) from None
    return _read(path, shown, source, target, tuple(overrides), (st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=32)
def _read(
    path: Path,
    shown: str,
    source: str,
    target: str,
    overrides: tuple[tuple[str, Inflection], ...],
    _stamp: tuple[int, int],
) -> Glossary | None:
    try:
        data = read_regular(path, shown, CatalogError)
    except FileNotFoundError:
        return None
    terms = parse_glossary(data, shown)
    return Glossary(source, target, terms, shown, overrides)


def parse_glossary(data: bytes, shown: str) -> tuple[Term, ...]:
    """The terms of glossary bytes (see the module); touches no file.

    ``CatalogError`` at ``shown:line`` for bad UTF-8, a header without ``source`` and
    ``translation`` or with an unknown or repeated column, a row with more values than
    the header has columns, a row with an empty source or translation, a row repeated,
    and a quote left open.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            "not UTF-8", path=shown, line=line, hint="save the glossary as UTF-8 (CSV UTF-8)"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader, shown)
    header = next(rows, None)
    if header is None:
        raise CatalogError("the glossary is empty", path=shown, line=1, hint=_HINT)
    line, names = header
    columns = [n.strip().lower() for n in names]
    for name in columns:
        if name not in COLUMNS:
            raise CatalogError(
                f"unknown column {name!r} in the header row", path=shown, line=line, hint=_HINT
            )
        if columns.count(name) > 1:
            raise CatalogError(f"column {name!r} twice", path=shown, line=line, hint=_HINT)
    for name in ("source", "translation"):
        if name not in columns:
            raise CatalogError(
                f"the header row has no {name!r} column", path=shown, line=line, hint=_HINT
            )
    terms: list[Term] = []
    seen: dict[tuple[str, str], int] = {}
    for line, values in rows:
        if not any(v.strip() for v in values):
            continue  # a blank line
        if len(values) > len(columns):
            raise CatalogError(
                f"{len(values)} values, but the header names {len(columns)} columns",
                path=shown,
                line=line,
                hint='quote a value that holds a comma: "Heydar Aliyev, President"',
            )
        row = dict(zip(columns, (" ".join(v.split()) for v in values), strict=False))
        term = Term(
            row.get("source", ""), row.get("translation", ""), row.get("note", ""),
            row.get("pos", ""), line,
        )  # fmt: skip
        if not term.source or not term.translation:
            empty = "source" if not term.source else "translation"
            raise CatalogError(
                f"the {empty} is empty", path=shown, line=line, hint="give every term both"
            )
        if not _LETTER.search(term.source):
            raise CatalogError(
                f"the source {term.source!r} has no letter: it would match no text",
                path=shown,
                line=line,
                hint="a term is a word or a name",
            )
        key = (term.source, term.translation)
        if key in seen:
            raise CatalogError(
                f"the same term as line {seen[key]}",
                path=shown,
                line=line,
                hint="remove one of the two rows",
            )
        seen[key] = line
        terms.append(term)
    return tuple(terms)


def _rows(reader: Iterator[list[str]], shown: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on; a quote left open is an error there."""
    line = 1
    while True:
        start = line
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CatalogError(
                f"not CSV: {exc}",
                path=shown,
                line=start,
                hint='close every quoted value with a " (write "" for a quote inside it)',
            ) from None
        line = getattr(reader, "line_num", line) + 1
        yield start, values


def with_glossary(catalog: Catalog, glossary: Glossary | None) -> Catalog:
    """``catalog`` with a ``#.`` line (``Term.comment``) after its other extracted
    comments on each active entry whose msgid holds a term of ``glossary``. The lines
    are added to comments fresh from the template (``update_catalog``), so a term that
    leaves the glossary, or a text that no longer holds it, loses its line."""
    if glossary is None or not glossary.terms:
        return catalog
    entries = []
    for entry in catalog.entries:
        lines = () if entry.obsolete else glossary.comments(entry.msgid)
        kept = [c for c in entry.comment.split("\n") if c and c not in lines]
        entries.append(replace(entry, comment="\n".join((*kept, *lines))) if lines else entry)
    return replace(catalog, entries=tuple(entries))
