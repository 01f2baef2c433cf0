"""The commands' work over a whole project: extract, merge, status and check.

Each command loads a ``Workspace`` once, turns it into one job per article
(``jobs.Task``), skips the jobs the cache vouches for (``cache.Cache``), runs the rest
through a ``executors.Runner`` (this process, a pool of processes, or a Dask cluster) and
puts the results together in article order, whatever order they finished in. Then it
does what needs the whole project at once: orphaned templates and catalogs, stale
outputs and the manifests. Functions here never print. An error in one file is recorded
and that file left untouched, while the other files are still processed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeVar, cast

from pipeline.cache import decode, encode, key_of
from pipeline.catalogs.catalog import Entry, read_catalog
from pipeline.catalogs.glossary import is_glossary
from pipeline.catalogs.matching import CandidatePool, candidate_entry
from pipeline.catalogs.memory import Memory, is_memory_file, memory_path, units_of
from pipeline.catalogs.template import SOURCE_LANGUAGE_FIELD, now_stamp
from pipeline.checks.glossary import Translated, consistency_problems, translated_entries
from pipeline.checks.problem import Problem
from pipeline.config import Config, with_languages
from pipeline.errors import CatalogError, PipelineError
from pipeline.executors import Runner, Serial
from pipeline.files import (
    remove_generated,
    sweep_staging,
)
from pipeline.locales import Language, language
from pipeline.outputs import (
    foreign_outputs,
    output_rel,
    pages_by_language,
    remove_stale,
    sync_pages,
)
from pipeline.policy import Action as PolicyAction
from pipeline.publish.slugs import unique_slugs
from pipeline.report import Report, build_report, skipped
from pipeline.results import (
    Action,
    ArticleMerge,
    ExtractOutcome,
    ExtractResult,
    FileResult,
    MergeOutcome,
    MergeResult,
    ReportOutcome,
    Stage,
    Task,
)
from pipeline.site import SiteResult, build_site
from pipeline.workspace import Shard, Workspace, load_workspace


class Progress(Protocol):
    """Told how many articles a command goes through, then each as it is done."""

    def start(self, total: int) -> None:
        """``total`` articles to go."""

    def advance(self, name: str) -> None:
        """The article ``name`` (as shown) is done."""


@dataclass(frozen=True, slots=True)
class _Calls:
    """A plain callable as a ``Progress``: called with each article's name."""

    call: Callable[[str], None]

    def start(self, total: int) -> None:
        """Nothing to do."""

    def advance(self, name: str) -> None:
        """Pass the name on."""
        self.call(name)


Outcome = TypeVar("Outcome", ExtractOutcome, MergeOutcome, ReportOutcome)


@dataclass(frozen=True, slots=True)
class Options:
    """How a command runs, beside what it does (the same results whatever they are)."""

    runner: Runner | None = None
    """Where the jobs run (default: in this process)."""
    cache: bool = False
    """Use ``.pipeline-cache/`` (the CLI's default; ``--no-cache`` turns it off)."""
    shard: Shard | None = None
    """Only this share of the articles (``--shard K/N``)."""
    progress: Progress | None = None
    """Called as each article's job finishes."""


def _workspace(config: Config, languages: Sequence[str] | None, options: Options) -> Workspace:
    if languages:
        config = with_languages(config, languages)
    return load_workspace(config, shard=options.shard, cache=options.cache)


def _settings(config: Config) -> str:
    """Every setting, as part of a job key (a changed setting reruns every job)."""
    return repr(config)


