"""A paragraph's msgid → its sentences, for sentence mode.

``split_sentences(msgid, language)`` returns the character spans of the sentences; the
text between two spans is their joiner (the spaces or the hard line break the source has
there), so that

    msgid == s[0] + j[0] + s[1] + j[1] + ... + s[n]

where ``s[k] == msgid[start_k:end_k]``. A sentence never begins or ends with whitespace
(unless the msgid itself does), and a msgid with one sentence is one span.

A boundary is terminal punctuation, the closers that belong to the sentence (quotes,
brackets, emphasis delimiters, the rest of a link), whitespace, then what starts a
sentence: in a cased script a capital letter, in a caseless script (Georgian Mkhedruli,
Han, Arabic…) any of its letters, or a digit, after optional opening quotes. The rules
are data: ``sentence_rules/scripts.toml`` for what is shared (terminals, quotes, the
caseless scripts) and ``sentence_rules/<language>.toml`` for a language's abbreviations
and whether "26." is an ordinal. A language without a file gets the shared rules only.

Markdown is respected: no boundary falls inside a code span, a link or image (inline or
reference, whether or not its label is defined), an autolink, an inline HTML element,
inline math, a footnote or emphasis, and punctuation inside code, HTML tags, link
destinations, images or math ends nothing.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType

from pipeline.markdown.document import Document
from pipeline.markdown.inline_spans import inline_spans

__all__ = [
    "Rules",
    "in_sentences",
    "known_languages",
    "sentence_rules",
    "sentences",
    "split_sentences",
]

Span = tuple[int, int]

_SPACE = " \t\n\r"
"""What may join two sentences. A no-break space never does: an editor types it to glue
two words ("Mr.\u00a0Smith")."""
_MARKUP = "*_~"
"""Emphasis and strikethrough delimiters: they close a sentence with the text they wrap."""


class Abbreviation(Enum):
    """How an abbreviation's periods bear on sentence ends (the lists in a rules file)."""

    INNER = "inner"
    """No period of it ends a sentence ("Mr.", "e.g.", "т. е.")."""
    MAY_END = "may_end"
    """Only its last period may end one, by the usual test ("etc.", "და ა.შ.")."""
    BEFORE_NUMBER = "before_number"
    """No period of it ends one when a number follows ("No. 5", "p. 12")."""
    UNLESS_AFTER_NUMBER = "unless_after_number"
    """No period of it ends one, unless a number comes before ("г. Баку", "1992 г.")."""


@dataclass(frozen=True, slots=True)
class Rules:
    """One language's sentence rules: the shared script data and its own lists."""

    language: str
    """The language code the rules were loaded for (``""``: shared rules only)."""
    terminals: frozenset[str]
    """Characters that end a sentence, alone or in a run ("?!", "...")."""
    closers: frozenset[str]
    """Characters after the terminal that still belong to the sentence (quotes, brackets)."""
    openers: frozenset[str]
    """Characters that may come before a sentence's first letter (quotes, brackets)."""
    dashes: frozenset[str]
    """Dashes that, followed by a space, open a line of dialogue."""
    caseless: tuple[tuple[int, int], ...]
    """Sorted, disjoint inclusive code point ranges of the scripts without case."""
    abbreviations: re.Pattern[str] | None
    """Any listed abbreviation, longest first, as written with optional spaces."""
    kinds: MappingProxyType[str, Abbreviation]
    """An abbreviation's key (casefolded, without whitespace) → its list."""
    ordinal_dot: bool
    """Whether digits and a period are an ordinal ("26. fevral"), which ends nothing."""

    def is_caseless(self, char: str) -> bool:
        """Whether ``char`` belongs to a script without case in running text."""
        point = ord(char)
        k = bisect_right(self.caseless, (point, 0x10FFFF)) - 1
        return k >= 0 and self.caseless[k][0] <= point <= self.caseless[k][1]


