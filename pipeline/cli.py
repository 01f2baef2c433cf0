"""The ``pipeline`` command: the only module that imports click, prints or exits.

Exit codes: 0 success; 1 a check failed or the input is bad (messages name
``path:line``); 2 the command line itself is wrong (click's usage errors).
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, NoReturn

import click

from pipeline import __version__, lock
from pipeline.catalogs.mergedriver import merge_files
from pipeline.checks.registry import REGISTRY, Scope
from pipeline.config import Config, add_languages, load, with_languages
from pipeline.errors import PipelineError
from pipeline.executors import SCHEDULER_VARIABLE, runner
from pipeline.folders import named_folder, write_texts
from pipeline.locales import language
from pipeline.lock import lock_path, project_lock
from pipeline.project import (
    Options,
    create_folders,
    extract_project,
    merge_project,
    report_project,
)
from pipeline.publish import review_page
from pipeline.publish.badge import DEFAULT_FOLDER, badges
from pipeline.report_formats import CHECK_FORMATS, STATUS_FORMATS, render_check, render_status
from pipeline.results import Action, ExtractResult, MergeResult
from pipeline.review import DEFAULT_FOLDER as REVIEW_FOLDER
from pipeline.review import review_article, select_articles
from pipeline.workspace import Shard, export_memory, import_memory

EXIT_OK, EXIT_FAILED = 0, 1  # click itself exits 2 on usage errors


def _csv(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="pipeline")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project root (holds pyproject.toml or pipeline.toml).",
)
@click.option("--source-dir", help="Override source_dir: where articles are read.")
@click.option("--locales-dir", help="Override locales_dir: where templates and .po files live.")
@click.option("--output-dir", help="Override output_dir: where localized articles are written.")
@click.option("--source-language", help="Override source_language (default en).")
@click.option("--languages", callback=_csv, help="Override languages, comma-separated (az,ka,ru).")
@click.option(
    "--front-matter-keys",
    callback=_csv,
    help="Override front_matter_keys, comma-separated (title,description,summary).",
)
@click.option("--po-flags", callback=_csv, help="Override po_flags, comma-separated ('' for none).")
@click.pass_context
def main(ctx: click.Context, /, project: Path, **overrides: Any) -> None:
    """Translate Markdown articles through gettext catalogs.

    \b
    Editors:      pipeline extract   (articles → locales/*.pot and locales/<lang>/*.po)
    Translators:  fill locales/<lang>/*.po in Poedit, Lokalize, Weblate or an editor
    Publishing:   pipeline merge     (→ output/<lang>/*.md, byte-faithful to the source)
    CI:           pipeline check     (completeness, freshness, catalogs, translation quality)
    Progress:     pipeline status    (words and segments translated per language and article)
    Pictures:     pipeline status --format html > status.html;  pipeline badge (→ badges/*.svg)
    """
    ctx.obj = (project, overrides)


def _config(ctx: click.Context, languages: tuple[str, ...] = ()) -> Config:
    """The project's settings with the global overrides, limited to ``languages``."""
    project, overrides = ctx.find_root().obj
    config = load(project, overrides)
    return with_languages(config, languages) if languages else config


def _run(work: Callable[[], int]) -> NoReturn:
    """Run a command body; print a ``PipelineError`` as ``path:line: message``."""
    try:
        code = work()
    except PipelineError as exc:
        _error(exc)
        code = EXIT_FAILED
    sys.exit(code)


def _error(exc: PipelineError) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + str(exc), err=True)


def _locked(config: Config, check: bool) -> AbstractContextManager[None]:
    """The project lock for a run that writes files (a ``--check`` run writes nothing)."""
    if check:
        return nullcontext()
    path = lock_path(config.locales_dir)
    return project_lock(path, shown=config.rel(path), wait=lock.WAIT)


SCREENFUL = 40
"""More articles than this to go through, on a terminal, and a command shows a progress bar."""


class _Bar:
    """A progress bar on stderr, shown once the command knows it has more than a
    screenful of articles to go through, and only on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def start(self, total: int) -> None:
        if total > SCREENFUL and sys.stderr.isatty() and self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()

    def advance(self, _name: str) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _run_options(command: Callable[..., Any], *, shard: bool = True) -> Callable[..., Any]:
    """``-j``, ``--no-cache``, ``--scheduler`` and (unless not ``shard``) ``--shard``,
    shared by the commands that run one job per article."""
    options = (
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes (default: one per core; 1: all in this process).",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Ignore .pipeline-cache/ and redo every article's work.",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            default=None,
            help=f"Run the jobs on a Dask cluster (tcp://host:8786; or {SCHEDULER_VARIABLE}).",
        ),
        click.option(
            "--shard",
            metavar="K/N",
            default=None,
            help="Only the K-th of N shares of the articles (for a CI matrix).",
        ),
    )
    for option in reversed(options if shard else options[:-1]):
        command = option(command)
    return command


@contextmanager
def _options(label: str, run: dict[str, Any]) -> Iterator[Options]:
    """The ``Options`` of a command run with ``_run_options``' values ``run``, a progress
    bar included; the runner (a process pool, a cluster) is closed afterwards."""
    shard = Shard.parse(run["shard"]) if run.get("shard") else None
    with runner(run.get("jobs"), run.get("scheduler")) as jobs:
        bar = _Bar(label)
        try:
            yield Options(jobs, cache=not run.get("no_cache"), shard=shard, progress=bar)
        finally:
            bar.close()


@main.command()
@click.argument("languages", nargs=-1, required=True)
@click.pass_context
def init(ctx: click.Context, languages: tuple[str, ...]) -> None:
    """Add target LANGUAGES (CLDR codes: az, ka, ru, pt_BR…) and create their .po files.

    The codes are added to the languages setting in pyproject.toml [tool.pipeline] or
    pipeline.toml (created if neither has settings); other settings are left as they are.
    """

    def work() -> int:
        config = _config(ctx)
        for code in languages:
            language(code)  # refuse a bad code before the lock or anything else is written
        with _locked(config, False):
            return _init(config)

    def _init(config: Config) -> int:
        config, target, added = add_languages(config, languages)
        if added:
            click.echo(f"{config.rel(target)}: added {', '.join(added)}")
        else:
            click.echo("all of these languages are already configured")
        for folder in create_folders(config):
            click.echo(f"{folder}/: created")
        result = extract_project(config, languages=added or list(languages))
        _print_extract(result, check=False, quiet_unchanged=True)
        return result.exit_code()

    _run(work)


@main.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is out of date.")
@_run_options
@click.pass_context
def extract(ctx: click.Context, /, check: bool, **run: Any) -> None:
    """Segment every article into locales/<article>.pot and update each language's .po.

    Translations are never lost: edited text keeps the closest old translation as a
    fuzzy suggestion with the old text (#|); text that left the article becomes an
    obsolete (#~) entry and returns when the text does. A .po that cannot be parsed is
    reported with its line and left untouched. Prints one line per changed catalog.
    """

    def work() -> int:
        config = _config(ctx)
        with _locked(config, check), _options("extract", run) as options:
            result = extract_project(config, check=check, options=options)
        _print_extract(result, check=check)
        if check and not result.errors and result.outdated:
            click.echo(
                f"{result.outdated} file(s) out of date: run 'pipeline extract' and commit them",
                err=True,
            )
        return result.exit_code(check=check)

    _run(work)


def _print_extract(result: ExtractResult, *, check: bool, quiet_unchanged: bool = True) -> None:
    verb = _WOULD if check else {}
    for f in result.files:
        if not f.changed and quiet_unchanged:
            continue
        detail = f" ({f.detail})" if f.detail and f.changed else ""
        click.echo(f"{f.path}: {verb.get(f.action, f.action)}{detail}")
    for path in result.orphans:
        click.echo(
            _style("warning: ", "warning") + f"{path}: no article uses this catalog any more; "
            "its translations are kept and still offered as suggestions",
            err=True,
        )
        click.echo("  hint: delete it once nobody needs it (or restore the article)", err=True)
    for warning in result.warnings:
        click.echo(_style("warning: ", "warning") + str(warning), err=True)
    for exc in result.errors:
        _error(exc)
    changed = sum(1 for f in result.files if f.changed)
    total = len(result.files)
    if check:
        click.echo(f"{total - changed} of {total} catalog file(s) up to date")
    else:
        click.echo(f"{changed} file(s) written or removed, {total - changed} unchanged")


_WOULD = {
    Action.CREATED: "would create",
    Action.UPDATED: "would update",
    Action.REMOVED: "would remove",
}


_language_option = click.option(
    "-l",
    "--language",
    "languages",
    multiple=True,
    help="Only this language (repeatable). Default: every configured language.",
)


def _format_option(choices: tuple[str, ...]) -> Callable[[Callable[..., Any]], Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="Output format.",
    )


_ROLES: dict[str, dict[str, Any]] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow"},
    "pass": {"fg": "green"},
    "fail": {"fg": "red", "bold": True},
    "path": {"bold": True},
    "dim": {"dim": True},
}


def _style(text: str, role: str) -> str:
    # click.echo would drop the colours again when stdout is not a terminal; not adding
    # them saves a call per line of a long report
    if not _COLOUR:
        return text
    return click.style(text, **_ROLES.get(role, {}))


_COLOUR = sys.stdout.isatty()


@main.command()
@_language_option
@_format_option(STATUS_FORMATS)
@_run_options
@click.pass_context
def status(ctx: click.Context, /, languages: tuple[str, ...], fmt: str, **run: Any) -> None:
    """Show how much is translated: per language and article, by words and by segments.

    Counted against what the articles contain today: fuzzy, obsolete and empty
    translations, and messages missing from a .po, are not translated. Exit 1 only
    when an article or a catalog cannot be read.
    """

    def work() -> int:
        config = _config(ctx, languages)
        with _options("status", run) as options:
            report = report_project(config, check=False, options=options)
        click.echo(render_status(report, fmt, _style), nl=False)
        return report.exit_code

    _run(work)


@main.command()
@_language_option
@click.option(
    "--output",
    metavar="DIR",
    default=None,
    help=f"Folder for the badges, relative to the project root (default: {DEFAULT_FOLDER}).",
)
@functools.partial(_run_options, shard=False)  # a badge counts every article
@click.pass_context
def badge(
    ctx: click.Context, /, languages: tuple[str, ...], output: str | None, **run: Any
) -> None:
    """Write an SVG badge of the words translated per language, for a README.

    \b
    badges/<lang>.svg  "az 100%": green from 90 %, yellow from 75 %, red below
    badges/all.svg     "translated 87%": every language's words added up

    Counted as 'pipeline status' counts (fuzzy is not translated); the percentage is
    rounded down. A folder outside the project is refused. When an article or a catalog
    cannot be read, nothing is written and the command exits 1.
    """

    def work() -> int:
        config = _config(ctx, languages)
        folder = named_folder(
            config, output, DEFAULT_FOLDER, "badge"
        )  # refused before any counting
        with _options("badge", run) as options:
            report = report_project(config, check=False, options=options)
        if report.errors:
            for problem in report.all_problems():
                click.echo(
                    _style(f"{problem.severity}: ", problem.severity) + str(problem), err=True
                )
            click.echo("no badge was written: they would leave out what was not counted", err=True)
            return report.exit_code
        results = write_texts(config, folder, badges(report))
        for result in results:
            if result.changed:
                click.echo(f"{result.path}: {result.action}")
        changed = sum(1 for r in results if r.changed)
        click.echo(f"{changed} badge(s) written, {len(results) - changed} unchanged")
        return EXIT_OK

    _run(work)


@main.command()
@click.argument("lang")
@click.argument("articles", nargs=-1)
@click.option(
    "--output",
    metavar="DIR",
    default=None,
    help="Folder for the pages, relative to the project root (default: review).",
)
@click.pass_context
def review(ctx: click.Context, /, lang: str, articles: tuple[str, ...], output: str | None) -> None:
    """Write a review page per article in LANG: source and translation side by side.

    \b
    review/<lang>/<article>.html  every message, with its .po file and line
    review/<lang>/index.html      the articles, with their messages counted by state

    Untranslated, fuzzy (with a word diff of the source since the suggestion was made),
    fallen-back (merge publishes the source text instead) and check-failing messages are
    marked by a label and a colour. ARTICLE (repeatable) is a path under the source
    folder or from the project root; default: every article. The pages open from the
    file system, with no script. A folder outside the project is refused. An article or
    a catalog that cannot be read stops the command (exit 1) before anything is written.
    """

    def work() -> int:
        config = _config(ctx, (lang,))
        code = config.languages[0]
        folder = named_folder(
            config, output, REVIEW_FOLDER, "review page"
        )  # refused before any reading
        reviews = [review_article(config, code, a) for a in select_articles(config, articles)]
        files = {f"{code}/{r.page.as_posix()}": review_page.page(r) for r in reviews}
        files[f"{code}/index.html"] = review_page.index(code, reviews)
        results = write_texts(config, folder, files)
        for result in results:
            if result.changed:
                click.echo(f"{result.path}: {result.action}")
        changed = sum(1 for r in results if r.changed)
        click.echo(f"{changed} page(s) written, {len(results) - changed} unchanged")
        return EXIT_OK

    _run(work)


def _check_help() -> str:
    """``check``'s help: what it does, then every check of the registry by scope."""
    lines = [
        "Exit 1 unless the translations are fit to publish; list every problem.",
        "",
        "Only errors fail; warnings are listed. Formats: text (grouped by file), json, "
        "junit (one test case per article and language) and github (annotations). A "
        "translator silences a style check for one entry with '#, no-check-CODE'; the "
        "skip_checks setting turns one off for the project. Checks marked * keep a "
        "translation out of what merge publishes, and cannot be silenced.",
        "",
        "\b",
    ]
    for scope in Scope:
        lines.append(f"{scope.value} checks:")
        for info in REGISTRY.values():
            if info.scope is scope:
                mark = "*" if info.blocking else " "
                lines.append(f"  {info.code:<17}{mark} {info.summary}")
    return "\n".join(lines)


@main.command(help=_check_help())
@_language_option
@_format_option(CHECK_FORMATS)
@_run_options
@click.pass_context
def check(ctx: click.Context, /, languages: tuple[str, ...], fmt: str, **run: Any) -> None:

    def work() -> int:
        config = _config(ctx, languages)
        with _options("check", run) as options:
            report = report_project(config, check=True, options=options)
        click.echo(render_check(report, fmt, _style), nl=False)
        return report.exit_code

    _run(work)


@main.command()
@_language_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if output/ is out of date.")
@click.option("--strict", is_flag=True, help="Exit 1 if any translation was refused and fell back.")
@click.option(
    "--html",
    is_flag=True,
    help="Also write HTML pages, an index and an Atom feed per language (setting html).",
)
@_run_options
@click.pass_context
def merge(
    ctx: click.Context,
    /,
    languages: tuple[str, ...],
    check: bool,
    strict: bool,
    html: bool,
    **run: Any,
) -> None:
    """Rebuild output/<lang>/<article> from each article and its translations.

    Only translations that are not fuzzy, not obsolete and not empty are published;
    other segments keep the source text and are counted per language. A translation
    that fails a check protecting the reader (unsafe-html, invisible-chars,
    template-syntax, html, link-target, link-count, footnote, code-span, length) or that would
    change the article's structure is never published: its segment keeps the source
    text, and each refusal is reported as path:line: code: message.
    """

    def work() -> int:
        config = _config(ctx, languages)
        if html:
            config = dataclasses.replace(config, html=True)
        with _locked(config, check), _options("merge", run) as options:
            result = merge_project(config, check=check, options=options)
        _print_merge(result, check=check)
        _print_output_records(result, check=check)
        if check and not result.errors and result.outdated:
            click.echo(
                f"{result.outdated} file(s) in output/ out of date: "
                "run 'pipeline merge' and commit the result",
                err=True,
            )
        if strict and result.rejected:
            click.echo(
                f"{result.rejected} translation(s) refused (--strict): fix them in the "
                "catalogs named above",
                err=True,
            )
        return result.exit_code(check=check, strict=strict)

    _run(work)


def _print_merge(result: MergeResult, *, check: bool) -> None:
    verb = {Action.CREATED: "would create", Action.UPDATED: "would update"} if check else {}
    by_lang: dict[str, list[Any]] = {}
    for art in result.articles:
        by_lang.setdefault(art.lang, []).append(art)
        if art.output.changed:
            click.echo(f"{art.output.path}: {verb.get(art.output.action, art.output.action)}")
        if not art.published:
            click.echo(f"{art.output.path}: not published: {art.output.detail}")
        elif art.incomplete:
            click.echo(
                f"{art.output.path}: published incomplete ({art.complete:.1f}% of its words "
                "translated, the source in the gaps, translation_incomplete: true)"
            )
        for broken in art.broken:
            where = f"{broken.po}:{broken.line}" if broken.line else broken.po
            click.echo(
                click.style("warning: ", fg="yellow") + f"{where}: {broken.code}: {broken.reason}; "
                "not published, the source text is used instead",
                err=True,
            )
    for lang, arts in by_lang.items():
        segs = sum(a.segments for a in arts)
        done = sum(a.translated for a in arts)
        parts = []
        for count, word in (
            (sum(a.untranslated for a in arts), "untranslated"),
            (sum(a.fuzzy for a in arts), "fuzzy"),
            (sum(a.rejected for a in arts), "rejected"),
        ):
            if count:
                parts.append(f"{count} {word}")
        fell = segs - done
        tail = f"; {fell} fell back to the source ({', '.join(parts)})" if fell else ""
        missing = sum(1 for a in arts if a.catalog_missing)
        if missing:
            tail += f"; {missing} article(s) without a .po (run 'pipeline extract')"
        withheld = sum(1 for a in arts if not a.published)
        if withheld:
            tail += f"; {withheld} article(s) not published (publication policy)"
        click.echo(f"{lang}: {len(arts)} article(s), {done}/{segs} segments translated{tail}")
    for path in result.stale:
        action = "would remove" if check else "removed"
        click.echo(f"{path}: {action} (no article produces it any more)")
    for exc in result.errors:
        _error(exc)


def _print_output_records(result: MergeResult, *, check: bool) -> None:
    """The HTML pages and manifests merge keeps in output/, and files it left alone."""
    for page in result.pages:
        if page.changed:
            action = _WOULD.get(page.action, page.action) if check else page.action
            click.echo(f"{page.path}: {action}")
    for record in result.records:
        if record.changed:
            action = _WOULD.get(record.action, record.action) if check else record.action
            click.echo(f"{record.path}: {action}")
    for kept in result.kept:
        click.echo(
            _style("warning: ", "warning") + f"{kept.path}: no article produces it, but it "
            f"was left alone: {kept.detail}",
            err=True,
        )
        click.echo("  hint: delete it by hand if nothing needs it", err=True)


@main.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name", required=False)
def merge_driver(base: Path, ours: Path, theirs: Path, name: str | None) -> None:
    """Git merge driver for .po files: merge two translators' work entry by entry.

    Edits to different entries never conflict. When both sides translated the same
    entry differently, the entry keeps one text, becomes fuzzy, and holds both texts in
    a translator comment: the file stays a valid catalog (no <<<<<<< lines).
    Exit 0: merged cleanly; 1: conflicts left as fuzzy entries (or an input did not
    parse, and OURS is left untouched).

    \b
    Set up once per clone:
      git config merge.po.name "pipeline .po merge"
      git config merge.po.driver "pipeline merge-driver %O %A %B %P"
    and in .gitattributes:
      *.po merge=po
    """

    def work() -> int:
        status = merge_files(base, ours, theirs, name)
        if status:
            click.echo(
                f"{name or ours}: conflicting translations kept as fuzzy entries with both "
                "texts in a comment; review them and clear the fuzzy flag",
                err=True,
            )
        return EXIT_FAILED if status else EXIT_OK

    _run(work)


@main.group()
def memory() -> None:
    """Translation memory: TMX in and out, for translators' CAT tools.

    \b
    pipeline memory import FILE.tmx   units → locales/<lang>/memory.po (also a .po compendium)
    pipeline memory export FILE.tmx   every reviewed translation → TMX 1.4b

    extract fills new messages from the memory: the same text (numbers, code and links
    aside, put in anew) as a fuzzy entry (memory_exact = "translated": as translated),
    a close one as a fuzzy guess with the memory's text as #|, each with a
    "#. memory: <origin>" comment.
    """


@memory.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_language_option
@click.pass_context
def memory_import(ctx: click.Context, /, file: Path, languages: tuple[str, ...]) -> None:
    """Add the units of FILE (TMX 1.4b, or a .po compendium) to each language's memory.

    Languages are matched as CLDR does (az-Latn-AZ is az). A text the memory holds
    already keeps its translation. A TMX that declares XML entities is refused.
    """

    def work() -> int:
        config = _config(ctx, languages)
        with _locked(config, False):
            results = import_memory(config, file)
        for result in results:
            click.echo(f"{result.path}: {result.summary()}")
        return EXIT_OK

    _run(work)


@memory.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_language_option
@click.pass_context
def memory_export(ctx: click.Context, /, file: Path, languages: tuple[str, ...]) -> None:
    """Write FILE, a TMX 1.4b of every translated, non-fuzzy entry and the memory.

    For OmegaT (tm/), Trados, memoQ or Weblate. Fuzzy entries are left out.
    """

    def work() -> int:
        config = _config(ctx, languages)
        result = export_memory(config, file)
        counts = ", ".join(f"{lang} {n}" for lang, n in result.pairs)
        click.echo(f"{result.path}: {result.tus} translation unit(s) ({counts})")
        if result.skipped:
            click.echo(
                _style("warning: ", "warning") + f"{result.skipped} translation(s) left out: "
                "they hold a control character XML cannot carry",
                err=True,
            )
        return EXIT_OK

    _run(work)
