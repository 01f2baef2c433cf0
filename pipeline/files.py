"""Reading articles and writing generated files safely.

Writes are atomic: the new content goes to a temporary file in the same folder, is
flushed to disk, then renamed over the target, so an interrupted run leaves every file
either old or new, never half-written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.errors import PipelineError, SourceError


def read_article(path: Path, shown: str) -> str:
    """The article's text, exactly (no newline translation); ``SourceError`` if not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=shown) from None
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


def read_text_if_exists(path: Path) -> str | None:
    """The file's UTF-8 text, or None when it does not exist or is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_atomic(path: Path, text: str, shown: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line endings as given) atomically."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PipelineError(f"cannot write: {exc.strerror}", path=shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        staged = Path(tmp)
        staged.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        staged.replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PipelineError(f"cannot write: {exc.strerror}", path=shown) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
