"""Everything Babel: validating language codes, plural forms, names, text direction.

Babel's ``babel.messages.plurals`` table is stale (az missing; ka, tr, fa given one form;
ar's forms 4 and 5 swapped), so plural forms for the languages we know come from a small
table checked against CLDR in the tests, and only other languages fall back to a formula
derived from Babel's CLDR rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
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
