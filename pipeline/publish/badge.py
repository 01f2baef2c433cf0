"""Status badges: a language's translated share of words as a small SVG, for a README.

One badge per language (``az 100%``) and one for all languages together
(``translated 87%``), in the shape shields.io made familiar: a grey label on the left,
the percentage on a coloured field on the right. The colour follows Weblate's widgets:
green from 90 % of the words translated, yellow from 75 %, red below; a language without
any word to translate is grey and says ``no words`` (there is nothing to be 100 % of).

The percentage shown is rounded *down* to a whole number, so a badge never shows 100 %
before the last word is translated, and its text always agrees with its colour (89.99 %
shows 89 % on yellow). Counting is ``Counts``'s: fuzzy is not translated.

Every badge is SVG 1.1 with a ``<title>`` that screen readers announce and that says the
whole count in words. Text widths come from a table of Verdana's advance widths at 11 px
(the font shields.io badges are drawn in, with DejaVu Sans, its metric look-alike, as the
fallback), and each text carries ``textLength``, so a label fits its field whichever font
the reader's system substitutes.

``badges`` is pure (``Report`` → file name → SVG text); ``folders.write_texts`` writes them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pipeline.report import Report
from pipeline.results import Counts

DEFAULT_FOLDER = "badges"
"""Where ``pipeline badge`` writes, relative to the project root, unless told otherwise."""

ALL = "all"
"""The badge of all languages together is ``all.svg``."""


@dataclass(frozen=True, slots=True)
class Shade:
    """The colours of a badge's right half, and what the state is called."""

    name: str
    """``green``, ``yellow``, ``red`` or ``grey``: the state, as Weblate names it."""
    fill: str
    """Background of the value field (``#rrggbb``)."""
    text: str
    """Colour of the value text on it (``#rrggbb``)."""


# Weblate's own green and yellow (#4c1, #dfb317) under white text fall well short of the
# 4.5:1 contrast WCAG asks of small text; these keep the hue and meet it (the tests
# measure every pair). Yellow stays bright, so its text is dark instead.
GREEN = Shade("green", "#1a7f37", "#ffffff")
YELLOW = Shade("yellow", "#f2c12e", "#1f2328")
RED = Shade("red", "#c62828", "#ffffff")
GREY = Shade("grey", "#6e7781", "#ffffff")
LABEL = Shade("label", "#454c54", "#ffffff")
"""The left half, which names the language."""

GREEN_FROM = 90.0
"""Percent of words translated from which a badge is green."""
YELLOW_FROM = 75.0
"""Percent of words translated from which a badge is yellow (below: red)."""


def shade(counts: Counts) -> Shade:
    """The colour for ``counts``, judged on the exact share (``Counts.meets``), never on a
    rounded one: 89.99 % is yellow."""
    if counts.words == 0:
        return GREY
    if counts.meets(GREEN_FROM):
        return GREEN
    if counts.meets(YELLOW_FROM):
        return YELLOW
    return RED


def value_text(counts: Counts) -> str:
    """What the right half says: ``87%`` (rounded down), or ``no words``."""
    if counts.words == 0:
        return "no words"
    return f"{math.floor(counts.words_translated * 100 / counts.words)}%"


