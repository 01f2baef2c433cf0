"""Plural forms: what we write partitions the integers like the installed CLDR rule, for
every locale Babel knows, and GNU gettext accepts it."""

from __future__ import annotations

import gettext
import os
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from babel import Locale
from babel.localedata import locale_identifiers
from babel.plural import PluralRule

from pipeline.errors import ConfigError
from pipeline.locales import (
    PLURAL_FORMS,
    cldr_plural_forms,
    integer_samples,
    language,
    nplurals,
    same_plural_forms,
)
from tests.gettext_tools import require

# Large integers picked by hand (not by integer_samples): CLDR's "many" of fr, es, it, pt
# is every multiple of a million, and kw and br look at n % 1000 .. n % 1000000.
BIG = sorted(
    {
        m * 10**k + r
        for k in range(3, 8)
        for m in (1, 2, 3, 5, 10, 11, 20, 21, 100)
        for r in (0, 1, 2, 3, 5, 11, 12, 21, 100, 1000)
    }
)


def _partition(forms: str, locale: Locale, numbers: Iterable[int]) -> set[str]:
    """The CLDR categories of ``numbers``, asserting that the formula gives each category
    one form of its own and no form outside ``nplurals``."""
    count = nplurals(forms) or 0
    formula = gettext.c2py(forms.split("plural=", 1)[1].rstrip(";"))
    rule = locale.plural_form
    index_of: dict[str, int] = {}
    category_of: dict[int, str] = {}
    for n in numbers:
        index, category = formula(n), rule(n)
        assert 0 <= index < count, (locale, n, index)
        assert index_of.setdefault(category, index) == index, (locale, n, category)
        assert category_of.setdefault(index, category) == category, (locale, n, index)
    return set(index_of)


_CHECKED: set[tuple[str, tuple[tuple[str, str], ...]]] = set()


def _check(code: str) -> None:
    """What ``code`` gets against the installed CLDR rule. A table entry must partition
    0..1000 exactly; a derived formula must also count and tell apart every category an
    integer reaches, up to multiples of a million. Each formula and rule is checked once."""
    locale = Locale.parse(code)
    forms = language(code).plural_forms
    key = (forms, tuple(sorted(locale.plural_form.rules.items())))
    if key in _CHECKED:
        return
    count = nplurals(forms)
    if forms in PLURAL_FORMS.values() and forms != cldr_plural_forms(locale):
        assert len(_partition(forms, locale, range(1001))) == count, code
    else:
        numbers = sorted({*range(1001), *BIG, *integer_samples(locale)})
        assert len(_partition(forms, locale, numbers)) == count, code
    _CHECKED.add(key)


@pytest.mark.parametrize("code", sorted(PLURAL_FORMS))
def test_plural_forms_partition_integers_like_cldr(code: str) -> None:
    _check(code)


def test_every_cldr_locale_gets_plural_forms_like_cldr() -> None:
    codes = locale_identifiers()
    assert len(codes) > 500
    for code in codes:
        _check(code)


def test_table_entries_that_disagree_with_cldr_are_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As when a newer CLDR gives a language another category (vi got "one" in CLDR 46).
    monkeypatch.setitem(PLURAL_FORMS, "de", "nplurals=1; plural=0;")
    assert language("de").plural_forms == "nplurals=2; plural=(n != 1);"
    monkeypatch.setitem(PLURAL_FORMS, "de", "nplurals=2; plural=n!=1;")
    assert language("de").plural_forms == "nplurals=2; plural=n!=1;"


