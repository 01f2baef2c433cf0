"""Reading the project's files and writing generated files safely.

Reading: only regular files are opened, and they are opened without blocking, so a FIFO
or a device that happens to carry an article's or a catalog's name is refused with a
message instead of hanging the run (``read_regular``). Nothing here decides whether a
path is inside the project: ``Config`` does that before a path reaches this module.

Writing is atomic: the new content goes to a temporary file in a staging folder beside
the target (``.pipeline-tmp/``, on the same file system), is flushed to disk, then
renamed over the target, so an interrupted run leaves every file either old or new,
never half-written. The staging folder holds a ``.gitignore`` of ``*`` before any
temporary file is made, so what a killed run leaves behind is never picked up by
``git add``; the next write into that folder, and ``sweep_staging``, remove it.

Deleting (``remove_generated``) walks down from a folder the caller names, never through
a symbolic link, and removes only a regular file whose bytes the caller recognises as
its own.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import PipelineError, SourceError

STAGING = ".pipeline-tmp"
"""The folder, beside each written file, that holds its temporary file during a write."""

MANIFEST_NAME = ".pipeline-manifest"
"""``output/<lang>/.pipeline-manifest``: the files ``merge`` wrote there (see
``manifest_text``)."""

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (``a FIFO (named pipe)``)."""
    return _KINDS.get(stat.S_IFMT(mode), "a regular file" if stat.S_ISREG(mode) else "special")


def read_regular(
    path: Path, shown: str, error: type[PipelineError] = PipelineError, *, dir_fd: int | None = None
) -> bytes:
    """The bytes of the regular file at ``path`` (a symbolic link to one is followed).

    Anything else (a FIFO, a device, a socket, a folder) is refused with ``error``
    naming ``shown``, before it is opened. It is checked again on the open descriptor,
    which is opened non-blocking, so a file swapped for a FIFO in between cannot hang
    the run either. ``FileNotFoundError`` propagates (callers decide what absence means).
    """
    try:
        before = os.stat(path, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=shown) from None
    require_regular(before.st_mode, shown, error)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=shown) from None
    try:
        require_regular(os.fstat(fd).st_mode, shown, error)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=shown) from None
    finally:
        os.close(fd)


def require_regular(mode: int, shown: str, error: type[PipelineError]) -> None:
    """Raise ``error`` naming ``shown`` unless ``mode`` (an ``st_mode``) is a regular file's."""
    if not stat.S_ISREG(mode):
        raise error(
            f"is {kind(mode)}, not a regular file; it was not opened",
            path=shown,
            hint="replace it with an ordinary file, or move it out of the project",
        )


def read_article(path: Path, shown: str) -> str:
    """The article's text, exactly (no newline translation); ``SourceError`` if not UTF-8
    or not a regular file."""
    try:
        data = read_regular(path, shown, SourceError)
    except FileNotFoundError:
        raise SourceError("cannot read: no such file", path=shown) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x})",
            path=shown,
            line=line,
            hint="save the article as UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8)",
        ) from None


