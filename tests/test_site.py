"""HTML pages (``pipeline.site``): language metadata, links, dates, escaping, the policy,
the template override, check mode and reproducible bytes.

The project below publishes one article in en (the source), az, ka and ar, and an older
one in en and az only; ru is configured but has nothing published. The published
Markdown is written where merge would write it, so these tests see the pages alone.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from pipeline.config import Config, load
from pipeline.errors import ConfigError
from pipeline.publish.markdown import mark_incomplete
from pipeline.results import Action
from pipeline.site import SiteResult, build_site

STORM = Path("news/storm.md")
OLD = Path("old.md")

SOURCES = {
    STORM: (
        "---\ntitle: Storm hits the coast\ndescription: Winds of 120 km/h.\n"
        "date: 2024-02-26\ncategory: Weather\n---\n\n# Storm hits the coast\n\n"
        'Winds reached **120 km/h**.\n\n<div class="note">Raw HTML from the source.</div>\n'
    ),
    OLD: "---\ntitle: Last year\ndate: '2023-05-01'\n---\n\nAn older article.\n",
}
TRANSLATIONS = {
    ("az", STORM): (
        "---\ntitle: Fırtına sahilə çatdı\ndescription: Küləyin sürəti 120 km/saat.\n"
        "date: 2024-02-26\ncategory: Weather\n---\n\n# Fırtına sahilə çatdı\n\n"
        "Küləyin sürəti **120 km/saat** oldu.\n\n"
        '<div class="note">Raw HTML from the source.</div>\n'
    ),
    ("ka", STORM): (
        "---\ntitle: ქარიშხალი სანაპიროს დაატყდა\ndate: 2024-02-26\n---\n\n"
        "# ქარიშხალი სანაპიროს დაატყდა\n\nქარის სიჩქარემ **120 კმ/სთ** მიაღწია.\n"
    ),
    ("ar", STORM): (
        "---\ntitle: عاصفة تضرب الساحل\ndate: 2024-02-26\n---\n\n"
        "# عاصفة تضرب الساحل\n\nبلغت سرعة الرياح **120 كم/ساعة**.\n"
    ),
    ("az", OLD): (
        "---\ntitle: \"<script>alert('x')</script> & <b>bold</b>\"\n"
        "date: '2023-05-01'\n---\n\nKeçən ilin məqaləsi.\n"
    ),
}
PUBLISHED = {"az": [STORM, OLD], "ka": [STORM], "ar": [STORM], "ru": []}


def _project(root: Path, extra: str = "") -> Config:
    (root / "pipeline.toml").write_text(
        f'languages = ["az", "ka", "ru", "ar"]\npublish_min_complete = 0\n{extra}', "utf-8"
    )
    for article, text in SOURCES.items():
        path = root / "source" / article
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    config = load(root)
    for (lang, article), text in TRANSLATIONS.items():
        path = config.output_path(lang, article)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return config


@pytest.fixture
def project(tmp_path: Path) -> Config:
    return _project(tmp_path)


@pytest.fixture
def built(project: Config) -> SiteResult:
    return build_site(project, PUBLISHED, check=False)


class _Links(HTMLParser):
    """Every element's attributes, in order, and the text of <title> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in = tag if tag in ("title", "style", "time") else None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.texts[self._in] = self.texts.get(self._in, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def _page(config: Config, lang: str, article: Path) -> tuple[str, _Links]:
    text = config.output_path(lang, article, html=True).read_text("utf-8")
    parsed = _Links()
    parsed.feed(text)
    return text, parsed


def _hreflangs(parsed: _Links) -> dict[str, str]:
    return {
        a["hreflang"]: a["href"] for a in parsed.find("link", rel="alternate") if "hreflang" in a
    }


def test_every_published_version_is_an_alternate_and_the_source_is_x_default(
    project: Config, built: SiteResult
) -> None:
    _, page = _page(project, "ka", STORM)
    assert _hreflangs(page) == {
        "en": "../../en/news/storm.html",
        "az": "../../az/news/storm.html",
        "ka": "storm.html",
        "ar": "../../ar/news/storm.html",
        "x-default": "../../en/news/storm.html",
    }
    assert page.find("link", rel="canonical") == [{"rel": "canonical", "href": "storm.html"}]


def test_the_switcher_links_only_published_versions_and_marks_the_current_one(
    project: Config, built: SiteResult
) -> None:
    _, page = _page(project, "az", OLD)
    switcher = [a for a in page.find("a") if "hreflang" in a]
    assert [(a["hreflang"], a["href"]) for a in switcher] == [
        ("en", "../en/old.html"),
        ("az", "old.html"),
    ]
    assert [a["hreflang"] for a in switcher if a.get("aria-current") == "page"] == ["az"]
    # ru has nothing published: no page, no index, no feed
    assert not (project.root / "output" / "ru").exists()


