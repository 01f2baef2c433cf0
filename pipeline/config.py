"""Project settings: ``[tool.pipeline]`` in ``pyproject.toml`` or a ``pipeline.toml``.

Every setting can be overridden on the command line; ``Config`` is the merged, validated
result and knows where every file of the project lives.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.errors import ConfigError
from pipeline.files import write_atomic
from pipeline.locales import language

DEFAULTS: dict[str, Any] = {
    "source_dir": "source",
    "locales_dir": "locales",
    "output_dir": "output",
    "source_language": "en",
    "languages": [],
    "front_matter_keys": ["title", "description", "summary"],
    "po_flags": ["md-text"],
    "min_complete": 100,
    "min_complete_by_language": {},
    "required_fields": ["title"],
    "localized_url_hosts": [],
}
"""Every setting and its default."""


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

    def threshold(self, lang: str) -> float:
        """The ``min_complete`` percentage that applies to ``lang``."""
        return dict(self.min_complete_by_language).get(lang, self.min_complete)

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root, with ``/`` separators (for messages)."""
        try:
            return PurePosixPath(path.relative_to(self.root)).as_posix()
        except ValueError:
            return str(path)

    def articles(self) -> list[Path]:
        """Every ``*.md`` article under ``source_dir``, sorted (relative to it)."""
        if not self.source_dir.is_dir():
            raise ConfigError(
                f"source folder '{self.rel(self.source_dir)}' does not exist",
                hint="create it and put articles (*.md) in it, or set source_dir in "
                "[tool.pipeline] / pipeline.toml, or pass --source-dir",
            )
        return sorted(
            p.relative_to(self.source_dir) for p in self.source_dir.rglob("*.md") if p.is_file()
        )

    def template_path(self, article: Path) -> Path:
        """``locales/<article>.pot``."""
        return self.locales_dir / article.with_suffix(".pot")

    def po_path(self, lang: str, article: Path) -> Path:
        """``locales/<lang>/<article>.po``."""
        return self.locales_dir / lang / article.with_suffix(".po")

    def output_path(self, lang: str, article: Path) -> Path:
        """``output/<lang>/<article>.md``; refuses a path that would leave ``output/``."""
        base = (self.output_dir / lang).resolve()
        target = (self.output_dir / lang / article).resolve()
        if not target.is_relative_to(base):
            raise ConfigError(
                f"article '{article.as_posix()}' would be written outside "
                f"'{self.rel(self.output_dir / lang)}' (to {target})",
                path=self.rel(self.source_dir / article),
                hint="remove the symbolic link that leads out of the output folder",
            )
        return target


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
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _toml(pyproject).get("tool", {}).get("pipeline")
        if table is not None:
            sources.append((pyproject, table))
    standalone = root / "pipeline.toml"
    if standalone.is_file():
        sources.append((standalone, _toml(standalone)))
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


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
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

    languages = tuple(_language_in(code, at("languages")) for code in strings("languages"))
    source_language = language(text("source_language")).code
    if source_language in languages:
        raise ConfigError(
            f"'{source_language}' is both the source language and a target language",
            path=where,
            hint="remove it from languages",
        )
    dirs = {
        key: (root / text(key)).resolve() for key in ("source_dir", "locales_dir", "output_dir")
    }
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
    front_matter_keys = strings("front_matter_keys")
    required = strings("required_fields")
    if s["required_fields"] is DEFAULTS["required_fields"]:
        required = tuple(k for k in required if k in front_matter_keys)
    for key in required:
        if key not in front_matter_keys:
            raise ConfigError(
                f"required field '{key}' is not one of front_matter_keys",
                path=where,
                hint=f"add '{key}' to front_matter_keys, or remove it from required_fields",
            )
    return Config(
        root=root,
        source_dir=dirs["source_dir"],
        locales_dir=dirs["locales_dir"],
        output_dir=dirs["output_dir"],
        source_language=source_language,
        languages=languages,
        front_matter_keys=front_matter_keys,
        po_flags=_flags(strings("po_flags"), at("po_flags")),
        config_file=config_file,
        min_complete=_percentage(s["min_complete"], "min_complete", where),
        min_complete_by_language=_by_language(s["min_complete_by_language"], where),
        required_fields=required,
        localized_url_hosts=tuple(_host(h, where) for h in strings("localized_url_hosts")),
    )


def _percentage(value: object, key: str, where: str | None, example: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(
            f"setting '{key}' must be a number from 0 to 100 (a percentage of words)",
            path=where,
            hint=f"for example: {example or key + ' = 80'}",
        )
    return float(value)


_FLAG_RE = re.compile(r"[a-z0-9][a-z0-9-]*(?::[^\s,]+)?")


def _flags(flags: tuple[str, ...], where: str | None) -> tuple[str, ...]:
    """``po_flags``: gettext flag words; never ``fuzzy`` (nothing would be published)."""
    for flag in flags:
        if flag == "fuzzy" or not _FLAG_RE.fullmatch(flag):
            raise ConfigError(
                f"po_flags: '{flag}' is not a flag we can write on every entry",
                path=where,
                hint="use words like md-text (no spaces or commas; fuzzy is set per "
                "entry by translators and tools, never for all)",
            )
    return flags


def _language_in(code: str, where: str | None) -> str:
    """A language code from the settings, its error naming the settings file."""
    try:
        return language(code).code
    except ConfigError as exc:
        raise ConfigError(exc.message, path=where, hint=exc.hint) from None


def _by_language(value: object, where: str | None) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            "setting 'min_complete_by_language' must be a table of language = percentage",
            path=where,
            hint="for example: min_complete_by_language = { ru = 40 }",
        )
    pairs = {
        _language_in(str(code), where): _percentage(
            v,
            f"min_complete_by_language.{code}",
            where,
            f"min_complete_by_language = {{ {code} = 80 }}",
        )
        for code, v in value.items()
    }
    return tuple(sorted(pairs.items()))


def _host(value: str, where: str | None) -> str:
    host = value.strip().lower().rstrip(".")
    if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", host):
        raise ConfigError(
            f"'{value}' in localized_url_hosts is not a host name",
            path=where,
            hint="write host names only, without scheme or path: example.com",
        )
    return host


def with_languages(config: Config, languages: Sequence[str]) -> Config:
    """``config`` restricted to ``languages`` (each must be configured)."""
    for code in languages:
        if code not in config.languages:
            raise ConfigError(
                f"language '{code}' is not configured",
                hint=f"configured: {', '.join(config.languages) or 'none'}; "
                f"add it with: pipeline init {code}",
            )
    return replace(config, languages=tuple(languages))


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
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    # The file's own list, not config.languages: a --languages override is for one run.
    on_file = list(_settings_table(text, target).get("languages", []))
    added = [code for code in dict.fromkeys(valid) if code not in on_file]
    for code in added:
        if code == config.source_language:
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
