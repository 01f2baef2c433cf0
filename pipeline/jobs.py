"""One article's work for one command: the unit the executors run, in any process.

A job reads its article once, segments it once, reads each of its catalogs once, and
does everything its command needs with them, for every language asked: ``extract``
(template and catalogs), ``merge`` (localized articles), ``status`` and ``check``
(counts, verdicts and, for ``check``, what ``extract`` would change). It returns plain,
picklable data; it never prints. Jobs are independent of one another, except that an
``extract`` draws suggestions from every catalog of a language: that pool is built
before the jobs start and handed to them (``executors.shared()``).

A job is one article with all its languages, not one (article, language) pair: the
article is then segmented once per command instead of once per language, and an archive
of thousands of articles has jobs enough for every core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, read_catalog, same_messages
from pipeline.catalogs.glossary import (
    Glossary,
    Inflection,
    glossary_path,
    read_glossary,
    with_glossary,
)
from pipeline.catalogs.memory import Memory
from pipeline.catalogs.template import build_template
from pipeline.catalogs.translations import Translations, translations
from pipeline.catalogs.update import UpdateStats, update_catalog
from pipeline.checks.article import quality, required_fields
from pipeline.checks.catalog import catalog_problems
from pipeline.checks.glossary import glossary_problems
from pipeline.checks.problem import Context, Problem
from pipeline.checks.registry import STYLE
from pipeline.checks.run import gate
from pipeline.checks.words import count_words
from pipeline.config import Config
from pipeline.errors import CatalogError, ConfigError, PipelineError
from pipeline.executors import shared
from pipeline.files import digest, read_article, read_text_if_exists, write_atomic
from pipeline.locales import language, same_language
from pipeline.markdown.document import Document, split_key
from pipeline.markdown.segment import segment_document
from pipeline.markdown.sentences import in_sentences, sentences
from pipeline.publish.front_matter import apply_policy
from pipeline.publish.markdown import INCOMPLETE_KEY, mark_incomplete, render
from pipeline.report import article_report, count, problem_of
from pipeline.results import (
    Action,
    ArticleMerge,
    Broken,
    CatalogState,
    ExtractOutcome,
    FileResult,
    MergeOutcome,
    ReportOutcome,
    Stage,
    Task,
)


@dataclass(frozen=True, slots=True)
class _Article:
    """An article as a job reads it."""

    path: Path
    shown: str
    doc: Document
    messages: tuple[str, ...] = field(default=())
    language: str = ""
    """The language the article is written in: its own word (``Document.language``),
    else ``source_language``."""
    words: dict[str, int] = field(default_factory=dict)
    """Words of each message (``_word_counts``), once counted."""

    def targets(self, languages: Sequence[str]) -> tuple[str, ...]:
        """``languages`` (a task's) without the article's own: what it is translated
        into."""
        return tuple(code for code in languages if not same_language(code, self.language))


def run(task: Task) -> ExtractOutcome | MergeOutcome | ReportOutcome:
    """Do ``task`` (the function the executors run)."""
    if task.stage is Stage.EXTRACT:
        return extract_job(task)
    if task.stage is Stage.MERGE:
        return merge_job(task)
    return report_job(task)


def _load(config: Config, article: Path) -> _Article:
    shown = config.rel(config.source_dir / article)
    text = read_article(config.source_dir / article, shown)
    doc = segment_document(text, shown, config.front_matter_keys, language_key=config.language_key)
    written_in = _configured(config, doc.language) if doc.language else config.source_language
    if (doc.segment_mode or config.segment) == "sentence":
        doc = in_sentences(doc, written_in)
    keys = (m.key for s in doc.segments for m in s.messages)
    return _Article(article, shown, doc, tuple(dict.fromkeys(keys)), written_in)


def _configured(config: Config, code: str) -> str:
    """``code`` (an article's language, as CLDR spells it) as the settings spell the
    same language (``az-Latn``, ``az_AZ`` are the configured ``az``), else as it is."""
    for known in (config.source_language, *config.configured_languages):
        if same_language(code, known):
            return known
    return code


def _read_optional(path: Path, shown: str) -> Catalog | None:
    """The catalog at ``path``; None when nothing is there. A broken link, a FIFO or a
    folder is an error (``read_catalog``), so it is neither opened nor overwritten."""
    return read_catalog(path, shown) if path.exists() or path.is_symlink() else None


def load_article(config: Config, article: Path) -> Document:
    """``article`` (relative to ``source_dir``) read and segmented exactly as every
    command sees it (sentence mode applied); ``SourceError`` when it cannot be read."""
    return _load(config, article).doc


def read_optional_catalog(path: Path, shown: str) -> Catalog | None:
    """The catalog at ``path`` as the jobs read it: None when nothing is there,
    ``CatalogError`` (at ``shown:line``) when it cannot be read or parsed."""
    return _read_optional(path, shown)


def project_id(article: Path) -> str:
    """The ``Project-Id-Version`` of an article's catalogs: its path without suffix."""
    return article.with_suffix("").as_posix()


# --- extract ----------------------------------------------------------------------------


def extract_job(task: Task) -> ExtractOutcome:
    """Bring the article's template and catalogs up to date (``task.check``: compare)."""
    config = task.config
    try:
        art = _load(config, task.article)
    except PipelineError as exc:
        return ExtractOutcome(task.article, source_errors=(exc,))
    olds: dict[str, PipelineError | Catalog | None] = {}
    for code in art.targets(task.languages):
        path = config.po_path(code, task.article)
        try:
            olds[code] = _read_optional(path, config.rel(path))
        except PipelineError as exc:
            olds[code] = exc
    return _extract(task, art, olds)


def _extract(
    task: Task, art: _Article, olds: Mapping[str, PipelineError | Catalog | None]
) -> ExtractOutcome:
    config = task.config
    # per language, its catalogs' pool and its translation memory (project._language_pools)
    pools: Mapping[str, Memory] = shared() or {}
    pot_path = config.template_path(task.article)
    pot_shown = config.rel(pot_path)
    try:
        previous = _read_optional(pot_path, pot_shown)
    except PipelineError:
        previous = None  # a template is ours to regenerate, whatever state it is in
    own = art.language != config.source_language
    template = build_template(
        art.doc,
        project_id(task.article),
        config.po_flags,
        previous,
        task.stamp,
        source_language=art.language if own else "",
    )
    pot_result, _ = settle(
        pot_path,
        shown=pot_shown,
        catalog=template,
        on_disk=previous,
        check=task.check,
        config=config,
        stats="",
    )
    results: list[tuple[str, FileResult]] = []
    errors: list[tuple[str, PipelineError]] = []
    states: list[CatalogState] = []
    for code in art.targets(task.languages):
        old = olds[code]
        if isinstance(old, PipelineError):
            errors.append((code, old))
            continue  # it did not parse: reported, left untouched
        try:
            glossary = load_glossary(config, code, art.language)
        except PipelineError as exc:
            errors.append((code, exc))
            continue  # the catalog waits, untouched, for a glossary that reads
        path = config.po_path(code, task.article)
        updated, stats = update_catalog(
            old,
            template,
            language(code),
            config.po_flags,
            # the language's pool and memory serve the project's language pair: an
            # article written in another language draws on its own catalog only
            pool=pools[code].pool if code in pools and not own else None,
            memory=pools.get(code) if not own else None,
            memory_exact=config.memory_exact,
            split=partial(_sentence_texts, language=code),
        )
        updated = with_glossary(updated, glossary)  # per language: not in the template
        try:
            result, sha = settle(
                path,
                shown=config.rel(path),
                catalog=updated,
                on_disk=old,
                check=task.check,
                config=config,
                stats=stats,
            )
        except PipelineError as exc:
            errors.append((code, exc))
            continue
        results.append((code, result))
        states.append(CatalogState(code, sha, any(_asks(e) for e in updated.active)))
    return ExtractOutcome(
        task.article,
        pot_result,
        tuple(results),
        catalog_errors=tuple(errors),
        warnings=art.doc.warnings,
        states=tuple(states),
    )


def load_glossary(config: Config, lang: str, source: str = "") -> Glossary | None:
    """The glossary from ``source`` (default ``source_language``) into ``lang``
    (``catalogs.glossary.glossary_path``), None when there is none; ``CatalogError`` at
    ``path:line`` when it cannot be read."""
    source = source or config.source_language
    path = glossary_path(config.locales_dir, lang, source, config.source_language)
    if path.is_symlink():
        config.confined(path, CatalogError)  # a link out of the project is not followed
    rules = tuple(
        (code, Inflection(min_stem, change, suffix))
        for code, min_stem, change, suffix in config.glossary_inflection
    )
    return read_glossary(path, config.rel(path), source=source, target=lang, overrides=rules)


def _sentence_texts(text: str, language: str) -> tuple[str, ...]:
    """A translation cut into sentences by ``language``'s rules (a switch to sentence
    messages hands a paragraph's translation to its sentences)."""
    return sentences(text, language)[0]


def _asks(entry: Entry) -> bool:
    """An update looks ``entry`` up in the language's other catalogs on every run."""
    return not entry.msgstr and not entry.msgid_plural


def settle(
    path: Path,
    *,
    shown: str,
    catalog: Catalog,
    on_disk: Catalog | None,
    check: bool,
    config: Config,
    stats: UpdateStats | str,
) -> tuple[FileResult, str | None]:
    """Write ``catalog`` to ``path`` unless unchanged; with ``check``, only compare.

    Returns what happened and the SHA-256 of the file as left (None when unknown:
    ``check`` did not write it). ``check`` compares parsed content (entries and header),
    so a file a translator's tool re-wrapped, or stripped of our own flags, is not
    reported as stale.
    """
    detail = stats.summary() if isinstance(stats, UpdateStats) else stats
    if on_disk is None:
        if check:
            return FileResult(shown, Action.CREATED, detail), None
        text = catalog_text(catalog)
        write_atomic(path, text, shown, keep_staging=True)
        return FileResult(shown, Action.CREATED, detail), _sha(text)
    if check:
        same = same_messages(on_disk, catalog, config.po_flags) and (
            on_disk.header == catalog.header
        )
        return FileResult(shown, Action.UNCHANGED if same else Action.UPDATED, detail), None
    text = catalog_text(catalog)
    if read_text_if_exists(path) == text:
        return FileResult(shown, Action.UNCHANGED, detail), _sha(text)
    write_atomic(path, text, shown, keep_staging=True)
    return FileResult(shown, Action.UPDATED, detail), _sha(text)


def _sha(text: str) -> str:
    return digest(text.encode("utf-8"))


# --- merge ------------------------------------------------------------------------------


def merge_job(task: Task) -> MergeOutcome:
    """Rebuild ``output/<lang>/<article>`` in each language (``task.check``: compare)."""
    config = task.config
    try:
        art = _load(config, task.article)
    except PipelineError as exc:
        return MergeOutcome(task.article, errors=(exc,), read=False)
    merges: list[ArticleMerge] = []
    errors: list[PipelineError] = []
    for code in art.targets(task.languages):
        try:
            if code in task.foreign:
                path = config.rel(config.output_path(code, art.path))
                raise ConfigError(
                    "merge did not write this file, so it does not overwrite it (no "
                    f"manifest lists it): it would be {art.shown} in {code}",
                    path=path,
                    hint="move it away (or delete it) if it may be replaced by the "
                    "translation from the catalogs",
                )
            merges.append(_merge(config, code, art, check=task.check, slugs=task.slugs))
        except PipelineError as exc:
            errors.append(exc)
    return MergeOutcome(
        task.article,
        tuple(merges),
        tuple(errors),
        language="" if art.language == config.source_language else art.language,
    )


def _merge(
    config: Config,
    lang: str,
    art: _Article,
    *,
    check: bool,
    slugs: tuple[tuple[str, str], ...] = (),
) -> ArticleMerge:
    out_path = config.output_path(lang, art.path)
    po_path = config.po_path(lang, art.path)
    po_shown = config.rel(po_path)
    catalog = _read_optional(po_path, po_shown)
    found = translations(catalog)
    doc = art.doc
    judged = gate(doc, found, Context(art.language, lang, config.localized_url_hosts))
    rendered = render(doc, judged.publishable)
    candidate = None
    if config.front_matter_policy.edits:  # [front_matter] set/slug: lang, translationKey…
        policied, candidate = apply_policy(
            rendered.text,
            config.front_matter_policy,
            lang,
            art.path,
            slug=dict(slugs).get(lang),
            shown=art.shown,
        )
        rendered = replace(rendered, text=policied)
    why: dict[str, list[tuple[str, str]]] = {
        msgid: [(p.code, p.message) for p in problems] for msgid, problems in judged.refused.items()
    }
    for fallback in rendered.fallbacks:
        for message in fallback.segment.messages:
            why.setdefault(message.key, []).append(("structure", fallback.reason))
    broken = tuple(
        Broken(po_shown, found.entries[msgid].line if msgid in found.entries else 0, reason, code)
        for msgid, reasons in why.items()
        for code, reason in reasons
    )
    # Counted per distinct text, like the template and `pipeline status`: a title that
    # is also the heading is one message, translated (or not) once.
    messages = art.messages
    translated = sum(1 for m in messages if m in found.publishable and m not in why)
    fuzzy = sum(1 for m in messages if m in found.fuzzy and m not in why)
    untranslated = len(messages) - translated - fuzzy - len(why)
    shown = config.rel(out_path)
    published = {m for m in messages if m in found.publishable and m not in why}
    words = _word_counts(art)
    total = sum(words.values())
    complete = 100.0 * sum(words[m] for m in published) / total if total else 100.0
    withheld = _withheld(config, lang, art, published, complete)
    incomplete = not withheld and complete < config.publish_threshold(lang)
    text: str | None = rendered.text
    if incomplete:
        text = mark_incomplete(rendered.text)
        if text is None:
            withheld = (
                f"{complete:.1f}% of its words are translated and its front matter cannot "
                f"take the flag {INCOMPLETE_KEY}: true that says so (it sets another value, "
                "or is no block mapping)"
            )
            incomplete = False
    text = text or ""
    if withheld:
        result = FileResult(shown, Action.WITHHELD, withheld)
    else:
        on_disk = read_text_if_exists(out_path)
        if on_disk == text:
            action = Action.UNCHANGED
        else:
            action = Action.CREATED if on_disk is None else Action.UPDATED
            if not check:
                # a localized article is rebuilt exactly by the next merge: no fsync needed
                write_atomic(out_path, text, shown, durable=False, keep_staging=True)
        result = FileResult(shown, action)
    return ArticleMerge(
        lang=lang,
        output=result,
        segments=len(messages),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=untranslated,
        broken=broken,
        catalog_missing=catalog is None,
        sha="" if withheld else _sha(text),
        complete=complete,
        incomplete=incomplete,
        slug=candidate or "",
    )


def _word_counts(art: _Article) -> dict[str, int]:
    """Words of each message of ``art`` (by message key), counted once per article."""
    if not art.words:
        markdown: dict[str, bool] = {}
        for seg in art.doc.segments:
            for message in seg.messages:
                markdown[message.key] = markdown.get(message.key, False) or seg.markdown
        art.words.update(
            (k, count_words(split_key(k)[1], markdown=md)) for k, md in markdown.items()
        )
    return art.words


def _withheld(
    config: Config, lang: str, art: _Article, published: set[str], complete: float
) -> str:
    """Why ``art`` is not published in ``lang`` (the publication policy), or ``""``."""
    for key in config.required_fields:
        for seg in art.doc.segments:
            covered = seg.field == key or seg.field.startswith(key + ".")
            if covered and any(m.key not in published for m in seg.messages):
                return f"its {seg.field} is not translated (required_fields)"
    threshold = config.publish_threshold(lang)
    if complete < threshold and config.publish_incomplete_in(lang) == "skip":
        return (
            f"{complete:.1f}% of its words are translated, below publish_min_complete "
            f"({threshold:g}%)"
        )
    return ""


# --- status and check -------------------------------------------------------------------


def report_job(task: Task) -> ReportOutcome:
    """Count the article in each language; ``check``: judge it and say what ``extract``
    would change. Writes nothing."""
    config = task.config
    judge = task.stage is Stage.CHECK
    try:
        art = _load(config, task.article)
    except PipelineError as exc:
        problem = problem_of(exc, "source")
        extract = ExtractOutcome(task.article, source_errors=(exc,)) if judge else None
        return ReportOutcome(task.article, problems=(problem,), extract=extract, read=False)
    problems = tuple(
        Problem(w.code, "warning", w.message, w.hint, w.path, w.line) for w in art.doc.warnings
    )
    markdown: dict[str, bool] = {}
    for seg in art.doc.segments:
        for message in seg.messages:
            markdown[message.key] = markdown.get(message.key, False) or seg.markdown
    words = {key: count_words(split_key(key)[1], markdown=md) for key, md in markdown.items()}
    olds: dict[str, PipelineError | Catalog | None] = {}
    reports = []
    for code in art.targets(task.languages):
        po_path = config.po_path(code, task.article)
        po = config.rel(po_path)
        found_problems: list[Problem] = []
        catalog: Catalog | None = None
        try:
            catalog = _read_optional(po_path, po)
            olds[code] = catalog
        except PipelineError as exc:
            olds[code] = exc
            found_problems.append(problem_of(exc, "catalog-parse"))
        found = translations(catalog)
        counts = count(art.messages, words, found)
        if judge:
            found_problems.extend(_judge(config, code, art, catalog, found=found, po=po))
        reports.append(
            article_report(
                code,
                art.shown,
                po,
                counts,
                threshold=config.threshold(code),
                problems=found_problems,
                check=judge,
            )
        )
    extract = (
        _extract(
            Task(Stage.EXTRACT, config, task.article, task.languages, True, task.stamp), art, olds
        )
        if judge
        else None
    )
    return ReportOutcome(task.article, tuple(reports), problems, extract)


def _judge(
    config: Config,
    lang: str,
    art: _Article,
    catalog: Catalog | None,
    *,
    found: Translations,
    po: str,
) -> list[Problem]:
    problems: list[Problem] = []
    if catalog is not None:
        problems.extend(catalog_problems(catalog, lang))
        ctx = Context(art.language, lang, config.localized_url_hosts)
        judged = gate(art.doc, found, ctx)
        fallbacks: dict[str, str] = {}
        for fallback in render(art.doc, judged.publishable).fallbacks:
            for message in fallback.segment.messages:
                fallbacks.setdefault(message.key, fallback.reason)
        problems.extend(
            quality(
                art.doc,
                found,
                judged,
                fallbacks,
                ctx,
                po=catalog.path,
                style=[c for c in STYLE if c not in config.skip_checks],
            )
        )
    problems.extend(required_fields(art.doc, config.required_fields, lang, po, found.entries))
    if catalog is not None and "glossary" not in config.skip_checks:
        try:
            glossary = load_glossary(config, lang, art.language)
        except PipelineError as exc:
            problems.append(problem_of(exc, "glossary"))
            glossary = None
        if glossary is not None:
            problems.extend(
                glossary_problems(
                    glossary,
                    found.publishable,
                    found.entries,
                    keys=art.messages,
                    severity="error" if config.glossary_severity == "error" else "warning",
                    po=catalog.path,
                )
            )
    return problems
