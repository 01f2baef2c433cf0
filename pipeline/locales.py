"""Everything Babel: language codes, plural forms, names, text direction, numbers, dates.

Babel's ``babel.messages.plurals`` table is stale (az missing; ka, tr, fa given one form;
ar's forms 4 and 5 swapped), so plural forms for the languages we know come from a small
table in the GNU conventional spelling. A table entry is used only while it partitions the
integers like the installed CLDR rule; otherwise, and for other languages, the formula is
derived from the installed CLDR rule, rewritten for the integers gettext passes.
"""

from __future__ import annotations

import gettext
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, get_month_names
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from babel.plural import PluralRule

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
        # As written, cased the standard way; CLDR's own form only for an alias (iw → he),
        # never with the script it fills in itself (az-AZ stays az_AZ, not az_Latn_AZ).
        code=_recased(normalized)
        if locale.language == normalized.split("_", maxsplit=1)[0].lower()
        else canonical,
        english_name=locale.english_name or canonical,
        native_name=locale.display_name or canonical,
        plural_forms=plural_forms(locale),
        direction=locale.text_direction,
    )


def _recased(code: str) -> str:
    """BCP 47 casing with ``_``: language lower, script title, territory upper
    (``AZ`` → ``az``, ``pt_br`` → ``pt_BR``, ``sr_latn`` → ``sr_Latn``)."""
    first, *rest = code.split("_")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())
        elif len(part) == 2 or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())
        else:
            parts.append(part)
    return "_".join(parts)


def same_language(a: str, b: str) -> bool:
    """``a`` and ``b`` name the same locale once CLDR's likely subtags fill in what they
    leave out (``az``, ``AZ``, ``az-AZ`` and ``az_Latn_AZ`` are one language; ``pt`` is
    ``pt_BR`` in CLDR; ``sr`` and ``sr_Latn`` are not the same). Unknown codes are never
    the same as anything."""
    try:
        return _maximized(a) == _maximized(b)
    except ConfigError:
        return False


@lru_cache(maxsize=256)
def _maximized(code: str) -> tuple[str, str, str, str]:
    locale = Locale.parse(language(code).code)
    likely = get_global("likely_subtags").get(locale.language, locale.language)
    full = Locale.parse(likely)
    return (
        locale.language,
        locale.script or full.script or "",
        locale.territory or full.territory or "",
        locale.variant or "",
    )


def plural_forms(locale: Locale) -> str:
    """The ``Plural-Forms`` header for ``locale``.

    The table's entry when it partitions the integers 0..1000 exactly like the installed
    CLDR rule (a newer CLDR may split a language's forms differently); else the formula
    derived from the installed CLDR rule (``cldr_plural_forms``).
    """
    rules = _rule_key(locale.plural_form)
    full = str(locale)
    for key in (full, f"{locale.language}_{locale.territory}", locale.language):
        if key in PLURAL_FORMS:
            if _table_agrees(PLURAL_FORMS[key], rules):
                return PLURAL_FORMS[key]
            break
    return _derive(rules)


def cldr_plural_forms(locale: Locale | PluralRule) -> str:
    """``locale``'s ``Plural-Forms`` derived from its CLDR rule (installed) alone.

    gettext passes only integers, so CLDR's operands are rewritten before converting:
    ``i`` is ``n``, and ``v``, ``w``, ``f``, ``t``, ``c`` and ``e`` are 0 (Babel's own
    ``to_gettext`` keeps ``e``, which ``msgfmt`` rejects, e.g. for ``pt``). What is then
    constant is folded, so categories no integer can reach are not counted in
    ``nplurals``. Forms are numbered in CLDR's order (zero, one, two, few, many, other).
    """
    return _derive(_rule_key(locale if isinstance(locale, PluralRule) else locale.plural_form))


_RuleKey = tuple[tuple[str, str], ...]
_CLDR_TAGS = ("zero", "one", "two", "few", "many", "other")
_OPERAND_ZERO = frozenset("vwftce")
"""CLDR operands that are 0 for an integer: visible fraction digits and exponents."""
_NEGATED = {"==": "!=", "!=": "==", "<=": ">", ">": "<=", ">=": "<", "<": ">="}

# A condition over the integer n: a known truth value, a comparison ``(expression,
# operator, number)``, or ``("&&" | "||", terms)``. Negation is pushed down to the
# comparisons, so a formula never needs ``!``.
_Cond = bool | tuple[str, str, int] | tuple[str, tuple["_Cond", ...]]


def _rule_key(rule: PluralRule) -> _RuleKey:
    return tuple(sorted(rule.rules.items()))


