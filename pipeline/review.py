"""What a translator or an editor reviews: every message of an article, with its state.

``pipeline review LANG`` shows one row per message of each article (source and
translation side by side; ``publish/review_page.py`` draws them). A message is in exactly
one ``State``, judged as ``merge`` judges it:

- ``untranslated``: no entry, an empty msgstr, or a fuzzy entry without a suggestion;
- ``fuzzy``: a suggestion to review (never published), with a word diff of its ``#|``
  previous msgid against today's msgid: what changed in the source since the
  translation was made;
- ``fallback``: translated, but ``merge`` keeps the source text, because a blocking check
  refused the translation (the gate) or writing it would break the article's structure;
- ``translated``: published as it is.

Any translated message may also fail a style check (``checks.article.quality``, less the
project's ``skip_checks``): its warnings ride on the row, whatever its state.

``rows`` is pure (a document and a catalog in, rows out); ``review_article`` reads the
files; ``folders.write_texts`` writes the pages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Literal

from pipeline.catalogs.catalog import Catalog
from pipeline.catalogs.translations import translations
from pipeline.checks.article import quality
from pipeline.checks.problem import Context, Problem
from pipeline.checks.registry import STYLE
from pipeline.checks.run import gate
from pipeline.config import Config
from pipeline.errors import ConfigError, printable
from pipeline.jobs import load_article, read_optional_catalog
from pipeline.markdown.document import Document, Segment
from pipeline.publish.markdown import render

DEFAULT_FOLDER = "review"
"""Where ``pipeline review`` writes, relative to the project root, unless told otherwise:
``<folder>/<lang>/index.html`` and ``<folder>/<lang>/<article path>.html``."""

State = Literal["untranslated", "fuzzy", "fallback", "translated"]
"""What ``merge`` does with a message (see the module)."""

STATES: tuple[State, ...] = ("fallback", "fuzzy", "untranslated", "translated")
"""Every state, the ones that need a reader's attention first."""

Mark = Literal["fallback", "warning", "fuzzy", "untranslated", "translated"]
"""What a row is marked with: its state, and ``warning`` when a style check fails."""

MARKS: tuple[Mark, ...] = ("fallback", "warning", "fuzzy", "untranslated", "translated")
"""Every mark, in the order pages list them."""

DIFF_LIMIT = 4000
"""Tokens (words, spaces, punctuation) per side past which no word diff is computed
(difflib's matcher is quadratic): the old text is shown removed and the new one added."""

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of a word diff."""

    op: Literal["same", "del", "ins"]
    """``same`` in both texts, ``del`` only in the old one, ``ins`` only in the new one."""
    text: str
    """The run's text, exactly as written (spaces included)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A check's verdict on a row's translation."""

    code: str
    """The check's code (``link-target``, ``structure``, ``numbers``…)."""
    severity: str
    """``error`` or ``warning``."""
    message: str
    """What is wrong, in words for a translator (control characters made visible)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One message of an article in one language."""

    key: str
    """The message key (``Message.key``: msgid, or msgctxt EOT msgid)."""
    msgid: str
    """The source text today."""
    msgctxt: str | None
    """The editor's context, if any."""
    kind: str
    """What the text is in the article (``heading``, ``paragraph``, ``title``…), first use."""
    context: str
    """The headings it stands under (`` > ``-joined), first use."""
    source_line: int
    """1-based line of the message's first use in the article."""
    state: State
    """What ``merge`` does with it."""
    msgstr: str = ""
    """The catalog's translation: published, suggested (fuzzy) or refused; empty when
    there is none."""
    line: int = 0
    """1-based line of the entry's ``msgid`` in the ``.po``; 0 when it has no entry."""
    previous_msgid: str | None = None
    """``#|`` msgid of a fuzzy entry: the source text its suggestion was made for."""
    diff: tuple[Piece, ...] = ()
    """``previous_msgid`` → ``msgid``, word by word (``word_diff``); empty without one."""
    refusals: tuple[Finding, ...] = ()
    """``fallback``: why the source text is published instead."""
    warnings: tuple[Finding, ...] = ()
    """Style checks the translation fails (never blocking)."""
    note: str = ""
    """The editor's note for translators, if any."""

    @property
    def marks(self) -> tuple[Mark, ...]:
        """The row's state, then ``warning`` when a style check fails."""
        return (self.state, "warning") if self.warnings else (self.state,)


