"""The status dashboard: a ``Report`` as one self-contained HTML page.

``pipeline status --format html`` prints it. Per language, a bar of the source words
translated, fuzzy and untranslated, with each number and share written beside it; then
one row per article and language, worst first, so the work left is at the top.

The page needs nothing but itself, and a browser may open it from the file system: no
script, no font, image or style sheet from elsewhere. Its Content-Security-Policy allows
exactly one thing, the page's own ``<style>`` element (by its SHA-256), so even markup
slipped into an article's path could neither run nor load anything; and every path is
escaped anyway (``html.escape``: text and quoted attributes alike). The bars are inline
SVG whose widths are attributes, not inline styles, which the policy would refuse.

A state is never told by colour alone: every number is labelled in words, fuzzy words
are hatched, and the colours meet WCAG contrast against white (the tests measure them).
Same report, same bytes: nothing in the page depends on the clock.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterator
from html import escape

from pipeline.report import Report
from pipeline.results import ArticleReport, Counts

BAR_UNITS = 1000
"""A bar's width in its own SVG units: ``translated = BAR_UNITS * words_translated /
words``, then fuzzy, then untranslated, left to right."""

STATES = ("translated", "fuzzy", "untranslated")
"""The states a word is counted in, in bar order (each is also the CSS class of its
part of the bar)."""

COLOURS = {"translated": "#1a7f37", "fuzzy": "#9a6700", "untranslated": "#d8dee4"}
"""Fill of each state's part of a bar (fuzzy is also hatched)."""
TEXT, MUTED, FRAME = "#1f2328", "#59636e", "#59636e"
"""Body text, secondary text and the bars' outline, on white."""

_CSS = f"""
:root {{ color-scheme: light; }}
body {{ margin: 0; background: #ffffff; color: {TEXT};
  font: 15px/1.45 system-ui, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }}
main {{ max-width: 76rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 .25rem; }}
h2 {{ font-size: 1.2rem; margin: 2rem 0 .5rem; }}
p {{ margin: .25rem 0 .75rem; }}
.muted, .share {{ color: {MUTED}; }}
.legend {{ display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; margin: .75rem 0;
  list-style: none; }}
.legend li {{ display: flex; align-items: center; gap: .4rem; }}
.legend svg {{ width: 1.6rem; height: 1rem; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ padding: .4rem .6rem; border-bottom: 1px solid #d8dee4; text-align: left;
  vertical-align: middle; }}
thead th {{ border-bottom: 2px solid {FRAME}; font-size: .85rem; }}
td.num, th.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
.share {{ margin-left: .4em; font-size: .8rem; }}
.sub {{ display: block; font-size: .8rem; font-weight: normal; color: {MUTED}; }}
td.bar {{ width: 28%; min-width: 8rem; }}
th.path {{ min-width: 16rem; font-weight: normal; }}
#articles + .wide td.bar {{ width: 22%; }}
.wide {{ overflow-x: auto; }}
svg.bar {{ display: block; width: 100%; height: 1rem; }}
.translated {{ fill: {COLOURS["translated"]}; }}
.fuzzy {{ fill: url(#hatch); }}
.untranslated {{ fill: {COLOURS["untranslated"]}; }}
.frame {{ fill: none; stroke: {FRAME}; stroke-width: 1px; vector-effect: non-scaling-stroke; }}
.empty {{ fill: #ffffff; }}
code {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em;
  overflow-wrap: anywhere; }}
.defs {{ position: absolute; width: 0; height: 0; overflow: hidden; }}
.problems li {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em;
  white-space: pre-wrap; overflow-wrap: anywhere; }}
"""

STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
"""The CSP source that allows the page's ``<style>`` element and nothing else."""

CSP = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; img-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""The page's Content-Security-Policy (a ``<meta>`` tag: ``frame-ancestors`` and
reporting cannot be set that way, and a file opened from disk has no headers)."""

# The hatch every fuzzy part refers to: one definition for the page. It is kept out of
# sight by size, not by display:none, under which Chromium draws no pattern at all.
_DEFS = (
    '<svg class="defs" aria-hidden="true" focusable="false"><defs>'
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)">'
    f'<rect width="6" height="6" fill="{COLOURS["fuzzy"]}"/>'
    '<rect width="2" height="6" fill="#ffffff" fill-opacity=".55"/>'
    "</pattern></defs></svg>"
)


def share(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, rounded down to 0.1 as ``Counts`` rounds (0 of 0
    is 0 here: a part of nothing)."""
    return 0.0 if whole == 0 else math.floor(part * 1000 / whole) / 10


def _words(counts: Counts) -> dict[str, int]:
    return {
        "translated": counts.words_translated,
        "fuzzy": counts.words_fuzzy,
        "untranslated": counts.words_untranslated,
    }


