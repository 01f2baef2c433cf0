"""The HTML pages in a real browser: headless Chromium opens them from the file system
(``tests/browser.py``).

Read back as the DOM Chromium built (``lang`` and ``dir``, every hreflang and switcher
link resolving to a file, the Georgian and Azerbaijani text) and as screenshots (an
Arabic page drawn from the right, the sample's pages not blank). The console must stay
empty: the style sheet passes the Content-Security-Policy, and a script that an
article's raw HTML carries is refused by it. Set ``PIPELINE_SCREENSHOTS=DIR`` to keep
the screenshots (a CI artifact); ``--regen-goldens`` rewrites the README's picture
``docs/screenshots/ka-article.png``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from pipeline.config import Config, load
from pipeline.site import build_site
from tests import browser
from tests.test_site import PUBLISHED, STORM, _project

REPO = Path(__file__).resolve().parents[1]
SAMPLE = Path("khojaly-tragedy.md")
README_PICTURE = REPO / "docs" / "screenshots" / "ka-article.png"


@pytest.fixture
def chromium() -> None:
    """Chromium is there (else: skipped, or failed on CI)."""
    browser.require_chromium()


@pytest.fixture
def site(tmp_path: Path) -> Config:
    config = _project(tmp_path)
    build_site(config, PUBLISHED, check=False)
    return config


@pytest.fixture
def sample(tmp_path: Path) -> Config:
    """The repository's sample article and the Markdown merge published for it."""
    (tmp_path / "pipeline.toml").write_text(
        'languages = ["az", "ka", "ru"]\npublish_min_complete = 0\n', "utf-8"
    )
    (tmp_path / "source").mkdir()
    shutil.copy(REPO / "source" / SAMPLE, tmp_path / "source" / SAMPLE)
    config = load(tmp_path)
    published = {}
    for lang in config.languages:
        merged = REPO / "output" / lang / SAMPLE
        if merged.is_file():
            target = config.output_path(lang, SAMPLE)
            target.parent.mkdir(parents=True)
            shutil.copy(merged, target)
            published[lang] = [SAMPLE]
    assert {"az", "ka"} <= set(published), "the sample publishes az and ka"
    build_site(config, published, check=False)
    return config


