"""What the stages did: plain data the jobs return, the cache keeps and the commands print.

Kept apart from the stages themselves (``jobs``) so that a run the cache answers loads
no parser at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pipeline.checks.problem import Problem
from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.markdown.document import SourceWarning


class Action(StrEnum):
    """What a command did (or, with ``--check``, would do) to one file."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    """Deleted: a generated file nothing produces any more."""
    KEPT = "kept"
    """Looks stale, but left alone (``FileResult.detail`` says why)."""
    WITHHELD = "withheld"
    """Not published: the translation does not meet the publication policy
    (``FileResult.detail`` says why); an earlier copy is removed as stale."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """What a command did (or, with ``--check``, would do) to one file."""

    path: str
    """The file, relative to the project root."""
    action: Action
    """What happened to it."""
    detail: str = ""
    """A short summary of the change (``2 new, 1 obsolete``)."""

    @property
    def changed(self) -> bool:
        """The file was (or would be) written or removed."""
        return self.action not in (Action.UNCHANGED, Action.KEPT, Action.WITHHELD)


@dataclass(frozen=True, slots=True)
class Broken:
    """A translation that was not published: a check protecting the reader refused it,
    or writing it changed the article's structure."""

    po: str
    """The catalog holding it."""
    line: int
    """Line of the entry's msgid in the catalog."""
    reason: str
    """What went wrong."""
    code: str = "structure"
    """The check that refused it (``checks.registry.BLOCKING``)."""


@dataclass(frozen=True, slots=True)
class ArticleMerge:
    """One localized article."""

    lang: str
    """Target language."""
    output: FileResult
    """The localized article and what happened to it."""
    segments: int
    """Distinct translatable texts in the article (template messages)."""
    translated: int
    """Segments that show a translation."""
    fuzzy: int
    """Segments kept in the source language because their translation is fuzzy."""
    untranslated: int
    """Segments kept in the source language because they have no translation."""
    broken: tuple[Broken, ...] = ()
    """Why translations were not published: one record per problem (a translation may
    have several), each segment kept in the source language."""
    catalog_missing: bool = False
    """No ``.po`` exists yet for this article and language."""
    sha: str = ""
    """SHA-256 of the localized article as merge left it (``--check``: would leave it)."""
    complete: float = 100.0
    """Percentage of the article's words that show a translation."""
    incomplete: bool = False
    """Published below ``publish_min_complete`` with the source in the gaps
    (``publish_incomplete = "fallback"``), flagged ``translation_incomplete: true``."""
    slug: str = ""
    """The slug the front-matter policy made for the article (its candidate, before
    the project makes slugs unique); empty without a ``slug`` rule."""

    @property
    def published(self) -> bool:
        """The localized article was (or, with ``--check``, would be) written."""
        return self.output.action is not Action.WITHHELD

    @property
    def rejected(self) -> int:
        """Translations not published because a check or the structure refused them."""
        return len({(b.po, b.line) for b in self.broken})


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """Outcome of ``extract`` over the project."""

    files: tuple[FileResult, ...]
    """Every template and catalog considered, in order (orphaned templates ``removed``)."""
    errors: tuple[PipelineError, ...]
    """Files that could not be processed (each left untouched)."""
    orphans: tuple[str, ...] = ()
    """Catalogs of articles that no longer exist: kept (they hold translators' work and
    still lend suggestions), reported so someone decides."""
    warnings: tuple[SourceWarning, ...] = ()
    """Parts of articles that were not extracted (``Document.warnings``)."""

    @property
    def outdated(self) -> int:
        """Files ``extract`` wrote or removed (with ``--check``: would)."""
        return sum(1 for f in self.files if f.changed)

    def exit_code(self, *, check: bool = False) -> int:
        """1 when a file could not be processed, or when ``check`` finds a template or
        catalog out of date (``outdated``); else 0. Orphaned catalogs and source
        warnings never fail."""
        return 1 if self.errors or (check and self.outdated) else 0


@dataclass(frozen=True, slots=True)
class MergeResult:
    """Outcome of ``merge`` over the project."""

    articles: tuple[ArticleMerge, ...]
    """Every (language, article) rebuilt, in order."""
    errors: tuple[PipelineError, ...]
    """Articles or catalogs that could not be processed (their output left untouched)."""
    stale: tuple[str, ...] = field(default=())
    """Files in ``output/`` that no article produces any more."""
    kept: tuple[FileResult, ...] = ()
    """Files in ``output/`` that no article produces but that were left alone (``detail``
    says why: not listed in a manifest yet, edited since, a folder or a link)."""
    records: tuple[FileResult, ...] = ()
    """The manifests ``output/<lang>/.pipeline-manifest`` and what happened to them."""
    pages: tuple[FileResult, ...] = ()
    """``html``: every HTML page, index and feed ``merge`` wrote (or would write)."""

    @property
    def rejected(self) -> int:
        """Translations kept out of the output by a check or by the structure check."""
        return sum(a.rejected for a in self.articles)

    @property
    def outdated(self) -> int:
        """Files in ``output/`` that merge writes, removes or records differently: the
        articles, the stale outputs and the manifests."""
        changed = sum(1 for a in self.articles if a.output.changed)
        changed += sum(1 for page in self.pages if page.changed)
        return changed + len(self.stale) + sum(1 for r in self.records if r.changed)

    def exit_code(self, *, check: bool = False, strict: bool = False) -> int:
        """1 when a file could not be processed, when ``check`` finds ``output/`` out of
        date (``outdated``), or when ``strict`` and a translation was refused; else 0."""
        failed = (
            bool(self.errors) or (check and self.outdated > 0) or (strict and self.rejected > 0)
        )
        return 1 if failed else 0


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


