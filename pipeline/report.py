"""Counts and verdicts per (language, article): what ``status`` shows and ``check`` gates on.

Counting follows gettext exactly, against the template the article gives today (built in
memory, so a stale ``.pot`` on disk cannot skew it): a message is *translated* only when
its ``.po`` entry is active, not fuzzy and not empty; *fuzzy* when the entry is marked
fuzzy; *untranslated* otherwise, including a message the ``.po`` lacks altogether. A text
used twice in an article (a title repeated as the heading) is one message, as in the
template. Words are the source words of each message (``pipeline.checks.words``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalogs.catalog import Catalog, Entry, read_catalog
from pipeline.catalogs.mergedriver import CONFLICT_NOTE
from pipeline.catalogs.template import build_template
from pipeline.catalogs.translations import translations
from pipeline.checks.problem import Context, Problem
from pipeline.checks.registry import BLOCKING
from pipeline.checks.registry import MESSAGE_CHECKS as CHECKS
from pipeline.checks.run import check_message, gate
from pipeline.checks.words import count_words
from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.files import read_article
from pipeline.locales import language, nplurals, same_plural_forms
from pipeline.markdown.segment import Document, segment_document
from pipeline.project import extract_project
from pipeline.publish.markdown import render


@dataclass(frozen=True, slots=True)
class Counts:
    """Messages and words of one article (or a language's total) by state."""

    segments: int = 0
    """Messages in the template."""
    segments_translated: int = 0
    """Messages with a publishable translation."""
    segments_fuzzy: int = 0
    """Messages whose translation is marked fuzzy (not published, not counted done)."""
    words: int = 0
    """Source words of all messages."""
    words_translated: int = 0
    """Source words of the translated messages."""
    words_fuzzy: int = 0
    """Source words of the fuzzy messages."""

    @property
    def segments_untranslated(self) -> int:
        """Messages neither translated nor fuzzy (missing from the ``.po`` included)."""
        return self.segments - self.segments_translated - self.segments_fuzzy

    @property
    def words_untranslated(self) -> int:
        """Source words of the untranslated messages."""
        return self.words - self.words_translated - self.words_fuzzy

    @property
    def percent_words(self) -> float:
        """Translated share of the words, rounded *down* to 0.1 (99.96 never shows 100)."""
        return _percent(self.words_translated, self.words)

    @property
    def percent_segments(self) -> float:
        """Translated share of the messages, rounded down to 0.1."""
        return _percent(self.segments_translated, self.segments)

    def meets(self, threshold: float) -> bool:
        """At least ``threshold`` percent of the words are translated (exactly, unrounded)."""
        return self.words == 0 or self.words_translated * 100 >= threshold * self.words

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.segments + other.segments,
            self.segments_translated + other.segments_translated,
            self.segments_fuzzy + other.segments_fuzzy,
            self.words + other.words,
            self.words_translated + other.words_translated,
            self.words_fuzzy + other.words_fuzzy,
        )