@pytest.mark.parametrize(
    "case",
    [
        ("en", "ltr", "English", "February 26, 2024"),
        ("az", "ltr", "azərbaycan", "26 fevral 2024"),
        ("ka", "ltr", "ქართული", "26 თებერვალი, 2024"),
        ("ar", "rtl", "العربية", "26 فبراير 2024"),
    ],
)
def test_lang_dir_own_name_and_date_come_from_cldr(
    project: Config, built: SiteResult, case: tuple[str, str, str, str]
) -> None:
    lang, direction, name, date = case
    text, page = _page(project, lang, STORM)
    assert f'<html lang="{lang}" dir="{direction}">' in text
    assert page.texts["time"] == date
    assert page.find("time", **{"class": "date", "datetime": "2024-02-26"})
    assert f'lang="{lang}" aria-current="page">{name}</a>' in text


def test_title_and_description_come_from_the_translated_front_matter(
    project: Config, built: SiteResult
) -> None:
    _, page = _page(project, "az", STORM)
    assert page.texts["title"] == "Fırtına sahilə çatdı"
    assert page.find("meta", name="description") == [
        {"name": "description", "content": "Küləyin sürəti 120 km/saat."}
    ]
    _, ka = _page(project, "ka", STORM)
    assert not ka.find("meta", name="description")  # none in its front matter


def test_hostile_titles_are_text_and_source_html_is_kept(
    project: Config, built: SiteResult
) -> None:
    text, page = _page(project, "az", OLD)
    assert page.texts["title"] == "<script>alert('x')</script> & <b>bold</b>"
    assert "<script" not in text
    assert "&lt;script&gt;" in text
    index = (project.root / "output/az/index.html").read_text("utf-8")
    assert "<script" not in index and "&lt;b&gt;bold&lt;/b&gt;" in index
    storm, _ = _page(project, "az", STORM)
    assert '<div class="note">Raw HTML from the source.</div>' in storm
    assert "<strong>120 km/saat</strong>" in storm


def test_every_page_has_a_strict_policy_that_allows_its_own_style_only(
    project: Config, built: SiteResult
) -> None:
    pages = [f for f in built.files if f.path.endswith(".html")]
    assert len(pages) == 6 + 4  # en and az: 2 articles, ka and ar: 1; 4 indexes
    for result in pages:
        parsed = _Links()
        parsed.feed((project.root / result.path).read_text("utf-8"))
        (meta,) = parsed.find("meta", **{"http-equiv": "Content-Security-Policy"})
        policy = dict([*part.split(" ", 1), ""][:2] for part in meta["content"].split("; "))
        digest = hashlib.sha256(parsed.texts["style"].encode("utf-8")).digest()
        assert policy["default-src"] == "'none'"
        assert policy["style-src"] == f"'sha256-{base64.b64encode(digest).decode()}'"
        assert policy["img-src"] == "'self' https: data:"
        assert "script-src" not in policy
        assert not parsed.find("script")


def test_the_index_lists_newest_first_and_the_feed_has_no_clock(
    project: Config, built: SiteResult
) -> None:
    index = (project.root / "output/az/index.html").read_text("utf-8")
    assert index.index('href="news/storm.html"') < index.index('href="old.html"')
    assert "26 fevral 2024" in index and "1 may 2023" in index
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(project.root / "output/az/feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "az"
    assert feed.findtext(f"{atom}updated") == "2024-02-26T00:00:00+00:00"  # newest article
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}title") for e in entries] == [
        "Fırtına sahilə çatdı",
        "<script>alert('x')</script> & <b>bold</b>",
    ]
    assert [e.find(f"{atom}link").get("href") for e in entries] == [  # type: ignore[union-attr]
        "news/storm.html",
        "old.html",
    ]
    assert feed.findtext(f"{atom}generator") == "article-l10n-pipeline"


def test_a_second_run_changes_no_byte(project: Config, built: SiteResult) -> None:
    again = build_site(project, PUBLISHED, check=False)
    assert {f.action for f in again.files} == {Action.UNCHANGED}
    assert again.pages == built.pages
    # the order of published is no input
    shuffled = {lang: list(reversed(arts)) for lang, arts in reversed(PUBLISHED.items())}
    assert build_site(project, shuffled, check=False).pages == built.pages


def test_pages_lists_each_file_under_its_root_with_its_hash(
    project: Config, built: SiteResult
) -> None:
    assert sorted(built.pages) == ["output/ar", "output/az", "output/en", "output/ka"]
    assert sorted(built.pages["output/az"]) == [
        "feed.xml",
        "index.html",
        "news/storm.html",
        "old.html",
    ]
    for root, files in built.pages.items():
        for rel, sha in files.items():
            data = (project.root / root / rel).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha


def test_check_mode_writes_nothing_and_reports_what_would_change(project: Config) -> None:
    before = sorted(p for p in project.root.rglob("*") if p.is_file())
    planned = build_site(project, PUBLISHED, check=True)
    assert sorted(p for p in project.root.rglob("*") if p.is_file()) == before
    assert {f.action for f in planned.files} == {Action.CREATED}
    build_site(project, PUBLISHED, check=False)
    page = project.output_path("ka", STORM, html=True)
    written = page.read_bytes()
    project.output_path("ka", STORM).write_text(
        TRANSLATIONS[("ka", STORM)].replace("მიაღწია", "მიაღწია!"), "utf-8"
    )
    planned = build_site(project, PUBLISHED, check=True)
    assert [f.path for f in planned.files if f.changed] == [
        "output/ka/feed.xml",
        "output/ka/news/storm.html",
    ]
    assert page.read_bytes() == written