def _data(name: str) -> dict[str, object] | None:
    resource = files("pipeline.markdown").joinpath("sentence_rules", name)
    if not resource.is_file():
        return None
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def _chars(data: dict[str, object], key: str) -> frozenset[str]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(c, str) and len(c) == 1 for c in value):
        raise ValueError(f"sentence_rules/scripts.toml: {key} must list single characters")
    return frozenset(value)


def _ranges(data: dict[str, object]) -> tuple[tuple[int, int], ...]:
    table = data["caseless"]
    assert isinstance(table, dict)
    ranges: list[tuple[int, int]] = []
    for script, items in table.items():
        for item in items:
            first, _, last = str(item).partition("-")
            try:
                ranges.append((int(first, 16), int(last or first, 16)))
            except ValueError:
                raise ValueError(
                    f"sentence_rules/scripts.toml: caseless.{script}: {item!r} is not "
                    '"FIRST-LAST" in hexadecimal'
                ) from None
    return tuple(sorted(ranges))


def _key(abbreviation: str) -> str:
    return "".join(abbreviation.split()).casefold()


def _pattern(abbreviation: str) -> str:
    # each period may be followed by spaces or not: "т. е." and "т.е." are one abbreviation
    parts = "".join(abbreviation.split()).split(".")
    return r"\.\s*".join(re.escape(part) for part in parts[:-1]) + r"\."


def _abbreviations(
    language: str, data: dict[str, object]
) -> tuple[re.Pattern[str] | None, MappingProxyType[str, Abbreviation]]:
    kinds: dict[str, Abbreviation] = {}
    for kind in Abbreviation:
        listed = data.get(kind.value, [])
        if not isinstance(listed, list):
            raise ValueError(f"sentence_rules/{language}.toml: {kind.value} must be a list")
        for entry in listed:
            if not isinstance(entry, str) or not entry.endswith("."):
                raise ValueError(
                    f"sentence_rules/{language}.toml: {kind.value}: {entry!r} must end "
                    "with a period"
                )
            if kinds.setdefault(_key(entry), kind) is not kind:
                raise ValueError(
                    f"sentence_rules/{language}.toml: {entry!r} is in two lists; keep one"
                )
    if not kinds:
        return None, MappingProxyType({})
    # Longest first, so "и пр." wins over "пр."; no letter or period may come before.
    alternatives = sorted(kinds, key=len, reverse=True)
    body = "|".join(_pattern(a) for a in alternatives)
    pattern = re.compile(rf"(?<![^\W_])(?<!\.)(?:{body})", re.IGNORECASE)
    return pattern, MappingProxyType(kinds)


@lru_cache(maxsize=64)
def sentence_rules(language: str) -> Rules:
    """The rules for ``language`` (``en``, ``az-Latn``, ``pt_BR``: the primary subtag
    picks the file), loaded once. Raises ``ValueError`` naming the file when a rules
    file is malformed (a defect of the package, not of the user's input)."""
    shared = _data("scripts.toml")
    assert shared is not None, "pipeline/markdown/sentence_rules/scripts.toml is missing"
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    own = _data(f"{code}.toml") if re.fullmatch(r"[a-z]{2,3}", code) else None
    pattern, kinds = _abbreviations(code, own or {})
    return Rules(
        language=code if own is not None else "",
        terminals=_chars(shared, "terminals"),
        closers=_chars(shared, "closers"),
        openers=_chars(shared, "openers"),
        dashes=_chars(shared, "dialogue_dashes"),
        caseless=_ranges(shared),
        abbreviations=pattern,
        kinds=kinds,
        ordinal_dot=bool((own or {}).get("ordinal_dot", False)),
    )


def known_languages() -> tuple[str, ...]:
    """The languages with their own rules file, sorted."""
    folder = files("pipeline.markdown").joinpath("sentence_rules")
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in folder.iterdir()
            if entry.name.endswith(".toml") and entry.name != "scripts.toml"
        )
    )


# ---------------------------------------------------------------- Markdown protection


