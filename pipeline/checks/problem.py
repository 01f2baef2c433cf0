"""What every check returns (``Problem``) and what it is given besides the texts (``Context``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from pipeline.errors import printable
from pipeline.markdown.document import References

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a translation, a catalog or the project."""

    code: str
    """Stable identifier (``link-target``, ``numbers``…): what ``no-check-<code>`` names."""
    severity: Severity
    """``error`` fails ``pipeline check``; ``warning`` is reported only."""
    message: str
    """What is wrong, in words for a translator."""
    hint: str = ""
    """What to do about it (empty when obvious)."""
    path: str = ""
    """The file to fix, relative to the project root (empty when not yet located)."""
    line: int = 0
    """1-based line in ``path`` (0 when the whole file is meant)."""

    def __post_init__(self) -> None:
        # Messages quote translations: never let a control character through to a
        # terminal or a CI log (errors.printable).
        for name in ("message", "hint", "path"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    def at(self, path: str, line: int = 0) -> Problem:
        """This problem located at ``path:line``."""
        return replace(self, path=path, line=line)

    @property
    def location(self) -> str:
        """``path:line``, or ``path`` when the line is unknown."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.location}: {self.code}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(frozen=True, slots=True)
class Context:
    """What a check needs to know besides the two texts."""

    source_language: str = "en"
    """Language of the msgid (for reading its numbers and dates)."""
    target_language: str = "en"
    """Language of the msgstr."""
    localized_url_hosts: tuple[str, ...] = ()
    """Hosts whose absolute URLs a translator may change (to a localized page)."""
    markdown: bool = True
    """The message is inline Markdown; front-matter values and titles are plain text."""
    references: References = ()
    """The article's link reference definitions (``Document.references``)."""


Check = Callable[[str, str, Context], Iterator[Problem]]
"""The shape of every check."""
