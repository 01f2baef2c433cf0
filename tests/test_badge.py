"""Status pictures without a browser: badge colours and texts, SVG shape, contrast, the
dashboard's numbers and escaping, and the ``badge`` and ``status --format html`` commands.
``tests/test_pictures.py`` opens the same pictures in Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from pipeline.cli import main
from pipeline.config import Config
from pipeline.publish import badge as b
from pipeline.publish import dashboard as d
from pipeline.report import Report
from pipeline.results import ArticleReport, Counts
from tests.conftest import MakeProject

HOSTILE = '<img src=x onerror=alert(1)> & "it\'s" <script>alert(2)</script>.md'
"""An article name a contributor could commit: every character HTML gives meaning to."""

ARTICLE = """---
title: Khojaly remembered
---

# Khojaly remembered

Every year on February 26 Azerbaijanis commemorate the tragedy.

- Vigils in Baku
- Concerts in Tbilisi
"""

FILLS = {
    "az": {
        "Khojaly remembered": "Xocalı yad edilir",
        "Every year on February 26 Azerbaijanis commemorate the tragedy.": "Hər il fevralın 26-da "
        "azərbaycanlılar faciəni yad edirlər.",
        "Vigils in Baku": "Bakıda anım",
        "Concerts in Tbilisi": "Tbilisidə konsertlər",
        "Vigil": "Anım",
        "Candles in the square.": "Meydanda şamlar.",
    },
    "ka": {"Khojaly remembered": "ხოჯალი გახსენებული", "Vigils in Baku": "ხსოვნა ბაქოში"},
    "ru": {},
}
FUZZY = {"ka": "Concerts in Tbilisi"}


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def sample_project(make_project: MakeProject) -> Config:
    """Two articles (one with a hostile name) in az (done), ka (part done, one fuzzy) and
    ru (nothing), extracted and translated as a translator's editor would."""
    config = make_project(
        {"khojaly.md": ARTICLE, f"news/{HOSTILE}": "# Vigil\n\nCandles in the square.\n"},
        languages=("az", "ka", "ru"),
    )
    result = run(config.root, "extract")
    assert result.exit_code == 0, result.output
    for lang, fills in FILLS.items():
        for po in sorted((config.locales_dir / lang).rglob("*.po")):
            text = po.read_text("utf-8")
            for msgid, msgstr in fills.items():
                text = text.replace(
                    f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"'
                )
            if lang in FUZZY:
                msgid = FUZZY[lang]
                text = text.replace(
                    f'#, md-text\nmsgid "{msgid}"\nmsgstr ""',
                    f'#, fuzzy, md-text\nmsgid "{msgid}"\nmsgstr "ბაქო"',
                )
            po.write_text(text, "utf-8")
    return config


# --- colours and texts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("translated", "words", "colour", "text"),
    [
        (749, 1000, "red", "74%"),
        (750, 1000, "yellow", "75%"),
        (899, 1000, "yellow", "89%"),
        (8999, 10000, "yellow", "89%"),  # 89.99: neither rounded up in colour nor in text
        (900, 1000, "green", "90%"),
        (999, 1000, "green", "99%"),
        (1000, 1000, "green", "100%"),
        (0, 1000, "red", "0%"),
        (0, 0, "grey", "no words"),
    ],
)
def test_colour_and_text_follow_weblates_thresholds(
    translated: int, words: int, colour: str, text: str
) -> None:
    counts = Counts(words=words, words_translated=translated)
    assert b.shade(counts).name == colour
    assert b.value_text(counts) == text


def test_fuzzy_words_are_not_translated() -> None:
    counts = Counts(words=100, words_translated=80, words_fuzzy=20)
    assert (b.shade(counts).name, b.value_text(counts)) == ("yellow", "80%")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_knows_its_extremes() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA


@pytest.mark.parametrize("shade", [b.GREEN, b.YELLOW, b.RED, b.GREY, b.LABEL], ids=str)
def test_badge_text_is_readable_on_its_field(shade: b.Shade) -> None:
    assert contrast(shade.fill, shade.text) >= 4.5  # WCAG AA for small text


