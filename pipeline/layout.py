"""Where a localized article, or its HTML page, is written: a path pattern.

A pattern is a POSIX path relative to the project root with placeholders, e.g.
``output/{lang}/{path}{suffix}`` (the default) or Hugo's ``content/{dir}/{stem}.{lang}{suffix}``:

- ``{lang}``: the target language code (``az``);
- ``{path}``: the article's path under ``source_dir`` without its suffix (``news/storm``);
- ``{dir}``: its folder under ``source_dir`` (``news``; empty at the top, and the ``/``
  after an empty ``{dir}`` goes with it);
- ``{stem}``: its file name without the suffix (``storm``);
- ``{suffix}``: the suffix as written (``.md``, ``.markdown``).

Every pattern needs ``{lang}`` (or languages would overwrite each other) and ``{path}``, or
``{dir}`` with ``{stem}`` (or articles would). Pure string work: no file access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

PLACEHOLDERS = ("lang", "path", "dir", "stem", "suffix")
"""The names a pattern may use, each between braces."""

_FIELD_RE = re.compile(r"\{([^{}]*)\}")


class PatternError(ValueError):
    """A pattern that cannot name one file per article and language (the message says why)."""


@dataclass(frozen=True, slots=True)
class PathPattern:
    """One validated pattern (see the module)."""

    pattern: str

    @staticmethod
    def parse(pattern: str, *, outside: bool = False) -> PathPattern:
        """``pattern`` validated; ``PatternError`` when it uses an unknown placeholder, stray
        braces, an absolute path or ``..`` (unless ``outside``: a folder the settings
        allow, checked where files are written), or does not name one file per article
        and language."""
        names = _FIELD_RE.findall(pattern)
        unknown = sorted({n for n in names if n not in PLACEHOLDERS})
        if unknown:
            known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            raise PatternError(f"'{{{unknown[0]}}}' is not a placeholder (use {known})")
        bare = _FIELD_RE.sub("", pattern)
        if "{" in bare or "}" in bare:
            raise PatternError("a brace that opens or closes no placeholder")
        parts = PurePosixPath(pattern).parts
        if not outside and (pattern.startswith("/") or ".." in parts or "\\" in pattern):
            raise PatternError("it must be a path inside the project, relative to its root")
        if "lang" not in names:
            raise PatternError("it has no {lang}: every language would be written to one file")
        if "path" not in names and not ("dir" in names and "stem" in names):
            raise PatternError(
                "it has neither {path} nor {dir} and {stem}: articles would overwrite each other"
            )
        if pattern.endswith("/") or not PurePosixPath(pattern).name:
            raise PatternError("it names a folder, not a file")
        return PathPattern(pattern)

    def expand(self, lang: str, article: PurePosixPath) -> str:
        """The path (POSIX, relative to the project root) for ``article`` (relative to
        ``source_dir``) in ``lang``."""
        suffix = article.suffix
        stem = article.name[: -len(suffix)] if suffix else article.name
        folder = article.parent.as_posix()
        folder = "" if folder == "." else folder
        path = f"{folder}/{stem}" if folder else stem
        values = {"lang": lang, "path": path, "dir": folder, "stem": stem, "suffix": suffix}
        text = _FIELD_RE.sub(lambda m: values[m[1]], self.pattern)
        # an empty {dir} takes its "/" with it: "content/{dir}/{stem}" → "content/storm"
        text = re.sub(r"/{2,}", "/", text).removeprefix("./")
        return text if self.pattern.startswith("/") else text.lstrip("/")

    def _root_template(self) -> str:
        """The pattern's folder part before any placeholder but ``{lang}``."""
        cut = min(m.start() for m in _FIELD_RE.finditer(self.pattern) if m[1] != "lang")
        return self.pattern[:cut].rpartition("/")[0]

    def root(self, lang: str) -> str:
        """The folder (POSIX, relative to the project root, ``""`` for the root itself)
        that holds every file of ``lang``: the pattern's fixed part before any other
        placeholder."""
        return self._root_template().replace("{lang}", lang)

    def shared_root(self) -> bool:
        """The languages share one root folder (no ``{lang}`` in it), so each language's
        files there need a manifest of their own name."""
        return "{lang}" not in self._root_template()

    def language_of(self, rel: str, languages: tuple[str, ...]) -> str | None:
        """The language among ``languages`` whose file ``rel`` (POSIX, relative to the
        project root) would be under this pattern, or None: how an output written
        beside the articles (``storm.az.md``) is told from an article."""
        match = _matcher(self.pattern).fullmatch(rel)
        if match is None:
            return None
        lang = match.groupdict().get("lang")
        return lang if lang in languages else None


_SHAPES = {
    "lang": r"(?P<lang>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)*)",
    "path": r".+?",
    "dir": r".*?",
    "stem": r"[^/]+?",
    "suffix": r"\.[^./]+",
}


@lru_cache(maxsize=64)
def _matcher(pattern: str) -> re.Pattern[str]:
    """A regular expression for the paths ``pattern`` can expand to (an empty ``{dir}``
    with its ``/`` included)."""
    out, pos, seen = [], 0, False
    for m in _FIELD_RE.finditer(pattern):
        out.append(re.escape(pattern[pos : m.start()]))
        out.append("(?P=lang)" if m[1] == "lang" and seen else _SHAPES[m[1]])
        seen = seen or m[1] == "lang"
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out).replace("/.*?/", "/(?:.*?/)?"))
