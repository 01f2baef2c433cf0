"""What the stages did to each file: plain data the jobs return and the commands print."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

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
        return self.action not in (Action.UNCHANGED, Action.KEPT)


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

    @property
    def rejected(self) -> int:
        """Translations kept out of the output by a check or by the structure check."""
        return sum(a.rejected for a in self.articles)

    @property
    def outdated(self) -> int:
        """Files in ``output/`` that merge writes, removes or records differently: the
        articles, the stale outputs and the manifests."""
        changed = sum(1 for a in self.articles if a.output.changed)
        return changed + len(self.stale) + sum(1 for r in self.records if r.changed)

    def exit_code(self, *, check: bool = False, strict: bool = False) -> int:
        """1 when a file could not be processed, when ``check`` finds ``output/`` out of
        date (``outdated``), or when ``strict`` and a translation was refused; else 0."""
        failed = (
            bool(self.errors) or (check and self.outdated > 0) or (strict and self.rejected > 0)
        )
        return 1 if failed else 0
