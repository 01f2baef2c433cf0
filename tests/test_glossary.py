"""Glossaries: reading them, finding terms the language's way, the ``#.`` comments
``extract`` writes, the ``glossary`` and ``consistency`` checks.

The matching cases are data (``fixtures/glossary/cases.csv``, one case a row, what a
reviewer says in ``expect``); a case the matcher is known to get wrong says so in
``known`` (``fn``: a missed warning), so a fix, or a new mistake, fails here.
``benchmarks/glossary_accuracy.py`` prints precision and recall over the same rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.catalogs.catalog import read_catalog
from pipeline.catalogs.glossary import Glossary, Term, fold, parse_glossary
from pipeline.cli import main
from pipeline.errors import CatalogError
from tests.conftest import MakeProject

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"


def _cases() -> list[tuple[int, dict[str, str]]]:
    with (FIXTURES / "cases.csv").open(encoding="utf-8", newline="") as f:
        return list(enumerate(csv.DictReader(f), start=2))


CASES = _cases()


def _verdict(row: dict[str, str]) -> str:
    glossary = Glossary("en", row["lang"], (Term(row["source"], row["translation"]),))
    if not glossary.found_in(row["msgid"]):
        return "absent"
    return "missing" if glossary.missing(row["msgid"], row["msgstr"]) else "ok"


@pytest.mark.parametrize(
    "row", [row for _, row in CASES], ids=[f"line{n}-{row['lang']}" for n, row in CASES]
)
def test_matching_case(row: dict[str, str]) -> None:
    got = _verdict(row)
    if row["known"] == "fn":  # a documented limit of the stem rule
        assert (row["expect"], got) == ("missing", "ok"), "fixed? clear its 'known' column"
    else:
        assert got == row["expect"], row["why"]


def test_the_case_set_is_wide_enough() -> None:
    rows = [row for _, row in CASES]
    assert len(rows) >= 40
    assert {r["lang"] for r in rows} >= {"az", "tr", "ka", "ru"}
    assert {r["expect"] for r in rows} == {"ok", "missing", "absent"}
    missed = sum(1 for r in rows if r["known"])
    should_warn = sum(1 for r in rows if r["expect"] == "missing")
    assert missed / should_warn <= 0.25  # recall of the warnings at least 75 %


@pytest.mark.parametrize(
    ("text", "lang", "folded"),
    [
        ("İSTANBUL", "tr", "istanbul"),
        ("ISPARTA", "tr", "ısparta"),
        ("XOCALI", "az", "xocalı"),
        ("İSTANBUL", "en", "istanbul"),  # no combining dot left over, as str.lower() leaves
        ("ᲮᲝᲯᲐᲚᲘ", "ka", "ხოჯალი"),
        ("ხოჯალი", "ka", "ხოჯალი"),
        ("ΟΔΟΣ", "el", "οδοσ"),
        ("Straße", "de", "strasse"),
    ],
)
def test_fold(text: str, lang: str, folded: str) -> None:
    assert fold(text, lang) == folded


@pytest.mark.parametrize("path", sorted((FIXTURES / "bad").glob("*.csv")), ids=lambda p: p.stem)
def test_bad_glossary(path: Path) -> None:
    expected = path.with_suffix(".txt").read_text("utf-8").strip()
    line, _, message = expected.partition(": ")
    with pytest.raises(CatalogError) as caught:
        parse_glossary(path.read_bytes(), "locales/az/glossary.csv")
    assert caught.value.path == "locales/az/glossary.csv"
    assert f"line {caught.value.line}" == line
    assert caught.value.message.startswith(message)
    assert caught.value.hint


def test_columns_in_any_order_with_pos_and_a_bom() -> None:
    data = "\ufeffpos,translation,source\nproper noun,Xocalı,Khojaly\n\n".encode()
    (term,) = parse_glossary(data, "g.csv")
    assert (term.source, term.translation, term.pos, term.line) == (
        "Khojaly",
        "Xocalı",
        "proper noun",
        2,
    )


def test_alternatives_any_will_do() -> None:
    glossary = Glossary(
        "en", "az", (Term("Milli Mejlis", "Milli Məclis"), Term("Milli Mejlis", "parlament"))
    )
    assert not glossary.missing("Milli Mejlis met", "parlamentin iclası")
    (missing,) = glossary.missing("Milli Mejlis met", "Şuranın iclası")
    assert missing.translations == ("Milli Məclis", "parlament")


# --- through the command line -----------------------------------------------------------

ARTICLE = """---
title: Khojaly remembered
---

# Khojaly remembered

Vigils were held in Baku.