def _jobs(
    ws: Workspace,
    stage: Stage,
    kind: type[Outcome],
    keys: dict[Path, str],
    options: Options,
    *,
    check: bool,
    stamp: str = "",
    pools: Callable[[], dict[str, Memory]] | None = None,
    slugs: Mapping[Path, tuple[tuple[str, str], ...]] | None = None,
    foreign: Mapping[Path, tuple[str, ...]] | None = None,
) -> list[Outcome]:
    """Each article's outcome, in article order: from the cache when its key (and the
    pools it drew on) match, else from its job, run through ``options.runner``.
    ``slugs``: the unique slugs (``Task.slugs``) of articles whose candidate another
    article has too."""
    # extract --check judges parsed catalogs, extract their bytes: kept apart, so that
    # neither overwrites the other's verdicts
    table = f"{stage.value}.check" if check and stage is Stage.EXTRACT else stage.value
    runner = options.runner or Serial()
    found: dict[Path, Outcome] = {}
    for article, key in keys.items():
        hit = ws.cache.lookup(table, article.as_posix(), key)
        if not isinstance(hit, dict):
            continue
        drawn = hit.get("pools", {})
        if not isinstance(drawn, dict) or any(
            lang not in ws.languages or _pool_digest(ws, runner, lang) != value
            for lang, value in drawn.items()
        ):
            continue
        try:
            found[article] = decode(kind, hit["outcome"])
        except _DAMAGED:
            continue
    given, theirs = slugs or {}, foreign or {}
    tasks = [
        Task(stage, ws.config, a, ws.languages, check, stamp, given.get(a, ()), theirs.get(a, ()))
        for a in ws.articles
        if a not in found
    ]
    progress = options.progress
    if progress:
        progress.start(len(ws.articles))
        for article in found:
            progress.advance(ws.config.rel(ws.config.source_dir / article))

    def tick(number: int) -> None:
        if progress:
            progress.advance(ws.config.rel(ws.config.source_dir / tasks[number].article))

    if not tasks:
        return [found[a] for a in ws.articles]
    # Loaded only now: a run the cache answers entirely never loads the parsers.
    from pipeline.jobs import run  # noqa: PLC0415

    used: dict[str, str] = {}
    shared = None
    if pools is not None:
        orders = {lang: _pool_order(ws, lang) for lang in ws.languages}
        shared = pools()
        for lang, pool in shared.items():
            # the pool the jobs draw on, as read before any job wrote: what a verdict
            # depends on, even if a translator saves a catalog while the run goes on
            used[lang] = pool.digest()
            ws.cache.store(_POOLS, lang, orders[lang], used[lang])
    outcomes = cast(list[Outcome], runner.map(run, tasks, shared=shared, progress=tick))
    for task, outcome in zip(tasks, outcomes, strict=True):
        found[task.article] = outcome
    _remember(ws, table, keys, tasks, outcomes, used=used)
    return [found[a] for a in ws.articles]


_DAMAGED = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What decoding a damaged or foreign cache entry may raise: the job then runs."""

_POOLS = "pools"
"""Cache table: language → digest of its suggestion pool, keyed by its catalogs."""


def _pool_paths(ws: Workspace, lang: str) -> list[Path]:
    """The catalogs a language's suggestion pool is read from, in its order: the
    articles' (in article order), then the others (sorted)."""
    own = [ws.po_path(lang, a) for a in ws.all_articles]
    others, _ = ws.suggestion_catalogs(lang)
    return [p for p in own if p.exists()] + list(others)


def _pool_order(ws: Workspace, lang: str) -> str:
    """A key of the pool's catalogs as they are now: their names, order and contents,
    and the translation memory's (``_memory_path``)."""
    paths = [*_pool_paths(ws, lang), _memory_path(ws, lang)]
    return key_of([(ws.config.rel(p), ws.signature(str(p))) for p in paths])


def _pool_digest(ws: Workspace, runner: Runner, lang: str) -> str:
    """``Memory.digest`` of the language's pool and memory as on disk now: from the
    cache while their files are unchanged, else read (once per command)."""
    if lang not in ws.pool_digests:
        order = _pool_order(ws, lang)
        known = ws.cache.lookup(_POOLS, lang, order)
        if not isinstance(known, str):
            known = _language_memory(ws, runner, lang).digest()
            ws.cache.store(_POOLS, lang, order, known)
        ws.pool_digests[lang] = known
    return ws.pool_digests[lang]