# Advance widths of Verdana (regular) in font units, 2048 to the em, for printable ASCII;
# written out from the font's metrics. Anything else is taken to be as wide as "W", so an
# unexpected character makes a field too wide rather than too narrow.
_UNITS_PER_EM = 2048
_VERDANA: Mapping[str, int] = {
    " ": 720,
    "!": 806,
    '"': 940,
    "#": 1676,
    "$": 1302,
    "%": 2204,
    "&": 1488,
    "'": 550,
    "(": 930,
    ")": 930,
    "*": 1302,
    "+": 1676,
    ",": 745,
    "-": 930,
    ".": 745,
    "/": 930,
    **dict.fromkeys("0123456789", 1302),
    ":": 930,
    ";": 930,
    "<": 1676,
    "=": 1676,
    ">": 1676,
    "?": 1117,
    "@": 2048,
    "A": 1400,
    "B": 1404,
    "C": 1430,
    "D": 1578,
    "E": 1295,
    "F": 1177,
    "G": 1575,
    "H": 1538,
    "I": 861,
    "J": 932,
    "K": 1415,
    "L": 1142,
    "M": 1726,
    "N": 1532,
    "O": 1614,
    "P": 1235,
    "Q": 1614,
    "R": 1423,
    "S": 1400,
    "T": 1243,
    "U": 1500,
    "V": 1400,
    "W": 2025,
    "X": 1400,
    "Y": 1243,
    "Z": 1400,
    "[": 930,
    "\\": 930,
    "]": 930,
    "^": 1676,
    "_": 1302,
    "`": 1302,
    "a": 1230,
    "b": 1276,
    "c": 1067,
    "d": 1276,
    "e": 1220,
    "f": 720,
    "g": 1276,
    "h": 1296,
    "i": 562,
    "j": 705,
    "k": 1184,
    "l": 562,
    "m": 1992,
    "n": 1296,
    "o": 1243,
    "p": 1276,
    "q": 1276,
    "r": 874,
    "s": 1067,
    "t": 807,
    "u": 1296,
    "v": 1184,
    "w": 1675,
    "x": 1184,
    "y": 1184,
    "z": 1061,
    "{": 1300,
    "|": 930,
    "}": 1300,
    "~": 1676,
}
_WIDEST = _VERDANA["W"]
FONT_SIZE = 11
"""Pixels; the size the width table is scaled to."""
_PADDING = 6
"""Pixels of field on each side of a text."""
HEIGHT = 20
"""Pixels."""


def text_width(text: str) -> float:
    """The width of ``text`` in Verdana at ``FONT_SIZE`` px, in pixels (no kerning)."""
    units = sum(_VERDANA.get(ch, _WIDEST) for ch in text)
    return units * FONT_SIZE / _UNITS_PER_EM


def badge(label: str, counts: Counts, title: str) -> str:
    """An SVG 1.1 document (ending in a newline): ``label`` on grey, then the value
    (``value_text``) in the colour ``shade`` gives; ``title`` is what a screen reader
    reads. Text is escaped here: callers pass plain text."""
    value = value_text(counts)
    colours = shade(counts)
    text_l, text_r = text_width(label), text_width(value)
    left, right = math.ceil(text_l) + 2 * _PADDING, math.ceil(text_r) + 2 * _PADDING
    width = left + right
    font = 'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"'

    def text(x: float, length: float, content: str, colour: str) -> str:
        # A faint copy one pixel lower lifts the text off the field, as shields.io does;
        # the shadow is aria-hidden in spirit: <title> is what assistive technology reads.
        body = escape(content)
        at = f'x="{x:g}" textLength="{length:.1f}" lengthAdjust="spacingAndGlyphs"'
        shadow = "#010101" if colour == "#ffffff" else "#ffffff"
        return (
            f'<text {at} y="15" fill="{shadow}" fill-opacity=".3">{body}</text>'
            f'<text {at} y="14" fill="{colour}">{body}</text>'
        )

    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}">\n'
        f"<title>{escape(title)}</title>\n"
        '<linearGradient id="shine" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbbbbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        f'<clipPath id="round"><rect width="{width}" height="{HEIGHT}" rx="3"/></clipPath>\n'
        '<g clip-path="url(#round)">'
        f'<rect width="{left}" height="{HEIGHT}" fill="{LABEL.fill}"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{colours.fill}"/>'
        f'<rect width="{width}" height="{HEIGHT}" fill="url(#shine)"/></g>\n'
        f'<g text-anchor="middle" {font}>\n'
        f"{text(left / 2, text_l, label, LABEL.text)}\n"
        f"{text(left + right / 2, text_r, value, colours.text)}\n"
        "</g>\n</svg>\n"
    )


def _title(who: str, counts: Counts) -> str:
    if counts.words == 0:
        return f"{who}: no words to translate"
    return (
        f"{who}: {value_text(counts)} of words translated "
        f"({counts.words_translated} of {counts.words}; {counts.words_fuzzy} fuzzy)"
    )


def badges(report: Report) -> dict[str, str]:
    """File name → SVG: ``<lang>.svg`` for each language of ``report`` (in its order),
    then ``all.svg``, the words of every language added up, labelled ``translated``."""
    out: dict[str, str] = {}
    everything = Counts()
    for lang in report.languages:
        counts = report.totals(lang)
        everything = everything + counts
        out[f"{lang}.svg"] = badge(lang, counts, _title(f"Translation into {lang}", counts))
    langs = ", ".join(report.languages) or "none"
    out[f"{ALL}.svg"] = badge(
        "translated", everything, _title(f"Translation into all languages ({langs})", everything)
    )
    return out
