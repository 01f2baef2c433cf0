"""The commands' work over a whole project: extract and merge every article.

Functions here read and write files and collect what happened; they never print. An
error in one file (a ``.po`` that does not parse, an article that is not UTF-8) is
recorded and that file is left untouched, while the other files are still processed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from pipeline.catalogs.catalog import Catalog, catalog_text, read_catalog, same_messages
from pipeline.catalogs.matching import CandidatePool, language_pool
from pipeline.catalogs.template import build_template, now_stamp
from pipeline.catalogs.translations import translations
from pipeline.catalogs.update import UpdateStats, update_catalog
from pipeline.checks.problem import Context
from pipeline.checks.run import gate
from pipeline.config import ARTICLE_SUFFIXES, Config
from pipeline.errors import CatalogError, PipelineError
from pipeline.files import (
    MANIFEST_NAME,
    digest,
    manifest_text,
    read_article,
    read_manifest,
    read_regular,
    read_text_if_exists,
    regular_files,
    remove_generated,
    sweep_staging,
    write_atomic,
)
from pipeline.locales import Language, language
from pipeline.markdown.document import Document, SourceWarning
from pipeline.markdown.segment import segment_document
from pipeline.publish.markdown import render


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
    warnings: tuple[SourceWarning, ...] = ()
    """Parts of articles that were not extracted (``Document.warnings``)."""


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
    """The check that refused it (``checks.BLOCKING``), or ``structure``."""


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


def _documents(
    config: Config, articles: Sequence[Path], errors: list[PipelineError]
) -> Iterator[tuple[Path, Document]]:
    """Each readable article of ``articles``, segmented; the others are ``errors``."""
    for article in articles:
        shown = config.rel(config.source_dir / article)
        try:
            text = read_article(config.source_dir / article, shown)
            yield article, segment_document(text, shown, config.front_matter_keys)
        except PipelineError as exc:
            errors.append(exc)


def _project_id(article: Path) -> str:
    return article.with_suffix("").as_posix()


def _read_optional(path: Path, shown: str) -> Catalog | None:
    """The catalog at ``path``; None when nothing is there. A broken link, a FIFO or a
    folder is an error (``read_catalog``), so it is neither opened nor overwritten."""
    return read_catalog(path, shown) if path.exists() or path.is_symlink() else None


def create_folders(config: Config) -> list[str]:
    """Create the source and locales folders that do not exist yet (``pipeline init`` in
    an empty folder makes a working project); returns them as shown to the user."""
    made = []
    for folder in (config.source_dir, config.locales_dir):
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise PipelineError(
                    f"cannot create the folder: {exc.strerror}", path=config.rel(folder)
                ) from None
            made.append(config.rel(folder))
    return made


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
    articles = config.articles()
    warnings: list[SourceWarning] = []
    for article, doc in _documents(config, articles, errors):
        warnings.extend(doc.warnings)
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
    # An article that cannot be read still owns its catalogs: they are not orphans.
    orphans = _orphaned_catalogs(config, articles, langs)
    return ExtractResult(tuple(files), tuple(errors), orphans, tuple(warnings))


def _orphaned_templates(config: Config, articles: Sequence[Path], check: bool) -> list[FileResult]:
    """Templates of articles that are gone, removed (``check``: reported as to be removed).

    Only a template ``extract`` wrote is removed: a regular file reached without
    following a symbolic link, whose header says ``extract`` generated it. Any other
    ``.pot`` is someone's own file and is left alone. Also clears the temporary files a
    killed run left under ``locales/`` (``sweep_staging``).
    """
    if not check:
        sweep_staging(config.locales_dir)
    wanted = {config.template_path(a) for a in articles}
    found = []
    for rel in regular_files(config.locales_dir):
        if rel.suffix != ".pot" or config.locales_dir / rel in wanted:
            continue
        if remove_generated(config.locales_dir, rel, _generated_template, dry_run=check).removed:
            found.append(
                FileResult(config.rel(config.locales_dir / rel), "removed", "no article uses it")
            )
    return found


_TEMPLATE_MARK = b"\n# Generated by 'pipeline extract' from the article"
"""In the header comment of every template ``extract`` writes (``build_template``)."""


def _generated_template(data: bytes) -> bool:
    head = data.split(b"\nmsgid ", 1)[0]
    return head.startswith(b"# Translation template for ") and _TEMPLATE_MARK in head


def _orphaned_catalogs(
    config: Config, articles: Sequence[Path], langs: Sequence[Language]
) -> tuple[str, ...]:
    """Regular ``.po`` files no article uses (symbolic links are not followed)."""
    wanted = {config.po_path(lang.code, a) for lang in langs for a in articles}
    return tuple(
        config.rel(config.locales_dir / lang.code / rel)
        for lang in langs
        for rel in regular_files(config.locales_dir / lang.code)
        if rel.suffix == ".po" and config.locales_dir / lang.code / rel not in wanted
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
        if path in olds or path.is_dir():
            continue
        try:
            # Read for suggestions only, but a link out of the project or a FIFO is
            # still refused loudly: it would leak another file or hang the run.
            config.confined(path, CatalogError)
            read_regular(path, config.rel(path), CatalogError)
        except FileNotFoundError:
            continue  # a broken link: nothing to read
        except PipelineError as exc:
            errors.append(exc)
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
    docs = list(_documents(config, config.articles(), errors))
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
    # With an article unreadable, its output is not known to be stale: nothing is removed.
    decided = not errors
    if not check:
        sweep_staging(config.output_dir)
    stale: list[str] = []
    kept: list[FileResult] = []
    records: list[FileResult] = []
    produced = {a.output.path for a in results}
    for lang in langs:
        try:
            record = _remove_stale(
                config,
                lang,
                [a for a, _ in docs],
                produced=produced,
                stale=stale,
                kept=kept,
                decided=decided,
                check=check,
            )
        except PipelineError as exc:
            errors.append(exc)
            continue
        if record is not None:
            records.append(record)
    return MergeResult(
        tuple(results),
        tuple(errors),
        tuple(stale),
        kept=tuple(kept),
        records=tuple(records),
    )


def _digest_is(sha: str) -> Callable[[bytes], bool]:
    return lambda data: digest(data) == sha


def _remove_stale(
    config: Config,
    lang: str,
    articles: Sequence[Path],
    *,
    produced: set[str],
    stale: list[str],
    kept: list[FileResult],
    decided: bool,
    check: bool,
) -> FileResult | None:
    """Remove ``output/<lang>`` files that ``merge`` wrote and no article produces any
    more, and bring that folder's manifest up to date (``check``: only compare).

    The manifest (``files.MANIFEST_NAME``) lists each file ``merge`` wrote there with its
    SHA-256. A listed file no article produces is removed (added to ``stale``) only when
    ``decided`` (every article was read) and while its bytes are the ones recorded;
    anything else (a hand-written file, a folder, a symbolic link, an edited file) is
    left alone and added to ``kept``. Without a manifest (a first run) nothing is
    removed: the files that look stale are only listed in ``kept``. Returns what happened
    to the manifest, or None when there is none to write.
    """
    folder = config.output_dir / lang
    manifest = folder / MANIFEST_NAME
    previous = read_manifest(manifest, config.rel(manifest))
    wanted = {a.as_posix() for a in articles}
    entries: dict[str, str] = {}
    for rel in sorted(wanted):
        if config.rel(folder / rel) not in produced:
            if previous and rel in previous:
                entries[rel] = previous[rel]  # not rebuilt this run: keep the claim
            continue
        try:
            entries[rel] = digest(read_regular(folder / rel, config.rel(folder / rel)))
        except FileNotFoundError:
            continue  # --check: not written yet
    if previous is None:
        for found in regular_files(folder) if decided else ():
            suffix = PurePath(found.name).suffix.lower()
            if found.as_posix() not in wanted and suffix in ARTICLE_SUFFIXES:
                kept.append(
                    FileResult(
                        config.rel(folder / found),
                        "kept",
                        f"no {MANIFEST_NAME} yet, so merge cannot tell it wrote this file",
                    )
                )
    else:
        for rel, sha in sorted(previous.items()):
            if rel in wanted:
                continue
            if not decided:
                entries[rel] = sha
                continue
            done = remove_generated(folder, PurePosixPath(rel), _digest_is(sha), dry_run=check)
            if done.removed:
                stale.append(config.rel(folder / rel))
            elif done.reason:
                kept.append(FileResult(config.rel(folder / rel), "kept", done.reason))
    if previous is None and not entries:
        return None
    text = manifest_text(entries)
    shown = config.rel(manifest)
    on_disk = read_text_if_exists(manifest, shown)
    if on_disk == text:
        return FileResult(shown, "unchanged")
    if not check:
        write_atomic(manifest, text, shown)
    return FileResult(shown, "created" if on_disk is None else "updated")


def _merge_article(
    config: Config, lang: str, article: Path, doc: Document, *, out_path: Path, check: bool
) -> ArticleMerge:
    po_path = config.po_path(lang, article)
    po_shown = config.rel(po_path)
    catalog = _read_optional(po_path, po_shown)
    found = translations(catalog)
    judged = gate(doc, found, Context(config.source_language, lang, config.localized_url_hosts))
    rendered = render(doc, judged.publishable)
    why: dict[str, list[tuple[str, str]]] = {
        msgid: [(p.code, p.message) for p in problems] for msgid, problems in judged.refused.items()
    }
    for fallback in rendered.fallbacks:
        why.setdefault(fallback.segment.msgid, []).append(("structure", fallback.reason))
    broken_ids = set(why)
    broken = tuple(
        Broken(po_shown, found.entries[msgid].line if msgid in found.entries else 0, reason, code)
        for msgid, reasons in why.items()
        for code, reason in reasons
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
