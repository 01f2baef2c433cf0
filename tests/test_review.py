"""The review pages: each message's state, label and ``.po`` line, the word diff of a
fuzzy entry, escaping of a hostile article and catalog, the ``review`` command's exit
codes and refusals, and the page in a real Chromium (``tests/browser.py``).

The project below has one message in every state: translated, fuzzy with a ``#|``
previous msgid, untranslated, fallen back (refused by the gate: a msgstr with markup
meant to run in the reviewer's browser; and a structure fallback), and translated but
failing a style check. Expected ``.po`` lines are found in the catalog text itself.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from pipeline.cli import main
from pipeline.config import Config
from pipeline.publish import review_page as rp
from pipeline.review import DIFF_LIMIT, MARKS, ArticleReview, Piece, Row, word_diff
from tests import browser
from tests.conftest import MakeProject
from tests.test_badge import contrast
from tests.test_pictures import _keep, _near

HOSTILE_TITLE = "Storm over Baku </title><script>alert(3)</script>"
HOSTILE_MSGSTR = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> [hesabat](https://evil.example/x)"
)

ARTICLE = f"""---
title: "{HOSTILE_TITLE}"
---

# The night of the storm

The storm hit the city on Tuesday night.

Read the [report](https://example.org/report).

Schools were closed on 3 days.

Power came back in the evening.

The port reopened on Friday.
"""

CATALOG = rf"""msgid ""
msgstr ""
"Project-Id-Version: storm\n"
"Language: az\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "{HOSTILE_TITLE}"
msgstr "Bakı üzərində fırtına 3"

#, md-text
msgid "The night of the storm"
msgstr "Fırtına gecəsi"

#, fuzzy, md-text
#| msgid "The storm hit the town on Monday."
msgid "The storm hit the city on Tuesday night."
msgstr "Fırtına bazar ertəsi qəsəbəni vurdu."

#, md-text
msgid "Read the [report](https://example.org/report)."
msgstr "{HOSTILE_MSGSTR}"

#, md-text
msgid "Schools were closed on 3 days."
msgstr "Məktəblər dörd gün bağlı qaldı."

#, md-text
msgid "Power came back in the evening."
msgstr ""

#, md-text
msgid "The port reopened on Friday."
msgstr " "
"""

EXPECTED: dict[str, tuple[str, ...]] = {
    HOSTILE_TITLE: ("translated",),
    "The night of the storm": ("translated",),
    "The storm hit the city on Tuesday night.": ("fuzzy",),
    "Read the [report](https://example.org/report).": ("fallback", "warning"),
    "Schools were closed on 3 days.": ("translated", "warning"),
    "Power came back in the evening.": ("untranslated",),
    "The port reopened on Friday.": ("fallback", "warning"),
}
"""msgid → the marks its row carries (state first)."""


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def po_line(msgid: str) -> int:
    """The line of ``msgid "…"`` in ``CATALOG`` (as the .po file holds it)."""
    lines = CATALOG.splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


@pytest.fixture
def project(make_project: MakeProject) -> Config:
    """The storm article (and a nested copy) with the catalog above, in az."""
    config = make_project({"storm.md": ARTICLE, "news/2026/storm.md": ARTICLE}, languages=("az",))
    for name in ("storm.po", "news/2026/storm.po"):
        path = config.locales_dir / "az" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CATALOG, "utf-8")
    return config


def _rows(page: Path) -> list[LexborNode]:
    return HTMLParser(page.read_text("utf-8")).css("table.rows tbody tr")


def _labels(node: LexborNode) -> list[str]:
    return [s.text() for s in node.css("span.label")]


# --- the word diff -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "pieces"),
    [
        (
            "The storm hit the town on Monday.",
            "The storm hit the city on Tuesday night.",
            [
                ("same", "The storm hit the "),
                ("del", "town"),
                ("ins", "city"),
                ("same", " on "),
                ("del", "Monday"),
                ("ins", "Tuesday night"),
                ("same", "."),
            ],
        ),
        ("same text", "same text", [("same", "same text")]),
        ("", "new", [("ins", "new")]),
        (
            "Bakı, 1992.",
            "Bakı 1992!",
            [("same", "Bakı"), ("del", ","), ("same", " 1992"), ("del", "."), ("ins", "!")],
        ),
    ],
)
def test_word_diff(old: str, new: str, pieces: list[tuple[str, str]]) -> None:
    assert word_diff(old, new) == tuple(Piece(op, text) for op, text in pieces)  # type: ignore[arg-type]


@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_gives_back_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op != "ins") == old
    assert "".join(p.text for p in pieces if p.op != "del") == new
    assert all(a.op != b.op for a, b in itertools.pairwise(pieces))
    assert all(p.text for p in pieces)


def test_a_long_text_is_shown_removed_and_added_without_a_diff() -> None:
    old, new = "word " * DIFF_LIMIT, "word " * (DIFF_LIMIT + 1)
    assert word_diff(old, new) == (Piece("del", old), Piece("ins", new))


# --- the command ---------------------------------------------------------------------


def test_each_state_is_labelled_with_its_po_line(project: Config) -> None:
    result = run(project.root, "review", "az")
    assert result.exit_code == 0, result.output
    assert "review/az/storm.html: created" in result.output
    page = project.root / "review" / "az" / "storm.html"
    rows = _rows(page)
    assert len(rows) == len(EXPECTED)
    for row, (msgid, marks) in zip(rows, EXPECTED.items(), strict=True):
        source = row.css_first("td[lang=en] p.text")
        assert source is not None and source.text() == msgid
        assert _labels(row) == [rp.LABELS[m] for m in marks], msgid
        assert row.attributes["class"] == next(m for m in MARKS if m in marks)
        code = row.css_first("th.where code")
        assert code is not None and code.text() == f"locales/az/storm.po:{po_line(msgid)}"
        assert row.css_first("td[lang=az]").attributes["dir"] == "ltr"  # type: ignore[union-attr]


def test_what_each_state_shows(project: Config) -> None:
    assert run(project.root, "review", "az", "storm.md").exit_code == 0
    rows = dict(zip(EXPECTED, _rows(project.root / "review/az/storm.html"), strict=True))
    fuzzy = rows["The storm hit the city on Tuesday night."]
    assert [d.text() for d in fuzzy.css("del")] == ["[removed: town]", "[removed: Monday]"]
    assert [i.text() for i in fuzzy.css("ins")] == ["[added: city]", "[added: Tuesday night]"]
    assert "Fırtına bazar ertəsi qəsəbəni vurdu." in fuzzy.text()
    refused = rows["Read the [report](https://example.org/report)."].text()
    assert "unsafe-html" in refused and "link-target" in refused
    structure = rows["The port reopened on Friday."].text()
    assert "structure (error): the translation has no visible text" in structure
    assert "only spaces or line breaks" in structure
    warned = rows["Schools were closed on 3 days."].text()
    assert "numbers (warning): 3 is not in the translation as digits" in warned
    assert "Not translated yet" in rows["Power came back in the evening."].text()


def test_a_hostile_msgstr_and_article_are_text(project: Config) -> None:
    assert run(project.root, "review", "az").exit_code == 0
    html = (project.root / "review/az/storm.html").read_text("utf-8")
    tree = HTMLParser(html)
    assert not tree.css("script") and not tree.css("img") and not tree.css("[onerror]")
    assert len(tree.css("title")) == 1
    texts = [p.text() for p in tree.css("p.text")]
    assert HOSTILE_MSGSTR in texts and HOSTILE_TITLE in texts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_index_counts_and_links(project: Config) -> None:
    assert run(project.root, "review", "az").exit_code == 0
    index = project.root / "review/az/index.html"
    tree = HTMLParser(index.read_text("utf-8"))
    rows = tree.css("tbody tr")
    assert [r.css_first("code").text() for r in rows] == [  # type: ignore[union-attr]
        "source/news/2026/storm.md",
        "source/storm.md",
    ]
    expected = {m: sum(m in marks for marks in EXPECTED.values()) for m in MARKS}
    assert expected == {"fallback": 2, "warning": 3, "fuzzy": 1, "untranslated": 1, "translated": 3}
    for row in rows:
        numbers = [int(td.text()) for td in row.css("td.num")]
        assert numbers == [*expected.values(), len(EXPECTED)]
        href = row.css_first("a").attributes["href"]  # type: ignore[union-attr]
        assert (index.parent / str(href)).is_file()
    nested = project.root / "review/az/news/2026/storm.html"
    back = HTMLParser(nested.read_text("utf-8")).css_first("nav a").attributes["href"]  # type: ignore[union-attr]
    assert (nested.parent / str(back)).resolve() == index


def test_a_second_run_changes_nothing(project: Config) -> None:
    assert run(project.root, "review", "az").exit_code == 0
    first = {p: p.read_bytes() for p in sorted((project.root / "review").rglob("*.html"))}
    again = run(project.root, "review", "az")
    assert again.exit_code == 0 and "0 page(s) written, 3 unchanged" in again.output
    assert first == {p: p.read_bytes() for p in sorted((project.root / "review").rglob("*.html"))}


def test_articles_are_named_from_the_source_folder_or_the_root(project: Config) -> None:
    result = run(project.root, "review", "az", "source/storm.md", "storm.md", "--output", "rv")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*.html"))
    assert written == ["rv/az/index.html", "rv/az/storm.html"]


def test_without_a_catalog_every_message_is_untranslated(make_project: MakeProject) -> None:
    config = make_project({"storm.md": ARTICLE})
    result = run(config.root, "review", "az")
    assert result.exit_code == 0, result.output
    page = config.root / "review/az/storm.html"
    rows = _rows(page)
    assert {tuple(_labels(r)) for r in rows} == {("untranslated",)}
    text = HTMLParser(page.read_text("utf-8")).text()
    assert "does not exist yet: run 'pipeline extract'" in text
    assert "(no entry in the catalog: run 'pipeline extract')" in text


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("review", "xx"), 1, "language 'xx' is not configured"),
        (("review", "az", "nope.md"), 1, "nope.md: is not an article"),
        (("review", "az", "--output", "../elsewhere"), 1, "--output ../elsewhere: is outside"),
        (("review",), 2, "Missing argument 'LANG'"),
    ],
)
def test_bad_input_exits_one_and_writes_nothing(
    project: Config, args: tuple[str, ...], code: int, says: str
) -> None:
    result = run(project.root, *args)
    assert result.exit_code == code, result.output
    assert says in result.output
    assert not (project.root / "review").exists()
    assert not (project.root.parent / "elsewhere").exists()


def test_a_folder_that_leads_out_of_the_project_is_refused(
    project: Config, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (project.root / "review").symlink_to(outside, target_is_directory=True)
    result = run(project.root, "review", "az")
    assert result.exit_code == 1 and "is outside the project" in result.output
    (project.root / "review").unlink()
    (project.root / "review" / "az").mkdir(parents=True)
    (project.root / "review" / "az" / "storm.html").symlink_to(outside / "planted.html")
    result = run(project.root, "review", "az", "storm.md")
    assert result.exit_code == 1 and "resolves outside the project" in result.output
    assert list(outside.iterdir()) == []


def test_an_unreadable_catalog_is_named_with_its_line(project: Config) -> None:
    po = project.locales_dir / "az" / "storm.po"
    po.write_text(CATALOG + '\nmsgid "unterminated\n', "utf-8")
    result = run(project.root, "review", "az")
    assert result.exit_code == 1
    assert "locales/az/storm.po:" in result.output and "hint:" in result.output
    assert not (project.root / "review").exists()


# --- the page itself -----------------------------------------------------------------


def test_the_policy_allows_exactly_the_pages_style() -> None:
    page = rp.index("az", [])
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in page
    assert "default-src 'none'" in page and "script-src" not in page


def test_colours_meet_wcag_contrast() -> None:
    for mark in MARKS:
        assert contrast(rp.COLOURS[mark], "#ffffff") >= 4.5, mark  # label text on it
        assert contrast(rp.TEXT, rp.TINTS[mark]) >= 4.5, mark  # row text
        assert contrast(rp.MUTED, rp.TINTS[mark]) >= 4.5, mark
    assert contrast(rp.TEXT, rp.DEL) >= 4.5 and contrast(rp.TEXT, rp.INS) >= 4.5


@pytest.fixture
def chromium() -> None:
    browser.require_chromium()


@pytest.mark.usefixtures("chromium")
def test_the_page_in_chromium(project: Config, tmp_path: Path) -> None:
    assert run(project.root, "review", "az").exit_code == 0
    page = project.root / "review/az/storm.html"
    result = browser.dump_dom(page)
    assert result.csp_violations == [] and result.console == []
    tree = HTMLParser(result.stdout)
    assert not tree.css("script") and not tree.css("img")
    labels = {s.text() for s in tree.css("table.rows span.label")}
    assert labels == {rp.LABELS[m] for m in MARKS}
    png = tmp_path / "review-page.png"
    shot = browser.screenshot(page, png, size=(1300, 1500))
    assert shot.csp_violations == []
    _keep(png)
    colours = browser.png_pixels(png).colours()
    assert len(colours) > 50, "the screenshot is (nearly) blank"
    # the labels and stripes are drawn in the style sheet's colours: the policy let it apply
    for mark in MARKS:
        assert any(_near(c, rp.COLOURS[mark], 2) for c in colours), mark
        assert any(_near(c, rp.TINTS[mark], 1) for c in colours), mark
    assert any(_near(c, rp.DEL, 2) for c in colours) and any(_near(c, rp.INS, 2) for c in colours)
    index = project.root / "review/az/index.html"
    listed = browser.dump_dom(index)
    assert listed.csp_violations == [] and listed.console == []
    png = tmp_path / "review-index.png"
    shot = browser.screenshot(index, png, size=(1200, 400))
    assert shot.csp_violations == []
    _keep(png)
    assert any(_near(c, rp.COLOURS["fallback"], 2) for c in browser.png_pixels(png).colours())


def test_a_page_drawn_from_rows_alone() -> None:
    # pure: rows in, HTML out; a fuzzy entry without #| says so, and a right-to-left
    # language's cells run right to left
    fuzzy = Row("Old town", "Old town", None, "heading 2", "", 3, "fuzzy", "البلدة", 9)
    missing = Row("Candles", "Candles", "square", "paragraph", "Vigil", 5, "untranslated")
    review = ArticleReview(
        PurePosixPath("a/b.md"),
        "source/a/b.md",
        "ar",
        "en",
        "locales/ar/a/b.po",
        False,
        (fuzzy, missing),
    )
    tree = HTMLParser(rp.page(review))
    assert [c.attributes["dir"] for c in tree.css("td[lang=ar]")] == ["rtl", "rtl"]
    assert "No earlier source text" in tree.text()
    assert [c.text() for c in tree.css("th.where code")] == [
        "locales/ar/a/b.po:9",
        "locales/ar/a/b.po",
    ]
    assert "context: square" in tree.text() and "under Vigil" in tree.text()
    assert tree.css_first("nav a").attributes["href"] == "../index.html"  # type: ignore[union-attr]
    assert review.counts == dict.fromkeys(MARKS, 0) | {"fuzzy": 1, "untranslated": 1}