The Milli Mejlis met.
"""

OTHER = """# Khojaly remembered

Vigils were held in Baku.
"""


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def fill(po: Path, translations: dict[str, str]) -> None:
    text = po.read_text("utf-8")
    for msgid, msgstr in translations.items():
        old = f'msgid "{msgid}"\nmsgstr ""'
        assert old in text, msgid
        text = text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, "utf-8")


def comments(po: Path) -> dict[str, list[str]]:
    catalog = read_catalog(po, po.name)
    return {
        e.msgid: [c for c in e.comment.split("\n") if c.startswith("glossary: ")]
        for e in catalog.active
    }


def test_extract_writes_and_removes_the_comments(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE}, languages=("az", "ka"))
    glossary = config.locales_dir / "az" / "glossary.csv"
    glossary.parent.mkdir(parents=True)
    glossary.write_text(
        "source,translation,note\nKhojaly,Xocalı,the town\nBaku,Bakı,\n", encoding="utf-8"
    )
    assert run(config.root, "extract").exit_code == 0
    az = config.locales_dir / "az" / "khojaly.po"
    found = comments(az)
    assert found["Khojaly remembered"] == ["glossary: Khojaly → Xocalı; the town"]
    assert found["Vigils were held in Baku."] == ["glossary: Baku → Bakı"]
    assert found["The Milli Mejlis met."] == []
    assert "#. glossary: Baku → Bakı\n" in az.read_text("utf-8")
    assert "glossary" not in (config.locales_dir / "khojaly.pot").read_text("utf-8")
    assert "glossary" not in (config.locales_dir / "ka" / "khojaly.po").read_text("utf-8")
    # the cache must not vouch for the old verdict: the glossary is part of the job key
    glossary.write_text("source,translation\nMilli Mejlis,Milli Məclis\n", encoding="utf-8")
    second = run(config.root, "extract")
    assert second.exit_code == 0, second.output
    found = comments(az)
    assert found["Khojaly remembered"] == []
    assert found["Vigils were held in Baku."] == []
    assert found["The Milli Mejlis met."] == ["glossary: Milli Mejlis → Milli Məclis"]
    assert run(config.root, "extract", "--check").exit_code == 0
    glossary.unlink()
    assert run(config.root, "extract").exit_code == 0
    assert all(not lines for lines in comments(az).values())


def test_check_warns_and_glossary_severity_fails(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    (config.locales_dir / "az").mkdir(parents=True)
    (config.locales_dir / "az" / "glossary.csv").write_text(
        "source,translation\nKhojaly,Xocalı\nBaku,Bakı\n", encoding="utf-8"
    )
    assert run(config.root, "extract").exit_code == 0
    az = config.locales_dir / "az" / "khojaly.po"
    fill(
        az,
        {
            "Khojaly remembered": "Xocalını xatırlayırıq",
            "Vigils were held in Baku.": "Gəncədə anım mərasimləri keçirildi.",
            "The Milli Mejlis met.": "Milli Məclis toplandı.",
        },
    )
    result = run(config.root, "check")
    assert result.exit_code == 0, result.output
    assert "glossary: “Baku” is not translated as the glossary says: “Bakı” (warning)" in (
        result.output
    )
    assert "Khojaly" not in result.output.split("pass az")[0].replace("Khojaly remembered", "")
    line = next(e.line for e in read_catalog(az, "az").active if e.msgid.startswith("Vigils"))
    assert f"locales/az/khojaly.po:{line}: glossary:" in result.output
    severe = make_project({"khojaly.md": ARTICLE}, extra='glossary_severity = "error"\n')
    failed = run(severe.root, "check")
    assert failed.exit_code == 1 and "(warning)" not in failed.output.split("glossary:")[1]
    assert "glossary: “Baku” is not translated as the glossary says: “Bakı”\n" in failed.output
    # a translator's flag silences it for one entry
    text = az.read_text("utf-8").replace(
        '#, md-text\nmsgid "Vigils', '#, md-text, no-check-glossary\nmsgid "Vigils'
    )
    az.write_text(text, "utf-8")
    assert "glossary:" not in run(config.root, "check").output


def test_a_broken_glossary_is_an_error_at_its_line(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    assert run(config.root, "extract").exit_code == 0
    az = config.locales_dir / "az" / "khojaly.po"
    before = az.read_bytes()
    (config.locales_dir / "az" / "glossary.csv").write_text(
        "source,translation\nKhojaly,\n", encoding="utf-8"
    )
    result = run(config.root, "extract")
    assert result.exit_code == 1
    assert "locales/az/glossary.csv:2: the translation is empty" in result.output
    assert az.read_bytes() == before  # left as it was until the glossary reads
    checked = run(config.root, "check")
    assert checked.exit_code == 1
    assert "locales/az/glossary.csv:2: glossary: the translation is empty" in checked.output


def test_a_glossary_is_no_catalog_nor_orphan(make_project: MakeProject) -> None:
    """An article named ``glossary.md`` has ``glossary.po``; the ``.csv`` is neither its
    catalog nor an orphan, and the article's own catalog gets the comments."""
    config = make_project({"glossary.md": "# Khojaly\n"})
    (config.locales_dir / "az").mkdir(parents=True)
    (config.locales_dir / "az" / "glossary.csv").write_text(
        "source,translation\nKhojaly,Xocalı\n", encoding="utf-8"
    )
    result = run(config.root, "extract")
    assert result.exit_code == 0, result.output
    assert "glossary.csv" not in result.output and "no article uses" not in result.output
    assert comments(config.locales_dir / "az" / "glossary.po")["Khojaly"] == [
        "glossary: Khojaly → Xocalı"
    ]
    assert (config.locales_dir / "az" / "glossary.csv").exists()


