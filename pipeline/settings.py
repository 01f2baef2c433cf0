"""Each setting's value checked: its shape, its range, and what to write instead.

``config.load`` reads the settings file and calls these; each returns the value as
``Config`` holds it, or raises ``ConfigError`` naming the setting (and where it came
from: the file, or the command-line option that overrode it) with a hint.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pipeline.errors import ConfigError
from pipeline.layout import PathPattern, PatternError
from pipeline.locales import language
from pipeline.markdown.document import SEGMENT_MODES


def check_pattern(
    s: dict[str, Any], key: str, default: str, at: Callable[[str], str | None]
) -> PathPattern:
    """The path pattern of setting ``key`` (``layout``), ``default`` when it is empty."""
    value = s[key]
    if not isinstance(value, str):
        raise ConfigError(f"setting '{key}' must be a string", path=at(key))
    try:
        if not value.strip():  # from output_dir, which may be a folder allow_outside allows
            return PathPattern.parse(PurePosixPath(default).as_posix(), outside=True)
        return PathPattern.parse(value.strip())
    except PatternError as exc:
        raise ConfigError(
            f"setting '{key}' = '{value}': {exc}",
            path=at(key),
            hint='e.g. "output/{lang}/{path}{suffix}" or Hugo\'s '
            '"content/{dir}/{stem}.{lang}{suffix}" (README: Output layouts)',
        ) from None


def check_flag(value: object, key: str, where: str | None) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"setting '{key}' must be true or false", path=where)
    return value


def check_segment_mode(mode: str, where: str | None) -> str:
    if mode not in SEGMENT_MODES:
        raise ConfigError(
            f"setting 'segment': '{mode}' is not a way to segment articles",
            path=where,
            hint='segment = "paragraph" (one message a paragraph, the default) or '
            '"sentence" (one message a sentence)',
        )
    return mode


def key_in(path: str, patterns: Sequence[str]) -> bool:
    """The front-matter key ``path`` (``seo.title``) is one that ``patterns`` name
    (``seo.title``, ``seo.*``, ``*.title``)."""
    parts = path.split(".")
    return any(
        len(p) == len(parts) and all(a in {b, "*"} for a, b in zip(p, parts, strict=True))
        for p in (pattern.split(".") for pattern in patterns)
    )


def check_source_patterns(patterns: tuple[str, ...], where: str | None) -> tuple[str, ...]:
    """The ``source_patterns`` setting, each a relative glob; ``ConfigError`` if not."""
    if not patterns:
        raise ConfigError(
            "source_patterns is empty: no file would be an article",
            path=where,
            hint='set source_patterns = ["**/*.md", "**/*.markdown"] (the default)',
        )
    for pattern in patterns:
        parts = pattern.split("/")
        if pattern.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ConfigError(
                f"source_patterns: '{pattern}' is not a pattern relative to source_dir",
                path=where,
                hint="write it like '**/*.md' or 'posts/*.markdown', without '/' first or '..'",
            )
    return patterns


@functools.lru_cache(maxsize=64)
def source_matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for ``source_patterns``: ``**/`` is any run of folders,
    ``*`` any run of characters but ``/``, ``?`` one of them; case is ignored."""
    alternatives = []
    for pattern in patterns:
        out = []
        parts = pattern.split("/")
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            if part == "**":
                out.append(".*" if last else "(?:[^/]*/)*")
                continue
            piece = "".join(
                "[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in part
            )
            out.append(piece if last else piece + "/")
        alternatives.append("".join(out))
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def check_allowed(root: Path, value: str, where: str | None) -> Path:
    """One ``allow_outside`` folder: it must exist, and must not be the file system root
    (that would allow everything and make the setting meaningless)."""
    folder = (root / value).resolve()
    if not folder.is_dir():
        raise ConfigError(
            f"allow_outside: '{value}' is not an existing folder",
            path=where,
            hint='name folders that exist, for example allow_outside = ["/srv/site/content"]',
        )
    if folder == Path(folder.anchor):
        raise ConfigError(
            "allow_outside: the file system root would allow every file",
            path=where,
            hint="name the one folder the project needs to reach",
        )
    return folder