def _remember(
    ws: Workspace,
    table: str,
    keys: dict[Path, str],
    tasks: Sequence[Task],
    outcomes: Sequence[Any],
    *,
    used: dict[str, str],
) -> None:
    """Store each outcome that changed nothing, with the digests of the pools it drew
    on (``used``: as the jobs read them)."""
    if not ws.cache.enabled:
        return
    for task, outcome in zip(tasks, outcomes, strict=True):
        if not outcome.clean:
            continue
        extract = _extract_of(outcome)
        asks = [s.language for s in extract.states if s.asks] if extract else []
        if any(lang not in used for lang in asks):
            continue
        value = {"outcome": encode(outcome), "pools": {lang: used[lang] for lang in asks}}
        ws.cache.store(table, task.article.as_posix(), keys[task.article], value)


def _extract_of(outcome: Any) -> ExtractOutcome | None:
    if isinstance(outcome, ExtractOutcome):
        return outcome
    return getattr(outcome, "extract", None)


def _signatures(ws: Workspace, paths: Iterable[str]) -> list[str | None]:
    return [ws.signature(p) for p in paths]


def _base(ws: Workspace, stage: Stage, *, check: bool = False) -> str:
    # --check compares parsed catalogs, a write compares bytes: their verdicts differ
    return key_of(stage.value, check, ws.cache.version, _settings(ws.config))


def _extract_keys(ws: Workspace, stage: Stage, *, check: bool) -> dict[Path, str]:
    """An extract (or check) job's inputs: the article, its template and its catalogs."""
    source, locales = str(ws.config.source_dir), str(ws.config.locales_dir)
    base = _base(ws, stage, check=check)
    glossaries = [
        f"{locales}/{lang}/{name}"
        for lang in ws.languages
        for name in ws.regular(".csv", lang)
        if is_glossary(name)
    ]
    keys = {}
    for article, stem in _stems(ws):
        files = [f"{source}/{article.as_posix()}", f"{locales}/{stem}.pot"]
        files += [f"{locales}/{lang}/{stem}.po" for lang in ws.languages]
        files += glossaries  # their terms are the catalogs' #. comments and a check
        keys[article] = key_of(base, article.as_posix(), _signatures(ws, files))
    return keys


def _stems(ws: Workspace) -> list[tuple[Path, str]]:
    """This run's articles with their stems (``Workspace.stems``)."""
    stem_of = dict(zip(ws.all_articles, ws.stems, strict=True))
    return [(a, stem_of[a]) for a in ws.articles]


def _language_pools(ws: Workspace, runner: Runner) -> dict[str, Memory]:
    """Per language, the pool of every translation in its catalogs (other articles' and
    orphaned catalogs' too) with its translation memory, read before any catalog is
    updated (``_language_memory``)."""
    return {lang: _language_memory(ws, runner, lang) for lang in ws.languages}


def _memory_path(ws: Workspace, lang: str) -> Path:
    """The compendium of imported units into ``lang`` (``catalogs.memory.memory_path``)."""
    config = ws.config
    return memory_path(config.locales_dir, lang, config.source_language, config.source_language)


def _language_memory(ws: Workspace, runner: Runner, lang: str) -> Memory:
    """``lang``'s memory: the units of its compendium, if there is one, and its pool
    (``_language_pool``). ``CatalogError`` (``path:line``) when the compendium is there
    but cannot be read: nothing is updated without the memory it names."""
    path = _memory_path(ws, lang)
    units = []
    if path.exists() or path.is_symlink():
        ws.config.confined(path, CatalogError)
        units = units_of(read_catalog(path, ws.config.rel(path)), path.name)
    return Memory(units, _language_pool(ws, runner, lang))