@dataclass(frozen=True, slots=True)
class _Marks:
    """Where Markdown constrains the splitter in one msgid."""

    whole: tuple[Span, ...]
    """No boundary falls strictly inside these (code, links, HTML elements, emphasis…)."""
    opaque: tuple[Span, ...]
    """Punctuation inside these ends nothing (code, tags, destinations, images, math)."""
    link_ends: MappingProxyType[int, int]
    """A link text's closing ``]`` → the end of its link (destination or label)."""
    starts: MappingProxyType[int, int]
    """Start → end of constructs a sentence may begin with and are skipped to find its
    first letter (HTML tags)."""


_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_MATH_RE = re.compile(
    r"(?<![\\$])\$\$(?:[^$\\]|\\.)+?\$\$|(?<![\\$])\$(?=[^\s$])(?:[^$\\\n]|\\.)+?(?<=\S)\$(?!\d)"
)


def _brackets(text: str, code: list[Span]) -> list[tuple[int, int, int]]:
    """Every balanced ``[…]`` outside code spans and escapes, extended by a following
    ``(…)`` or ``[…]``: ``(start, close, end)`` with ``close`` the text's ``]``. A
    reference link is a link here whether or not its label is defined elsewhere."""
    blocked = bytearray(len(text) + 1)
    for start, end in code:
        blocked[start:end] = b"\x01" * (end - start)
    found: list[tuple[int, int, int]] = []
    stack: list[int] = []
    i = 0
    while i < len(text):
        char = text[i]
        if blocked[i]:
            pass
        elif char == "\\":
            i += 1
        elif char == "[":
            stack.append(i)
        elif char == "]" and stack:
            start = stack.pop()
            if start > 0 and text[start - 1] == "!":
                start -= 1
            found.append((start, i, _tail(text, i + 1, blocked)))
        i += 1
    return found


def _tail(text: str, i: int, blocked: bytearray) -> int:
    """The end of a link's ``(destination "title")`` or ``[label]`` starting at ``i``
    (``i`` itself when neither follows)."""
    if i >= len(text) or text[i] not in "([":
        return i
    close = ")" if text[i] == "(" else "]"
    depth = 0
    j = i
    while j < len(text):
        char = text[j]
        if blocked[j]:
            pass
        elif char == "\\":
            j += 1
        elif char == text[i]:
            depth += 1
        elif char == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return i  # unclosed: not a destination


def _elements(text: str, tags: list[Span]) -> list[Span]:
    """Each inline HTML element from its opening tag to its closing tag (unclosed or
    void elements: the tag alone)."""
    found: list[Span] = []
    open_tags: list[tuple[str, int]] = []
    for start, end in tags:
        match = _TAG_RE.match(text, start)
        if match is None:  # a comment, declaration or processing instruction
            continue
        name = match[2].lower()
        if match[1]:
            for k in range(len(open_tags) - 1, -1, -1):
                if open_tags[k][0] == name:
                    found.append((open_tags[k][1], end))
                    del open_tags[k:]
                    break
        elif name not in _VOID and not text[start:end].endswith("/>"):
            open_tags.append((name, start))
    return found


def _marks(text: str) -> _Marks:
    spans = inline_spans(text)
    code = [(s, e) for s, e, kind in spans if kind in {"code", "autolink"}]
    tags = [(s, e) for s, e, kind in spans if kind == "html"]
    whole: list[Span] = [(s, e) for s, e, _ in spans]
    opaque: list[Span] = [*code, *tags]
    opaque += [(s, e) for s, e, kind in spans if kind in {"image", "footnote"}]
    link_ends: dict[int, int] = {}
    for start, close, end in _brackets(text, code):
        whole.append((start, end))
        if text[start] == "!":
            opaque.append((start, end))
        else:
            opaque.append((close + 1, end))
            link_ends[close] = end
    blanked = list(text)
    for start, end in code:
        blanked[start:end] = "x" * (end - start)
    for match in _MATH_RE.finditer("".join(blanked)):
        whole.append(match.span())
        opaque.append(match.span())
    whole += _elements(text, tags)
    return _Marks(
        whole=tuple(sorted(whole)),
        opaque=tuple(sorted(opaque)),
        link_ends=MappingProxyType(link_ends),
        starts=MappingProxyType(dict(tags)),
    )