def check_percentage(value: object, key: str, where: str | None, example: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(
            f"setting '{key}' must be a number from 0 to 100 (a percentage of words)",
            path=where,
            hint=f"for example: {example or key + ' = 80'}",
        )
    return float(value)


_FLAG_RE = re.compile(r"[a-z0-9][a-z0-9-]*(?::[^\s,]+)?")


def check_flags(flags: tuple[str, ...], where: str | None) -> tuple[str, ...]:
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


def check_language_in(code: str, where: str | None) -> str:
    """A language code from the settings, its error naming the settings file."""
    try:
        return language(code).code
    except ConfigError as exc:
        raise ConfigError(exc.message, path=where, hint=exc.hint) from None


def check_by_language(
    value: object, where: str | None, key: str = "min_complete_by_language"
) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"setting '{key}' must be a table of language = percentage",
            path=where,
            hint=f"for example: {key} = {{ ru = 40 }}",
        )
    pairs = {
        check_language_in(str(code), where): check_percentage(
            v, f"{key}.{code}", where, f"{key} = {{ {code} = 80 }}"
        )
        for code, v in value.items()
    }
    return tuple(sorted(pairs.items()))


def check_table(value: object, key: str, where: str | None) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"setting '{key}' must be a table of language = value",
            path=where,
            hint=f'for example: {key} = {{ ru = "fallback" }}',
        )
    return value


PUBLISH_INCOMPLETE = ("skip", "fallback")
"""What ``merge`` may do with an article translated below ``publish_min_complete``."""


def check_incomplete(value: object, key: str, where: str | None) -> str:
    if value not in PUBLISH_INCOMPLETE:
        raise ConfigError(
            f'setting \'{key}\' must be "skip" or "fallback", not {value!r}',
            path=where,
            hint="skip: not published in that language; fallback: published with the "
            "source text where the translation is missing, flagged translation_incomplete",
        )
    return str(value)


def check_memory_exact(value: object, where: str | None) -> Literal["fuzzy", "translated"]:
    if value == "fuzzy":
        return "fuzzy"
    if value == "translated":
        return "translated"
    raise ConfigError(
        f'setting \'memory_exact\' must be "fuzzy" or "translated", not {value!r}',
        path=where,
        hint='"fuzzy" (the default) leaves each exact match from the memory to review',
    )


def check_glossary_severity(value: object, where: str | None) -> str:
    if value not in ("warning", "error"):
        raise ConfigError(
            f'setting \'glossary_severity\' must be "warning" or "error", not {value!r}',
            path=where,
            hint='"error" makes a glossary term translated otherwise fail pipeline check',
        )
    return str(value)


_INFLECTION_KEYS = ("min_stem", "change", "suffix")


def check_inflections(value: object, where: str | None) -> tuple[tuple[str, int, int, int], ...]:
    """``glossary_inflection = { az = { min_stem = 4, change = 1, suffix = 8 } }``."""
    found = []
    for code, rule in check_table(value, "glossary_inflection", where).items():
        key = f"glossary_inflection.{code}"
        table = check_table(rule, key, where)
        numbers = [table.get(name, 0) for name in _INFLECTION_KEYS]
        unknown = set(table) - set(_INFLECTION_KEYS)
        if unknown or not all(type(n) is int and 0 <= n <= 100 for n in numbers):
            raise ConfigError(
                f"setting '{key}' must give min_stem, change and suffix as whole numbers",
                path=where,
                hint=f"for example {code} = {{ min_stem = 4, change = 1, suffix = 8 }}",
            )
        min_stem, change, suffix = (int(str(n)) for n in numbers)
        found.append((check_language_in(str(code), where), min_stem, change, suffix))
    return tuple(sorted(found))


def check_host(value: str, where: str | None) -> str:
    host = value.strip().lower().rstrip(".")
    if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", host):
        raise ConfigError(
            f"'{value}' in localized_url_hosts is not a host name",
            path=where,
            hint="write host names only, without scheme or path: example.com",
        )
    return host