def test_dashboard_colours_are_readable() -> None:
    for colour in (d.TEXT, d.MUTED):
        assert contrast(colour, "#ffffff") >= 4.5
    # parts of a bar are graphics: WCAG asks 3:1 against what is beside them
    assert contrast(d.COLOURS["translated"], "#ffffff") >= 3
    assert contrast(d.COLOURS["fuzzy"], "#ffffff") >= 3
    assert contrast(d.FRAME, "#ffffff") >= 3
    assert contrast(d.COLOURS["translated"], d.COLOURS["untranslated"]) >= 3


# --- the SVG ------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
SVG11_ELEMENTS = {"svg", "title", "linearGradient", "stop", "clipPath", "rect", "g", "text"}
SVG11_ATTRIBUTES = {
    "version", "width", "height", "viewBox", "id", "x", "y", "x2", "y2", "rx", "offset",
    "stop-color", "stop-opacity", "clip-path", "fill", "fill-opacity", "text-anchor",
    "font-family", "font-size", "textLength", "lengthAdjust",
}  # fmt: skip


def _parse(svg: str) -> ET.Element:
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    return ET.fromstring(svg.encode("utf-8"))


@pytest.mark.parametrize("label", ["az", "ka", "sr_Latn", "translated", "zh_Hant_HK"])
def test_badge_is_svg_1_1_with_a_title_and_room_for_its_text(label: str) -> None:
    counts = Counts(words=548, words_translated=226, words_fuzzy=10)
    root = _parse(b.badge(label, counts, f"Translation into {label}: 41%"))
    assert root.tag == SVG + "svg" and root.get("version") == "1.1"
    assert root[0].tag == SVG + "title" and root[0].text == f"Translation into {label}: 41%"
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in SVG11_ELEMENTS, element.tag
        assert set(element.attrib) <= SVG11_ATTRIBUTES, element.attrib
    width = int(root.get("width", ""))
    rects = [r for r in root.iter(SVG + "rect") if r.get("fill", "").startswith("#")]
    left, right = (int(r.get("width", "")) for r in rects)
    assert left + right == width and root.get("viewBox") == f"0 0 {width} 20"
    texts = [t for t in root.iter(SVG + "text") if t.get("fill-opacity") is None]
    assert [t.text for t in texts] == [label, "41%"]
    for text, (start, size) in zip(texts, [(0, left), (left, right)], strict=True):
        length = float(text.get("textLength", ""))
        assert length == pytest.approx(b.text_width(text.text or ""), abs=0.05)
        assert float(text.get("x", "")) == pytest.approx(start + size / 2)
        assert length + 2 * 5 <= size  # the text and at least 5 px of field on each side


def test_text_widths_grow_with_the_text() -> None:
    assert b.text_width("") == 0
    assert b.text_width("il") < b.text_width("az") < b.text_width("mw") < b.text_width("MW")
    assert b.text_width("100%") == pytest.approx(4 * 0 + b.text_width("1") * 3 + b.text_width("%"))
    # a character outside the table counts as wide as "W", never as nothing
    assert b.text_width("ə") == b.text_width("W")


def test_title_and_label_are_escaped() -> None:
    svg = b.badge("a<b", Counts(words=1), 'x & <y> "z"')
    root = _parse(svg)
    assert root[0].text == 'x & <y> "z"'
    assert "a&lt;b" in svg and "a<b" not in svg
    assert {t.text for t in root.iter(SVG + "text")} == {"a<b", "0%"}


def _report(*rows: tuple[str, str, Counts]) -> Report:
    languages = tuple(dict.fromkeys(lang for lang, _, _ in rows))
    articles = tuple(ArticleReport(lang, art, f"{lang}.po", c, 100.0) for lang, art, c in rows)
    return Report(articles, languages=languages)


def test_one_badge_per_language_and_one_for_all() -> None:
    report = _report(
        ("az", "a.md", Counts(words=100, words_translated=100)),
        ("az", "b.md", Counts(words=50, words_translated=50)),
        ("ru", "a.md", Counts(words=100, words_translated=20, words_fuzzy=30)),
        ("ru", "b.md", Counts(words=50, words_translated=0)),
    )
    svgs = b.badges(report)
    assert list(svgs) == ["az.svg", "ru.svg", "all.svg"]
    titles = {name: _parse(svg)[0].text for name, svg in svgs.items()}
    assert titles["az.svg"] == "Translation into az: 100% of words translated (150 of 150; 0 fuzzy)"
    assert titles["ru.svg"] == "Translation into ru: 13% of words translated (20 of 150; 30 fuzzy)"
    assert titles["all.svg"] == (
        "Translation into all languages (az, ru): 56% of words translated (170 of 300; 30 fuzzy)"
    )
    assert b.RED.fill in svgs["all.svg"] and b.GREEN.fill in svgs["az.svg"]


