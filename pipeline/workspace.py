"""A project as one command sees it, loaded once: settings, articles, catalogs, cache.

Everything a command needs to know before its jobs start is gathered here, each folder
walked once: the articles (all, and this run's share of them with ``--shard``), the
languages, each language's ``.po`` files and the templates in ``locales/``. The heavy
loading (segmenting articles, parsing catalogs) happens in the jobs, in parallel.
``pipeline memory import`` and ``export`` live here too: they run no jobs, only read
and write the memory's files beside the catalogs (``catalogs.memory``).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.cache import Cache
from pipeline.catalogs.memory import (
    Exported,
    Imported,
    add_units,
    export_tmx,
    is_memory_file,
    memory_path,
    read_units,
)
from pipeline.config import Config
from pipeline.errors import CatalogError, ConfigError, PipelineError, SourceError
from pipeline.files import STAGING, require_regular

_SHARD_RE = re.compile(r"([0-9]+)/([0-9]+)")


@dataclass(frozen=True, slots=True)
class Shard:
    """``--shard K/N``: the K-th of N disjoint shares of the articles (1 ≤ K ≤ N)."""

    index: int
    """K, from 1."""
    count: int
    """N."""

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` → a shard; ``ConfigError`` if it is not one."""
        match = _SHARD_RE.fullmatch(text.strip())
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise ConfigError(
                f"--shard {text!r} is not K/N with 1 ≤ K ≤ N",
                hint="for a CI matrix of 4 jobs, give each one of --shard 1/4 … --shard 4/4",
            )
        return cls(int(match[1]), int(match[2]))

    def holds(self, article: Path) -> bool:
        """``article`` belongs to this share: decided by a hash of its path, so the
        shares are the same on every machine and an added article moves no other."""
        digest = hashlib.sha256(article.as_posix().encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


@dataclass(frozen=True)
class Workspace:
    """One command's project."""

    config: Config
    """The settings (languages already limited to ``-l``)."""
    all_articles: tuple[Path, ...]
    """Every article, relative to ``config.source_dir``, sorted."""
    articles: tuple[Path, ...]
    """This run's articles: all of them, or the shard's."""
    cache: Cache
    """The incremental cache (disabled with ``--no-cache``)."""
    shard: Shard | None = None
    """The share of the articles this run works on, if any."""
    stems: tuple[str, ...] = ()
    """Each of ``all_articles`` without its suffix (``copy-1/_docs/index``): the name of
    its template and catalogs."""
    _scan: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    pool_digests: dict[str, str] = field(default_factory=dict, repr=False)
    """Per language, the digest of its suggestion pool as on disk now (``project``)."""
    _real_dirs: dict[str, Path] = field(default_factory=dict, repr=False)
    _allowed_dirs: dict[str, bool] = field(default_factory=dict, repr=False)
    _others: dict[str, tuple[tuple[Path, ...], tuple[PipelineError, ...]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages worked on, in configured order (``Config.run_languages``:
        ``source_language`` last, for articles written in another language)."""
        return self.config.run_languages()

    @property
    def partial(self) -> bool:
        """Only a share of the articles is worked on: what no article produces cannot be
        told (no orphan is reported, nothing stale removed)."""
        return self.shard is not None and self.shard.count > 1

    def locale_files(self) -> dict[str, str]:
        """Everything under ``locales/`` that is not a folder, as relative POSIX path →
        ``file`` (regular), ``link`` or ``other`` (a FIFO, a socket…), walked once per
        command; folders reached through links and staging folders are not entered."""
        if "locales" not in self._scan:
            found: dict[str, str] = {}
            _walk(str(self.config.locales_dir), "", found)
            self._scan["locales"] = found
        return self._scan["locales"]

    def catalogs(self, lang: str) -> tuple[Path, ...]:
        """Every ``.po`` under ``locales/<lang>/`` that is not a folder (links and FIFOs
        included: reading one is refused loudly), sorted; the translation memory
        (``memory.po``) is no catalog."""
        prefix = f"{lang}/"
        top = self.config.locales_dir
        return tuple(
            top / rel
            for rel, what in sorted(self.locale_files().items())
            if rel.startswith(prefix)
            and rel.endswith(".po")
            and not is_memory_file(rel[len(prefix) :])
            and (what != "link" or not (top / rel).is_dir())
        )

    def regular(self, suffix: str, lang: str = "") -> list[str]:
        """The regular files under ``locales/`` (``locales/<lang>/`` when ``lang``, the
        path then relative to it) ending in ``suffix``, sorted."""
        prefix = f"{lang}/" if lang else ""
        return sorted(
            rel[len(prefix) :]
            for rel, what in self.locale_files().items()
            if what == "file" and rel.startswith(prefix) and rel.endswith(suffix)
        )

    def template_path(self, article: Path) -> Path:
        """``Config.template_path``, with each folder resolved once per command."""
        return self._confined(self.config.locales_dir / article.with_suffix(".pot"), CatalogError)

    def po_path(self, lang: str, article: Path) -> Path:
        """``Config.po_path``, with each folder resolved once per command."""
        return self._confined(
            self.config.locales_dir / lang / article.with_suffix(".po"), CatalogError
        )

    def signature(self, path: str) -> str | None:
        """The SHA-256 of the file at ``path`` (``Cache.sha_of``), None when there is
        none; a marker when it must not be read: it resolves outside the project, or is
        not a regular file. Each folder is resolved once; a file only if it is a link."""
        folder = path.rpartition("/")[0]
        real = self._real_dir(folder)
        allowed = self._allowed_dirs.get(folder)
        if allowed is None:
            allowed = self._allowed_dirs[folder] = self._allowed(real)
        if not allowed:
            return "refused"
        # a folder that is (or passes through) a link: where it leads is part of the key
        where = "" if str(real) == folder else f"@{real}"
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                if not self.config.inside(Path(path)):
                    return "refused"
                st = Path(path).stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"error:{exc.errno}"
        if not stat.S_ISREG(st.st_mode):
            return f"kind:{stat.S_IFMT(st.st_mode)}"
        return self.cache.sha_of(path, st) + where

    def _confined(self, path: Path, error: type[PipelineError]) -> Path:
        if not self._allowed(self._real(path)):
            self.config.confined(path, error)  # raises, with the message and the hint
        return path

    def _allowed(self, real: Path) -> bool:
        """``real`` (a resolved path) is in the project or an ``allow_outside`` folder."""
        return any(
            real.is_relative_to(top) for top in (self.config.root, *self.config.allow_outside)
        )

    def _real_dir(self, folder: str) -> Path:
        """``folder`` resolved, once per command."""
        real = self._real_dirs.get(folder)
        if real is None:
            real = self._real_dirs[folder] = Path(folder).resolve()
        return real

    def _real(self, path: Path) -> Path:
        """``path.resolve()``, resolving each folder once: a run asks for thousands of
        files in a few folders, and resolving walks every component with a system call."""
        real_parent = self._real_dir(str(path.parent))
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return path.resolve()
        except OSError:
            pass  # nothing there (yet): where it would be created
        return real_parent / path.name

    def suggestion_catalogs(self, lang: str) -> tuple[tuple[Path, ...], tuple[PipelineError, ...]]:
        """The catalogs of ``lang`` no article owns (orphans, hand-made ones), which lend
        suggestions only, and the errors of those that must not be read: a link out of
        the project or a FIFO is refused loudly, as it would leak another file or hang.
        The translation memory (``memory.po``) is none of them: it lends through
        ``catalogs.memory.Memory``, by its own rules."""
        if lang not in self._others:
            config = self.config
            own = {f"{lang}/{stem}.po" for stem in self.stems}
            prefix = f"{lang}/"
            others = sorted(
                rel
                for rel in self.locale_files()
                if rel.startswith(prefix)
                and rel.endswith(".po")
                and rel not in own
                and not is_memory_file(rel[len(prefix) :])
            )
            safe: list[Path] = []
            errors: list[PipelineError] = []
            for rel in others:
                path = config.locales_dir / rel
                if path.is_dir():
                    continue  # a link to a folder named like a catalog
                try:
                    config.confined(path, CatalogError)
                    st = path.stat()
                except FileNotFoundError:
                    continue  # a broken link: nothing to read
                except PipelineError as exc:
                    errors.append(exc)
                    continue
                except OSError as exc:
                    shown = config.rel(path)
                    errors.append(CatalogError(f"cannot read: {exc.strerror}", path=shown))
                    continue
                try:
                    require_regular(st.st_mode, config.rel(path), CatalogError)
                except CatalogError as exc:
                    errors.append(exc)
                    continue
                safe.append(path)
            self._others[lang] = (tuple(safe), tuple(errors))
        return self._others[lang]


def _walk(top: str, rel: str, found: dict[str, str]) -> None:
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        name = f"{rel}{entry.name}"
        if entry.is_symlink():
            found[name] = "link"
        elif entry.is_dir(follow_symlinks=False):
            if entry.name != STAGING:
                _walk(entry.path, f"{name}/", found)
        elif entry.is_file(follow_symlinks=False):
            found[name] = "file"
        else:
            found[name] = "other"


def load_workspace(config: Config, *, shard: Shard | None = None, cache: bool = False) -> Workspace:
    """The workspace of ``config``: its articles walked once (``ConfigError`` as
    ``Config.articles``; ``SourceError`` for an article whose catalog would be named like
    the translation memory), its cache opened when ``cache``."""
    articles = tuple(config.articles())
    mine = tuple(a for a in articles if shard.holds(a)) if shard else articles
    stems = tuple(a.with_suffix("").as_posix() for a in articles)
    for article, stem in zip(articles, stems, strict=True):
        if is_memory_file(f"{stem}.po"):
            raise SourceError(
                f"its catalogs would be locales/<lang>/{stem}.po, the name of the translation "
                "memory; nothing was written",
                path=config.rel(config.source_dir / article),
                hint="rename the article (or move it into a folder)",
            )
    return Workspace(config, articles, mine, Cache(config.root, enabled=cache), shard, stems)


# --- pipeline memory import / export (no jobs: one file in, or one out) ---------------


def import_memory(config: Config, file: Path, *, source: str = "") -> tuple[Imported, ...]:
    """Add the units of ``file`` (a TMX, or a ``.po`` compendium) to the memory of each
    target language (``-l`` limits them) from ``source`` (default ``source_language``):
    ``locales/<lang>/memory.po`` (``catalogs.memory.read_units``, ``add_units``)."""
    source = source or config.source_language
    found = read_units(file, str(file), config.languages, source)
    results = []
    for code, units in found.items():
        path = memory_path(config.locales_dir, code, source, config.source_language)
        config.confined(path, CatalogError)
        results.append(add_units(path, config.rel(path), units, code, source))
    return tuple(results)


def export_memory(config: Config, file: Path, *, source: str = "") -> Exported:
    """Write ``file``: a TMX of every translated, non-fuzzy entry of the catalogs of
    each target language (``-l`` limits them; orphaned ones included) and of its memory
    (``catalogs.memory.export_tmx``); a catalog that cannot be read (or that leads out of
    the project) stops it before anything is written."""
    source = source or config.source_language
    ws = load_workspace(config)
    catalogs = []
    for lang in config.languages:
        mine = memory_path(config.locales_dir, lang, source, config.source_language)
        paths = [*ws.catalogs(lang), *([mine] if mine.exists() or mine.is_symlink() else [])]
        catalogs.append((lang, [(config.confined(p, CatalogError), config.rel(p)) for p in paths]))
    return export_tmx(file, str(file), source, catalogs)
