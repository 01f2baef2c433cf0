"""The one error type library code raises; the CLI turns it into a message and exit code 1."""

from __future__ import annotations

from pathlib import Path


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
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.hint = hint

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