def _language_pool(ws: Workspace, runner: Runner, lang: str) -> CandidatePool:
    """The pool of ``lang``, from ``_pool_paths`` in their order.

    A catalog's candidates are kept in the cache by its SHA-256, so only the catalogs
    changed since the last run are parsed (spread over ``runner``)."""
    config = ws.config
    paths = _pool_paths(ws, lang)
    table = f"candidates.{lang}"
    known: dict[Path, list[Entry]] = {}
    missing: list[Path] = []
    for path in paths:
        sha = ws.signature(str(path))
        rows = ws.cache.lookup(table, config.rel(path), sha or "") if sha else None
        if isinstance(rows, list):
            try:
                known[path] = [_entry_of(row) for row in rows]
                continue
            except _DAMAGED:
                pass
        missing.append(path)
    chunks = [missing[i : i + _READ_CHUNK] for i in range(0, len(missing), _READ_CHUNK)]
    read = runner.map(_read_candidates, [(config, chunk) for chunk in chunks])
    for path, found in zip(missing, (f for chunk in read for f in chunk), strict=True):
        known[path] = list(found)
        sha = ws.signature(str(path))
        if sha is not None:
            ws.cache.store(table, config.rel(path), sha, [_row_of(e) for e in found])
    return CandidatePool(e for path in paths for e in known[path])


def _row_of(entry: Entry) -> list[Any]:
    return [
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        list(entry.flags),
        entry.previous_msgid,
        entry.previous_msgctxt,
        entry.obsolete,
        # the article a translation was made for names it in the memory's notes
        [list(o) for o in entry.occurrences[:1]],
    ]


def _entry_of(row: list[Any]) -> Entry:
    msgid, msgstr, msgctxt, flags, previous_msgid, previous_msgctxt, obsolete, where = row
    texts = (msgid, msgstr)
    optional = (msgctxt, previous_msgid, previous_msgctxt)
    if not (
        all(isinstance(x, str) for x in texts)
        and all(x is None or isinstance(x, str) for x in optional)
        and isinstance(flags, list)
        and all(isinstance(f, str) for f in flags)
        and isinstance(where, list)
        and all(
            isinstance(o, list) and len(o) == 2 and all(isinstance(x, str) for x in o)
            for o in where
        )
    ):
        raise ValueError("not a cached entry")
    return Entry(
        msgid=msgid,
        msgstr=msgstr,
        msgctxt=msgctxt,
        flags=tuple(flags),
        occurrences=tuple((path, line) for path, line in where),
        previous_msgid=previous_msgid,
        previous_msgctxt=previous_msgctxt,
        obsolete=bool(obsolete),
    )


_READ_CHUNK = 64


def _read_candidates(task: tuple[Config, Sequence[Path]]) -> list[tuple[Entry, ...]]:
    """The candidate entries of each catalog (empty when it cannot be read: an article's
    job reports its own catalog, ``Workspace.suggestion_catalogs`` the rest)."""
    config, paths = task
    found: list[tuple[Entry, ...]] = []
    for path in paths:
        try:
            catalog = read_catalog(path, config.rel(path))
        except (PipelineError, OSError):
            found.append(())
            continue
        source = catalog.field(SOURCE_LANGUAGE_FIELD)
        if source and source != config.source_language:
            # an article written in another language: its translations serve its own
            # language pair, never the project's articles
            found.append(())
            continue
        found.append(tuple(e for e in catalog.entries if candidate_entry(e)))
    return found


def extract_project(
    config: Config,
    *,
    check: bool = False,
    languages: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    options: Options | None = None,
) -> ExtractResult:
    """Write every template and update every ``.po`` (``check``: write nothing).

    ``languages`` limits the ``.po`` files touched (templates are always brought up to
    date). A ``.po`` that cannot be parsed is reported and never overwritten. Edited
    texts draw fuzzy suggestions from the article's own catalog first, then from every
    catalog of the same language. ``progress`` is called as each article is done.
    """
    options = options or Options()
    if progress is not None:
        options = Options(options.runner, options.cache, options.shard, _Calls(progress))
    ws = _workspace(config, languages, options)
    try:
        return _extract_project(ws, options, check=check)
    finally:
        ws.cache.save()


def _extract_project(ws: Workspace, options: Options, *, check: bool) -> ExtractResult:
    runner = options.runner or Serial()
    outcomes = _jobs(
        ws,
        Stage.EXTRACT,
        ExtractOutcome,
        _extract_keys(ws, Stage.EXTRACT, check=check),
        options,
        check=check,
        stamp=now_stamp(),
        pools=lambda: _language_pools(ws, runner),
    )
    if not check:
        sweep_staging(ws.config.locales_dir)  # the jobs kept them for their batch of writes
    return _extract_result(ws, outcomes, check=check)


