"""Project settings: ``[tool.pipeline]`` in ``pyproject.toml`` or a ``pipeline.toml``.

Every setting can be overridden on the command line; ``Config`` is the merged, validated
result and knows where every file of the project lives.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pipeline.errors import CatalogError, ConfigError, PipelineError, SourceError
from pipeline.files import MANIFEST_NAME, kind, read_regular, write_atomic
from pipeline.layout import PathPattern
from pipeline.locales import language, same_language
from pipeline.policy import NO_POLICY, FrontMatterPolicy, parse_policy, translated_keys
from pipeline.settings import (
    check_allowed,
    check_by_language,
    check_flag,
    check_flags,
    check_glossary_severity,
    check_host,
    check_incomplete,
    check_inflections,
    check_language_in,
    check_memory_exact,
    check_pattern,
    check_percentage,
    check_segment_mode,
    check_source_patterns,
    check_table,
    key_in,
    source_matcher,
)

DEFAULTS: dict[str, Any] = {
    "source_dir": "source",
    "locales_dir": "locales",
    "output_dir": "output",
    "source_language": "en",
    "languages": [],
    "front_matter_keys": ["title", "description", "summary"],
    "front_matter": {},
    "po_flags": ["md-text"],
    "min_complete": 100,
    "min_complete_by_language": {},
    "required_fields": ["title"],
    "localized_url_hosts": [],
    "allow_outside": [],
    "skip_checks": [],
    "glossary_severity": "warning",
    "glossary_inflection": {},
    "memory_exact": "fuzzy",
    "source_patterns": ["**/*.md", "**/*.markdown"],
    "segment": "paragraph",
    "language_key": "lang",
    "output_path": "",
    "html": False,
    "html_path": "",
    "publish_min_complete": 100,
    "publish_min_complete_by_language": {},
    "publish_incomplete": "skip",
    "publish_incomplete_by_language": {},
}
"""Every setting and its default."""

_UNSAFE_NAME_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2068\u2069]")
"""Characters a file name cannot carry through a catalog: control characters (a tab is
fine: it is written inside U+2068/U+2069, like a space) and those two isolates."""


@dataclass(frozen=True, slots=True)
class Config:
    """Validated settings of one project."""

    root: Path
    """The project root (``--project``)."""
    source_dir: Path
    """Where articles are read from (absolute)."""
    locales_dir: Path
    """Where templates and ``<lang>/`` catalogs live (absolute)."""
    output_dir: Path
    """Where ``<lang>/`` localized articles are written (absolute)."""
    source_language: str
    """Language the articles are written in."""
    output_pattern: PathPattern
    """Where each localized article is written (``output_path``; by default
    ``<output_dir>/{lang}/{path}{suffix}``)."""
    html: bool
    """``merge`` also writes HTML pages (``html``, or ``merge --html``)."""
    html_pattern: PathPattern
    """Where each HTML page is written (``html_path``; by default
    ``<output_dir>/{lang}/{path}.html``)."""
    segment: str
    """What a message is, unless an article's front matter says (``SEGMENT_KEY``):
    ``paragraph`` (every paragraph, list item, heading… whole) or ``sentence`` (each
    sentence of a paragraph its own message)."""
    languages: tuple[str, ...]
    """Target languages, validated with CLDR."""
    front_matter_keys: tuple[str, ...]
    """Front-matter keys whose string values are translated."""
    po_flags: tuple[str, ...]
    """Flags written on every Markdown entry (``md-text`` turns on Weblate's checks)."""
    config_file: Path | None
    """The file the settings came from, if any."""
    min_complete: float = 100.0
    """``pipeline check`` fails an article translated below this percentage (by words)."""
    min_complete_by_language: tuple[tuple[str, float], ...] = ()
    """Per-language ``min_complete`` overrides, as (language, percentage) pairs."""
    required_fields: tuple[str, ...] = ()
    """Front-matter keys whose message must be translated (not fuzzy) for an article to pass."""
    localized_url_hosts: tuple[str, ...] = ()
    """Hosts whose absolute URLs translators may change (to the page in their language)."""
    allow_outside: tuple[Path, ...] = ()
    """Folders outside the project (absolute, resolved) that articles, catalogs and output
    may resolve into; anything else that resolves outside ``root`` is refused."""
    skip_checks: tuple[str, ...] = ()
    """Check codes ``check`` neither runs nor reports (never one that blocks publishing:
    ``report.skipped`` refuses those)."""
    glossary_severity: str = "warning"
    """The severity of the ``glossary`` check: ``warning`` or ``error`` (fails
    ``check``; never blocks publishing)."""
    glossary_inflection: tuple[tuple[str, int, int, int], ...] = ()
    memory_exact: Literal["fuzzy", "translated"] = "fuzzy"
    """What ``extract`` makes of a message the translation memory holds the same text
    for (placeholders aside): ``fuzzy`` (to review: the same words may need another
    translation in another article) or ``translated``."""
    """Per language, how glossary terms inflect, overriding the built-in table
    (``catalogs.glossary.INFLECTIONS``): (language, min_stem, change, suffix)."""
    language_key: str = "lang"
    """The front-matter key by which an article says it is written in another language
    than ``source_language`` (``lang: az``)."""
    configured_languages: tuple[str, ...] = ()
    """Every target language the settings name (``languages`` before ``-l``)."""
    source_targeted: bool = True
    """``source_language`` is worked on as a target (for articles in other languages);
    False when ``-l`` names other languages only."""
    publish_min_complete: float = 100.0
    """``merge`` publishes an article in a language only from this percentage of its
    words translated (fuzzy never counts), unless ``publish_incomplete`` says fallback."""
    publish_min_complete_by_language: tuple[tuple[str, float], ...] = ()
    """Per-language ``publish_min_complete`` overrides, as (language, percentage) pairs."""
    publish_incomplete: str = "skip"
    """Below the threshold: ``skip`` or ``fallback`` (see ``publish_incomplete_in``)."""
    publish_incomplete_by_language: tuple[tuple[str, str], ...] = ()
    """Per-language ``publish_incomplete`` overrides."""
    source_patterns: tuple[str, ...] = ("**/*.md", "**/*.markdown")
    """Which files under ``source_dir`` are articles: glob patterns over their relative
    paths (``**/`` any folders, ``*`` and ``?`` within a name), case ignored."""
    front_matter_policy: FrontMatterPolicy = NO_POLICY
    """Per-key front-matter policy (``front_matter``; ``pipeline/policy.py``): its
    ``translate`` keys are already in ``front_matter_keys``; ``merge`` applies its
    ``set`` and ``slug`` rules to each target language's article."""

    def is_article(self, rel: str) -> bool:
        """``rel`` (a POSIX path under ``source_dir``) matches ``source_patterns``, is not
        a bare extension (``.md``: no name to give its catalogs) and is no file that
        ``output_path`` names (``storm.az.md`` beside ``storm.md``)."""
        name = rel.rpartition("/")[2]
        if name.startswith(".") and name.count(".") == 1:
            return False
        if source_matcher(self.source_patterns).fullmatch(rel) is None:
            return False
        return self.output_language(rel) is None  # what merge writes beside articles

    def run_languages(self) -> tuple[str, ...]:
        """The languages a command works on: the targets, then ``source_language``,
        which is one too for an article written in another language (its front matter
        says so, ``language_key``); no article is ever translated into its own."""
        return (*self.languages, self.source_language) if self.source_targeted else self.languages

    def publish_threshold(self, lang: str) -> float:
        """The ``publish_min_complete`` percentage (of words) that applies to ``lang``."""
        return dict(self.publish_min_complete_by_language).get(lang, self.publish_min_complete)

    def publish_incomplete_in(self, lang: str) -> str:
        """What ``merge`` does with an article below ``publish_threshold`` in ``lang``:
        ``skip`` (not written, an earlier copy removed) or ``fallback`` (written, the
        source in the gaps, flagged ``translation_incomplete: true``)."""
        return dict(self.publish_incomplete_by_language).get(lang, self.publish_incomplete)

    def threshold(self, lang: str) -> float:
        """The ``min_complete`` percentage that applies to ``lang``."""
        return dict(self.min_complete_by_language).get(lang, self.min_complete)

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root, with ``/`` separators (for messages)."""
        try:
            return PurePosixPath(path.relative_to(self.root)).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path) -> bool:
        """``path``, symbolic links resolved, is in the project or an ``allow_outside``
        folder."""
        real = path.resolve()
        return any(real.is_relative_to(top) for top in (self.root, *self.allow_outside))

    def confined(self, path: Path, error: type[PipelineError] = ConfigError) -> Path:
        """``path`` itself, once its real location is known to be allowed (``inside``);
        else ``error``, naming it, before anything reads or writes it."""
        if not self.inside(path):
            real = path.resolve()
            raise error(
                f"resolves outside the project (to {real}); it was not read or written",
                path=self.rel(path),
                hint="remove the symbolic link or setting that leads there, or allow the "
                f'folder with allow_outside = ["{real.parent}"] in the settings',
            )
        return path

    def articles(self) -> list[Path]:
        """Every article (``source_patterns``) under ``source_dir``, sorted, relative to it.

        Folders reached through symbolic links are searched; a link that resolves outside
        the project (``confined``), an article that is not a regular file (a FIFO), a
        name that no catalog can carry (a newline) or that is too long once it becomes
        ``<name>.pot``, and two articles sharing one catalog (``a.md``, ``a.MD``) are
        refused with ``SourceError`` before any command reads or writes anything.
        A broken link (an editor's lock file) is skipped.
        """
        if not self.source_dir.is_dir():
            raise ConfigError(
                f"source folder '{self.rel(self.source_dir)}' does not exist",
                hint="create it and put articles (*.md) in it, or set source_dir in "
                "[tool.pipeline] / pipeline.toml, or pass --source-dir",
            )
        found: list[Path] = []
        self._collect(self.source_dir, Path(), set(), found)
        found.sort()
        catalogs: dict[Path, Path] = {}
        limits = _limits(self.root)
        for article in found:
            self._check_name(article, limits)
            other = catalogs.setdefault(article.with_suffix(""), article)
            if other != article:
                raise SourceError(
                    f"'{other.as_posix()}' and '{article.as_posix()}' would share the "
                    f"catalogs {self.rel(self.locales_dir / article.with_suffix('.pot'))}",
                    path=self.rel(self.source_dir / article),
                    hint="rename one of the two articles",
                )
        return found

    def _collect(self, folder: Path, rel: Path, seen: set[Path], found: list[Path]) -> None:
        real = folder.resolve()
        if real in seen:
            return  # a link back to a folder already searched
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            raise SourceError(
                f"cannot read the folder: {exc.strerror}",
                path=self.rel(folder),
                hint="give the pipeline read access to it, or move it out of the source folder",
            ) from None
        for entry in entries:
            article = self.is_article(f"{rel.as_posix()}/{entry.name}".removeprefix("./"))
            link = entry.is_symlink()
            if not link:
                # the file type from the folder listing itself: no system call per file
                if entry.is_dir(follow_symlinks=False):
                    self._collect(folder / entry.name, rel / entry.name, seen, found)
                    continue
                if entry.is_file(follow_symlinks=False):
                    if article:
                        found.append(rel / entry.name)
                    continue
            path = folder / entry.name
            if link:
                if not path.exists():
                    continue  # broken: nothing can be read through it
                if article or path.is_dir():
                    self.confined(path, SourceError)
            try:
                mode = path.stat().st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                self._collect(path, rel / entry.name, seen, found)
            elif article and not stat.S_ISREG(mode):
                raise SourceError(
                    f"is {kind(mode)}, not an article file; it was not opened",
                    path=self.rel(path),
                    hint="replace it with an ordinary file, or move it out of the project",
                )
            elif article:
                found.append(rel / entry.name)

    def _check_name(self, article: Path, limits: tuple[int, int]) -> None:
        name = article.as_posix()
        if _UNSAFE_NAME_RE.search(name):
            shown = _UNSAFE_NAME_RE.sub(lambda m: repr(m[0])[1:-1], name)
            raise SourceError(
                f"the file name '{shown}' holds a line break or control character, which "
                "gettext references cannot carry; nothing was written",
                path=self.rel(self.source_dir).rstrip("/") + "/",
                hint="rename the article (spaces and tabs are fine)",
            )
        name_max, path_max = limits
        stem = name[: -len(article.suffix)] if article.suffix else name
        # the longest name and path each target gets, as strings (no Path per target)
        targets = [f"{self.locales_dir}/{stem}.pot"]
        targets += [f"{self.locales_dir}/{lang}/{stem}.po" for lang in self.languages]
        posix = PurePosixPath(name)
        targets += [
            f"{self.root}/{pattern.expand(lang, posix)}"
            for lang in self.languages
            for pattern in (
                (self.output_pattern, self.html_pattern) if self.html else (self.output_pattern,)
            )
        ]
        for target in targets:
            size = len(os.fsencode(target.rsplit("/", 1)[-1]))
            if size > name_max or len(os.fsencode(target)) >= path_max:
                raise SourceError(
                    f"the name is too long for the file system once it becomes "
                    f"{self.rel(Path(target))} ({size} bytes; at most {name_max} per name and "
                    f"{path_max - 1} per path); nothing was written",
                    path=self.rel(self.source_dir / article),
                    hint="give the article a shorter file name",
                )

    def template_path(self, article: Path) -> Path:
        """``locales/<article>.pot``; ``CatalogError`` if it resolves outside (``confined``)."""
        return self.confined(self.locales_dir / article.with_suffix(".pot"), CatalogError)

    def po_path(self, lang: str, article: Path) -> Path:
        """``locales/<lang>/<article>.po``; ``CatalogError`` if it resolves outside."""
        return self.confined(self.locales_dir / lang / article.with_suffix(".po"), CatalogError)

    def output_root(self, lang: str, *, html: bool = False) -> Path:
        """The folder that holds every localized article (``html``: every HTML page) of
        ``lang``: the fixed part of ``output_path`` (``html_path``), e.g. ``output/az``."""
        pattern = self.html_pattern if html else self.output_pattern
        return self.root / pattern.root(lang)

    def manifest_path(self, lang: str, *, html: bool = False) -> Path:
        """Where ``merge`` lists the files of ``lang`` it wrote under ``output_root``:
        ``.pipeline-manifest`` there, or ``.pipeline-manifest-<lang>`` in a folder the
        languages share (``content/`` for Hugo's ``storm.az.md``)."""
        pattern = self.html_pattern if html else self.output_pattern
        name = f"{MANIFEST_NAME}-{lang}" if pattern.shared_root() else MANIFEST_NAME
        return self.output_root(lang, html=html) / name

    def output_path(self, lang: str, article: Path, *, html: bool = False) -> Path:
        """Where ``article`` in ``lang`` is written (``output_path``; ``html``: its page,
        ``html_path``), as named (never a link's target).

        Refused (``ConfigError``) when it resolves outside the project (``confined``),
        outside ``output_root`` itself, or onto an article.
        """
        pattern = self.html_pattern if html else self.output_pattern
        literal = self.root / pattern.expand(lang, PurePosixPath(article.as_posix()))
        self.confined(literal)
        base = self.output_root(lang, html=html).resolve()
        target = literal.resolve()
        if not target.is_relative_to(base):
            raise ConfigError(
                f"article '{article.as_posix()}' would be written outside "
                f"'{self.rel(self.output_root(lang, html=html))}' (to {target})",
                path=self.rel(self.source_dir / article),
                hint="remove the symbolic link that leads out of the output folder",
            )
        if target.is_relative_to(self.source_dir.resolve()):
            rel = target.relative_to(self.source_dir.resolve()).as_posix()
            if self.is_article(rel) and self.output_language(rel) is None:
                raise ConfigError(
                    f"article '{article.as_posix()}' in {lang} would be written over the "
                    f"article '{rel}'",
                    path=self.rel(self.source_dir / article),
                    hint="give output_path a {lang} in the file name, e.g. "
                    '"content/{dir}/{stem}.{lang}{suffix}"',
                )
        return literal

    def _source_folder_is(self, pattern: PathPattern) -> bool:
        """``pattern`` puts ``source_language``'s files where the articles are (Hugo's
        content folder per language: ``content/{lang}/…`` with ``source_dir =
        "content/en"``): there, a file is an article, never such an output."""
        probe = _identity_probe()
        mapped = pattern.expand(self.source_language, probe)
        return mapped == self.rel(self.source_dir / probe)

    def output_language(self, rel: str) -> str | None:
        """The language whose localized article (or page) the file ``rel`` under
        ``source_dir`` would be, when ``output_path`` writes beside the articles
        (Hugo's ``storm.az.md``); None for an article. Such files are never articles."""
        path = self.rel(self.source_dir / rel) if rel else ""
        # every configured language, whatever -l chose: a file is an article or not
        # whatever the run works on
        every = (*self.configured_languages, self.source_language)
        for pattern in (self.output_pattern, self.html_pattern):
            langs = every if not self._source_folder_is(pattern) else self.configured_languages
            lang = pattern.language_of(path, langs)
            if lang is not None:
                return lang
        return None


def _identity_probe() -> PurePosixPath:
    return PurePosixPath("probe/article.md")


def _limits(folder: Path) -> tuple[int, int]:
    """The longest file name (bytes) and path the file system at ``folder`` accepts."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX"), os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError):
        return 255, 4096


def load(root: Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """Read the project's settings, apply command-line ``overrides``, validate them."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError(f"project folder '{root}' does not exist", hint="check --project")
    raw, config_file = _read_settings(root)
    settings = dict(DEFAULTS)
    settings.update(raw)
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    settings.update(given)
    return _validate(root, settings, config_file, set(given))


def _read_settings(root: Path) -> tuple[dict[str, Any], Path | None]:
    sources: list[tuple[Path, dict[str, Any]]] = []
    pyproject = _toml(root / "pyproject.toml")
    if pyproject is not None:
        table = pyproject.get("tool", {}).get("pipeline")
        if table is not None:
            sources.append((root / "pyproject.toml", table))
    standalone = _toml(root / "pipeline.toml")
    if standalone is not None:
        sources.append((root / "pipeline.toml", standalone))
    if len(sources) > 1:
        raise ConfigError(
            "settings are in both pyproject.toml [tool.pipeline] and pipeline.toml",
            path="pipeline.toml",
            hint="keep them in one place and delete the other",
        )
    if not sources:
        return {}, None
    path, table = sources[0]
    if not isinstance(table, dict):
        raise ConfigError("[tool.pipeline] must be a table", path=path.name)
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise ConfigError(
            f"unknown setting '{unknown[0]}'",
            path=path.name,
            hint="known settings: " + ", ".join(DEFAULTS),
        )
    return dict(table), path


def _toml(path: Path) -> dict[str, Any] | None:
    """The settings file's table; None when there is no such file. A FIFO or a folder of
    that name is refused (``read_regular``), never opened."""
    try:
        return tomllib.loads(read_regular(path, path.name, ConfigError).decode("utf-8"))
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"not valid TOML: {exc}",
            path=path.name,
            line=int(line[1]) if line else None,
            hint="fix the syntax (https://toml.io)",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8", path=path.name, hint="save it as UTF-8") from None


def _validate(root: Path, s: dict[str, Any], config_file: Path | None, given: set[str]) -> Config:
    where = config_file.name if config_file else None

    def at(key: str) -> str | None:
        """Where setting ``key`` came from: the option that overrode it, or the file."""
        return "--" + key.replace("_", "-") if key in given else where

    def text(key: str) -> str:
        value = s[key]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"setting '{key}' must be a non-empty string", path=at(key))
        return value

    def strings(key: str) -> tuple[str, ...]:
        value = s[key]
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"setting '{key}' must be a list of strings", path=at(key))
        return tuple(dict.fromkeys(value))

    written = strings("languages")
    languages = tuple(check_language_in(code, at("languages")) for code in written)
    for i, code in enumerate(languages):
        twin = next((j for j in range(i) if same_language(code, languages[j])), None)
        if twin is not None:
            raise ConfigError(
                f"languages: '{written[twin]}' and '{written[i]}' name the same language",
                path=at("languages"),
                hint=f"keep one of them: {languages[twin]}",
            )
    source_language = language(text("source_language")).code
    if source_language in languages:
        raise ConfigError(
            f"'{source_language}' is both the source language and a target language",
            path=where,
            hint="remove it from languages",
        )
    allowed = tuple(check_allowed(root, folder, where) for folder in strings("allow_outside"))
    dirs = {
        key: (root / text(key)).resolve() for key in ("source_dir", "locales_dir", "output_dir")
    }
    for key, folder in dirs.items():
        if not any(folder.is_relative_to(top) for top in (root, *allowed)):
            raise ConfigError(
                f"{key} '{s[key]}' is outside the project (at {folder})",
                path=at(key),
                hint=f'allow it with allow_outside = ["{folder}"] in the settings file, '
                "or use a folder inside the project",
            )
    out = dirs["output_dir"]
    if out == root or any(
        out.is_relative_to(d) or d.is_relative_to(out)
        for d in (dirs["source_dir"], dirs["locales_dir"])
    ):
        raise ConfigError(
            "output_dir must be a folder of its own, outside source_dir and locales_dir "
            "(it holds generated files only, and merge removes stale ones)",
            path=where,
            hint='set output_dir = "output"',
        )
    front_matter_policy = parse_policy(s["front_matter"], at("front_matter"))
    front_matter_keys = translated_keys(
        front_matter_policy,
        strings("front_matter_keys"),
        default=s["front_matter_keys"] is DEFAULTS["front_matter_keys"],
        where=at("front_matter_keys"),
    )
    for key in front_matter_keys:
        if "" in key.split("."):
            raise ConfigError(
                f"setting 'front_matter_keys': '{key}' has an empty part between dots",
                path=at("front_matter_keys"),
                hint="name a value by its keys from the top, joined by dots (* for any key "
                "or list item), e.g. title, seo.title, faq.*.answer",
            )
    required = strings("required_fields")
    if s["required_fields"] is DEFAULTS["required_fields"]:
        required = tuple(k for k in required if key_in(k, front_matter_keys))
    for key in required:
        if "*" in key.split("."):
            raise ConfigError(
                f"required field '{key}' has a '*': required_fields name single values",
                path=where,
                hint="list each required value by its path, e.g. 'faq.0.answer'",
            )
        if not key_in(key, front_matter_keys):
            raise ConfigError(
                f"required field '{key}' is not one of front_matter_keys",
                path=where,
                hint=f"add '{key}' to front_matter_keys, or remove it from required_fields",
            )
    config = Config(
        root=root,
        source_dir=dirs["source_dir"],
        locales_dir=dirs["locales_dir"],
        output_dir=dirs["output_dir"],
        source_language=source_language,
        languages=languages,
        front_matter_keys=front_matter_keys,
        front_matter_policy=front_matter_policy,
        po_flags=check_flags(strings("po_flags"), at("po_flags")),
        config_file=config_file,
        min_complete=check_percentage(s["min_complete"], "min_complete", where),
        min_complete_by_language=check_by_language(s["min_complete_by_language"], where),
        publish_min_complete=check_percentage(
            s["publish_min_complete"], "publish_min_complete", at("publish_min_complete")
        ),
        publish_min_complete_by_language=check_by_language(
            s["publish_min_complete_by_language"],
            at("publish_min_complete_by_language"),
            "publish_min_complete_by_language",
        ),
        publish_incomplete=check_incomplete(s["publish_incomplete"], "publish_incomplete", where),
        publish_incomplete_by_language=tuple(
            sorted(
                (
                    check_language_in(str(code), where),
                    check_incomplete(v, f"publish_incomplete_by_language.{code}", where),
                )
                for code, v in check_table(
                    s["publish_incomplete_by_language"], "publish_incomplete_by_language", where
                ).items()
            )
        ),
        required_fields=required,
        localized_url_hosts=tuple(check_host(h, where) for h in strings("localized_url_hosts")),
        allow_outside=allowed,
        skip_checks=strings("skip_checks"),
        glossary_severity=check_glossary_severity(s["glossary_severity"], at("glossary_severity")),
        glossary_inflection=check_inflections(s["glossary_inflection"], at("glossary_inflection")),
        memory_exact=check_memory_exact(s["memory_exact"], at("memory_exact")),
        source_patterns=check_source_patterns(strings("source_patterns"), at("source_patterns")),
        segment=check_segment_mode(text("segment"), at("segment")),
        language_key=text("language_key").strip(),
        configured_languages=languages,
        output_pattern=check_pattern(
            s, "output_path", f"{s['output_dir']}/{{lang}}/{{path}}{{suffix}}", at
        ),
        html=check_flag(s["html"], "html", at("html")),
        html_pattern=check_pattern(s, "html_path", f"{s['output_dir']}/{{lang}}/{{path}}.html", at),
    )
    for lang in config.languages:
        probe = PurePosixPath("probe/article.md")
        for html in (False, True):
            pattern = config.html_pattern if html else config.output_pattern
            target = (root / pattern.expand(lang, probe)).resolve()
            if target == (config.source_dir / probe).resolve():
                key = "html_path" if html else "output_path"
                raise ConfigError(
                    f"setting '{key}' = '{pattern.pattern}' writes each {lang} article over "
                    "its source article",
                    path=at(key),
                    hint="give the pattern a {lang} of its own, e.g. "
                    '"content/{dir}/{stem}.{lang}{suffix}"',
                )
    return config


def with_languages(config: Config, languages: Sequence[str]) -> Config:
    """``config`` restricted to ``languages`` (each must be configured, in any spelling:
    ``-l AZ`` is the configured ``az``; ``source_language`` may be named too, as the
    target of articles written in another language)."""
    chosen: list[str] = []
    source = False
    for code in languages:
        if same_language(code, config.source_language):
            source = True  # a target of the articles written in another language
            continue
        match = next((c for c in config.languages if same_language(code, c)), None)
        if match is None:
            raise ConfigError(
                f"language '{code}' is not configured",
                hint=f"configured: {', '.join(config.languages) or 'none'}; "
                f"add it with: pipeline init {code}",
            )
        chosen.append(match)
    return replace(config, languages=tuple(dict.fromkeys(chosen)), source_targeted=source)


_LANGUAGES_RE = re.compile(r"^languages[ \t]*=[ \t]*\[[^\]]*\](?=[ \t]*(?:#[^\n]*)?$)", re.M)
"""The ``languages = [...]`` value (one or more lines); a comment after it is kept."""
_TABLE_RE = re.compile(r"^\[[^\n]*\][ \t]*(?:#[^\n]*)?$", re.M)


def add_languages(config: Config, codes: Sequence[str]) -> tuple[Config, Path, list[str]]:
    """Add ``codes`` to the project's ``languages`` setting, editing the file in place.

    Only the ``languages = [...]`` line changes (or is added); comments, order and
    every other setting are kept. Without any settings file, ``pipeline.toml`` is
    created. Returns the new config, the file written and the codes actually added.
    """
    valid = [language(code).code for code in codes]
    target = config.config_file or config.root / "pipeline.toml"
    try:
        text = read_regular(target, target.name, ConfigError).decode("utf-8")
    except FileNotFoundError:
        text = ""
    # The file's own list, not config.languages: a --languages override is for one run.
    on_file = list(_settings_table(text, target).get("languages", []))
    # Compared as locales, not strings: AZ, az-AZ and az are one language.
    added: list[str] = []
    for code in dict.fromkeys(valid):
        if not any(same_language(code, other) for other in [*on_file, *added]):
            added.append(code)
    for code in added:
        if same_language(code, config.source_language):
            raise ConfigError(
                f"'{code}' is the source language",
                hint="a target language must differ from source_language",
            )
    new_list = on_file + added
    rendered = "languages = [" + ", ".join(f'"{c}"' for c in new_list) + "]"
    if target.name == "pyproject.toml":
        text = _edit_table(text, "[tool.pipeline]", rendered)
    elif _LANGUAGES_RE.search(_top_level(text)):
        text = _LANGUAGES_RE.sub(lambda _: rendered, text, count=1)
    else:
        head = _top_level(text)
        text = (
            head
            + ("" if not head or head.endswith("\n") else "\n")
            + rendered
            + "\n"
            + text[len(head) :]
        )
    if list(_settings_table(text, target).get("languages", [])) != new_list:  # pragma: no cover
        raise ConfigError(
            "could not update the languages setting automatically",
            path=target.name,
            hint=f"edit it by hand: {rendered}",
        )
    if added:
        write_atomic(target, text, config.rel(target))
    languages = tuple(dict.fromkeys([*config.languages, *added]))
    return replace(config, languages=languages, config_file=target), target, added


def _settings_table(text: str, target: Path) -> dict[str, Any]:
    data = tomllib.loads(text) if text else {}
    table = data.get("tool", {}).get("pipeline", {}) if target.name == "pyproject.toml" else data
    return table if isinstance(table, dict) else {}


def _top_level(text: str) -> str:
    """The part of a TOML text before its first table header."""
    match = _TABLE_RE.search(text)
    return text[: match.start()] if match else text


def _edit_table(text: str, header: str, line: str) -> str:
    start = text.find(header)
    if start < 0:
        sep = "" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
        return f"{text}{sep}{header}\n{line}\n"
    body_start = text.index("\n", start) + 1 if "\n" in text[start:] else len(text)
    nxt = _TABLE_RE.search(text, body_start)
    body_end = nxt.start() if nxt else len(text)
    body = text[body_start:body_end]
    if _LANGUAGES_RE.search(body):
        body = _LANGUAGES_RE.sub(lambda _: line, body, count=1)
    else:
        body = line + "\n" + body
    return text[:body_start] + body + text[body_end:]
