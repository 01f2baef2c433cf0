"""The one error type library code raises; the CLI turns it into a message and exit code 1."""

from __future__ import annotations

import re
from pathlib import Path

_CONTROLS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control and bidirectional-control characters shown as ``<U+001B>``.

    Messages quote untrusted input (a translation's tags, a file's bytes); raw, an
    escape sequence would reach the reviewer's terminal or CI log (retitle the window,
    hide lines, forge a link) and an override would reverse what the message says.
    """
    if _CONTROLS_RE.search(text) is None:
        return text
    return _CONTROLS_RE.sub(lambda m: f"<U+{ord(m[0]):04X}>", text)


class PipelineError(Exception):
    """Bad input or a failed operation, reported to the user as ``path:line: message``.

    ``hint`` says what to do next; ``path`` and ``line`` say where, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        message = printable(message)
        super().__init__(message)
        self.message = message
        self.path = None if path is None else printable(str(path))
        self.line = line
        self.hint = None if hint is None else printable(hint)

    @property
    def location(self) -> str:
        """``path:line`` (or ``path``, or empty) for the start of the message."""
        if self.path is None:
            return ""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        where = self.location
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class ConfigError(PipelineError):
    """The project's settings or the command line name something impossible."""


class SourceError(PipelineError):
    """A source article cannot be read: not UTF-8, bad front matter, unsafe path."""


class CatalogError(PipelineError):
    """A ``.po``/``.pot`` file cannot be parsed or written."""
