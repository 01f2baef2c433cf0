"""The commands' work over a whole project: extract and merge every article.

Functions here read and write files and collect what happened; they never print. An
error in one file (a ``.po`` that does not parse, an article that is not UTF-8) is
recorded and that file is left untouched, while the other files are still processed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalog import Catalog, catalog_text, read_catalog, same_messages
from pipeline.config import Config
from pipeline.document import Document
from pipeline.errors import PipelineError
from pipeline.extract import UpdateStats, build_template, now_stamp, update_catalog
from pipeline.files import read_article, read_text_if_exists, write_atomic
from pipeline.locales import Language, language
from pipeline.matching import CandidatePool, language_pool
from pipeline.render import render
from pipeline.segment import segment_document
from pipeline.translations import translations


@dataclass(frozen=True, slots=True)
class FileResult:
    """What a command did (or, with ``--check``, would do) to one file."""

    path: str
    """The file, relative to the project root."""
    action: str
    """``created``, ``updated`` or ``unchanged``."""
    detail: str = ""
    """A short summary of the change (``2 new, 1 obsolete``)."""

    @property
    def changed(self) -> bool:
        """The file was (or would be) written."""
        return self.action != "unchanged"


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


@dataclass(frozen=True, slots=True)
class Broken:
    """A translation that was not published because it broke the article."""

    po: str
    """The catalog holding it."""
    line: int
    """Line of the entry's msgid in the catalog."""
    reason: str
    """What went wrong."""


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
    """Segments kept in the source language because their translation broke the article."""
    catalog_missing: bool = False
    """No ``.po`` exists yet for this article and language."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """Outcome of ``merge`` over the project."""

    articles: tuple[ArticleMerge, ...]
    """Every (language, article) rebuilt, in order."""
    errors: tuple[PipelineError, ...]
    """Articles or catalogs that could not be processed (their output left untouched)."""
    stale: tuple[str, ...] = field(default=())
    """Files in ``output/`` that no article produces any more."""


def _documents(config: Config, errors: list[PipelineError]) -> Iterator[tuple[Path, Document]]:
    for article in config.articles():
        shown = config.rel(config.source_dir / article)
        try:
            text = read_article(config.source_dir / article, shown)
            yield article, segment_document(text, shown, config.front_matter_keys)
        except PipelineError as exc:
            errors.append(exc)


def _project_id(article: Path) -> str:
    return article.with_suffix("").as_posix()


def _read_optional(path: Path, shown: str) -> Catalog | None:
    return read_catalog(path, shown) if path.exists() else None


def extract_project(
    config: Config,
    *,
    check: bool = False,
    languages: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ExtractResult:
    """Write every template and update every ``.po`` (``check``: write nothing).

    ``languages`` limits the ``.po`` files touched (templates are always brought up to
    date). A ``.po`` that cannot be parsed is reported and never overwritten. Edited
    texts draw fuzzy suggestions from the article's own catalog first, then from every
    catalog of the same language. ``progress`` is called with each file's name.
    """
    langs = [language(code) for code in (languages or config.languages)]
    stamp = now_stamp()
    errors: list[PipelineError] = []
    files: list[FileResult] = []
    templates: list[tuple[Path, Catalog]] = []
    for article, doc in _documents(config, errors):
        pot_path = config.template_path(article)
        pot_shown = config.rel(pot_path)
        try:
            previous = _read_optional(pot_path, pot_shown)
        except PipelineError:
            previous = None  # a template is ours to regenerate, whatever state it is in
        template = build_template(doc, _project_id(article), config.po_flags, previous, stamp)
        files.append(
            _settle(
                pot_path,
                shown=pot_shown,
                catalog=template,
                on_disk=previous,
                check=check,
                config=config,
                stats="",
            )
        )
        templates.append((article, template))
        if progress:
            progress(pot_shown)
    for lang in langs:
        olds, pool = _language_catalogs(config, lang.code, [a for a, _ in templates], errors)
        for article, template in templates:
            po_path = config.po_path(lang.code, article)
            if po_path not in olds:
                continue  # it did not parse: reported, left untouched
            po_shown = config.rel(po_path)
            updated, stats = update_catalog(
                olds[po_path], template, lang, config.po_flags, pool=pool
            )
            try:
                files.append(
                    _settle(
                        po_path,
                        shown=po_shown,
                        catalog=updated,
                        on_disk=olds[po_path],
                        check=check,
                        config=config,
                        stats=stats,
                    )
                )
            except PipelineError as exc:
                errors.append(exc)
            if progress:
                progress(po_shown)
    if not errors:  # with an article unreadable, its catalogs are not known to be orphans
        files += _orphaned_templates(config, [a for a, _ in templates], check)
    orphans = _orphaned_catalogs(config, [a for a, _ in templates], langs)
    return ExtractResult(tuple(files), tuple(errors), orphans)


def _orphaned_templates(config: Config, articles: Sequence[Path], check: bool) -> list[FileResult]:
    """Templates of articles that are gone: generated files, so they are removed."""
    wanted = {config.template_path(a) for a in articles}
    found = []
    for path in sorted(config.locales_dir.rglob("*.pot")) if config.locales_dir.is_dir() else []:
        if path in wanted:
            continue
        if not check:
            _remove(path, config.locales_dir)
        found.append(FileResult(config.rel(path), "removed", "no article uses it any more"))
    return found


def _orphaned_catalogs(
    config: Config, articles: Sequence[Path], langs: Sequence[Language]
) -> tuple[str, ...]:
    wanted = {config.po_path(lang.code, a) for lang in langs for a in articles}
    return tuple(
        config.rel(path)
        for lang in langs
        if (config.locales_dir / lang.code).is_dir()
        for path in sorted((config.locales_dir / lang.code).rglob("*.po"))
        if path not in wanted
    )


def _language_catalogs(
    config: Config, lang: str, articles: Sequence[Path], errors: list[PipelineError]
) -> tuple[dict[Path, Catalog | None], CandidatePool]:
    """Every article's catalog for ``lang`` (None: none yet), read once, and a pool of
    all translations of that language (other articles' and orphaned catalogs' too)."""
    olds: dict[Path, Catalog | None] = {}
    for article in articles:
        path = config.po_path(lang, article)
        try:
            olds[path] = _read_optional(path, config.rel(path))
        except PipelineError as exc:
            errors.append(exc)
    others = []
    folder = config.locales_dir / lang
    for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        if path in olds:
            continue
        try:
            others.append(read_catalog(path, config.rel(path)))
        except PipelineError:
            continue  # not ours to report: no article uses it
    pool = language_pool([c for c in olds.values() if c is not None] + others)
    return olds, pool


def _settle(
    path: Path,
    *,
    shown: str,
    catalog: Catalog,
    on_disk: Catalog | None,
    check: bool,
    config: Config,
    stats: UpdateStats | str,
) -> FileResult:
    """Write ``catalog`` to ``path`` unless unchanged; with ``check``, only compare.

    ``check`` compares parsed content (entries and header), so a file a translator's
    tool re-wrapped, or stripped of our own flags, is not reported as stale.
    """
    detail = stats.summary() if isinstance(stats, UpdateStats) else stats
    if on_disk is None:
        if not check:
            write_atomic(path, catalog_text(catalog), shown)
        return FileResult(shown, "created", detail)
    if check:
        same = same_messages(on_disk, catalog, config.po_flags) and (
            on_disk.header == catalog.header
        )
        return FileResult(shown, "unchanged" if same else "updated", detail)
    text = catalog_text(catalog)
    if read_text_if_exists(path) == text:
        return FileResult(shown, "unchanged", detail)
    write_atomic(path, text, shown)
    return FileResult(shown, "updated", detail)


def merge_project(
    config: Config, *, check: bool = False, languages: Sequence[str] | None = None
) -> MergeResult:
    """Rebuild ``output/<lang>/<article>`` for every article (``check``: write nothing)."""
    langs = list(languages or config.languages)
    errors: list[PipelineError] = []
    results: list[ArticleMerge] = []
    expected: set[Path] = set()
    docs = list(_documents(config, errors))
    for lang in langs:
        for article, doc in docs:
            try:
                out_path = config.output_path(lang, article)
                expected.add(out_path)
                results.append(
                    _merge_article(config, lang, article, doc, out_path=out_path, check=check)
                )
            except PipelineError as exc:
                errors.append(exc)
    stale: list[str] = []
    if not errors:  # with an article unreadable, its output is not known to be stale
        for lang in langs:
            for path in sorted((config.output_dir / lang).rglob("*.md")):
                if path.resolve() in expected:
                    continue
                stale.append(config.rel(path))
                if not check:
                    _remove(path, config.output_dir / lang)
    return MergeResult(tuple(results), tuple(errors), tuple(stale))


def _remove(path: Path, top: Path) -> None:
    """Delete a generated file no article produces any more, and emptied folders."""
    try:
        path.unlink()
        folder = path.parent
        while folder != top and folder.is_relative_to(top) and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError as exc:
        raise PipelineError(f"cannot remove: {exc.strerror}", path=str(path)) from None


def _merge_article(
    config: Config, lang: str, article: Path, doc: Document, *, out_path: Path, check: bool
) -> ArticleMerge:
    po_path = config.po_path(lang, article)
    po_shown = config.rel(po_path)
    catalog = _read_optional(po_path, po_shown)
    found = translations(catalog)
    rendered = render(doc, found.publishable)
    broken_ids = {f.segment.msgid: f.reason for f in rendered.fallbacks}
    broken = tuple(
        Broken(po_shown, found.entries[msgid].line if msgid in found.entries else 0, reason)
        for msgid, reason in broken_ids.items()
    )
    # Counted per distinct text, like the template and `pipeline status`: a title that
    # is also the heading is one message, translated (or not) once.
    messages = list(dict.fromkeys(seg.msgid for seg in doc.segments))
    translated = sum(1 for m in messages if m in found.publishable and m not in broken_ids)
    fuzzy = sum(1 for m in messages if m in found.fuzzy and m not in broken_ids)
    untranslated = len(messages) - translated - fuzzy - len(broken_ids)
    shown = config.rel(config.output_dir / lang / article)
    on_disk = read_text_if_exists(out_path)
    if on_disk == rendered.text:
        action = "unchanged"
    else:
        action = "created" if on_disk is None else "updated"
        if not check:
            write_atomic(out_path, rendered.text, shown)
    return ArticleMerge(
        lang=lang,
        output=FileResult(shown, action),
        segments=len(messages),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=untranslated,
        broken=broken,
        catalog_missing=catalog is None,
    )
