"""One ``pipeline`` run at a time per project: an advisory lock on a lock file.

Semantics:

- ``project_lock(path)`` takes an exclusive ``flock`` on ``path`` (by convention
  ``<locales dir>/.pipeline.lock``, see ``lock_path``), creating the file and its folder
  if needed, and holds it for the ``with`` block.
- A second run that finds the lock held retries every ``POLL`` seconds for ``wait``
  seconds, then raises ``PipelineError`` naming the holder (pid, host, command and start
  time, which the holder writes into the file), without having touched anything.
- The kernel releases a ``flock`` when its process ends, however it ends (crash,
  ``kill -9``, power loss), so a lock is never left stale and there is nothing to clean
  up by hand. On leaving the block the holder deletes the file, so it does not linger in
  ``git status``; a run that locked a file that was deleted meanwhile notices it and
  locks the new one, so two runs can never both hold "the" lock.
- The lock is advisory: it stops other ``pipeline`` runs, not editors or git. Writes
  stay atomic on their own (``files.write_atomic``). It is not re-entrant: a process that
  takes it twice waits for itself and fails. On network file systems without ``flock``
  support it may not exclude runs on other machines.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pipeline.errors import PipelineError

LOCK_NAME = ".pipeline.lock"
"""The lock file's name inside the locales folder."""

WAIT = 5.0
"""Seconds a run waits for another run to finish before refusing."""

POLL = 0.1
"""Seconds between attempts while waiting."""


def lock_path(locales_dir: Path) -> Path:
    """Where a project whose catalogs live in ``locales_dir`` keeps its lock."""
    return locales_dir / LOCK_NAME


@contextmanager
def project_lock(path: Path, *, shown: str | None = None, wait: float = WAIT) -> Iterator[None]:
    """Hold the project lock at ``path`` for the ``with`` block (see the module docstring).

    ``shown`` names the lock file in messages. Raises ``PipelineError`` when another run
    still holds it after ``wait`` seconds, or when the file cannot be created.
    """
    name = shown or str(path)
    deadline = time.monotonic() + wait
    while True:
        fd = _open(path, name)
        if _try_lock(fd):
            if _still_linked(fd, path):
                break
            os.close(fd)  # its holder deleted it as we locked it: lock the new one
            continue
        holder = _holder(fd)
        os.close(fd)
        if time.monotonic() >= deadline:
            raise PipelineError(
                f"another pipeline run is working on this project ({holder})",
                path=name,
                hint="wait for it to finish and run the command again; the lock is "
                "released as soon as that process ends",
            )
        time.sleep(POLL)
    try:
        _write_holder(fd)
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)  # closing releases the flock


def _open(path: Path, shown: str) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise PipelineError(f"cannot create the lock file: {exc.strerror}", path=shown) from None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _still_linked(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _write_holder(fd: int) -> None:
    started = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
    text = f"pid {os.getpid()} on {socket.gethostname()}, '{command}', since {started}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode("utf-8"), 0)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "holder unknown: it is just starting"