def test_a_language_without_words_is_grey_and_says_so() -> None:
    svgs = b.badges(_report(("az", "empty.md", Counts())))
    assert "no words" in svgs["az.svg"] and b.GREY.fill in svgs["az.svg"]
    assert _parse(svgs["az.svg"])[0].text == "Translation into az: no words to translate"
    none = b.badges(Report(()))
    assert list(none) == ["all.svg"] and "no words" in none["all.svg"]


# --- the dashboard ------------------------------------------------------------------


def _cells(row: object) -> list[str]:
    return [c.text(strip=True) for c in row.css("th, td")]  # type: ignore[attr-defined]


def test_dashboard_sorts_articles_worst_first_and_writes_every_number() -> None:
    report = _report(
        ("az", "done.md", Counts(words=10, words_translated=10)),
        ("az", "half.md", Counts(words=10, words_translated=5, words_fuzzy=2)),
        ("ru", "done.md", Counts(words=10, words_translated=1)),
        ("ru", "half.md", Counts(words=1000, words_translated=500)),
        ("ru", "empty.md", Counts()),
    )
    tree = HTMLParser(d.dashboard(report))
    tables = tree.css("table")
    assert len(tables) == 2
    langs = [_cells(r) for r in tables[0].css("tbody tr")]
    assert langs[0] == [
        "az2 article(s)",
        "15 translated2 fuzzy3 untranslated",
        "15 translated75.0%",
        "2 fuzzy10.0%",
        "3 untranslated15.0%",
        "20 words",
    ]  # fmt: skip  (the bar's cell holds its parts' hover titles)
    rows = [_cells(r)[:2] for r in tables[1].css("tbody tr")]
    assert rows == [
        ["done.md", "ru"],  # 10 %
        ["half.md", "ru"],  # 50 %, 500 words to do
        ["half.md", "az"],  # 50 %, 5 words to do
        ["done.md", "az"],
        ["empty.md", "ru"],  # no words: nothing to do, last
    ]
    bars = tables[1].css("svg.bar")
    first = {r.attributes["class"]: float(r.attributes["width"] or 0) for r in bars[0].css("rect")}
    assert first == {"translated": 100.0, "untranslated": 900.0, "frame": 1000.0}
    assert [r.attributes["class"] for r in bars[-1].css("rect")] == ["empty", "frame"]


def test_dashboard_escapes_a_hostile_article_path() -> None:
    report = _report(("az", f"source/{HOSTILE}", Counts(words=3, words_translated=1)))
    page = d.dashboard(report)
    tree = HTMLParser(page)
    assert not tree.css("img") and not tree.css("script")
    assert tree.css("table")[1].css_first("code").text() == f"source/{HOSTILE}"
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;it&#x27;s&quot;" in page


def test_dashboard_lists_what_could_not_be_counted_escaped() -> None:
    from pipeline.checks.problem import Problem

    problem = Problem("source", "error", "not UTF-8 <b>", "save it as UTF-8", "source/<x>.md", 3)
    page = d.dashboard(Report((), (problem,), languages=("az",)))
    item = HTMLParser(page).css_first("ul.problems li")
    assert item is not None and item.text().startswith("source/<x>.md:3: source: not UTF-8 <b>")
    assert "No article was counted." in page


def test_dashboard_policy_allows_its_own_style_and_nothing_else() -> None:
    page = d.dashboard(_report(("az", "a.md", Counts(words=1))))
    tree = HTMLParser(page)
    assert tree.css_first("html").attributes["lang"] == "en"
    meta = tree.css_first('meta[http-equiv="Content-Security-Policy"]')
    policy = meta.attributes["content"] or ""
    assert policy.startswith("default-src 'none'; ")
    style = tree.css("style")
    assert len(style) == 1
    digest = hashlib.sha256(style[0].text().encode()).digest()
    assert f"style-src 'sha256-{base64.b64encode(digest).decode()}'" in policy
    assert "unsafe" not in policy
    assert not tree.css("[style]") and not tree.css("script") and not tree.css("link")
    assert not re.search(r"(?i)(src|href)\s*=", page)  # nothing loaded from anywhere