@lru_cache(maxsize=256)
def _table_agrees(forms: str, rules: _RuleKey) -> bool:
    """``forms`` gives the integers 0..1000 the same partition as the CLDR ``rules``: one
    form per category, and as many forms as categories."""
    count = nplurals(forms)
    match = re.search(r"plural\s*=\s*(.+?)\s*;?\s*$", forms)
    if count is None or not match:
        return False
    formula = gettext.c2py(match[1])
    rule = PluralRule(rules)
    index_of: dict[str, int] = {}
    category_of: dict[int, str] = {}
    for n in range(1001):
        index, category = formula(n), rule(n)
        if not 0 <= index < count:
            return False
        if index_of.setdefault(category, index) != index:
            return False
        if category_of.setdefault(index, category) != category:
            return False
    return len(category_of) == count


@lru_cache(maxsize=256)
def _derive(rules: _RuleKey) -> str:
    rule = PluralRule(rules)
    conditions = [(tag, _condition(ast) if ast else False) for tag, ast in rule.abstract]
    reachable = {rule(n) for n in _integer_samples([cond for _, cond in conditions])}
    # Babel tries the categories in this order and gives "other" when none holds. A
    # category no integer reaches is dropped; without "other" the last one is the rest.
    chain = [(tag, cond) for tag, cond in conditions if tag in reachable]
    if "other" in reachable:
        chain.append(("other", True))
    chain[-1] = (chain[-1][0], True)
    chain = chain[: [cond for _, cond in chain].index(True) + 1]
    index = [tag for tag in _CLDR_TAGS if tag in {tag for tag, _ in chain}].index
    if len(chain) == 1:
        return "nplurals=1; plural=0;"
    if len(chain) == 2 and index(chain[0][0]) == 0:  # C's truth value of "not the first"
        plural = _c(_negate(chain[0][1]), 0)
    else:
        parts = [f"{_c(cond, 1)} ? {index(tag)} : " for tag, cond in chain[:-1]]
        plural = "".join(parts) + str(index(chain[-1][0]))
    return f"nplurals={len(chain)}; plural=({plural});"


def integer_samples(locale: Locale) -> tuple[int, ...]:
    """Integers that between them reach every CLDR plural category of ``locale`` that an
    integer can reach, one for each way an integer can meet the rule's comparisons."""
    rules = _rule_key(locale.plural_form)
    conditions = [_condition(ast) if ast else False for _, ast in PluralRule(rules).abstract]
    return tuple(_integer_samples(conditions))