@pytest.mark.parametrize(
    ("rules", "forms"),
    [
        ({"one": "i = 1 and v = 0"}, "nplurals=2; plural=(n != 1);"),
        ({"one": "i = 0,1"}, "nplurals=2; plural=(n > 1);"),
        ({}, "nplurals=1; plural=0;"),
        ({"one": "v = 0 and i % 10 = 1 or f % 10 = 1"}, "nplurals=2; plural=(n % 10 != 1);"),
        # pt in CLDR 42+: the exponent e is 0 for an integer; Babel's to_gettext keeps it
        (
            {
                "one": "i = 0..1",
                "many": "e = 0 and i != 0 and i % 1000000 = 0 and v = 0 or e != 0..5",
            },
            "nplurals=3; plural=(n != 0 && n % 1000000 == 0 ? 1 : n <= 1 ? 0 : 2);",
        ),
        # ru: "other" is for fractions only, so integers have three forms, not four
        (
            {
                "one": "v = 0 and i % 10 = 1 and i % 100 != 11",
                "few": "v = 0 and i % 10 = 2..4 and i % 100 != 12..14",
                "many": "v = 0 and i % 10 = 0 or v = 0 and i % 10 = 5..9 "
                "or v = 0 and i % 100 = 11..14",
            },
            "nplurals=3; plural=(n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)"
            " ? 1 : (n % 10 == 0 || n % 10 >= 5 && n % 10 <= 9 || n % 100 >= 11 && "
            "n % 100 <= 14) ? 2 : 0);",
        ),
        # a category only fractions reach is not a form
        ({"one": "n = 1", "few": "v != 0"}, "nplurals=2; plural=(n != 1);"),
    ],
)
def test_cldr_rules_become_integer_formulas(rules: dict[str, str], forms: str) -> None:
    assert cldr_plural_forms(PluralRule(rules)) == forms


def _catalog(code: str, forms: str) -> str:
    plurals = "".join(f'msgstr[{i}] "{i} files"\n' for i in range(nplurals(forms) or 0))
    return (
        'msgid ""\nmsgstr ""\n'
        f'"Language: {code}\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {forms}\\n"\n\n'
        'msgid "one file"\nmsgid_plural "%d files"\n' + plurals
    )


def test_gnu_msgfmt_accepts_every_cldr_locales_plural_forms(tmp_path: Path) -> None:
    """Every formula compiles in Python's gettext, and ``msgfmt --check`` accepts a
    catalog with each distinct header (one locale per distinct formula)."""
    msgfmt = require("msgfmt")
    by_forms: dict[str, str] = {}
    for code in locale_identifiers():
        forms = language(code).plural_forms
        assert "nplurals=" in forms and forms.endswith(";"), code
        gettext.c2py(forms.split("plural=", 1)[1].rstrip(";"))
        by_forms.setdefault(forms, code)

    def run(item: tuple[int, tuple[str, str]]) -> tuple[str, str, str]:
        number, (forms, code) = item
        path = tmp_path / f"{number}.po"
        path.write_text(_catalog(code, forms), "utf-8")
        done = subprocess.run(
            [msgfmt, "--check", "-o", os.devnull, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        return code, forms, done.stderr if done.returncode else ""

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failed = [r for r in pool.map(run, enumerate(by_forms.items())) if r[2]]
    assert not failed


@pytest.mark.parametrize(
    ("code", "forms"),
    [
        ("az", "nplurals=2; plural=(n != 1);"),
        ("ka", "nplurals=2; plural=(n != 1);"),
        ("tr", "nplurals=2; plural=(n != 1);"),
        ("fa", "nplurals=2; plural=(n > 1);"),
        ("ru", PLURAL_FORMS["ru"]),
    ],
)
def test_babel_table_errors_are_corrected(code: str, forms: str) -> None:
    assert language(code).plural_forms == forms


def test_language_names_and_direction() -> None:
    az = language("az")
    assert (az.english_name, az.native_name, az.direction) == ("Azerbaijani", "azərbaycan", "ltr")
    assert language("ar").direction == "rtl"
    assert language("pt-BR").code == "pt_BR"


def test_languages_outside_the_table_get_a_cldr_formula() -> None:
    forms = language("zu").plural_forms
    assert forms.startswith("nplurals=2;")


@pytest.mark.parametrize("code", ["xx", "english", "az_XX_YY_ZZ", "../az", ""])
def test_unknown_codes_are_clear_errors(code: str) -> None:
    with pytest.raises(ConfigError) as info:
        language(code)
    assert info.value.hint


@pytest.mark.parametrize(
    ("found", "same"),
    [
        ("nplurals=2; plural=(n != 1);", True),
        ("nplurals=2; plural=n != 1;", True),  # how Weblate writes it
        ("nplurals=2;plural=(n!=1)", True),
        ("nplurals=2; plural=(n > 1);", False),
        ("nplurals=1; plural=0;", False),
        ("nplurals=2; plural=(n = 1);", False),
        ("garbage", False),
    ],
)
def test_plural_forms_are_compared_by_what_they_do(found: str, same: bool) -> None:
    assert same_plural_forms(found, "nplurals=2; plural=(n != 1);") is same