def read_text_if_exists(path: Path, shown: str | None = None) -> str | None:
    """The file's UTF-8 text; None when it does not exist or is not UTF-8.

    Raises ``PipelineError`` when something other than a regular file is there (a FIFO,
    a folder): such a thing is neither read nor, by the caller, replaced.
    """
    try:
        return read_regular(path, shown or str(path)).decode("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def write_atomic(
    path: Path, text: str, shown: str, *, durable: bool = True, keep_staging: bool = False
) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line endings as given) atomically.

    Refuses (``PipelineError``) when ``path`` is a symbolic link or not a regular file:
    a link is never written through nor replaced, a FIFO never opened.

    ``durable``: the file and the rename are on disk before this returns (``fsync``);
    a file that a command can rebuild exactly (a localized article, the cache) is
    written without, still atomically. ``keep_staging``: leave the folder's staging
    folder for the next write of a batch; the batch ends with ``sweep_staging``.
    """
    try:
        current: os.stat_result | None = path.lstat()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise PipelineError(f"cannot write: {exc.strerror}", path=shown) from None
    if current is not None and not stat.S_ISREG(current.st_mode):
        raise PipelineError(
            f"is {kind(current.st_mode)}; only regular files are replaced, so it was left alone",
            path=shown,
            hint="remove it (or replace it with an ordinary file) and run the command again",
        )
    mode = current.st_mode & 0o777 if current else 0o666 & ~_umask()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging, tmp, fd = _create_temporary(path.parent)
    except OSError as exc:
        raise PipelineError(f"cannot write: {exc.strerror}", path=shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            if durable:
                os.fsync(handle.fileno())
        tmp.replace(path)
        if durable:
            _fsync_folder(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PipelineError(f"cannot write: {exc.strerror}", path=shown) from None
    finally:
        if keep_staging:
            _READY.add(staging)
        else:
            _drop_staging(staging)


def _create_temporary(folder: Path) -> tuple[Path, Path, int]:
    """A new temporary file in ``folder``'s staging folder: (staging, file, descriptor).

    Several writers may share a folder (the worker processes of one run): one may
    remove the emptied staging folder, or its ``.gitignore``, just as another finds it.
    What vanished is made again; only something else in the way is an error.
    """
    attempts = 100
    for attempt in range(1, attempts + 1):
        try:
            staging = _staging(folder)
            # A short fixed-length name: the target's own name may already be as long as
            # the file system allows. The pid says whether the writer is still alive.
            tmp = staging / f"{os.getpid()}-{secrets.token_hex(6)}.tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            return staging, tmp, os.open(tmp, flags, 0o600)
        except FileNotFoundError:
            _READY.discard(folder / STAGING)
            if attempt == attempts:
                raise
            # another writer in this folder removed the emptied staging folder meanwhile
    raise AssertionError("unreachable")  # pragma: no cover


def _staging(folder: Path) -> Path:
    """``folder/.pipeline-tmp/``, git-ignored, cleared of what dead runs left there.

    Raises ``FileNotFoundError`` when another writer removed it meanwhile (try again).
    """
    staging = folder / STAGING
    if staging in _READY:
        return staging
    try:
        staging.mkdir()
    except FileExistsError:
        if not stat.S_ISDIR(os.lstat(staging).st_mode):  # FileNotFoundError: gone again
            raise OSError(errno.EEXIST, f"{STAGING} is in the way") from None
        _clear_dead(staging)
    ignore = staging / ".gitignore"
    try:
        # O_EXCL and O_NOFOLLOW: a planted link (even a broken one) is never written through.
        fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        if not stat.S_ISREG(os.lstat(ignore).st_mode):  # FileNotFoundError: gone again
            raise OSError(errno.EEXIST, f"{STAGING}/.gitignore is in the way") from None
        return staging
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# Temporary files of a 'pipeline' write in progress.\n*\n")
    return staging


_READY: set[Path] = set()
"""Staging folders this process made or checked and keeps for a batch of writes
(``keep_staging``); forgotten when one is dropped."""


def _clear_dead(staging: Path) -> None:
    """Remove temporary files whose writing process is gone (a killed run's)."""
    for entry in staging.iterdir():
        pid, _, rest = entry.name.partition("-")
        if rest.endswith(".tmp") and pid.isdigit() and not _alive(int(pid)):
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _drop_staging(staging: Path) -> None:
    """Remove the staging folder unless another live writer still uses it. A
    symbolic link in its place is never followed: what it leads to is not ours."""
    _READY.discard(staging)
    try:
        if not stat.S_ISDIR(os.lstat(staging).st_mode):
            return
        _clear_dead(staging)
        if any(e.name != ".gitignore" for e in staging.iterdir()):
            return
        (staging / ".gitignore").unlink(missing_ok=True)
        staging.rmdir()
    except OSError:
        pass  # left for the next run's sweep; git ignores it meanwhile


def sweep_staging(top: Path) -> None:
    """Remove staging folders a killed run left anywhere under ``top`` (links not
    followed). Only call this while holding the project lock."""
    for staging in [s for s in _READY if s.is_relative_to(top)]:
        _READY.discard(staging)
    if not top.is_dir():
        return
    for folder, dirs, _files in os.walk(top):
        if STAGING in dirs:
            _drop_staging(Path(folder) / STAGING)
            dirs.remove(STAGING)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the containing folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the data itself is synced
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def regular_files(top: Path) -> Iterator[PurePosixPath]:
    """Every regular file under ``top`` (relative, sorted per folder), without following
    symbolic links and skipping staging folders; nothing is opened."""
    if top.is_symlink() or not top.is_dir():
        return
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != STAGING)
        base = Path(folder)
        for name in sorted(files):
            try:
                mode = (base / name).lstat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                yield PurePosixPath((base / name).relative_to(top).as_posix())


