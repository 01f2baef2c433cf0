"""The ``numbers`` check with numbers in the target locale's own digits and separators.

Cases are data: every ``tests/fixtures/numbers/*.tsv`` (format in that folder's README).
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale

from pipeline.checks.message import check_numbers
from pipeline.checks.numbers import missing_numbers
from pipeline.checks.problem import Context
from pipeline.locales import (
    ascii_digits,
    format_number,
    number_separators,
    numbering_digits,
    numbering_systems,
    parse_number,
)

FIXTURES = Path(__file__).parent / "fixtures" / "numbers"
COLUMNS = ["source", "translation", "source_lang", "target_lang", "expected"]
_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Case:
    where: str
    source: str
    translation: str
    source_lang: str
    target_lang: str
    missing: tuple[str, ...] | None
    """None when the translation must pass, else what the check must report, in order."""


def _unescape(cell: str) -> str:
    return _ESCAPE_RE.sub(lambda m: chr(int(m[1], 16)), cell)


def _load() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(FIXTURES.glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].split("\t") == COLUMNS, path.name
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [_unescape(cell) for cell in line.split("\t")]
            where = f"{path.name}:{number}"
            assert len(cells) == len(COLUMNS), where
            source, translation, source_lang, target_lang, expected = cells
            if expected == "pass":
                missing = None
            else:
                assert expected.startswith("missing "), where
                missing = tuple(expected.removeprefix("missing ").split("; "))
            cases.append(Case(where, source, translation, source_lang, target_lang, missing))
    return cases


CASES = _load()


def test_the_table_is_large_and_has_both_outcomes() -> None:
    assert len(CASES) >= 30
    assert sum(c.missing is None for c in CASES) >= 20
    assert sum(c.missing is not None for c in CASES) >= 10
    wanted = {"fa", "ar", "ar_EG", "bn", "mr", "hi", "ne", "my", "az", "ru"}
    assert wanted <= {c.target_lang for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.where for c in CASES])
def test_numbers_case(case: Case) -> None:
    found = missing_numbers(case.source, case.translation, case.source_lang, case.target_lang)
    if case.missing is None:
        assert found == [], found
        ctx = Context(case.source_lang, case.target_lang)
        problems = list(check_numbers(case.source, case.translation, ctx))
        assert problems == [], [str(p) for p in problems]
    else:
        assert tuple(m.text for m in found) == case.missing


@pytest.mark.parametrize(
    ("value", "code", "written"),
    [
        ("12.5", "fa", "۱۲٫۵"),
        ("1250", "fa", "۱٬۲۵۰"),
        ("12.5", "ar_EG", "١٢٫٥"),
        ("1250", "ar_EG", "١٬٢٥٠"),
        ("1250000", "bn", "১২,৫০,০০০"),
        ("12.5", "mr", "१२.५"),
        ("12.5", "my", "၁၂.၅"),
        ("1250000", "hi", "12,50,000"),
        ("100000", "az", "100.000"),
        ("1250", "ru", "1\u00a0250"),
        ("1250", "en", "1,250"),
    ],
)
def test_suggestions_are_in_the_default_numbering_system(
    value: str, code: str, written: str
) -> None:
    assert format_number(Decimal(value), code) == written
    assert parse_number(written, code) == Decimal(value)


def test_a_wrong_number_gets_a_suggestion_in_native_digits() -> None:
    [miss] = missing_numbers("12.5 percent", "۱۲٫۶ درصد", "en", "fa")
    assert (miss.text, miss.small, miss.suggestion) == ("12.5", False, "۱۲٫۵")


@pytest.mark.parametrize(
    ("code", "systems", "separators"),
    [
        ("fa", ("arabext", "latn"), ",.٫٬"),
        ("ar_EG", ("arab", "latn"), ",.٫٬"),
        ("ar", ("latn", "arab"), ",.٫٬"),
        ("hi", ("latn", "deva"), ",."),
        ("bn", ("beng", "latn"), ",."),
        ("my", ("mymr", "latn"), ",."),
        ("az", ("latn",), ",."),
        ("ru", ("latn",), ","),
        ("ka", ("latn",), ","),
    ],
)
def test_numbering_systems_come_from_cldr(
    code: str, systems: tuple[str, ...], separators: str
) -> None:
    assert numbering_systems(code) == systems
    assert number_separators(code) == separators


def test_every_default_and_native_numbering_system_has_unicode_digits() -> None:
    """Every numeric system a CLDR locale defaults to or calls native is known, and its
    digits are ten consecutive Unicode decimal digits (hanidec ``〇一二…`` is not)."""
    used: set[str] = set()
    for code in ("fa", "ar", "ar_EG", "bn", "mr", "hi", "ne", "my", "th", "ta", "dz", "ur"):
        locale = Locale.parse(code)
        used.add(locale.default_numbering_system)
        used.add(locale.other_numbering_systems.get("native", "latn"))
        assert set(numbering_systems(code)) <= used | {"latn"}
    for system in sorted(used):
        digits = numbering_digits(system)
        assert [unicodedata.category(d) for d in digits] == ["Nd"] * 10, system
        assert [unicodedata.decimal(d) for d in digits] == list(range(10)), system
        assert ascii_digits(digits) == "0123456789"


def test_bidi_marks_and_signs_do_not_hide_a_number() -> None:
    rlm, alm, lrm = "\u200f", "\u061c", "\u200e"
    translation = f"{rlm}{alm}-{lrm}١٢{rlm}٫٥٪{alm} و {lrm}−١٬٢٥٠"
    assert missing_numbers("-12.5% and −1,250", translation, "en", "ar_EG") == []


def test_per_entry_cost_stays_small() -> None:
    source = "On February 25, 1997, 613 people, 12.5% of 1,250,000, version 3.11.2."
    target = "در ۲۵ فوریهٔ ۱۹۹۷، ۶۱۳ نفر، ۱۲٫۵٪ از ۱٬۲۵۰٬۰۰۰، نسخهٔ ۳٫۱۱٫۲."
    assert missing_numbers(source, target, "en", "fa") == []
    start = time.perf_counter()
    for _ in range(2000):
        missing_numbers(source, target, "en", "fa")
    assert time.perf_counter() - start < 5.0
