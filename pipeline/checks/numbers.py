"""Numbers and dates of a source text that a translation must keep, in its own locale's way.

A number in the source is kept when the translation has the same digits as written, or a
number of the same value written the target locale's way (Babel/CLDR: ``100,000`` may
be ``100.000`` in Azerbaijani and ``100 000`` in Georgian and Russian; ``1.5`` may be
``1,5``). Whatever follows the digits does not matter (``25th``, ``1992-ci``, ``20%``).

Digits may be those of any numbering system (Persian ``۱۲٫۵``, Arabic ``١٬٢٥٠``, Bengali
``১২.৫``, Devanagari ``१२.५``, Burmese ``၁၂.၅``) and separators those of the locale's CLDR
numbering systems (default, native and Latin), in either text. Signs around a number
(``−``, ``٪``) are not part of it, and the bidirectional marks CLDR puts around them in
Arabic and Persian (U+200E, U+200F, U+061C) are ignored.

A date in the source (``February 25, 1997``, ``25 February``, ``May 2010``,
``1997-02-25``, with the source locale's month names) is kept when the translation has
it in one of the target locale's CLDR formats, or has its day and year as numbers and
its month as a number or as a word starting like one of the target (or source) locale's
month names: month names inflect (``fevralın``, ``февраля``, ``თებერვლის``), so a
prefix is compared, never a whole word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from pipeline.locales import (
    ascii_digits,
    date_forms,
    format_number,
    month_names,
    number_separators,
    parse_number,
)

SMALL = 10
"""Whole numbers up to this one are often written out in words (``8`` → ``восемь``)."""

_BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
"""Invisible direction marks, embeddings and isolates, deleted before reading numbers."""
_RUN_RE = re.compile(r"\d+")
_SPACES_RE = re.compile(r"[ \u00a0\u202f\t]+")
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Missing:
    """A number or date of the source that the translation does not have."""

    text: str
    """The number or date as the source writes it."""
    small: bool
    """A whole number up to ``SMALL`` written as bare digits (it may be spelled out)."""
    suggestion: str = ""
    """How the target locale writes it, when that differs."""


@dataclass(frozen=True, slots=True)
class _Date:
    text: str
    start: int
    end: int
    day: int | None
    month: int
    year: int | None


def missing_numbers(source: str, target: str, source_lang: str, target_lang: str) -> list[Missing]:
    """The numbers and dates of ``source`` text that ``target`` text lacks, in order.

    Both are visible text (no Markdown syntax, code or URLs). Each distinct number is
    required once, however often it occurs.
    """
    source, target = source.translate(_BIDI_MARKS), target.translate(_BIDI_MARKS)
    number_re = _number_re(source_lang, target_lang)
    found_texts, found_values = _target_numbers(target, source_lang, target_lang, number_re)
    missing: list[Missing] = []
    dates = list(_dates(source, source_lang))
    for when in dates:
        if not _date_kept(
            when,
            target,
            values=found_values,
            source_lang=source_lang,
            target_lang=target_lang,
        ):
            missing.append(Missing(when.text, False, _date_suggestion(when, target_lang)))
    rest = _blank(source, dates)
    seen: set[str] = set()
    for text, value, runs in _numbers(rest, source_lang, number_re):
        if text in seen or text in found_texts:
            continue
        seen.add(text)
        if value is not None:
            if value not in found_values:
                shown = format_number(value, target_lang)
                suggestion = shown if shown != text else ""
                missing.append(Missing(text, _is_small(text, value), suggestion))
            continue
        for run in runs:  # not a number in the source locale: each run of digits counts
            if Decimal(run) not in found_values and run not in seen:
                seen.add(run)
                missing.append(Missing(run, _is_small(run, Decimal(run))))
    return missing


def _is_small(text: str, value: Decimal) -> bool:
    return text.isdigit() and value <= SMALL


@lru_cache(maxsize=64)
def _number_re(*langs: str) -> re.Pattern[str]:
    """Runs of digits joined by the separators of ``langs``' numbering systems, or by a
    space before a group of three. A number in ASCII digits does not start right after a
    letter (``Python3``, ``H2O``); one in other digits may (Arabic ``و١٢``)."""
    symbols = {".", ",", "'", "’", *(c for lang in langs for c in number_separators(lang))}
    separators = re.escape("".join(sorted(symbols)))
    return re.compile(
        rf"(?:(?<![^\W\d_])|(?![0-9]))\d+"
        rf"(?:(?:[{separators}]|[ \u00a0\u202f](?=\d{{3}}(?!\d)))\d+)*"
    )


def _numbers(
    text: str, lang: str, number_re: re.Pattern[str]
) -> Iterator[tuple[str, Decimal | None, tuple[str, ...]]]:
    """Each number in ``text``: as written, its value in ``lang`` (None if malformed
    there), and its runs of digits."""
    for match in number_re.finditer(text):
        written = match[0]
        runs = tuple(_RUN_RE.findall(written))
        value = parse_number(written, lang) if len(runs) > 1 else Decimal(written)
        yield written, value, runs


def _target_numbers(
    target: str, source_lang: str, target_lang: str, number_re: re.Pattern[str]
) -> tuple[set[str], set[Decimal]]:
    """What a translation offers: numbers as written, and every value they may mean."""
    texts: set[str] = set()
    values: set[Decimal] = set()
    for written, value, runs in _numbers(target, target_lang, number_re):
        texts.add(written)
        if value is not None:
            values.add(value)
        in_source_locale = parse_number(written, source_lang) if len(runs) > 1 else None
        if in_source_locale is not None:
            values.add(in_source_locale)
        values.update(Decimal(run) for run in runs)
    return texts, values


@lru_cache(maxsize=16)
def _date_re(lang: str) -> re.Pattern[str]:
    names = sorted(
        {_fold(n).rstrip(".") for ns in month_names(lang).values() for n in ns},
        key=lambda n: (-len(n), n),
    )
    months = "|".join(re.escape(n) for n in names if n)
    day = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    year = r"(?P<{}>\d{{4}})(?!\d)"
    month = rf"(?<!\w)(?P<{{}}>{months})(?!\w)\.?"
    return re.compile(
        "|".join(
            [
                r"(?<!\d)(?P<y0>\d{4})-(?P<n0>\d{2})-(?P<d0>\d{2})(?!\d)",
                month.format("m1") + r"\s+" + day.format("d1") + rf"(?:,?\s+{year.format('y1')})?",
                rf"(?<!\d){day.format('d2')}\s+(?:of\s+)?"
                + month.format("m2")
                + rf"(?:,?\s+{year.format('y2')})?",
                month.format("m3") + r",?\s+" + year.format("y3"),
            ]
        ),
        re.IGNORECASE,
    )


def _dates(text: str, lang: str) -> Iterator[_Date]:
    months = {_fold(n).rstrip("."): m for m, ns in month_names(lang).items() for n in ns}
    for match in _date_re(lang).finditer(text):
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        name = next((groups[k] for k in ("m1", "m2", "m3") if k in groups), None)
        month = months.get(_fold(name)) if name else int(groups["n0"])
        day = next((int(groups[k]) for k in ("d0", "d1", "d2") if k in groups), None)
        year = next((int(groups[k]) for k in ("y0", "y1", "y2", "y3") if k in groups), None)
        if month is None or not 1 <= month <= 12:
            continue
        try:
            date(year or 2000, month, day or 1)
        except ValueError:
            continue
        if name and name[:1].islower() and _capitalized(lang):
            continue  # "may 5" is a verb and a number where months are capitalized
        yield _Date(match[0], match.start(), match.end(), day, month, year)


@lru_cache(maxsize=16)
def _capitalized(lang: str) -> bool:
    return month_names(lang)[1][0][:1].isupper()


def _date_kept(
    when: _Date,
    target: str,
    *,
    values: set[Decimal],
    source_lang: str,
    target_lang: str,
) -> bool:
    flat = _flat(target)
    if _flat(when.text) in flat:
        return True
    if when.day and when.year:
        forms = date_forms(date(when.year, when.month, when.day), target_lang)
        if any(_flat(form) in flat for form in forms):
            return True
    if when.day is not None and Decimal(when.day) not in values:
        return False
    if when.year is not None and Decimal(when.year) not in values:
        return False
    if Decimal(when.month) in values and when.day is not None:
        return True
    return _has_month_word(target, when.month, (target_lang, source_lang))


def _flat(text: str) -> str:
    """``text`` for comparing dates: spaces as one space, ASCII digits, no direction marks."""
    return _SPACES_RE.sub(" ", ascii_digits(text.translate(_BIDI_MARKS)))


def _has_month_word(text: str, month: int, langs: tuple[str, ...]) -> bool:
    stems = {_stem(_fold(name).rstrip(".")) for lang in langs for name in month_names(lang)[month]}
    return any(word.startswith(stem) for word in _WORD_RE.findall(_fold(text)) for stem in stems)


def _stem(name: str) -> str:
    """The part of a month name that survives inflection (``თებერვალი`` → ``თებერვ``)."""
    return name[: max(3, len(name) - 3)]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _date_suggestion(when: _Date, target_lang: str) -> str:
    if when.day and when.year:
        return date_forms(date(when.year, when.month, when.day), target_lang)[2]
    return ""


def _blank(text: str, dates: list[_Date]) -> str:
    """``text`` with the dates replaced by spaces (their numbers are checked as dates)."""
    out = list(text)
    for when in dates:
        out[when.start : when.end] = " " * (when.end - when.start)
    return "".join(out)