def _keep(png: Path) -> None:
    folder = os.environ.get("PIPELINE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(folder) / png.name)


def _links_resolve(page: Path, tree: HTMLParser) -> list[str]:
    """Every relative ``href`` of ``<a>`` and ``<link>`` in ``tree`` (the page at
    ``page``), checked to name a file that exists; returns them."""
    hrefs = [str(node.attributes.get("href") or "") for node in tree.css("a[href], link[href]")]
    relative = [h for h in hrefs if not urlsplit(h).scheme]
    for href in relative:
        target = (page.parent / unquote(urlsplit(href).path)).resolve()
        assert target.is_file(), f"{page.name}: {href} names no file"
    return relative


@pytest.mark.usefixtures("chromium")
@pytest.mark.parametrize(
    ("lang", "direction", "text"),
    [
        ("en", "ltr", "Winds reached"),
        ("az", "ltr", "Küləyin sürəti"),
        ("ka", "ltr", "ქარის სიჩქარემ"),
        ("ar", "rtl", "بلغت سرعة الرياح"),
    ],
)
def test_each_article_page_in_chromium(site: Config, lang: str, direction: str, text: str) -> None:
    page = site.output_path(lang, STORM, html=True)
    run = browser.dump_dom(page)
    assert run.console == [] and run.csp_violations == []
    tree = HTMLParser(run.stdout)
    html = tree.css_first("html")
    assert (html.attributes["lang"], html.attributes["dir"]) == (lang, direction)
    assert tree.body is not None and text in tree.body.text()
    assert not tree.css("script")
    hreflangs = {str(n.attributes["hreflang"]) for n in tree.css("link[rel=alternate][hreflang]")}
    assert hreflangs == {"en", "az", "ka", "ar", "x-default"}
    switcher = [str(n.attributes["hreflang"]) for n in tree.css("nav.languages a")]
    assert switcher == ["en", "az", "ka", "ar"]  # ru published nothing
    current = tree.css("nav.languages a[aria-current=page]")
    assert [n.attributes["hreflang"] for n in current] == [lang]
    assert len(_links_resolve(page, tree)) >= 12


@pytest.mark.usefixtures("chromium")
def test_an_index_in_chromium(site: Config) -> None:
    page = site.output_root("az", html=True) / "index.html"
    run = browser.dump_dom(page)
    assert run.console == []
    tree = HTMLParser(run.stdout)
    assert tree.css_first("html").attributes["lang"] == "az"
    titles = [n.text(strip=True) for n in tree.css("ol.articles h2 a")]
    assert titles == ["Fırtına sahilə çatdı", "<script>alert('x')</script> & <b>bold</b>"]
    assert not tree.css("script") and not tree.css("b")
    assert len(_links_resolve(page, tree)) >= 8


def _ink_centre(png: Path) -> float:
    """The mean column of the dark pixels below the header, as a share of the width."""
    pixels = browser.png_pixels(png)
    columns = [
        x
        for y in range(70, pixels.height)
        for x in range(pixels.width)
        if sum(pixels.at(x, y)) < 300
    ]
    assert len(columns) > 500, f"{png.name}: (nearly) no text drawn"
    return sum(columns) / len(columns) / pixels.width


@pytest.mark.usefixtures("chromium")
def test_an_arabic_page_is_drawn_right_to_left(site: Config, tmp_path: Path) -> None:
    centres = {}
    for lang in ("ar", "en"):
        png = tmp_path / f"site-{lang}-article.png"
        run = browser.screenshot(site.output_path(lang, STORM, html=True), png, size=(700, 420))
        assert run.csp_violations == []
        _keep(png)
        centres[lang] = _ink_centre(png)
    # the short lines hang from the right edge of the column in Arabic, the left in English
    assert centres["ar"] > 0.55, centres
    assert centres["en"] < 0.45, centres


@pytest.mark.usefixtures("chromium")
def test_a_script_in_the_source_is_refused_by_the_policy(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "source/raw.md").write_text(
        "---\ntitle: Untouched\n---\n\n<script>document.title = 'ran'</script>\n\n"
        '<img src="x.png" onerror="document.title = \'ran\'">\n\nText.\n',
        "utf-8",
    )
    build_site(config, PUBLISHED, check=False)
    run = browser.dump_dom(config.output_path("en", Path("raw.md"), html=True))
    assert HTMLParser(run.stdout).css_first("title").text() == "Untouched"
    assert run.csp_violations, "the policy refused nothing: " + "\n".join(run.console)


@pytest.mark.usefixtures("chromium")
@pytest.mark.parametrize("kind", ["article", "index"])
def test_the_sample_pages_in_chromium(
    sample: Config, tmp_path: Path, kind: str, regen: bool
) -> None:
    root = sample.output_root("ka", html=True)
    page = sample.output_path("ka", SAMPLE, html=True) if kind == "article" else root / "index.html"
    tree = HTMLParser(browser.dump_dom(page).stdout)
    assert "ხოჯალის ტრაგედიას" in tree.css_first("title" if kind == "article" else "main").text()
    assert [n.text() for n in tree.css("nav.languages a")] == [
        "English",
        "azərbaycan",
        "ქართული",
        "русский",
    ]
    az = HTMLParser(browser.dump_dom(page.parent.parent / "az" / page.name).stdout)
    assert az.body is not None and "Xocalı" in az.body.text()
    png = tmp_path / f"sample-ka-{kind}.png"
    run = browser.screenshot(page, png, size=(1000, 760))
    assert run.console == []
    _keep(png)
    assert len(browser.png_pixels(png).colours()) > 20, "the screenshot is (nearly) blank"
    if regen and kind == "article":
        README_PICTURE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, README_PICTURE)
