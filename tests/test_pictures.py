"""The status pictures in a real browser: the dashboard and each badge opened in headless
Chromium from the file system (``tests/browser.py``).

What the browser built is read back twice: as the DOM it dumps (bars, their widths
against the numbers written beside them, labels, an article's hostile name as text) and
as a screenshot (drawn, not blank, in the colours the page asks for, so its one style
sheet passed the Content-Security-Policy). Chromium's console must hold no policy
violation. Set ``PIPELINE_SCREENSHOTS=DIR`` to keep the screenshots (a CI artifact).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from pipeline.config import Config, load
from pipeline.publish import badge as b
from pipeline.publish import dashboard as d
from pipeline.results import Counts
from tests import browser
from tests.test_badge import HOSTILE, run, sample_project


@pytest.fixture
def chromium() -> None:
    """Chromium is there (else: skipped, or failed on CI)."""
    browser.require_chromium()


def test_without_chromium_ci_fails_and_a_laptop_skips(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must test the pages in a browser"):
        browser.require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="run scripts/test"):
        browser.require_chromium()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Config]:
    """``test_badge.sample_project``, with its dashboard (``status.html``) and its
    badges (``badges/``) written."""
    root = tmp_path_factory.mktemp("pictures")

    def make(
        articles: dict[str, str], languages: tuple[str, ...] = ("az",), extra: str = ""
    ) -> Config:
        langs = ", ".join(f'"{code}"' for code in languages)
        (root / "pipeline.toml").write_text(f"languages = [{langs}]\n{extra}", "utf-8")
        for rel, text in articles.items():
            path = root / "source" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        return load(root)

    config = sample_project(make)
    status = run(root, "status", "--format", "html")
    assert status.exit_code == 0, status.output
    (root / "status.html").write_text(status.output, "utf-8")
    assert run(root, "badge").exit_code == 0
    yield config


def _keep(png: Path) -> None:
    folder = os.environ.get("PIPELINE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(folder) / png.name)


def _near(one: tuple[int, int, int], hex_colour: str, tolerance: int = 24) -> bool:
    two = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - c) <= tolerance for a, c in zip(one, two, strict=True))


@pytest.mark.usefixtures("chromium")
def test_the_harness_sees_a_policy_violation(tmp_path: Path) -> None:
    # The tests below assert that no violation is logged; that must be able to fail.
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'\"><style>p { color: red }</style></head>"
        "<body><p>x</p><script>document.title = 'ran'</script></body></html>",
        "utf-8",
    )
    result = browser.dump_dom(page)
    assert len(result.csp_violations) == 2  # the style and the script, both refused
    assert "<title>" not in result.stdout  # the script did not run


def _number(cell: str, state: str) -> int:
    found = re.match(rf"(\d+) {state}", cell)
    assert found, (cell, state)
    return int(found[1])


@pytest.mark.usefixtures("chromium")
def test_dashboard_in_chromium(project: Config) -> None:
    result = browser.dump_dom(project.root / "status.html")
    assert result.csp_violations == [] and result.console == []
    tree = HTMLParser(result.stdout)
    assert tree.css_first("html").attributes["lang"] == "en"
    assert not tree.css("script") and not tree.css("img") and not tree.css("iframe")
    assert [li.text(strip=True) for li in tree.css("ul.legend li")] == list(d.STATES)
    languages, articles = tree.css("table")
    rows = languages.css("tbody tr") + articles.css("tbody tr")
    assert len(rows) == 3 + 6
    shares = []
    for row in rows:
        cells = {c.attributes["class"]: c.text(strip=True) for c in row.css("td.num[class]")}
        words = {s: _number(cells[f"num {s}-words"], s) for s in d.STATES}
        total = sum(words.values())
        assert row.css_first("td.num:last-child").text(strip=True) == f"{total} words"
        drawn = {
            r.attributes["class"]: float(r.attributes["width"] or 0)
            for r in row.css("svg.bar rect")
            if r.attributes["class"] in d.STATES
        }
        # each state with words has its part of the bar, as wide as its share
        assert drawn == {
            s: pytest.approx(d.BAR_UNITS * n / total, abs=0.001) for s, n in words.items() if n
        }
        for state, n in words.items():
            assert cells[f"num {state}-words"].endswith(f"{d.share(n, total):.1f}%")
        shares.append(words["translated"] / total)
    assert shares[3:] == sorted(shares[3:])  # articles: least translated first
    paths = [c.text() for c in articles.css("tbody code")]
    assert paths.count(f"source/news/{HOSTILE}") == 3  # shown as text, in each language


@pytest.mark.usefixtures("chromium")
def test_dashboard_screenshot(project: Config, tmp_path: Path) -> None:
    png = tmp_path / "status-dashboard.png"
    result = browser.screenshot(project.root / "status.html", png, size=(1200, 1100))
    assert result.csp_violations == []
    _keep(png)
    pixels = browser.png_pixels(png)
    assert (pixels.width, pixels.height) == (1200, 1100)
    colours = pixels.colours()
    assert len(colours) > 50, "the screenshot is (nearly) blank"
    # the bars are drawn in the style sheet's colours: the policy let it apply
    for state in ("translated", "untranslated"):
        assert any(_near(c, d.COLOURS[state], 2) for c in colours), state
    assert any(_near(c, d.COLOURS["fuzzy"], 30) for c in colours), "no hatched fuzzy part"
    assert _near(pixels.at(3, pixels.height - 3), "#ffffff", 0)


@pytest.mark.usefixtures("chromium")
@pytest.mark.parametrize("name", ["az", "ka", "ru", "all"])
def test_each_badge_in_chromium(project: Config, tmp_path: Path, name: str) -> None:
    svg = project.root / "badges" / f"{name}.svg"
    result = browser.dump_dom(svg)
    assert result.csp_violations == [] and result.console == []
    assert "<title>Translation into " in result.stdout
    png = tmp_path / f"badge-{name}.png"
    browser.screenshot(svg, png, size=(240, 60))
    _keep(png)
    pixels = browser.png_pixels(png)
    text = svg.read_text("utf-8")
    width = int(re.search(r'width="(\d+)"', text)[1])  # type: ignore[index]
    left = int(re.search(rf'<rect width="(\d+)" height="20" fill="{b.LABEL.fill}"', text)[1])  # type: ignore[index]
    expected = {"az": b.GREEN, "ka": b.RED, "ru": b.RED, "all": b.RED}[name]
    # one pixel in from the field's edge, above the text: the field's own colour (the
    # shine gradient changes it by a few levels)
    assert _near(pixels.at(2, 3), b.LABEL.fill), pixels.at(2, 3)
    assert _near(pixels.at(left + 2, 3), expected.fill), pixels.at(left + 2, 3)
    assert _near(pixels.at(width + 2, 3), "#ffffff", 0)  # nothing drawn past the badge
    assert len({pixels.at(x, 10) for x in range(width)}) > 10  # text is drawn


_MEASURE = """<!DOCTYPE html><html><body>{svgs}<script>
// The natural width of each text as the browser lays it out, before textLength
// stretches or squeezes it to the width the badge computed from its table.
const out = [];
for (const svg of document.querySelectorAll("svg")) {{
  const rects = svg.querySelectorAll("rect[fill^='#']");
  for (const [i, text] of [...svg.querySelectorAll("text:not([fill-opacity])")].entries()) {{
    const bare = text.cloneNode(true);
    bare.removeAttribute("textLength");
    bare.removeAttribute("lengthAdjust");
    text.parentNode.appendChild(bare);
    out.push({{text: text.textContent, natural: bare.getComputedTextLength(),
               computed: Number(text.getAttribute("textLength")),
               field: Number(rects[i].getAttribute("width"))}});
    bare.remove();
  }}
}}
document.body.setAttribute("data-widths", JSON.stringify(out));
</script></body></html>"""


@pytest.mark.usefixtures("chromium")
def test_badge_texts_fit_as_the_browser_draws_them(tmp_path: Path) -> None:
    labels = ["az", "ka", "ru", "sr_Latn", "zh_Hant_HK", "translated", "pt_BR"]
    values = [(1000, 1000), (899, 1000), (0, 1000), (0, 0)]
    svgs = [
        b.badge(label, Counts(words=w, words_translated=t), "x").split("\n", 1)[1]
        for label in labels
        for t, w in values
    ]
    page = tmp_path / "measure.html"
    page.write_text(_MEASURE.format(svgs="\n".join(svgs)), "utf-8")
    dom = browser.dump_dom(page).stdout
    node = HTMLParser(dom).css_first("body")
    widths = json.loads(node.attributes["data-widths"] or "[]")
    assert len(widths) == 2 * len(svgs)
    for w in widths:
        # the table is Verdana's; the browser here draws DejaVu Sans, Verdana's look-alike
        assert 0.92 <= w["computed"] / w["natural"] <= 1.1, w
        assert w["natural"] <= w["field"] - 4, w  # fits with room, even unsqueezed