def _integer_samples(conditions: list[_Cond]) -> list[int]:
    # Every comparison is of n or of n % m with a number. Above the largest number n is
    # compared with, the answers depend only on n's residues; a residue matters only by
    # the cell between two of its modulus's numbers that it falls in. One sample for each
    # combination of cells that some integer meets covers every answer.
    atoms: list[tuple[str, str, int]] = []

    def collect(cond: _Cond) -> None:
        if isinstance(cond, bool):
            return
        if len(cond) == 3:
            atoms.append(cond)
        else:
            for term in cond[1]:
                collect(term)

    for cond in conditions:
        collect(cond)
    limit = max((value for expr, _, value in atoms if expr == "n"), default=0) + 2
    cuts: dict[int, set[int]] = {}
    for expr, _, value in atoms:
        if expr != "n":
            modulus = int(expr.rpartition("%")[2])
            cuts.setdefault(modulus, {0}).update(v for v in (value, value + 1) if v < modulus)
    moduli = sorted(cuts)
    if any(big % small for small, big in itertools.pairwise(moduli)):  # not one chain
        period = math.lcm(*moduli)
        spread = {k * m + v for m, vs in cuts.items() for k in range(period // m) for v in vs}
        cuts, moduli = {period: spread}, [period]
    levels = tuple((m, tuple(sorted(cuts[m]))) for m in moduli)

    @lru_cache(maxsize=4096)
    def samples(depth: int, low: int, high: int) -> tuple[int, ...]:
        """Numbers in [low, high), one for each combination of cells of the first
        ``depth`` moduli that the range meets."""
        if depth == 0:
            return (low,)
        modulus, bounds = levels[depth - 1]
        below = levels[depth - 2][0] if depth > 1 else 1
        found: list[int] = []
        for a, b in zip(bounds, (*bounds[1:], modulus), strict=True):
            start, stop = max(low, a), min(high, b)
            if start >= stop:
                continue
            if stop - start >= below:
                found += [start + (r - start) % below for r in samples(depth - 1, 0, below)]
                continue
            base, first = start - start % below, start % below
            end = first + stop - start
            found += [base + r for r in samples(depth - 1, first, min(end, below))]
            if end > below:
                found += [base + below + r for r in samples(depth - 1, 0, end - below)]
        return tuple(found)

    period = levels[-1][0] if levels else 1
    above = (limit // period + 1) * period
    residues = samples(len(levels), 0, period) if levels else (0,)
    return sorted({*range(limit), *(above + r for r in residues)})


def _operand(node: Any) -> str | int:
    """A CLDR expression (operand, ``mod``, value) for an integer: C text or a number."""
    op, args = node
    if op in {"n", "i"}:
        return "n"
    if op in _OPERAND_ZERO:
        return 0
    if op == "value":
        return int(args[0])
    if op == "mod":
        left, right = _operand(args[0]), _operand(args[1])
        if isinstance(left, int) and isinstance(right, int):
            return left % right
        return f"{left} % {right}"
    raise ValueError(f"unknown CLDR plural operand {op!r}")


def _bound(node: Any) -> int:
    value = _operand(node)
    if not isinstance(value, int):
        raise ValueError(f"a CLDR plural range bound is not a number: {value}")
    return value


def _condition(node: Any) -> _Cond:
    """A CLDR condition (Babel's parsed form) for an integer, with constants folded."""
    op, args = node
    if op in {"and", "or"}:
        return _combine("&&" if op == "and" else "||", [_condition(arg) for arg in args])
    if op == "not":
        return _negate(_condition(args[0]))
    if op in {"is", "isnot"}:  # CLDR's older spelling of "="
        value = _bound(args[1])
        equal = _relation(_operand(args[0]), [(value, value)])
        return equal if op == "is" else _negate(equal)
    if op == "relation":
        _method, expr, (_, items) = args  # "in" and "within" agree on integers
        return _relation(_operand(expr), [(_bound(lo), _bound(hi)) for lo, hi in items])
    raise ValueError(f"unknown CLDR plural condition {op!r}")


def _relation(expr: str | int, bounds: list[tuple[int, int]]) -> _Cond:
    """``expr`` is in one of the ranges ``bounds`` (expressions are never negative)."""
    if isinstance(expr, int):
        return any(low <= expr <= high for low, high in bounds)
    merged: list[tuple[int, int]] = []
    for low, high in sorted(bounds):  # 0,1 is 0..1; 2..4,5 is 2..5
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        elif low <= high:
            merged.append((low, high))
    terms: list[_Cond] = []
    for low, high in merged:
        if low == high:
            terms.append((expr, "==", low))
        elif low == 0:
            terms.append((expr, "<=", high))
        else:
            terms.append(("&&", ((expr, ">=", low), (expr, "<=", high))))
    return _combine("||", terms)


def _combine(op: str, terms: list[_Cond]) -> _Cond:
    """``terms`` joined by ``&&`` or ``||``: constants folded, nesting flattened."""
    absorbing = op == "||"  # True absorbs an "or", False an "and"
    flat: list[_Cond] = []
    for term in terms:
        if term is absorbing:
            return absorbing
        if term is (not absorbing):
            continue
        parts = term[1] if len(term) == 2 and term[0] == op else (term,)  # type: ignore[index,arg-type]
        flat += [part for part in parts if part not in flat]
    if not flat:
        return not absorbing
    return flat[0] if len(flat) == 1 else (op, tuple(flat))


def _negate(cond: _Cond) -> _Cond:
    if isinstance(cond, bool):
        return not cond
    if len(cond) == 3:
        expr, op, value = cond
        return (expr, _NEGATED[op], value)
    op, terms = cond
    return _combine("||" if op == "&&" else "&&", [_negate(term) for term in terms])


def _c(cond: _Cond, level: int) -> str:
    """``cond`` as C text, in parentheses if it sits where ``&&`` (level 1) or a
    comparison (level 2) binds more tightly than its own operator."""
    if isinstance(cond, bool):
        return str(int(cond))
    if len(cond) == 3:
        expr, op, value = cond
        return f"{expr} {op} {value}"
    op, terms = cond
    own = 1 if op == "||" else 2
    text = f" {op} ".join(_c(term, own + 1) for term in terms)
    return f"({text})" if level > own or (level and op == "||") else text


# Numbers and dates, for the checks that compare a translation's numbers with the source's.

_SPACES = " \u00a0\u202f"

_ZEROS: dict[str, str] = {
    "latn": "0",
    "arab": "\u0660",
    "arabext": "\u06f0",
    "beng": "\u09e6",
    "deva": "\u0966",
    "gujr": "\u0ae6",
    "guru": "\u0a66",
    "knda": "\u0ce6",
    "mlym": "\u0d66",
    "orya": "\u0b66",
    "tamldec": "\u0be6",
    "telu": "\u0c66",
    "mymr": "\u1040",
    "khmr": "\u17e0",
    "laoo": "\u0ed0",
    "thai": "\u0e50",
    "tibt": "\u0f20",
    "mong": "\u1810",
    "olck": "\u1c50",
    "mtei": "\uabf0",
    "vaii": "\ua620",
    "nkoo": "\u07c0",
    "cakm": "\U00011136",
    "adlm": "\U0001e950",
    "hmnp": "\U0001e140",
    "fullwide": "\uff10",
}
"""The zero of each CLDR numbering system a locale's numbers may be written in (its
``default`` or ``native`` system); the other nine digits follow it in Unicode. Babel has
CLDR's symbols per numbering system but not their digits. Not here: ``hanidec``
(``〇一二…``, not Unicode decimal digits) and the algorithmic systems (``traditional``,
``finance``), which are not digits."""


def numbering_digits(system: str) -> str:
    """The ten digits of the CLDR numbering ``system`` (``arabext``: ``۰۱۲۳۴۵۶۷۸۹``)."""
    zero = ord(_ZEROS[system])
    return "".join(chr(zero + n) for n in range(10))


@lru_cache(maxsize=64)
def numbering_systems(code: str) -> tuple[str, ...]:
    """The numbering systems ``code``'s texts write numbers in: CLDR's default, native,
    then ``latn`` (``fa``: ``arabext``, ``latn``; ``hi``: ``latn``, ``deva``), known ones
    only. People write both their own digits and Latin ones."""
    locale = Locale.parse(code)
    found = (
        locale.default_numbering_system,
        locale.other_numbering_systems.get("native", "latn"),
        "latn",
    )
    return tuple(system for system in dict.fromkeys(found) if system in _ZEROS)


@lru_cache(maxsize=64)
def number_symbols(code: str, system: str = "latn") -> tuple[str, str]:
    """The (decimal, group) symbols of ``code``'s numbers in a numbering system (``az``:
    ``,`` and ``.``; ``fa`` in ``arabext``: ``٫`` and ``٬``)."""
    return (
        get_decimal_symbol(code, numbering_system=system),
        get_group_symbol(code, numbering_system=system),
    )


@lru_cache(maxsize=64)
def number_separators(code: str) -> str:
    """Every decimal and group symbol of ``code`` in its numbering systems, except
    spaces (``fa``: ``,.٫٬``)."""
    symbols = {c for system in numbering_systems(code) for c in number_symbols(code, system)}
    return "".join(sorted(symbols - set(_SPACES)))


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit as its ASCII digit (``۱۲٫۵`` → ``12٫5``)."""
    if text.isascii():
        return text
    return "".join(_ascii_digit(c) for c in text)


@lru_cache(maxsize=1024)
def _ascii_digit(char: str) -> str:
    value = unicodedata.decimal(char, None)
    return char if value is None else str(value)


@lru_cache(maxsize=4096)
def parse_number(text: str, code: str) -> Decimal | None:
    """``text`` read as a number written the way ``code`` writes numbers; None if it is not.

    Digits may be of any numbering system (``۱۲٫۵`` is 12.5 in ``fa``); the separators
    must be those of one of ``code``'s numbering systems (``numbering_systems``).
    Grouping must be exact (``100.000`` is a hundred thousand in ``az``, ``1.5`` is not a
    number there). Where the group symbol is a space, any of space, no-break space and
    narrow no-break space is accepted, as people type all three.
    """
    text = ascii_digits(text)
    for system in numbering_systems(code):
        decimal_symbol, group_symbol = number_symbols(code, system)
        written = text
        if group_symbol in _SPACES:
            for space in _SPACES:
                written = written.replace(space, group_symbol)
        if decimal_symbol not in written and group_symbol not in written:
            continue
        try:
            return parse_decimal(written, locale=code, strict=True, numbering_system=system)
        except (NumberFormatError, ValueError, ArithmeticError):
            continue
    return None


def format_number(value: Decimal, code: str) -> str:
    """``value`` written the way ``code`` writes numbers, in its default numbering system
    (``100000`` → ``100.000`` in ``az``; ``12.5`` → ``۱۲٫۵`` in ``fa``)."""
    system = numbering_systems(code)[0]
    text = format_decimal(value, locale=code, numbering_system=system)
    return text.translate(_from_ascii(system))


@lru_cache(maxsize=32)
def _from_ascii(system: str) -> dict[int, str]:
    return dict(zip(map(ord, "0123456789"), numbering_digits(system), strict=True))


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


def long_date(day: date, code: str) -> str:
    """``day`` in CLDR's long format for ``code``, as a page shows a publication date:
    ``26 fevral 1992`` (az), ``26 თებერვალი, 1992`` (ka), ``26 февраля 1992 г.`` (ru)."""
    return str(format_date(day, "long", locale=code.replace("-", "_")))


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


@lru_cache(maxsize=256)
def text_direction(code: str) -> str:
    """``rtl`` or ``ltr``: how ``code``'s script runs, from CLDR (``ltr`` for a code CLDR
    does not know, which the settings refuse anyway)."""
    try:
        return str(Locale.parse(code.replace("-", "_")).text_direction)
    except (UnknownLocaleError, ValueError):
        return "ltr"