def _percent(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else math.floor(part * 1000 / whole) / 10


@dataclass(frozen=True, slots=True)
class ArticleReport:
    """One article in one language."""

    language: str
    """Target language code."""
    article: str
    """The source article, relative to the project root."""
    catalog: str
    """Its ``.po`` for ``language``, relative to the project root."""
    counts: Counts
    """Messages and words by state."""
    threshold: float
    """The ``min_complete`` percentage that applies."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with it, sorted by file and line."""

    @property
    def passed(self) -> bool:
        """No problem of severity ``error``."""
        return not any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything ``status`` and ``check`` found, and the exit status it implies."""

    articles: tuple[ArticleReport, ...]
    """Every (language, article), languages in configured order, then articles."""
    problems: tuple[Problem, ...] = ()
    """Problems of no single (language, article): unreadable articles, stale templates."""
    checked: bool = False
    """Quality, validity, freshness and thresholds were checked (``check``), not only
    counted (``status``)."""
    languages: tuple[str, ...] = field(default=())
    """The languages reported on."""

    def totals(self, lang: str) -> Counts:
        """The counts of every article in ``lang`` added up."""
        total = Counts()
        for art in self.articles:
            if art.language == lang:
                total = total + art.counts
        return total

    def all_problems(self) -> list[Problem]:
        """Every problem, sorted by file and line (stable within one line)."""
        found = list(self.problems) + [p for a in self.articles for p in a.problems]
        return sorted(found, key=lambda p: (p.path, p.line))

    @property
    def errors(self) -> int:
        """Problems of severity ``error``."""
        return sum(1 for p in self.all_problems() if p.severity == "error")

    @property
    def warnings(self) -> int:
        """Problems of severity ``warning``."""
        return sum(1 for p in self.all_problems() if p.severity == "warning")

    @property
    def exit_code(self) -> int:
        """The process exit status for this report.

        - 0: no problem of severity ``error`` (warnings never fail);
        - 1: at least one error: an article below its threshold, a required field not
          translated, a stale template or ``.po``, an invalid catalog, a failed quality
          check, an unreadable article or catalog. A ``status`` report holds only the
          last two kinds (it counts, it does not judge), so ``status`` fails only when
          something could not be counted.

        (2, a wrong command line, is click's and never reaches a report.)
        """
        return 1 if self.errors else 0


@dataclass(frozen=True, slots=True)
class _Article:
    path: Path
    shown: str
    doc: Document
    messages: tuple[Entry, ...]
    markdown: dict[str, bool]
    words: dict[str, int]


def build_report(config: Config, *, check: bool, languages: Sequence[str] = ()) -> Report:
    """Count every (language, article); with ``check``, judge them as ``pipeline check``
    does (thresholds, required fields, catalog validity, freshness, quality checks).

    ``languages`` limits the report (default: every configured language).
    """
    langs = tuple(languages or config.languages)
    project: list[Problem] = []
    articles = list(_articles(config, project))
    reports = [
        _article_report(config, lang, art, check=check) for lang in langs for art in articles
    ]
    if check:
        reports, stale = _freshness(config, langs, reports, project)
        project.extend(stale)
        project.extend(_nothing_checked(config, langs, articles, project))
    return Report(tuple(reports), tuple(project), checked=check, languages=langs)


def _nothing_checked(
    config: Config, langs: Sequence[str], articles: Sequence[_Article], seen: Sequence[Problem]
) -> Iterator[Problem]:
    """A gate that judged nothing must not pass: no language, no article, or a language
    none of whose catalogs exists."""
    if not langs:
        yield Problem(
            "nothing-checked",
            "error",
            "no target language is configured",
            "add one with 'pipeline init LANG' (for example: pipeline init az)",
        )
    if not articles and not any(p.code == "source" for p in seen):
        yield Problem(
            "nothing-checked",
            "error",
            f"no article (*.md) in '{config.rel(config.source_dir)}'",
            "put the articles there, or set source_dir to where they are",
        )
    for lang in langs:
        if articles and not any(config.po_path(lang, a.path).exists() for a in articles):
            yield Problem(
                "nothing-checked",
                "error",
                f"no catalog exists for {lang}: nothing of it was checked",
                "run 'pipeline extract' to create the catalogs, and commit them",
                config.rel(config.locales_dir / lang),
            )


def _problem(exc: PipelineError, code: str) -> Problem:
    return Problem(code, "error", exc.message, exc.hint or "", exc.path or "", exc.line or 0)


def _articles(config: Config, problems: list[Problem]) -> Iterator[_Article]:
    for article in config.articles():
        shown = config.rel(config.source_dir / article)
        try:
            text = read_article(config.source_dir / article, shown)
            doc = segment_document(text, shown, config.front_matter_keys)
        except PipelineError as exc:
            problems.append(_problem(exc, "source"))
            continue
        problems.extend(
            Problem(w.code, "warning", w.message, w.hint, w.path, w.line) for w in doc.warnings
        )
        template = build_template(doc, article.with_suffix("").as_posix(), (), None, "")
        markdown: dict[str, bool] = {}
        for seg in doc.segments:
            markdown[seg.msgid] = markdown.get(seg.msgid, False) or seg.markdown
        words = {m: count_words(m, markdown=md) for m, md in markdown.items()}
        yield _Article(article, shown, doc, template.entries, markdown, words)


def _article_report(config: Config, lang: str, art: _Article, *, check: bool) -> ArticleReport:
    po_path = config.po_path(lang, art.path)
    po = config.rel(po_path)
    problems: list[Problem] = []
    catalog: Catalog | None = None
    if po_path.exists():
        try:
            catalog = read_catalog(po_path, po)
        except PipelineError as exc:
            problems.append(_problem(exc, "catalog-parse"))
    found = translations(catalog)
    counts = Counts()
    for message in art.messages:
        words = art.words[message.msgid]
        done = message.msgid in found.publishable
        fuzzy = not done and message.msgid in found.entries and found.entries[message.msgid].fuzzy
        counts = counts + Counts(1, int(done), int(fuzzy), words, words * done, words * fuzzy)
    threshold = config.threshold(lang)
    if check and catalog is not None:
        problems.extend(_validity(catalog, lang))
        problems.extend(_merge_conflicts(catalog))
        problems.extend(_quality(config, lang, art, catalog))
    if check:
        problems.extend(_required(config, lang, art, po, found.entries))
        if not counts.meets(threshold):
            problems.append(_incomplete(lang, po, counts, threshold))
    return ArticleReport(
        lang, art.shown, po, counts, threshold, tuple(sorted(problems, key=lambda p: p.line))
    )


def _incomplete(lang: str, po: str, counts: Counts, threshold: float) -> Problem:
    left = counts.segments_untranslated
    fuzzy = counts.segments_fuzzy
    todo = f"{left} untranslated" + (f" and {fuzzy} fuzzy" if fuzzy else "")
    return Problem(
        "completeness",
        "error",
        f"{counts.percent_words:g}% of words translated ({counts.words_translated} of "
        f"{counts.words}), below min_complete {threshold:g}% for {lang}",
        f"translate the {todo} message(s) ('pipeline status' counts them), or lower the "
        f"threshold: min_complete_by_language = {{ {lang} = {math.floor(counts.percent_words)} }}",
        po,
    )


def _required(
    config: Config, lang: str, art: _Article, po: str, entries: dict[str, Entry]
) -> Iterator[Problem]:
    for key in config.required_fields:
        kind = f"front matter: {key}"
        for seg in art.doc.segments:
            if seg.kind != kind:
                continue
            entry = entries.get(seg.msgid)
            if entry is not None and entry.translated:
                continue
            state = "fuzzy" if entry is not None and entry.fuzzy else "not translated"
            yield Problem(
                "required-field",
                "error",
                f"the article's {key} is {state} in {lang}",
                f'translate it (msgid "{seg.msgid[:60]}") and clear any fuzzy flag: '
                f"{key} is in required_fields",
                po,
                entry.line if entry is not None else 0,
            )


def _validity(catalog: Catalog, lang: str) -> Iterator[Problem]:
    expected = language(lang).plural_forms
    where = catalog.path
    declared = catalog.field("Language")
    if not declared:
        yield Problem(
            "catalog-header",
            "error",
            "the header has no Language field",
            f"add \"Language: {lang}\\n\" to the header ('pipeline extract' does it)",
            where,
            1,
        )
    elif declared.replace("-", "_") != lang:
        yield Problem(
            "catalog-header",
            "error",
            f"the header says Language: {declared}, but the file is the {lang} catalog",
            f"set the header to Language: {lang}, or move the file to its language's folder",
            where,
            1,
        )
    forms = catalog.field("Plural-Forms")
    if not forms or not same_plural_forms(forms, expected):
        found = f"Plural-Forms: {forms}" if forms else "no Plural-Forms field"
        yield Problem(
            "catalog-header",
            "error",
            f"the header has {found}; {lang} needs: {expected.rstrip(';')}",
            "run 'pipeline extract', which writes the right Plural-Forms",
            where,
            1,
        )
    count = nplurals(expected) or 0
    for entry in catalog.active:
        if entry.msgid_plural and [k for k, _ in entry.msgstr_plural] != list(range(count)):
            yield Problem(
                "catalog-plurals",
                "error",
                f"a plural entry has {len(entry.msgstr_plural)} msgstr[] forms; {lang} has {count}",
                f"write msgstr[0] to msgstr[{count - 1}]",
                where,
                entry.line,
            )


def _merge_conflicts(catalog: Catalog) -> Iterator[Problem]:
    """A warning at each entry still holding the note ``pipeline merge-driver`` writes
    when two branches translated it differently (``mergedriver.CONFLICT_NOTE``)."""
    for entry in catalog.entries:
        if CONFLICT_NOTE in entry.translator_comment.split("\n"):
            yield Problem(
                "merge-conflict",
                "warning",
                "a git merge left two translations of this entry (a '# merge conflict' "
                "comment); the one kept is marked fuzzy",
                "review both texts in the comment, keep one as the msgstr, then delete "
                "the comment lines and the fuzzy flag",
                catalog.path,
                entry.line,
            )


def _quality(config: Config, lang: str, art: _Article, catalog: Catalog) -> Iterator[Problem]:
    """What merge would refuse (the gate's problems, then ``structure`` for what it would
    write), and the style checks on every translated message."""
    found = translations(catalog)
    judged = gate(art.doc, found, Context(config.source_language, lang, config.localized_url_hosts))
    style = tuple(code for code in CHECKS if code not in BLOCKING)
    for message in art.messages:
        msgstr = found.publishable.get(message.msgid)
        if msgstr is None:
            continue
        entry = found.entries[message.msgid]
        for problem in judged.refused.get(message.msgid, ()):
            yield problem.at(catalog.path, entry.line)
        ctx = Context(
            config.source_language,
            lang,
            config.localized_url_hosts,
            art.markdown.get(message.msgid, True),
            art.doc.references,
        )
        for problem in check_message(message.msgid, msgstr, entry.flags, ctx, style):
            yield problem.at(catalog.path, entry.line)
    for fallback in render(art.doc, judged.publishable).fallbacks:
        entry = found.entries[fallback.segment.msgid]
        yield Problem(
            "structure",
            "error",
            f"the translation would change the article's structure: {fallback.reason}",
            "keep the translation one block of text, as the source is; it is not "
            "published until fixed",
            catalog.path,
            entry.line,
        )


def _freshness(
    config: Config, langs: Sequence[str], reports: list[ArticleReport], seen: list[Problem]
) -> tuple[list[ArticleReport], list[Problem]]:
    """Add a ``stale`` problem to each file ``pipeline extract`` would write."""
    result = extract_project(config, check=True, languages=list(langs))
    by_catalog: dict[str, list[Problem]] = {}
    project: list[Problem] = []
    for file in result.files:
        if not file.changed:
            continue
        verb = "does not exist" if file.action == "created" else "is out of date"
        detail = f" ({file.detail})" if file.detail else ""
        problem = Problem(
            "stale",
            "error",
            f"{verb}: 'pipeline extract' would change it{detail}",
            "run 'pipeline extract' and commit the result",
            file.path,
        )
        by_catalog.setdefault(file.path, []).append(problem)
    known = {(p.path, p.line, p.message) for r in reports for p in r.problems}
    known.update((p.path, p.line, p.message) for p in seen)
    for exc in result.errors:
        if (exc.path or "", exc.line or 0, exc.message) not in known:
            project.append(_problem(exc, "source"))
    updated = []
    for rep in reports:
        extra = by_catalog.pop(rep.catalog, [])
        updated.append(
            ArticleReport(
                rep.language,
                rep.article,
                rep.catalog,
                rep.counts,
                rep.threshold,
                tuple(sorted([*extra, *rep.problems], key=lambda p: p.line)),
            )
            if extra
            else rep
        )
    for problems in by_catalog.values():
        project.extend(problems)
    return updated, project
