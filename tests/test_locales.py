"""Plural forms: our table agrees with CLDR on every integer 0..1000."""

from __future__ import annotations

import gettext

import pytest
from babel import Locale

from pipeline.errors import ConfigError
from pipeline.locales import PLURAL_FORMS, language, same_plural_forms


@pytest.mark.parametrize("code", sorted(PLURAL_FORMS))
def test_plural_table_partitions_integers_like_cldr(code: str) -> None:
    forms = PLURAL_FORMS[code]
    nplurals = int(forms.split("nplurals=")[1].split(";")[0])
    formula = gettext.c2py(forms.split("plural=", 1)[1].rstrip(";"))
    locale = Locale.parse(code)
    index_of: dict[str, int] = {}
    category_of: dict[int, str] = {}
    for n in range(1001):
        index, category = formula(n), locale.plural_form(n)
        assert 0 <= index < nplurals
        assert index_of.setdefault(category, index) == index, (n, category)
        assert category_of.setdefault(index, category) == category, (n, index)
    assert len(category_of) == nplurals


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
