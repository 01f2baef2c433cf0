"""Counts and verdicts per (language, article): what ``status`` shows and ``check`` gates on.

A reducer over the jobs' results (``jobs.report_job``): it counts, judges thresholds and
freshness, and owns the exit status; it reads no file and never runs a stage itself.

Counting follows gettext exactly, against the template the article gives today (built in
memory, so a stale ``.pot`` on disk cannot skew it): a message is *translated* only when
its ``.po`` entry is active, not fuzzy and not empty; *fuzzy* when the entry is marked
fuzzy; *untranslated* otherwise, including a message the ``.po`` lacks altogether. A text
used twice in an article (a title repeated as the heading) is one message, as in the
template. Words are the source words of each message (``pipeline.checks.words``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from pipeline.catalogs.translations import Translations
from pipeline.checks.problem import Problem
from pipeline.checks.registry import REGISTRY
from pipeline.config import Config
from pipeline.errors import ConfigError, PipelineError
from pipeline.results import Action, ArticleReport, Counts, ExtractResult


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

    def _problems(self) -> Iterator[Problem]:
        yield from self.problems
        for article in self.articles:
            yield from article.problems

    def all_problems(self) -> list[Problem]:
        """Every problem, sorted by file and line (stable within one line)."""
        found = list(self.problems) + [p for a in self.articles for p in a.problems]
        return sorted(found, key=lambda p: (p.path, p.line))

    @property
    def errors(self) -> int:
        """Problems of severity ``error``."""
        return sum(1 for p in self._problems() if p.severity == "error")

    @property
    def warnings(self) -> int:
        """Problems of severity ``warning``."""
        return sum(1 for p in self._problems() if p.severity == "warning")

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


def count(messages: Sequence[str], words: Mapping[str, int], found: Translations) -> Counts:
    """The counts of an article whose template holds ``messages`` (each with its source
    ``words``), in a catalog whose translations are ``found``."""
    counts = Counts()
    for msgid in messages:
        n = words[msgid]
        done = msgid in found.publishable
        fuzzy = not done and msgid in found.entries and found.entries[msgid].fuzzy
        counts = counts + Counts(1, int(done), int(fuzzy), n, n * done, n * fuzzy)
    return counts


def article_report(
    lang: str,
    article: str,
    po: str,
    counts: Counts,
    *,
    threshold: float,
    problems: Iterable[Problem],
    check: bool,
) -> ArticleReport:
    """One article in one language; ``check`` adds ``completeness`` below ``threshold``."""
    found = list(problems)
    if check and not counts.meets(threshold):
        found.append(_incomplete(lang, po, counts, threshold))
    return ArticleReport(
        lang, article, po, counts, threshold, tuple(sorted(found, key=lambda p: p.line))
    )


def skipped(config: Config) -> frozenset[str]:
    """The codes of the ``skip_checks`` setting; ``ConfigError`` for an unknown code or
    one that blocks publishing (it decides what readers get: no setting turns it off)."""
    for code in config.skip_checks:
        if code not in REGISTRY:
            raise ConfigError(
                f"skip_checks: '{code}' is not a check",
                path=config.config_file.name if config.config_file else None,
                hint="the checks are listed by 'pipeline check --help'",
            )
        if REGISTRY[code].blocking:
            raise ConfigError(
                f"skip_checks: '{code}' keeps unsafe or broken translations out of what "
                "merge publishes, so it cannot be turned off",
                path=config.config_file.name if config.config_file else None,
                hint=f"remove '{code}' from skip_checks; fix the translations it names",
            )
    return frozenset(config.skip_checks)


def build_report(
    config: Config,
    languages: Sequence[str],
    reports: Sequence[ArticleReport],
    problems: Sequence[Problem],
    *,
    check: bool,
    articles: int,
    with_catalogs: Iterable[str] = (),
    extract: ExtractResult | None = None,
) -> Report:
    """The report of a run: the jobs' ``reports`` (language order, then article order)
    and the project's own ``problems``; with ``check``, the freshness verdicts from
    ``extract`` (what it would change) and ``nothing-checked`` when the gate judged
    nothing: no language, no article (``articles`` counts them) or a language without
    any catalog (``with_catalogs`` lists those that have one). ``source_language`` is
    one of the reported ``languages`` only when some article is translated into it."""
    # the source language is reported only where an article is translated into it
    targeted = {r.language for r in reports}
    langs = tuple(lang for lang in languages if lang != config.source_language or lang in targeted)
    project = list(problems)
    result = list(reports)
    if check:
        if extract is not None:
            result, stale = _freshness(result, project, extract)
            project.extend(stale)
        project.extend(_nothing_checked(config, langs, articles, set(with_catalogs), project))
    skip = skipped(config)
    if skip:
        project = [p for p in project if p.code not in skip]
        result = [
            replace(r, problems=tuple(p for p in r.problems if p.code not in skip)) for r in result
        ]
    return Report(tuple(result), tuple(project), checked=check, languages=langs)


def _nothing_checked(
    config: Config,
    langs: Sequence[str],
    articles: int,
    with_catalogs: set[str],
    seen: Sequence[Problem],
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
        if articles and lang not in with_catalogs:
            yield Problem(
                "nothing-checked",
                "error",
                f"no catalog exists for {lang}: nothing of it was checked",
                "run 'pipeline extract' to create the catalogs, and commit them",
                config.rel(config.locales_dir / lang),
            )


def problem_of(exc: PipelineError, code: str) -> Problem:
    """``exc`` as a ``Problem`` with ``code`` (an error)."""
    return Problem(code, "error", exc.message, exc.hint or "", exc.path or "", exc.line or 0)


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


def _freshness(
    reports: list[ArticleReport], seen: list[Problem], result: ExtractResult
) -> tuple[list[ArticleReport], list[Problem]]:
    """Add a ``stale`` problem to each file ``pipeline extract`` would write."""
    by_catalog: dict[str, list[Problem]] = {}
    project: list[Problem] = []
    for file in result.files:
        if not file.changed:
            continue
        verb = "does not exist" if file.action is Action.CREATED else "is out of date"
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
            project.append(problem_of(exc, "source"))
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