def _inside(spans: tuple[Span, ...], i: int) -> bool:
    """Whether character ``i`` lies inside one of ``spans``."""
    return any(start <= i < end for start, end in spans if start <= i)


def _strictly_inside(spans: tuple[Span, ...], i: int) -> bool:
    """Whether a cut before character ``i`` would split one of ``spans``."""
    return any(start < i < end for start, end in spans if start < i)


# ---------------------------------------------------------------- the rules


_WORD_BEFORE_RE = re.compile(r"(?:[^\W_]|\.)+\Z")
_NUMBER_BEFORE_RE = re.compile(r"(?:\d|(?<![^\W_])[IVXLCDM]+)[\s\u00a0]*\Z")
_NUMBER_AFTER_RE = re.compile(r"[\s\u00a0]*[(\[]?\d")


def _kept_periods(text: str, rules: Rules) -> tuple[frozenset[int], frozenset[int]]:
    """Positions of the periods that the abbreviation lists say end nothing, and of the
    last periods of ``may_end`` abbreviations (which the usual test decides, even when
    they look like initials: "ა.შ.")."""
    if rules.abbreviations is None:
        return frozenset(), frozenset()
    kept: set[int] = set()
    free: set[int] = set()
    for match in rules.abbreviations.finditer(text):
        start, end = match.span()
        kind = rules.kinds[_key(match[0])]
        if kind is Abbreviation.BEFORE_NUMBER and not _NUMBER_AFTER_RE.match(text, end):
            continue
        if kind is Abbreviation.UNLESS_AFTER_NUMBER and _NUMBER_BEFORE_RE.search(
            text, max(0, start - 16), start
        ):
            continue
        last = end if kind is not Abbreviation.MAY_END else end - 1
        kept.update(i for i in range(start, last) if text[i] == ".")
        if kind is Abbreviation.MAY_END:
            free.add(last)
    return frozenset(kept), frozenset(free)


def _word_ends_nothing(text: str, period: int, rules: Rules) -> bool:
    """Whether the word before a lone period is an initial ("A.", "J.R.R.", "U.S.") or,
    where the language writes them so, an ordinal ("26.")."""
    word = _WORD_BEFORE_RE.search(text, max(0, period - 64), period)
    if word is None:
        return False
    parts = word[0].strip(".").split(".")
    if all(len(p) == 1 and p.isalpha() and (p.isupper() or rules.is_caseless(p)) for p in parts):
        return True
    return rules.ordinal_dot and word[0].isdigit()


def _starts_sentence(text: str, i: int, rules: Rules, marks: _Marks, *, quoted: bool) -> bool:
    """Whether a sentence may begin at ``i`` (just after the joiner). After a closing
    quote, a dash introduces the speaker («…?» — спросил он, „…?“ — იკითხა მან), so it
    opens nothing: in a caseless script that is the only sign."""
    n = len(text)
    if quoted and i + 1 < n and text[i] in rules.dashes and text[i + 1] in _SPACE:
        return False
    while i < n:
        char = text[i]
        if char in rules.openers or char in _MARKUP or char in "[`" or text.startswith("![", i):
            i += 1
        elif char in rules.dashes and i + 1 < n and text[i + 1] in _SPACE:
            i += 2
        elif i in marks.starts:
            i = marks.starts[i]
        else:
            break
    if i >= n:
        return False
    char = text[i]
    if char.isdigit() or rules.is_caseless(char):
        return True
    return unicodedata.category(char) in {"Lu", "Lt"}