def _extract_result(
    ws: Workspace, outcomes: Sequence[ExtractOutcome], *, check: bool
) -> ExtractResult:
    """The outcomes put together as ``extract`` reports them: templates in article
    order, then each language's catalogs; then orphaned templates and catalogs."""
    files = [o.template for o in outcomes if o.template is not None]
    errors = [e for o in outcomes for e in o.source_errors]
    for lang in ws.languages:
        for o in outcomes:
            files.extend(f for code, f in o.catalogs if code == lang)
            errors.extend(e for code, e in o.catalog_errors if code == lang)
    for lang in ws.languages:
        errors.extend(ws.suggestion_catalogs(lang)[1])
    warnings = tuple(w for o in outcomes for w in o.warnings)
    if ws.partial:
        return ExtractResult(tuple(files), tuple(errors), (), warnings)
    if not errors:  # with an article unreadable, its catalogs are not known to be orphans
        files += _orphaned_templates(ws, check)
    # An article that cannot be read still owns its catalogs: they are not orphans.
    langs = [language(code) for code in ws.languages]
    orphans = _orphaned_catalogs(ws, langs)
    return ExtractResult(tuple(files), tuple(errors), orphans, warnings)


def merge_project(
    config: Config,
    *,
    check: bool = False,
    languages: Sequence[str] | None = None,
    options: Options | None = None,
) -> MergeResult:
    """Rebuild ``output/<lang>/<article>`` for every article (``check``: write nothing)."""
    options = options or Options()
    ws = _workspace(config, languages, options)
    try:
        return _merge_project(ws, options, check=check)
    finally:
        ws.cache.save()


def _merge_keys(ws: Workspace) -> dict[Path, str]:
    """A merge job's inputs: the article, and per language its catalog and its output."""
    config = ws.config
    source, locales = str(config.source_dir), str(config.locales_dir)
    root, pattern = str(config.root), config.output_pattern
    base = _base(ws, Stage.MERGE)
    keys = {}
    for article, stem in _stems(ws):
        name = article.as_posix()
        files = [f"{source}/{name}"]
        posix = PurePosixPath(name)
        for lang in ws.languages:
            files += [f"{locales}/{lang}/{stem}.po", f"{root}/{pattern.expand(lang, posix)}"]
        keys[article] = key_of(base, name, _signatures(ws, files))
    return keys