@dataclass(frozen=True, slots=True)
class ArticleReview:
    """One article in one language, ready to draw."""

    article: PurePosixPath
    """The article's path under ``source_dir``."""
    shown: str
    """The article's path from the project root (``source/storm.md``)."""
    lang: str
    """The target language."""
    source_language: str
    """The article's language."""
    po: str
    """The catalog's path from the project root (``locales/az/storm.po``)."""
    catalog_missing: bool
    """No catalog exists yet: every row is untranslated, without a line."""
    rows: tuple[Row, ...]
    """Every message, in the order of its first use in the article."""

    @property
    def counts(self) -> dict[Mark, int]:
        """Rows per mark, every mark present (a row with warnings counts twice: once
        for its state, once as ``warning``)."""
        counts = dict.fromkeys(MARKS, 0)
        for row in self.rows:
            for mark in row.marks:
                counts[mark] += 1
        return counts

    @property
    def page(self) -> PurePosixPath:
        """The page's path in its language's folder: the article's path with ``.html``."""
        return self.article.with_suffix(".html")


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """``old`` → ``new`` by words (``\\w+``), runs of space and single punctuation marks;
    joining the ``same`` and ``del`` pieces gives ``old``, the ``same`` and ``ins`` pieces
    ``new``. Adjacent pieces never share an ``op``. Past ``DIFF_LIMIT`` tokens: all of
    ``old`` removed, all of ``new`` added."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    pieces: list[Piece] = []

    def add(op: Literal["same", "del", "ins"], tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    if max(len(a), len(b)) > DIFF_LIMIT:
        add("del", a)
        add("ins", b)
        return tuple(pieces)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("del", a[i1:i2])
            add("ins", b[j1:j2])
    return tuple(pieces)


def _finding(problem: Problem) -> Finding:
    return Finding(problem.code, problem.severity, problem.message)


def rows(
    doc: Document,
    catalog: Catalog | None,
    ctx: Context,
    style: Iterable[str] = STYLE,
) -> tuple[Row, ...]:
    """Every message of ``doc`` (first use order, each key once) with its state in
    ``catalog`` (None: no catalog, all untranslated), judged as ``merge`` judges:
    ``translations``, then the gate, then rendering's fallbacks; and the ``style``
    checks' findings on every translated message. Pure."""
    found = translations(catalog)
    judged = gate(doc, found, ctx)
    fallbacks: dict[str, str] = {}
    for fallback in render(doc, judged.publishable).fallbacks:
        for message in fallback.segment.messages:
            fallbacks.setdefault(message.key, fallback.reason)
    codes = set(style)
    # quality() locates each finding at its entry's msgid line, which is unique in a
    # catalog: that line leads back to the message it is about.
    by_line = {entry.line: key for key, entry in found.entries.items() if entry.line}
    warnings: dict[str, list[Finding]] = {}
    for problem in quality(doc, found, judged, {}, ctx, po="", style=codes):
        key = by_line.get(problem.line)
        if problem.code in codes and key is not None:
            warnings.setdefault(key, []).append(_finding(problem))
    first: dict[str, Segment] = {}
    for seg in doc.segments:
        for message in seg.messages:
            first.setdefault(message.key, seg)
    out = []
    for key, seg in first.items():
        msgctxt, msgid = _message(seg, key)
        entry = found.entries.get(key)
        row = Row(
            key,
            msgid,
            msgctxt,
            seg.kind,
            seg.context,
            seg.line,
            "untranslated",
            msgstr=entry.msgstr if entry is not None else "",
            line=entry.line if entry is not None else 0,
            warnings=tuple(warnings.get(key, ())),
            note=seg.note,
        )
        if key in judged.refused or key in fallbacks:
            refusals = tuple(_finding(p) for p in judged.refused.get(key, ()))
            if key in fallbacks:
                refusals += (Finding("structure", "error", printable(fallbacks[key])),)
            row = replace(row, state="fallback", refusals=refusals)
        elif key in found.publishable:
            row = replace(row, state="translated")
        elif key in found.fuzzy and entry is not None:
            previous = entry.previous_msgid
            diff = word_diff(previous, msgid) if previous is not None else ()
            row = replace(row, state="fuzzy", previous_msgid=previous, diff=diff)
        out.append(row)
    return tuple(out)


def _message(seg: Segment, key: str) -> tuple[str | None, str]:
    for message in seg.messages:
        if message.key == key:
            return message.msgctxt, message.msgid
    raise AssertionError(key)  # pragma: no cover - key came from seg.messages


def review_article(config: Config, lang: str, article: Path) -> ArticleReview:
    """``article`` (under ``source_dir``) in ``lang``, read from the files.
    ``SourceError`` when the article cannot be read, ``CatalogError`` (``path:line``)
    when its catalog cannot be."""
    doc = load_article(config, article)
    po_path = config.po_path(lang, article)
    po = config.rel(po_path)
    catalog = read_optional_catalog(po_path, po)
    ctx = Context(config.source_language, lang, config.localized_url_hosts)
    style = [code for code in STYLE if code not in config.skip_checks]
    return ArticleReview(
        PurePosixPath(article.as_posix()),
        doc.path,
        lang,
        config.source_language,
        po,
        catalog is None,
        rows(doc, catalog, ctx, style),
    )


def select_articles(config: Config, names: Sequence[str]) -> list[Path]:
    """The articles ``names`` name (all of them when empty), in ``config.articles()``
    order. A name is a path under ``source_dir`` (``storm.md``), from the project root
    (``source/storm.md``) or from the working folder. ``ConfigError`` for a name that is
    no article."""
    articles = config.articles()
    if not names:
        return articles
    by_name: dict[str, Path] = {}
    for article in articles:
        full = config.source_dir / article
        for name in (article.as_posix(), config.rel(full), str(full.resolve())):
            by_name.setdefault(name, article)
    chosen: list[Path] = []
    for name in names:
        found = by_name.get(PurePosixPath(name).as_posix()) or by_name.get(
            str(Path(name).resolve())
        )
        if found is None:
            shown = ", ".join(a.as_posix() for a in articles[:5]) or "none"
            raise ConfigError(
                f"is not an article of this project (source_dir: {config.rel(config.source_dir)})",
                path=name,
                hint=f"name one under source_dir, e.g. {shown}; or leave ARTICLE out to "
                "review them all",
            )
        chosen.append(found)
    return list(dict.fromkeys(chosen))
