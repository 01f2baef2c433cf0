"""The incremental cache: ``.pipeline-cache/`` under the project, safe to delete.

A job (one article, every language asked for) is skipped when everything it would read
(the article, its template, its catalogs, its outputs, the settings, this pipeline's code
and the libraries it parses with) is byte for byte what it was when the same job last
found nothing to do; its verdict is then taken from the cache. Only such no-op outcomes
are stored, so the cache can make a run faster, never different: a job that wrote a file
runs again next time, finds the fixed point, and is stored then.

Files are identified by SHA-256. Hashing every file on every run would cost as much as
reading it, so, as git's index does, the hash is remembered with the file's ``stat``
(size, mtime, ctime, inode); a file whose ``stat`` is unchanged, and that had not been
modified in the instant it was hashed (``RACY_NS``), keeps its hash without being read.

The cache is JSON (never pickle: a cache folder someone committed could otherwise run
code), written atomically at the end of a run; one that cannot be read, from another
version or half-written, counts as empty. A ``.pipeline-cache`` that is a symbolic link
or not a folder turns the cache off: nothing is written through it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable
from enum import Enum
from importlib import metadata
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.files import read_regular, write_atomic

CACHE_DIR = ".pipeline-cache"
"""The cache folder, under the project root."""

FORMAT = 2
"""Bumped when the files' layout changes; a cache of another format counts as empty."""

RACY_NS = 2_000_000_000
"""A file modified less than this before it was hashed is hashed again next time (file
systems with coarse timestamps can give two different contents one mtime)."""

_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "polib", "babel", "justhtml", "tomlkit")

_SIGNATURES = "files"