def test_a_project_template_replaces_the_default(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/article.html").write_text(
        '<html lang="{{ lang }}"><title>{{ title }}</title>'
        '<meta http-equiv="Content-Security-Policy" content="{{ csp }}">'
        "<style>{{ css }}</style><main class=newsroom>{{ body }}</main></html>\n",
        "utf-8",
    )
    (tmp_path / "templates/page.css").write_text("main { color: navy; }\n", "utf-8")
    build_site(config, PUBLISHED, check=False)
    text, _ = _page(config, "az", OLD)
    assert text.startswith('<html lang="az"><title>&lt;script&gt;')
    assert "<main class=newsroom><p>Keçən ilin məqaləsi.</p>" in text
    digest = base64.b64encode(hashlib.sha256(b"main { color: navy; }\n").digest()).decode()
    assert f"style-src 'sha256-{digest}'" in text
    # the index keeps the package's template, with the project's style sheet
    index = (tmp_path / "output/az/index.html").read_text("utf-8")
    assert '<nav class="languages">' in index and "main { color: navy; }" in index


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("{% if %}", "templates/article.html:1: template error"),
        ("{{ no_such_variable }}", "templates/article.html: template error"),
    ],
)
def test_a_broken_template_is_an_error_naming_it(tmp_path: Path, template: str, error: str) -> None:
    config = _project(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/article.html").write_text(template, "utf-8")
    with pytest.raises(ConfigError) as caught:
        build_site(config, PUBLISHED, check=False)
    assert str(caught.value).startswith(error)


def test_an_article_whose_page_is_the_index_is_refused(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "source/index.md").write_text("# Home\n", "utf-8")
    with pytest.raises(ConfigError, match="two HTML files would be written to output/en/index"):
        build_site(config, PUBLISHED, check=False)


@pytest.mark.parametrize(
    ("html_path", "index"),
    [
        ("", "output/az/index.html"),
        ("site/{lang}/articles/{path}.html", "site/az/articles/index.html"),
        ("public/{dir}/{stem}.{lang}.html", "public/index.az.html"),
    ],
)
def test_every_link_resolves_to_a_file_for_any_pattern(
    tmp_path: Path, html_path: str, index: str
) -> None:
    config = _project(tmp_path, f'html_path = "{html_path}"\n')
    result = build_site(config, PUBLISHED, check=False)
    assert (tmp_path / index).is_file()
    checked = 0
    for item in result.files:
        if not item.path.endswith(".html"):
            continue
        parsed = _Links()
        parsed.feed((tmp_path / item.path).read_text("utf-8"))
        for tag, attrs in parsed.tags:
            href = attrs.get("href", "")
            if tag in ("a", "link") and href and not re.match(r"[a-z]+:", href):
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(item.path), unquote(href))
                )
                assert (tmp_path / target).is_file(), f"{item.path}: {href}"
                checked += 1
    assert checked > 40


def test_an_article_without_title_or_date_gets_its_heading_and_comes_last(
    tmp_path: Path,
) -> None:
    config = _project(tmp_path)
    (tmp_path / "source/plain.md").write_text("Intro.\n\n## A *plain* heading\n", "utf-8")
    build_site(config, PUBLISHED, check=False)
    _, page = _page(config, "en", Path("plain.md"))
    assert page.texts["title"] == "A plain heading"
    assert not page.find("time")
    index = (tmp_path / "output/en/index.html").read_text("utf-8")
    assert index.index("old.html") < index.index("plain.html")


def test_toml_front_matter_gives_title_description_and_date(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "source/hugo.md").write_text(
        '+++\ntitle = "From Hugo"\nsummary = "A TOML summary."\n'
        "date = 2025-03-04T10:00:00+04:00\n+++\n\nBody.\n",
        "utf-8",
    )
    build_site(config, PUBLISHED, check=False)
    text, page = _page(config, "en", Path("hugo.md"))
    assert page.texts["title"] == "From Hugo"
    assert page.find("meta", name="description")[0]["content"] == "A TOML summary."
    assert page.texts["time"] == "March 4, 2025"
    assert "+++" not in text and "<p>Body.</p>" in text


def test_a_page_published_incomplete_says_so_in_the_source_language(tmp_path: Path) -> None:
    """merge flags an article it published with source text in its gaps; its page
    tells the reader, in the language those gaps are in (``lang`` on the note)."""
    config = _project(tmp_path)
    path = config.output_path("ka", STORM)
    text = path.read_text("utf-8")
    path.write_text(mark_incomplete(text), "utf-8")
    build_site(config, PUBLISHED, check=False)
    _, parsed = _page(config, "ka", STORM)
    [note] = parsed.find("p", **{"class": "incomplete"})
    assert note["lang"] == "en"
    _, complete = _page(config, "az", STORM)
    assert not complete.find("p", **{"class": "incomplete"})