class Stage(StrEnum):
    """The command a job works for."""

    EXTRACT = "extract"
    MERGE = "merge"
    STATUS = "status"
    CHECK = "check"


@dataclass(frozen=True, slots=True)
class Task:
    """One article for one command."""

    stage: Stage
    """The command."""
    config: Config
    """The project's settings."""
    article: Path
    """The article, relative to ``config.source_dir``."""
    languages: tuple[str, ...]
    """The languages to work on, in the order results are reported."""
    check: bool = False
    """Write nothing (``--check``; always so for ``status`` and ``check``)."""
    stamp: str = ""
    """The creation date a changed template gets (``extract``)."""
    slugs: tuple[tuple[str, str], ...] = ()
    """``merge``: (language, slug) where the article's slug candidate is another's too,
    and this unique one is written instead (``publish.slugs.unique_slugs``)."""
    foreign: tuple[str, ...] = ()
    """``merge``: languages whose output file for this article is there but was not
    written by merge (no manifest lists it): it is not overwritten."""


@dataclass(frozen=True, slots=True)
class CatalogState:
    """A catalog as a job left it, for the cache: what an update may look up elsewhere."""

    language: str
    """Its language."""
    sha: str | None
    """SHA-256 of the file after the job (None: there is none)."""
    asks: bool
    """It has entries without a translation, which every ``extract`` looks up in the
    other catalogs of the language: its update depends on them."""


@dataclass(frozen=True, slots=True)
class ExtractOutcome:
    """What ``extract`` did (or would do) for one article."""

    article: Path
    """The article, relative to ``source_dir``."""
    template: FileResult | None = None
    """Its template; None when the article could not be read."""
    catalogs: tuple[tuple[str, FileResult], ...] = ()
    """(language, catalog) in language order, for those that could be processed."""
    source_errors: tuple[PipelineError, ...] = ()
    """The article could not be read."""
    catalog_errors: tuple[tuple[str, PipelineError], ...] = ()
    """(language, error) for each catalog that could not be read or written."""
    warnings: tuple[SourceWarning, ...] = ()
    """Parts of the article that were not extracted."""
    states: tuple[CatalogState, ...] = ()
    """Each catalog as left, for the cache."""

    @property
    def changed(self) -> bool:
        """A file was (or would be) written."""
        files = [self.template] if self.template else []
        return any(f.changed for f in files + [f for _, f in self.catalogs])

    @property
    def clean(self) -> bool:
        """Nothing written and nothing failed: a fixed point the cache may keep."""
        return not self.changed and not self.source_errors and not self.catalog_errors


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    """What ``merge`` did (or would do) for one article."""

    article: Path
    """The article, relative to ``source_dir``."""
    merges: tuple[ArticleMerge, ...] = ()
    """One localized article per language, in language order."""
    errors: tuple[PipelineError, ...] = ()
    """What could not be read or written (that output left untouched)."""
    read: bool = True
    """The article could be read."""
    language: str = ""
    """The language the article is written in (empty: ``source_language``)."""

    @property
    def clean(self) -> bool:
        """Nothing written and nothing failed."""
        return not self.errors and not any(m.output.changed for m in self.merges)


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """Counts and verdicts of one article (``status``, ``check``)."""

    article: Path
    """The article, relative to ``source_dir``."""
    reports: tuple[ArticleReport, ...] = ()
    """One per language, in language order (none when the article cannot be read)."""
    problems: tuple[Problem, ...] = ()
    """The article's own: unreadable (``source``), parts not extracted (warnings)."""
    extract: ExtractOutcome | None = None
    """``check``: what ``extract`` would change."""
    read: bool = True
    """The article could be read."""

    @property
    def clean(self) -> bool:
        """Nothing in it failed to be read (verdicts themselves may be cached)."""
        if self.extract is not None and not self.extract.clean:
            return False
        return (
            self.read
            and not any(p.code in _UNREAD for p in self.problems)
            and not any(p.code in _UNREAD for r in self.reports for p in r.problems)
        )


_UNREAD = frozenset({"source", "catalog-parse"})