def code_version() -> str:
    """This pipeline's version, a digest of its own source and its parsers' versions.

    Part of every job key, so an upgrade (or a developer's edit) never reuses a verdict
    the new code might not reach.
    """
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def key_of(*parts: object) -> str:
    """A job key: the SHA-256 of ``parts`` as canonical JSON (strings, numbers, lists)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    """One command's view of ``.pipeline-cache/``: file hashes and job outcomes.

    Not thread-safe; used by the process that schedules the jobs, never by the jobs.
    ``enabled=False`` (``--no-cache``) hashes files but never reads nor writes the folder.
    """

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.folder = root / CACHE_DIR
        self.enabled = enabled and _usable(self.folder)
        self._tables: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._version: str | None = None
        self._signatures: dict[str, list[Any]] = {}
        if self.enabled:
            entries = self._load(_SIGNATURES).get("entries")
            self._signatures = entries if isinstance(entries, dict) else {}

    @property
    def version(self) -> str:
        """``code_version()``, computed once per run."""
        if self._version is None:
            self._version = code_version()
        return self._version

    def sha_of(self, name: str, st: os.stat_result) -> str:
        """The SHA-256 of the regular file ``name``, whose ``stat`` is ``st``: remembered
        while its size, times and inode are unchanged (and it had not been modified just
        before it was hashed: ``RACY_NS``), else read and hashed. The caller has checked
        that the file may be read (``Workspace.signature``)."""
        mark = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
        known = self._signatures.get(name)
        if known is not None and _trusted(known, mark):
            return str(known[5])
        hashed_at = time.time_ns()
        try:
            sha = hashlib.sha256(read_regular(Path(name), name)).hexdigest()
        except (FileNotFoundError, PipelineError):
            return "unreadable"
        self._signatures[name] = [*mark, sha, hashed_at]
        self._dirty.add(_SIGNATURES)
        return sha

    def lookup(self, table: str, slot: str, key: str) -> Any | None:
        """The outcome stored for ``slot`` (an article) under exactly ``key``, or None."""
        if not self.enabled:
            return None
        found = self._table(table).get(slot)
        if isinstance(found, dict) and found.get("key") == key:
            return found.get("value")
        return None

    def store(self, table: str, slot: str, key: str, value: Any) -> None:
        """Remember ``value`` (JSON data) as ``slot``'s outcome for ``key``."""
        if not self.enabled:
            return
        self._table(table)[slot] = {"key": key, "value": value}
        self._dirty.add(table)

    def save(self) -> None:
        """Write what changed, atomically; a failure to write only loses the speed-up."""
        if not self.enabled or not self._dirty:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            if not _usable(self.folder):
                return
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                write_atomic(
                    ignore, "# pipeline's cache: safe to delete\n*\n", str(ignore), durable=False
                )
            for table in sorted(self._dirty):
                entries = self._signatures if table == _SIGNATURES else self._tables.get(table)
                data: dict[str, Any] = {"entries": entries or {}}
                data["format"] = FORMAT
                path = self.folder / f"{table}.json"
                write_atomic(path, json.dumps(data, ensure_ascii=False), str(path), durable=False)
        except (OSError, PipelineError):
            return
        self._dirty.clear()

    def _table(self, table: str) -> dict[str, Any]:
        if table not in self._tables:
            entries = self._load(table).get("entries", {})
            self._tables[table] = entries if isinstance(entries, dict) else {}
        return self._tables[table]

    def _load(self, table: str) -> dict[str, Any]:
        path = self.folder / f"{table}.json"
        try:
            data = json.loads(read_regular(path, str(path)))
        except (FileNotFoundError, PipelineError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        return data


def _trusted(known: list[Any], mark: list[int]) -> bool:
    """``known`` (``[size, mtime, ctime, inode, device, sha, hashed_at]``, as ``sha_of``
    stores it) still vouches for a file whose ``stat`` gives ``mark``."""
    if not isinstance(known, list) or len(known) != len(mark) + 2 or known[:5] != mark:
        return False
    sha, hashed_at = known[5], known[6]
    if not isinstance(sha, str) or len(sha) != 64:
        return False
    if not isinstance(hashed_at, int) or isinstance(hashed_at, bool):
        return False
    # Modified in the same instant it was hashed, a second change could share its
    # timestamp (coarse file system clocks): such a file is hashed again.
    return mark[1] < hashed_at - RACY_NS and mark[2] < hashed_at - RACY_NS


def _usable(folder: Path) -> bool:
    """``folder`` is absent or a real folder (not a link to one elsewhere)."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode)


def encode(value: Any) -> Any:
    """``value`` (frozen dataclasses, enums, tuples, plain values) as JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(kind: Any, data: Any) -> Any:
    """The value of type ``kind`` that ``encode`` turned into ``data``.

    Raises ``ValueError`` (or ``TypeError``, ``KeyError``) when ``data`` does not fit
    ``kind`` (a cache from another version of the code, or edited): the caller then runs
    the job instead.
    """
    return _decoder(kind)(data)


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(kind: Any) -> Decoder:
    """A function decoding ``kind``, built once per type: a no-op run decodes thousands
    of outcomes, and working the type out for each value cost more than the rest."""
    origin = get_origin(kind)
    if kind is Any:
        return _same
    if origin in (Union, UnionType):
        options = [_decoder(o) for o in get_args(kind) if o is not type(None)]
        optional = type(None) in get_args(kind)
        return functools.partial(_union, tuple(options), optional)
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return functools.partial(_repeated, _decoder(args[0]))
        return functools.partial(_fixed, tuple(_decoder(a) for a in args))
    if origin is dict:
        key_type, value_type = get_args(kind)
        return functools.partial(_mapping, _decoder(key_type), _decoder(value_type))
    if origin is Literal:
        return functools.partial(_literal, frozenset(get_args(kind)))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = get_type_hints(kind)
        fields = tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind))
        return functools.partial(_record, kind, fields)
    if kind is Path:
        return functools.partial(_typed, str, Path)
    if kind is float:
        return _float
    if isinstance(kind, type):
        return functools.partial(_typed, kind, _same)
    raise ValueError(f"cannot decode {kind}")


def _same(data: Any) -> Any:
    return data


def _union(options: tuple[Decoder, ...], optional: bool, data: Any) -> Any:
    if data is None and optional:
        return None
    for option in options:
        try:
            return option(data)
        except (ValueError, TypeError, KeyError):
            continue
    raise ValueError(f"no option fits {data!r}")


def _repeated(item: Decoder, data: Any) -> tuple[Any, ...]:
    if not isinstance(data, list):
        raise ValueError("not a list")
    return tuple(item(v) for v in data)


def _fixed(items: tuple[Decoder, ...], data: Any) -> tuple[Any, ...]:
    if not isinstance(data, list) or len(data) != len(items):
        raise ValueError("not a list of the right length")
    return tuple(item(v) for item, v in zip(items, data, strict=True))


def _mapping(key: Decoder, value: Decoder, data: Any) -> dict[Any, Any]:
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return {key(k): value(v) for k, v in data.items()}


def _literal(allowed: frozenset[Any], data: Any) -> Any:
    if data not in allowed:
        raise ValueError(f"{data!r} is not one of {sorted(allowed)}")
    return data


def _record(kind: type, fields: tuple[tuple[str, Decoder], ...], data: Any) -> Any:
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return kind(**{name: decoder(data[name]) for name, decoder in fields})


def _typed(kind: type, then: Decoder, data: Any) -> Any:
    if type(data) is not kind:
        raise ValueError(f"{data!r} is not a {kind.__name__}")
    return then(data)


def _float(data: Any) -> float:
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise ValueError(f"{data!r} is not a number")
    return float(data)