@dataclass(frozen=True, slots=True)
class Removal:
    """What ``remove_generated`` did with one file."""

    removed: bool
    """It was deleted (with ``dry_run``: it would be)."""
    reason: str = ""
    """Why it was left alone; empty when removed, or when there was nothing to remove."""


def remove_generated(
    top: Path, rel: PurePosixPath, ours: Callable[[bytes], bool], *, dry_run: bool = False
) -> Removal:
    """Delete ``top/rel`` if it is a regular file whose bytes ``ours`` accepts; then remove
    the folders under ``top`` that this left empty (``dry_run``: only decide).

    Every step down from ``top`` is opened with ``O_NOFOLLOW``, and the file is removed
    relative to its folder's descriptor, so a symbolic link anywhere below ``top`` (or a
    folder swapped for one meanwhile) is never followed, and a folder, a FIFO or a file
    someone edited is never removed.
    """
    parts = rel.parts
    if not parts or any(p in ("", ".", "..") or "/" in p for p in parts):
        return Removal(False, "not a plain path below the folder")
    dir_flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    fds: list[int] = []
    try:
        try:
            fds.append(os.open(top, dir_flags))
            for part in parts[:-1]:
                fds.append(os.open(part, dir_flags, dir_fd=fds[-1]))
        except FileNotFoundError:
            return Removal(False)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                return Removal(False, "a folder on its way is a symbolic link, not a folder")
            return Removal(False, f"cannot open its folder: {exc.strerror}")
        name = parts[-1]
        try:
            mode = os.stat(name, dir_fd=fds[-1], follow_symlinks=False).st_mode
        except FileNotFoundError:
            return Removal(False)
        if not stat.S_ISREG(mode):
            return Removal(False, f"it is {kind(mode)}")
        try:
            data = read_regular(Path(name), name, dir_fd=fds[-1])
        except (OSError, PipelineError):
            return Removal(False, "it cannot be read")
        if not ours(data):
            return Removal(False, "its content is not what the pipeline wrote (edited since?)")
        if dry_run:
            return Removal(True)
        try:
            os.unlink(name, dir_fd=fds[-1])
        except FileNotFoundError:
            return Removal(False)
        except OSError as exc:
            return Removal(False, f"cannot remove: {exc.strerror}")
        for depth in range(len(parts) - 1, 0, -1):
            try:
                os.rmdir(parts[depth - 1], dir_fd=fds[depth - 1])  # fails unless empty
            except OSError:
                break
        return Removal(True)
    finally:
        for fd in reversed(fds):
            os.close(fd)


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, as ``sha256sum`` prints it."""
    return hashlib.sha256(data).hexdigest()


_MANIFEST_HEAD = (
    "# Written by 'pipeline merge': the files it generated in this folder, with their\n"
    "# SHA-256 ('sha256sum -c' reads it). merge deletes a listed file once no article\n"
    "# produces it, and only while its content is unchanged. Do not edit.\n"
)


def manifest_text(entries: Mapping[str, str]) -> str:
    """A manifest listing ``entries`` (relative path → SHA-256), sorted by path."""
    return _MANIFEST_HEAD + "".join(f"{entries[p]}  {p}\n" for p in sorted(entries))


_SHA_RE = re.compile(r"[0-9a-f]{64}")


def read_manifest(path: Path, shown: str) -> dict[str, str] | None:
    """The manifest at ``path`` as relative path → SHA-256; None when there is none.

    Raises ``PipelineError`` naming the line when it is not a manifest, or lists a path
    that leaves its folder (``..``, absolute): nothing would be deleted through it.
    """
    try:
        data = read_regular(path, shown)
    except FileNotFoundError:
        return None
    entries: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = "\0"
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        sha, sep, rel = line.partition("  ")
        # a relative path in normal form: no empty, "." or ".." part, no leading "/"
        bad = (
            not sep
            or not _SHA_RE.fullmatch(sha)
            or any(part in ("", ".", "..") for part in rel.split("/"))
        )
        if bad:
            raise PipelineError(
                "not a line of a pipeline manifest",
                path=shown,
                line=number,
                hint="delete the file: the next 'pipeline merge' writes it again (and "
                "deletes no stale file that run, it only lists them)",
            )
        entries[rel] = sha
    return entries