def bar(counts: Counts) -> str:
    """An SVG bar of ``counts``' words: one ``<rect class=STATE>`` per state with words,
    ``BAR_UNITS`` wide in all, each with a ``<title>`` for a pointer's hover. A count
    without words is an empty frame. Hidden from screen readers: the cells beside it
    say the same in words."""
    parts = []
    x = 0.0
    for state, words in _words(counts).items():
        if not words:
            continue
        width = BAR_UNITS * words / counts.words
        parts.append(
            f'<rect class="{state}" x="{x:.3f}" width="{width:.3f}" height="16">'
            f"<title>{words} {state}</title></rect>"
        )
        x += width
    inside = "".join(parts) or f'<rect class="empty" width="{BAR_UNITS}" height="16"/>'
    return (
        f'<svg class="bar" viewBox="0 0 {BAR_UNITS} 16" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{inside}'
        f'<rect class="frame" width="{BAR_UNITS}" height="16"/></svg>'
    )


def _cells(counts: Counts) -> str:
    """The bar, then translated, fuzzy and untranslated words with their shares, then
    the total."""
    cells = [f'<td class="bar">{bar(counts)}</td>']
    for state, words in _words(counts).items():
        cells.append(
            f'<td class="num {state}-words">{words} {state}'
            f'<span class="share">{share(words, counts.words):.1f}%</span></td>'
        )
    cells.append(f'<td class="num">{counts.words} words</td>')
    return "".join(cells)


_HEADS = (
    '<th scope="col">Progress</th><th scope="col" class="num">Translated</th>'
    '<th scope="col" class="num">Fuzzy</th><th scope="col" class="num">Untranslated</th>'
    '<th scope="col" class="num">Source words</th>'
)


def worst_first(articles: tuple[ArticleReport, ...], order: tuple[str, ...]) -> list[ArticleReport]:
    """``articles`` from the least translated share of words to the most (exactly, not
    rounded); among equals, more words left to do first, then the configured language
    order, then the path. Articles without words come last."""
    rank = {lang: n for n, lang in enumerate(order)}

    def key(a: ArticleReport) -> tuple[int, float, int, int, str]:
        c = a.counts
        done = c.words_translated / c.words if c.words else 1.0
        return (
            c.words == 0,
            done,
            -(c.words - c.words_translated),
            rank.get(a.language, 0),
            a.article,
        )

    return sorted(articles, key=key)


def _language_rows(report: Report) -> Iterator[str]:
    for lang in report.languages:
        counts = report.totals(lang)
        articles = sum(1 for a in report.articles if a.language == lang)
        yield (
            f'<tr><th scope="row">{escape(lang)}'
            f'<span class="sub">{articles} article(s)</span></th>{_cells(counts)}</tr>'
        )


def _article_rows(report: Report) -> Iterator[str]:
    for art in worst_first(report.articles, report.languages):
        yield (
            f'<tr><th scope="row" class="path"><code>{escape(art.article)}</code></th>'
            f"<td>{escape(art.language)}</td>{_cells(art.counts)}</tr>"
        )


def _legend() -> str:
    items = []
    for state in STATES:
        items.append(
            '<li><svg viewBox="0 0 24 16" aria-hidden="true" focusable="false">'
            f'<rect class="{state}" width="24" height="16"/>'
            '<rect class="frame" width="24" height="16"/></svg>'
            f"{state}</li>"
        )
    return '<ul class="legend" aria-label="Legend">' + "".join(items) + "</ul>"


def dashboard(report: Report) -> str:
    """The page (UTF-8 text, ending in a newline) for ``report``: a table of languages
    (configured order), a table of articles (``worst_first``), and the problems that
    kept something from being counted, if any."""
    langs = len(report.languages)
    articles = len({a.article for a in report.articles})
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        "<title>Translation status</title>\n"
        f"<style>{_CSS}</style>\n</head>\n"
    )
    body = [
        "<body>",
        _DEFS,
        "<main>",
        "<h1>Translation status</h1>",
        f'<p class="muted">Source words of {articles} article(s) in {langs} language(s), by '
        "the state of their translation. Fuzzy translations are not published and do not "
        "count as translated.</p>",
        _legend(),
        '<h2 id="languages">Languages</h2>',
    ]
    if report.languages:
        body += [
            '<div class="wide"><table aria-labelledby="languages">',
            f'<thead><tr><th scope="col">Language</th>{_HEADS}</tr></thead>',
            "<tbody>",
            *_language_rows(report),
            "</tbody></table></div>",
        ]
    else:
        body.append("<p>No target language is configured.</p>")
    body.append('<h2 id="articles">Articles, least translated first</h2>')
    if report.articles:
        body += [
            '<div class="wide"><table aria-labelledby="articles">',
            '<thead><tr><th scope="col">Article</th><th scope="col">Language</th>'
            f"{_HEADS}</tr></thead>",
            "<tbody>",
            *_article_rows(report),
            "</tbody></table></div>",
        ]
    else:
        body.append("<p>No article was counted.</p>")
    problems = report.all_problems()
    if problems:
        body += [
            '<h2 id="problems">Not counted</h2>',
            '<ul class="problems" aria-labelledby="problems">',
            *(f"<li>{escape(str(p))}</li>" for p in problems),
            "</ul>",
        ]
    body += ["</main>", "</body>", "</html>"]
    return head + "\n".join(body) + "\n"