def _sentence_end(text: str, i: int, rules: Rules, marks: _Marks) -> int:
    """Past the closers after a terminal run ending at ``i``: quotes, brackets, emphasis
    delimiters, the rest of a link whose text the run ends, a footnote reference."""
    n = len(text)
    while i < n:
        char = text[i]
        if char in rules.closers or char in _MARKUP:
            i = marks.link_ends.get(i, i + 1) if char == "]" else i + 1
        elif char == "[" and (end := _bracket_end(marks, i)) > i:
            i = end  # "[^1]", "[1]": a note or citation right after the sentence
        else:
            break
    return i


def _quote_before(text: str, cut: int, rules: Rules) -> bool:
    """Whether the sentence that would end at ``cut`` ends with a closing quote."""
    return cut > 0 and text[cut - 1] in rules.closers and text[cut - 1] in rules.openers


def _bracket_end(marks: _Marks, i: int) -> int:
    return max((end for start, end in marks.whole if start == i), default=i)


def _boundaries(text: str, rules: Rules) -> list[Span]:
    """The joiners: ``(start, end)`` of the whitespace between two sentences."""
    marks = _marks(text)
    kept, free = _kept_periods(text, rules)
    joiners: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] not in rules.terminals or _inside(marks.opaque, i):
            i += 1
            continue
        run = i
        while i < n and text[i] in rules.terminals:
            i += 1
        if (
            i - run == 1
            and text[run] == "."
            and (run in kept or (run not in free and _word_ends_nothing(text, run, rules)))
        ):
            continue
        cut = _sentence_end(text, i, rules, marks)
        stop = cut
        while stop < n and text[stop] in _SPACE:
            stop += 1
        if (
            stop > cut
            and stop < n
            and not _strictly_inside(marks.whole, cut)
            and _starts_sentence(text, stop, rules, marks, quoted=_quote_before(text, cut, rules))
        ):
            joiners.append((cut, stop))
        i = max(stop, i)
    return joiners


def split_sentences(msgid: str, language: str) -> tuple[Span, ...]:
    """The ``(start, end)`` spans of the sentences of one paragraph's msgid, in order.

    ``msgid`` is a paragraph's text as extracted: inline Markdown as written, soft line
    breaks as one space, hard breaks as ``"\\n"``. ``language`` is the source language
    (``en``, ``az``, ``ka``, ``ru``, ``tr`` have abbreviation lists; any other gets the
    shared rules). The spans cover the msgid: the text between two consecutive spans
    is whitespace (their joiner), and there is none before the first or after the last
    unless the msgid has it. An empty msgid has no span; any other has at least one.
    """
    if not msgid:
        return ()
    rules = sentence_rules(language)
    spans: list[Span] = []
    start = 0
    for cut, stop in _boundaries(msgid, rules):
        spans.append((start, cut))
        start = stop
    spans.append((start, len(msgid)))
    return tuple(spans)


def sentences(msgid: str, language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``split_sentences`` as text: ``(sentences, joiners)``, with one joiner fewer than
    sentences, so that interleaving them gives ``msgid`` back."""
    spans = split_sentences(msgid, language)
    texts = tuple(msgid[start:end] for start, end in spans)
    joiners = tuple(msgid[spans[k][1] : spans[k + 1][0]] for k in range(len(spans) - 1))
    return texts, joiners


def in_sentences(doc: Document, language: str) -> Document:
    """``doc`` in sentence mode: each paragraph-like segment (a paragraph, a list item,
    a quote, a footnote, an admonition's text: Markdown written in flowing lines) of
    more than one sentence gets its ``Segment.sentences``, split by ``language``'s rules
    (the article's source language). Headings, table cells, titles, alt texts and
    front-matter values stay whole, and so does a paragraph whose line breaks could not
    be read (``Layout.raw_lines``)."""
    segments = []
    for seg in doc.segments:
        spans = (
            split_sentences(seg.msgid, language)
            if seg.markdown
            and seg.layout.mode == "flow"
            and not seg.layout.raw_lines
            and not seg.kind.startswith("heading")
            else ()
        )
        segments.append(replace(seg, sentences=spans) if len(spans) > 1 else seg)
    return replace(doc, segments=tuple(segments))
