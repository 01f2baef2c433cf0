"""The review pages: an ``ArticleReview`` as one self-contained HTML page, and an index.

A page is a table with a row per message: where it is (the ``.po`` file and line a
translator jumps to, and the article's line), the source text, and the translation. A
row's state (``review.MARKS``) is told three ways at once, so none depends on colour
vision: a text label (``fuzzy``, ``fallen back``…), a coloured stripe on the row's edge,
and a tint behind it. A fuzzy row shows its suggestion and a word diff of the source
text then (``#|``) against now: removed words struck through, added words underlined,
each run labelled for screen readers. A fallen-back row says which check refused the
translation, a check-failing one which style checks failed.

Everything from the article and the catalog is untrusted (a msgstr may hold markup
meant to run in a reviewer's browser) and is escaped (``html.escape``: text and quoted
attributes alike); it is shown as text, never as Markdown. The page opens from the file
system: no script, no font, image or style sheet from elsewhere. Its
Content-Security-Policy allows exactly the page's own ``<style>`` element, by its
SHA-256. Same review, same bytes: nothing depends on the clock.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from html import escape
from urllib.parse import quote

from pipeline.locales import text_direction
from pipeline.review import MARKS, ArticleReview, Finding, Mark, Row

LABELS: dict[Mark, str] = {
    "fallback": "fallen back",
    "warning": "check failed",
    "fuzzy": "fuzzy",
    "untranslated": "untranslated",
    "translated": "translated",
}
"""The words each mark is labelled with (a row's ``<span class="label MARK">``)."""

MEANINGS: dict[Mark, str] = {
    "fallback": "translated, but merge publishes the source text: a check protecting "
    "the reader refused the translation, or it would break the article's structure",
    "warning": "a style check fails on the translation (not blocking: published unless "
    "fallen back)",
    "fuzzy": "a suggestion to review; not published until the fuzzy flag is cleared",
    "untranslated": "no translation yet; the source text is published",
    "translated": "published as translated",
}
"""What each mark means, for the legend."""

COLOURS: dict[Mark, str] = {
    "fallback": "#cf222e",
    "warning": "#bc4c00",
    "fuzzy": "#8a5c00",
    "untranslated": "#59636e",
    "translated": "#1a7f37",
}
"""Each mark's colour: its label's background (under white text) and its row's stripe.
All meet WCAG's 4.5:1 against white (the tests measure them)."""

TINTS: dict[Mark, str] = {
    "fallback": "#ffebe9",
    "warning": "#fff1e5",
    "fuzzy": "#fff8c5",
    "untranslated": "#f6f8fa",
    "translated": "#ffffff",
}
"""The background of a row, by its first mark (``MARKS`` order)."""

TEXT, MUTED, RULE = "#1f2328", "#59636e", "#d8dee4"
"""Body text, secondary text and table rules, on white."""

DEL, INS = "#ffcecb", "#aceebb"
"""Backgrounds of removed and added words in a diff (under ``TEXT``)."""

_MARK_CSS = "".join(
    f".label.{m} {{ background: {COLOURS[m]}; }}\n"
    f"tr.{m} {{ background: {TINTS[m]}; }}\n"
    f"tr.{m} > th {{ border-left-color: {COLOURS[m]}; }}\n"
    for m in MARKS
)

_CSS = f"""
:root {{ color-scheme: light; }}
body {{ margin: 0; background: #ffffff; color: {TEXT};
  font: 15px/1.5 system-ui, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }}
main {{ max-width: 90rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }}
h1 {{ font-size: 1.5rem; margin: .25rem 0; overflow-wrap: anywhere; }}
p {{ margin: .25rem 0 .6rem; }}
nav {{ font-size: .9rem; }}
a {{ color: #0969da; }}
.muted, .sub {{ color: {MUTED}; }}
code {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em;
  overflow-wrap: anywhere; }}
.legend {{ display: grid; grid-template-columns: max-content max-content 1fr;
  gap: .3rem .75rem; align-items: baseline; padding: 0; margin: .75rem 0 1.25rem; }}
.legend dt {{ margin: 0; }}
.legend dd {{ margin: 0; }}
.legend .n {{ text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }}
.label {{ display: inline-block; padding: 0 .45rem; border-radius: .7rem; color: #ffffff;
  font-size: .8rem; font-weight: 600; line-height: 1.4rem; white-space: nowrap; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
th, td {{ padding: .5rem .7rem; border-bottom: 1px solid {RULE}; text-align: left;
  vertical-align: top; }}
thead th {{ border-bottom: 2px solid {MUTED}; font-size: .85rem; }}
col.where {{ width: 17rem; }}
tbody th {{ font-weight: normal; border-left: 6px solid transparent; }}
.where .label {{ margin: 0 .25rem .25rem 0; }}
.where code {{ display: block; font-weight: 600; font-size: .85em; }}
.sub {{ display: block; font-size: .8rem; overflow-wrap: anywhere; }}
.text {{ white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 .4rem; }}
.what {{ font-size: .8rem; font-weight: 600; color: {MUTED}; margin: 0 0 .15rem; }}
.none {{ font-style: italic; color: {MUTED}; }}
.diff {{ margin-top: .5rem; padding-top: .4rem; border-top: 1px dashed {MUTED}; }}
del {{ background: {DEL}; text-decoration: line-through; text-decoration-thickness: 2px; }}
ins {{ background: {INS}; text-decoration: underline; text-decoration-thickness: 2px; }}
del + ins {{ margin-left: .2em; }}
.findings {{ margin: .3rem 0 0; padding-left: 1.1rem; font-size: .9rem; }}
.findings li {{ overflow-wrap: anywhere; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }}
.jumps ul {{ display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; padding: 0; margin: 0 0 1rem;
  list-style: none; font-size: .9rem; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
table.index {{ table-layout: auto; }}
{_MARK_CSS}"""

STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
"""The CSP source that allows the pages' ``<style>`` element and nothing else."""

CSP = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; img-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""The pages' Content-Security-Policy (a ``<meta>`` tag: a file opened from disk has no
headers)."""


def _head(title: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n"
    )


def _path(text: str) -> str:
    """``text`` escaped, with a line-break opportunity after each ``/``: a long path
    wraps between its folders, not inside a name."""
    return escape(text).replace("/", "/<wbr>")


def _label(mark: Mark) -> str:
    return f'<span class="label {mark}">{LABELS[mark]}</span>'


def _legend(counts: dict[Mark, int]) -> str:
    items = [
        f'<dt>{_label(m)}</dt><dd class="n">{counts[m]}</dd><dd>{escape(MEANINGS[m])}</dd>'
        for m in MARKS
    ]
    return '<dl class="legend" aria-label="Messages by state">' + "".join(items) + "</dl>"


def _findings(findings: Sequence[Finding]) -> str:
    items = (
        f"<li><code>{escape(f.code)}</code> ({escape(f.severity)}): {escape(f.message)}</li>"
        for f in findings
    )
    return '<ul class="findings">' + "".join(items) + "</ul>"


def _diff(row: Row) -> str:
    if row.previous_msgid is None:
        return (
            '<div class="diff"><p class="none">No earlier source text (<code>#|</code>) is '
            "recorded: compare the suggestion with the source by eye.</p></div>"
        )
    parts = []
    for piece in row.diff:
        text = escape(piece.text)
        if piece.op == "del":
            parts.append(
                f'<del><span class="sr">[removed: </span>{text}<span class="sr">]</span></del>'
            )
        elif piece.op == "ins":
            parts.append(
                f'<ins><span class="sr">[added: </span>{text}<span class="sr">]</span></ins>'
            )
        else:
            parts.append(text)
    if not any(p.op != "same" for p in row.diff):
        parts = [escape(row.msgid)]
    return (
        '<div class="diff"><p class="what">Source changed since the suggestion was made '
        "(<code>#|</code> → now; removed words struck through, added words underlined)</p>"
        f'<p class="text">{"".join(parts)}</p></div>'
    )


def _translation(row: Row) -> str:
    msgstr = (
        f'<p class="text">{escape(row.msgstr)}</p>'
        if row.msgstr.strip()
        else '<p class="none">(only spaces or line breaks)</p>'
    )
    if row.state == "untranslated":
        hint = "" if row.line else " (no entry in the catalog: run 'pipeline extract')"
        body = f'<p class="none">Not translated yet: the source text is published{hint}.</p>'
    elif row.state == "fuzzy":
        body = '<p class="what">Suggestion, not published</p>' + msgstr + _diff(row)
    elif row.state == "fallback":
        body = (
            '<p class="what">Not published: the source text is used instead</p>'
            + msgstr
            + _findings(row.refusals)
        )
    else:
        body = msgstr
    if row.warnings:
        body += '<p class="what">Style checks that fail</p>' + _findings(row.warnings)
    return body


def _where(row: Row, review: ArticleReview) -> str:
    at = f"{review.po}:{row.line}" if row.line else review.po
    sub = [f"{row.kind}, {review.shown}:{row.source_line}"]
    if row.context:
        sub.append(f"under {row.context}")
    return (
        "".join(_label(m) for m in row.marks)
        + f"<code>{_path(at)}</code>"
        + "".join(f'<span class="sub">{_path(s)}</span>' for s in sub)
    )


def _source(row: Row) -> str:
    out = f'<p class="text">{escape(row.msgid)}</p>'
    if row.msgctxt is not None:
        out += f'<span class="sub">context: {escape(row.msgctxt)}</span>'
    if row.note:
        out += f'<span class="sub">note for translators: {escape(row.note)}</span>'
    return out


def _rows(review: ArticleReview) -> Iterator[str]:
    src = escape(review.source_language)
    lang = escape(review.lang)
    direction = text_direction(review.lang)
    src_direction = text_direction(review.source_language)
    for n, row in enumerate(review.rows, 1):
        yield (
            f'<tr class="{_first(row)}" id="m{n}">'
            f'<th scope="row" class="where">{_where(row, review)}</th>'
            f'<td lang="{src}" dir="{src_direction}">{_source(row)}</td>'
            f'<td lang="{lang}" dir="{direction}">{_translation(row)}</td></tr>'
        )


def _jumps(review: ArticleReview) -> str:
    """Links to every row that is not simply translated, by its ``.po`` line."""
    links = [
        f'<li><a href="#m{n}">{escape(LABELS[_first(row)])}: '
        f"{escape(review.po)}:{row.line if row.line else '(no entry)'}</a></li>"
        for n, row in enumerate(review.rows, 1)
        if row.marks != ("translated",)
    ]
    if not links:
        return '<p class="muted">Every message is translated and passes the checks.</p>'
    return (
        '<nav class="jumps" aria-label="Messages to look at"><p class="what">To look at</p>'
        f"<ul>{''.join(links)}</ul></nav>"
    )


def _first(row: Row) -> Mark:
    """The mark a row is tinted by: the first of ``MARKS`` it has."""
    return next(m for m in MARKS if m in row.marks)


def page(review: ArticleReview) -> str:
    """The page (UTF-8 text, ending in a newline) for ``review``, linking back to the
    language's ``index.html`` (which stands in the folder above the article's path)."""
    up = "../" * (len(review.article.parts) - 1)
    title = f"Review {review.lang}: {review.shown}"
    missing = (
        " It does not exist yet: run 'pipeline extract' to create it."
        if review.catalog_missing
        else ""
    )
    body = [
        "<body>",
        "<main>",
        f'<nav><a href="{escape(up)}index.html">All articles in {escape(review.lang)}</a></nav>',
        f"<h1>Review: <code>{escape(review.shown)}</code> in {escape(review.lang)}</h1>",
        f'<p class="muted">Catalog <code>{escape(review.po)}</code>.{missing} '
        f"{len(review.rows)} message(s): source ({escape(review.source_language)}) beside "
        f"translation ({escape(review.lang)}), each with its entry's line in the catalog.</p>",
        _legend(review.counts),
        _jumps(review),
        '<table class="rows">',
        '<colgroup><col class="where"><col><col></colgroup>',
        '<thead><tr><th scope="col">State and entry</th>'
        f'<th scope="col">Source ({escape(review.source_language)})</th>'
        f'<th scope="col">Translation ({escape(review.lang)})</th></tr></thead>',
        "<tbody>",
        *_rows(review),
        "</tbody></table>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return _head(title) + "\n".join(body) + "\n"


def index(lang: str, reviews: Sequence[ArticleReview]) -> str:
    """The language's index page (UTF-8 text, ending in a newline): one row per review,
    in the given order, linking to its page, with its messages counted by mark."""
    heads = "".join(f'<th scope="col" class="num">{_label(m)}</th>' for m in MARKS)
    rows = []
    for review in reviews:
        counts = review.counts
        cells = "".join(f'<td class="num">{counts[m]}</td>' for m in MARKS)
        href = escape(quote(review.page.as_posix()))
        rows.append(
            f'<tr><th scope="row"><a href="{href}"><code>{escape(review.shown)}</code></a>'
            f'<span class="sub">{escape(review.po)}</span></th>{cells}'
            f'<td class="num">{len(review.rows)}</td></tr>'
        )
    total = sum(len(r.rows) for r in reviews)
    body = [
        "<body>",
        "<main>",
        f"<h1>Review: {len(reviews)} article(s) in {escape(lang)}</h1>",
        f'<p class="muted">{total} message(s). Open an article to see its source and '
        "translation side by side.</p>",
        '<table class="index">',
        f'<thead><tr><th scope="col">Article</th>{heads}'
        '<th scope="col" class="num">Messages</th></tr></thead>',
        "<tbody>",
        *rows,
        "</tbody></table>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return _head(f"Review {lang}") + "\n".join(body) + "\n"
