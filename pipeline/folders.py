"""Folders a command writes into at the user's word (``--output``), and the writing.

``pipeline badge`` and ``pipeline review`` both take a folder from the command line and
write a handful of text files into it; both must refuse a folder outside the project
and never write through a link planted there.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.files import read_text_if_exists, write_atomic
from pipeline.results import Action, FileResult

__all__ = ["named_folder", "write_texts"]


def named_folder(config: Config, given: str | None, default: str, what: str) -> Path:
    """The folder ``given`` (relative to the project root), or ``default``.

    ``ConfigError`` when it is, or resolves through a symbolic link, outside the project
    and its ``allow_outside`` folders; the message says no ``what`` was written."""
    name = given if given is not None else default
    path = config.root / name
    if not config.inside(path):
        raise ConfigError(
            f"is outside the project (at {path.resolve()}); no {what} was written",
            path=f"--output {name}",
            hint=f"name a folder inside the project (the default is {default}/), or "
            f'allow that one with allow_outside = ["{path.resolve()}"] in the settings file',
        )
    return path


def write_texts(config: Config, folder: Path, files: Mapping[str, str]) -> list[FileResult]:
    """Write each of ``files`` (POSIX path under ``folder`` → text) atomically, skipping
    those already the same (a second run changes nothing). Each target is checked where
    it resolves (``Config.confined``): a symbolic link planted in the folder is refused,
    never written through. ``PipelineError`` stops at the first file that cannot be
    written; the ones before it are written."""
    done = []
    for name, text in files.items():
        path = config.confined(folder / name)
        shown = config.rel(path)
        old = read_text_if_exists(path, shown)
        if old == text:
            done.append(FileResult(shown, Action.UNCHANGED))
            continue
        write_atomic(path, text, shown)
        done.append(FileResult(shown, Action.CREATED if old is None else Action.UPDATED))
    return done