def test_consistency_across_two_articles(make_project: MakeProject) -> None:
    config = make_project(
        {"a.md": ARTICLE, "b.md": OTHER}, extra='min_complete = 0\nskip_checks = ["whitespace"]\n'
    )
    assert run(config.root, "extract").exit_code == 0
    a = config.locales_dir / "az" / "a.po"
    b = config.locales_dir / "az" / "b.po"
    fill(a, {"Vigils were held in Baku.": "Bakıda anım mərasimləri keçirildi."})
    fill(b, {"Vigils were held in Baku.": "Bakıda  anım mərasimləri   keçirildi."})
    assert "consistency" not in run(config.root, "check").output  # whitespace aside
    b.write_text(b.read_text("utf-8").replace("Bakıda  anım", "Bakıda matəm"), encoding="utf-8")
    result = run(config.root, "check")
    line_a = next(e.line for e in read_catalog(a, "a").active if e.msgid.startswith("Vigils"))
    line_b = next(e.line for e in read_catalog(b, "b").active if e.msgid.startswith("Vigils"))
    expected = (
        f"locales/az/b.po:{line_b}: consistency: “Vigils were held in Baku.” is translated "
        f"another way in locales/az/a.po:{line_a} (az)"
    )
    assert expected in result.output
    assert result.output.count("consistency:") == 1
    assert result.exit_code == 0  # a warning
    # fuzzy entries are not compared
    b.write_text(
        b.read_text("utf-8").replace(
            '#, md-text\nmsgid "Vigils', '#, fuzzy, md-text\nmsgid "Vigils'
        ),
        encoding="utf-8",
    )
    assert "consistency:" not in run(config.root, "check").output


def test_inflection_setting(make_project: MakeProject) -> None:
    """``glossary_inflection`` overrides the table; a bad one is a settings error."""
    config = make_project({"khojaly.md": ARTICLE})
    (config.locales_dir / "az").mkdir(parents=True)
    (config.locales_dir / "az" / "glossary.csv").write_text(
        "source,translation\nBaku,Bakı\n", encoding="utf-8"
    )
    assert run(config.root, "extract").exit_code == 0
    fill(
        config.locales_dir / "az" / "khojaly.po",
        {
            "Khojaly remembered": "Xocalını xatırlayırıq",
            "Vigils were held in Baku.": "Bakıda anım mərasimləri keçirildi.",
            "The Milli Mejlis met.": "Milli Məclis toplandı.",
        },
    )
    assert "glossary:" not in run(config.root, "check").output
    exact = "glossary_inflection = { az = { min_stem = 4, change = 0, suffix = 0 } }\n"
    make_project({"khojaly.md": ARTICLE}, extra=exact)
    assert "glossary: “Baku”" in run(config.root, "check").output
    settings = config.root / "pipeline.toml"
    settings.write_text(
        settings.read_text("utf-8").replace("change = 0, suffix = 0", "stem = 4"), "utf-8"
    )
    bad = run(config.root, "check")
    assert bad.exit_code != 0
    assert "glossary_inflection.az" in bad.output


def test_a_comment_carries_no_control_character() -> None:
    """A glossary is a file anyone edits: a terminal escape in a note never reaches the
    catalog a translator opens."""
    term = Term(source="Khojaly", translation="Xocalı", note='line one\nmsgid "x"\x1b[31m')
    comment = term.comment
    assert "\x1b" not in comment and "\n" not in comment
    assert comment.startswith("glossary: Khojaly → Xocalı; line one")