# --- the commands -------------------------------------------------------------------


def test_badge_writes_one_file_per_language_and_a_second_run_changes_nothing(
    make_project: MakeProject,
) -> None:
    config = sample_project(make_project)
    result = run(config.root, "badge")
    assert result.exit_code == 0, result.output
    folder = config.root / "badges"
    assert sorted(p.name for p in folder.iterdir()) == ["all.svg", "az.svg", "ka.svg", "ru.svg"]
    assert "badges/az.svg: created" in result.output
    assert "4 badge(s) written, 0 unchanged" in result.output
    assert ">100%</text>" in (folder / "az.svg").read_text("utf-8")
    assert b.GREEN.fill in (folder / "az.svg").read_text("utf-8")
    assert ">0%</text>" in (folder / "ru.svg").read_text("utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = run(config.root, "badge")
    assert again.exit_code == 0 and "0 badge(s) written, 4 unchanged" in again.output
    assert before == {p.name: p.read_bytes() for p in folder.iterdir()}
    assert not (folder / ".pipeline-tmp").exists()


def test_badge_output_and_language_options(make_project: MakeProject) -> None:
    config = sample_project(make_project)
    result = run(config.root, "badge", "-l", "ka", "--output", "docs/img")
    assert result.exit_code == 0, result.output
    folder = config.root / "docs/img"
    assert sorted(p.name for p in folder.iterdir()) == ["all.svg", "ka.svg"]
    assert "(ka)" in (folder / "all.svg").read_text("utf-8")


@pytest.mark.parametrize("where", ["/tmp", "..", "../elsewhere", "link"])
def test_badge_refuses_a_folder_outside_the_project(
    make_project: MakeProject, tmp_path_factory: pytest.TempPathFactory, where: str
) -> None:
    config = sample_project(make_project)
    outside = tmp_path_factory.mktemp("outside")
    (config.root / "link").symlink_to(outside)
    before = sorted(outside.iterdir())
    result = run(config.root, "badge", "--output", where)
    assert result.exit_code == 1
    assert f"--output {where}: is outside the project" in result.stderr
    assert "hint: name a folder inside the project" in result.stderr
    assert sorted(outside.iterdir()) == before and not (config.root / "badges").exists()


def test_badge_never_writes_through_a_planted_link(
    make_project: MakeProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    config = sample_project(make_project)
    target = tmp_path_factory.mktemp("outside") / "az.svg"
    target.write_text("keep", "utf-8")
    (config.root / "badges").mkdir()
    (config.root / "badges/az.svg").symlink_to(target)
    result = run(config.root, "badge")
    assert result.exit_code == 1
    assert "badges/az.svg: resolves outside the project" in result.stderr
    assert target.read_text("utf-8") == "keep"
    inner = config.root / "inner.svg"
    inner.write_text("keep", "utf-8")
    (config.root / "badges/az.svg").unlink()
    (config.root / "badges/az.svg").symlink_to(inner)
    result = run(config.root, "badge")
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    assert inner.read_text("utf-8") == "keep"


def test_badge_writes_nothing_when_an_article_cannot_be_read(make_project: MakeProject) -> None:
    config = sample_project(make_project)
    (config.source_dir / "broken.md").write_bytes(b"# Caf\xe9\n")
    result = run(config.root, "badge")
    assert result.exit_code == 1
    assert "error: source/broken.md:1: source: not UTF-8" in result.stderr
    assert "no badge was written" in result.stderr
    assert not (config.root / "badges").exists()


def test_badge_usage_errors_exit_2(make_project: MakeProject) -> None:
    config = sample_project(make_project)
    assert run(config.root, "badge", "--bogus").exit_code == 2
    assert run(config.root, "badge", "--output").exit_code == 2
    assert run(config.root, "badge", "--shard", "1/2").exit_code == 2  # it would count a part
    assert not (config.root / "badges").exists()


def test_status_html_is_the_dashboard(make_project: MakeProject) -> None:
    config = sample_project(make_project)
    result = run(config.root, "status", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.output.startswith('<!DOCTYPE html>\n<html lang="en">')
    tree = HTMLParser(result.output)
    paths = [c.text() for c in tree.css("table")[1].css("tbody code")]
    assert f"source/news/{HOSTILE}" in paths and not tree.css("img")
    assert result.output == run(config.root, "status", "--format", "html").output