def _merge_project(ws: Workspace, options: Options, *, check: bool) -> MergeResult:
    config = ws.config
    langs = ws.languages
    try:
        keys = _merge_keys(ws)
    except PipelineError:
        keys = {}
    slugs = _unique_slugs(ws, keys, options)
    foreign = foreign_outputs(ws)
    keys = {a: key_of(k, slugs[a]) if a in slugs else k for a, k in keys.items()}
    keys = {a: key_of(k, foreign[a]) if a in foreign else k for a, k in keys.items()}
    outcomes = _jobs(
        ws, Stage.MERGE, MergeOutcome, keys, options, check=check, slugs=slugs, foreign=foreign
    )
    errors = [e for o in outcomes for e in o.errors if not o.read]
    results: list[ArticleMerge] = []
    for lang in langs:
        for o in outcomes:
            results.extend(m for m in o.merges if m.lang == lang)
    errors += [e for o in outcomes if o.read for e in o.errors]
    # With an article unreadable, its output is not known to be stale: nothing is removed.
    decided = not errors and not ws.partial
    if not check:
        for top in sorted({config.output_root(lang) for lang in langs}):
            sweep_staging(top)
    stale: list[str] = []
    kept: list[FileResult] = []
    records: list[FileResult] = []
    produced: dict[str, dict[str, str]] = {lang: {} for lang in langs}
    withheld: dict[str, set[str]] = {lang: set() for lang in langs}
    for o in outcomes:
        for m in o.merges:
            rel = output_rel(config, m.lang, o.article)
            if m.published:
                produced[m.lang][rel] = m.sha
            else:
                withheld[m.lang].add(rel)
    site: SiteResult | None = None
    every_language = config.languages == config.configured_languages and config.source_targeted
    if config.html and decided and every_language:
        # every page links to the article in every other language: built from the whole
        # project only (never from a shard, nor after an article failed)
        published = {
            lang: [o.article for o in outcomes for m in o.merges if m.lang == lang and m.published]
            for lang in langs
        }
        originals = {o.article: o.language for o in outcomes if o.language}
        try:
            site = build_site(config, published, check=check, originals=originals)
        except PipelineError as exc:
            errors.append(exc)
            decided = False
    pages = pages_by_language(config, site, (config.source_language, *langs))
    for lang in langs:
        try:
            record = remove_stale(
                ws,
                lang,
                produced=produced,
                withheld=withheld[lang],
                pages=pages.pop((lang, config.html_pattern.root(lang)), {})
                if config.html_pattern.root(lang) == config.output_pattern.root(lang)
                else {},
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
    for lang in (config.source_language, *langs):
        made = pages.pop((lang, config.html_pattern.root(lang)), None)
        if made is None:
            continue
        try:
            record = sync_pages(
                ws, lang, made, stale=stale, kept=kept, decided=decided, check=check
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
        pages=site.files if site else (),
    )


def report_project(
    config: Config,
    *,
    check: bool,
    languages: Sequence[str] | None = None,
    options: Options | None = None,
) -> Report:
    """Count every (language, article); with ``check``, judge them as ``pipeline check``
    does (thresholds, required fields, catalog validity, freshness, quality checks)."""
    options = options or Options()
    skipped(config)  # an impossible skip_checks is an error before any work
    ws = _workspace(config, languages, options)
    try:
        return _report_project(ws, options, check=check)
    finally:
        ws.cache.save()


def _report_project(ws: Workspace, options: Options, *, check: bool) -> Report:
    config = ws.config
    stage = Stage.CHECK if check else Stage.STATUS
    runner = options.runner or Serial()
    outcomes = _jobs(
        ws,
        stage,
        ReportOutcome,
        _extract_keys(ws, stage, check=True),
        options,
        check=True,
        stamp=now_stamp(),
        pools=(lambda: _language_pools(ws, runner)) if check else None,
    )
    reports = [
        r for lang in ws.languages for o in outcomes for r in o.reports if r.language == lang
    ]
    problems = [p for o in outcomes for p in o.problems]
    extract = None
    if check:
        problems += _consistency(ws, runner)
        extract = _extract_result(
            ws, [o.extract for o in outcomes if o.extract is not None], check=True
        )
    with_catalogs = [
        lang for lang in ws.languages if any(ws.po_path(lang, a).exists() for a in ws.all_articles)
    ]
    return build_report(
        config,
        ws.languages,
        reports,
        problems,
        check=check,
        articles=len(ws.all_articles),
        with_catalogs=with_catalogs,
        extract=extract,
    )


def _consistency(ws: Workspace, runner: Runner) -> list[Problem]:
    """``consistency`` warnings of each language over every article's catalog (their
    translated entries cached by SHA-256, so only changed catalogs are parsed); a shard
    reports those of its own catalogs only."""
    if "consistency" in ws.config.skip_checks:
        return []
    config = ws.config
    problems: list[Problem] = []
    for lang in ws.languages:
        paths = [p for p in (ws.po_path(lang, a) for a in ws.all_articles) if p.exists()]
        table = f"translated.{lang}"
        known: dict[Path, list[Translated]] = {}
        for path in paths:
            sha = ws.signature(str(path))
            rows = ws.cache.lookup(table, config.rel(path), sha) if sha else None
            if isinstance(rows, list):
                try:
                    known[path] = [Translated.from_row(row) for row in rows]
                except _DAMAGED:
                    continue  # damaged: read again below
        missing = [p for p in paths if p not in known]
        chunks = [missing[i : i + _READ_CHUNK] for i in range(0, len(missing), _READ_CHUNK)]
        read = runner.map(_read_translated, [(config, chunk) for chunk in chunks])
        for path, found in zip(missing, (f for chunk in read for f in chunk), strict=True):
            known[path] = found
            sha = ws.signature(str(path))
            if sha is not None:
                ws.cache.store(table, config.rel(path), sha, [t.row() for t in found])
        own = {config.rel(ws.po_path(lang, a)) for a in ws.articles}
        entries = (t for path in paths for t in known[path])
        problems += (p for p in consistency_problems(lang, entries) if p.path in own)
    return problems


def _read_translated(task: tuple[Config, Sequence[Path]]) -> list[list[Translated]]:
    """The translated entries of each catalog (none when it cannot be read: the
    article's job reports it)."""
    config, paths = task
    found: list[list[Translated]] = []
    for path in paths:
        try:
            catalog = read_catalog(path, config.rel(path))
        except (PipelineError, OSError):
            found.append([])
            continue
        found.append(list(translated_entries(catalog.entries, catalog.path)))
    return found


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


def _orphaned_templates(ws: Workspace, check: bool) -> list[FileResult]:
    """Templates of articles that are gone, removed (``check``: reported as to be removed).

    Only a template ``extract`` wrote is removed: a regular file reached without
    following a symbolic link, whose header says ``extract`` generated it. Any other
    ``.pot`` is someone's own file and is left alone. Also clears the temporary files a
    killed run left under ``locales/`` (``sweep_staging``).
    """
    config = ws.config
    if not check:
        sweep_staging(config.locales_dir)
    wanted = {f"{stem}.pot" for stem in ws.stems}
    found = []
    for name in ws.regular(".pot"):
        if name in wanted:
            continue
        rel = PurePosixPath(name)
        if remove_generated(config.locales_dir, rel, _generated_template, dry_run=check).removed:
            found.append(
                FileResult(
                    config.rel(config.locales_dir / rel), Action.REMOVED, "no article uses it"
                )
            )
    return found


_TEMPLATE_MARK = b"\n# Generated by 'pipeline extract' from the article"
"""In the header comment of every template ``extract`` writes (``build_template``)."""


def _generated_template(data: bytes) -> bool:
    head = data.split(b"\nmsgid ", 1)[0]
    return head.startswith(b"# Translation template for ") and _TEMPLATE_MARK in head


def _orphaned_catalogs(ws: Workspace, langs: Sequence[Language]) -> tuple[str, ...]:
    """Regular ``.po`` files no article uses (symbolic links are not followed); the
    translation memory (``memory.po``) is no orphan."""
    config = ws.config
    wanted = {f"{stem}.po" for stem in ws.stems}
    return tuple(
        config.rel(config.locales_dir / lang.code / name)
        for lang in langs
        for name in ws.regular(".po", lang.code)
        if name not in wanted and not is_memory_file(name)
    )


def _unique_slugs(
    ws: Workspace, keys: dict[Path, str], options: Options
) -> dict[Path, tuple[tuple[str, str], ...]]:
    """With a ``slug`` rule in the front-matter policy, the articles whose slug another
    article in the same language would have too, and the unique slug each gets instead
    (``Task.slugs``): a first pass that writes nothing collects every candidate. Only
    the articles of this run are compared (``--shard`` compares within its share)."""
    if not ws.config.front_matter_policy.keys(PolicyAction.SLUG):
        return {}
    quiet = replace(options, progress=None)
    first = _jobs(ws, Stage.MERGE, MergeOutcome, keys, quiet, check=True)
    found: dict[Path, list[tuple[str, str]]] = {}
    for lang in ws.languages:
        candidates = {
            o.article: m.slug for o in first for m in o.merges if m.lang == lang and m.slug
        }
        for article, slug in unique_slugs(candidates).items():
            if slug != candidates[article]:
                found.setdefault(article, []).append((lang, slug))
    return {article: tuple(pairs) for article, pairs in found.items()}
