"""Everything Babel: language codes, plural forms, names, text direction, numbers, dates.

Babel's ``babel.messages.plurals`` table is stale (az missing; ka, tr, fa given one form;
ar's forms 4 and 5 swapped), so plural forms for the languages we know come from a small
table checked against CLDR in the tests, and only other languages fall back to a formula
derived from Babel's CLDR rules.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_month_names
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from babel.plural import to_gettext

from pipeline.errors import ConfigError

_TWO = "nplurals=2; plural=(n != 1);"
_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
PLURAL_FORMS: dict[str, str] = {
    **dict.fromkeys(
        [
            "az",
            "ka",
            "tr",
            "en",
            "de",
            "nl",
            "sv",
            "da",
            "nb",
            "nn",
            "no",
            "fi",
            "et",
            "el",
            "it",
            "es",
            "ca",
            "bg",
            "hu",
            "kk",
            "ky",
            "uz",
            "tk",
            "sq",
        ],
        _TWO,
    ),
    **dict.fromkeys(
        ["ja", "ko", "zh", "vi", "th", "id", "ms", "lo", "km", "my"], "nplurals=1; plural=0;"
    ),
    **dict.fromkeys(["fr", "fa", "hy", "pt_BR"], "nplurals=2; plural=(n > 1);"),
    **dict.fromkeys(["ru", "uk", "be", "sr", "hr", "bs"], _SLAVIC),
    "pl": (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "cs": "nplurals=3; plural=(n==1 ? 0 : n>=2 && n<=4 ? 1 : 2);",
    "sk": "nplurals=3; plural=(n==1 ? 0 : n>=2 && n<=4 ? 1 : 2);",
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 ? 4 : 5);"
    ),
}
"""GNU-conventional Plural-Forms, keyed by language (or language_TERRITORY)."""

_CODE_RE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True, slots=True)
class Language:
    """A validated target language."""

    code: str
    """The code as used in paths and the ``Language`` header (``az``, ``pt_BR``)."""
    english_name: str
    """Name in English (``Azerbaijani``)."""
    native_name: str
    """Name in the language itself (``azərbaycan``)."""
    plural_forms: str
    """The ``Plural-Forms`` header value."""
    direction: str
    """``ltr`` or ``rtl``."""


def language(code: str) -> Language:
    """Validate ``code`` with CLDR and describe it; ``-`` is accepted for ``_``.

    Raises ``ConfigError`` for a code CLDR does not know.
    """
    if not _CODE_RE.fullmatch(code):
        raise ConfigError(
            f"'{code}' is not a language code",
            hint="use a code such as az, ka, ru or pt_BR",
        )
    normalized = code.replace("-", "_")
    try:
        locale = Locale.parse(normalized)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(
            f"unknown language code '{code}'",
            hint="use a code CLDR knows, such as az, ka, ru, tr or pt_BR",
        ) from None
    canonical = str(locale)
    return Language(
        code=normalized if canonical.lower() == normalized.lower() else canonical,
        english_name=locale.english_name or canonical,
        native_name=locale.display_name or canonical,
        plural_forms=plural_forms(locale),
        direction=locale.text_direction,
    )


def plural_forms(locale: Locale) -> str:
    """The ``Plural-Forms`` header for ``locale`` (table first, then CLDR)."""
    full = str(locale)
    for key in (full, f"{locale.language}_{locale.territory}", locale.language):
        if key in PLURAL_FORMS:
            return PLURAL_FORMS[key]
    derived = to_gettext(locale.plural_form)
    return derived if derived.endswith(";") else derived + ";"


# Numbers and dates, for the checks that compare a translation's numbers with the source's.

_SPACES = " \u00a0\u202f"


@lru_cache(maxsize=64)
def number_symbols(code: str) -> tuple[str, str]:
    """The (decimal, group) symbols of ``code``'s numbers (``az``: ``,`` and ``.``)."""
    return get_decimal_symbol(code), get_group_symbol(code)


def parse_number(text: str, code: str) -> Decimal | None:
    """``text`` read as a number written the way ``code`` writes numbers; None if it is not.

    Grouping must be exact (``100.000`` is a hundred thousand in ``az``, ``1.5`` is not a
    number there). Where the group symbol is a space, any of space, no-break space and
    narrow no-break space is accepted, as people type all three.
    """
    group_symbol = number_symbols(code)[1]
    if group_symbol in _SPACES:
        for space in _SPACES:
            text = text.replace(space, group_symbol)
    try:
        return parse_decimal(text, locale=code, strict=True)
    except (NumberFormatError, ValueError, ArithmeticError):
        return None


def format_number(value: Decimal, code: str) -> str:
    """``value`` written the way ``code`` writes numbers (``100000`` → ``100.000`` in az)."""
    return format_decimal(value, locale=code)


@lru_cache(maxsize=64)
def month_names(code: str) -> dict[int, tuple[str, ...]]:
    """Every CLDR name of each month (1-12) in ``code``: wide and abbreviated, in both the
    format and the stand-alone context (``февраля``, ``февраль``, ``февр.``)."""
    names: dict[int, set[str]] = {month: set() for month in range(1, 13)}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, locale=code).items():
                names[int(month)].add(str(name))
    return {month: tuple(sorted(found)) for month, found in names.items()}


def date_forms(day: date, code: str) -> tuple[str, ...]:
    """``day`` as ``code`` writes it in CLDR's short, medium, long and full formats."""
    return tuple(dict.fromkeys(format_date(day, length, locale=code) for length in _DATE_LENGTHS))


_DATE_LENGTHS = ("short", "medium", "long", "full")


def nplurals(plural_forms_header: str) -> int | None:
    """The ``nplurals`` of a ``Plural-Forms`` value, or None if it has none."""
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms_header)
    return int(match[1]) if match else None


def same_plural_forms(found: str, wanted: str) -> bool:
    """Two ``Plural-Forms`` values pick the same form for every n from 0 to 1000.

    Tools write the same rule differently (Weblate drops the outer brackets, others add
    spaces), so values are compared by what they do, not by their text.
    """
    rules = []
    for value in (found, wanted):
        count = nplurals(value)
        match = re.search(r"plural\s*=\s*(.+?)\s*;?\s*$", value)
        if count is None or not match:
            return False
        try:
            rules.append((count, gettext.c2py(match[1])))
        except (ValueError, SyntaxError, RecursionError):
            return False
    (n1, f1), (n2, f2) = rules
    try:
        return n1 == n2 and all(f1(n) == f2(n) for n in range(1001))
    except (ArithmeticError, ValueError):
        return False
