"""Every check, declared once: its code, what it judges, whether it blocks publishing.

``pipeline check --help`` and the README list this table. Message checks run on each
translated message (``checks.run``); catalog checks on each ``.po``
(``checks.catalog``); article checks on each article in each language
(``checks.article``); project checks on the whole run (``report``).

Silencing: a translator turns a non-blocking message check off for one entry with a
``#, no-check-<code>`` flag; the project turns any non-blocking check off everywhere with
the ``skip_checks`` setting. Blocking checks decide what readers get, so nothing turns
them off: a flag comes from the same untrusted ``.po`` as the translation it would vouch
for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Scope(StrEnum):
    """What a check looks at."""

    MESSAGE = "message"
    """One translated message against its source text."""
    CATALOG = "catalog"
    """One ``.po`` file: its syntax, header and entries."""
    ARTICLE = "article"
    """One article in one language: completeness, required fields, what merge writes."""
    PROJECT = "project"
    """The whole run: sources readable, files up to date, something checked."""


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """One check in the registry."""

    code: str
    """Stable identifier, as ``Problem.code`` and ``no-check-<code>`` write it."""
    scope: Scope
    """What it looks at."""
    summary: str
    """One line for ``check --help`` and the README."""
    blocking: bool = False
    """A translation it fails is not published (``merge`` keeps the source text)."""

    @property
    def silenceable(self) -> bool:
        """A flag or ``skip_checks`` may turn it off (every check that does not block)."""
        return not self.blocking


def _m(code: str, summary: str, *, blocking: bool = False) -> CheckInfo:
    return CheckInfo(code, Scope.MESSAGE, summary, blocking)


_ALL = (
    _m("length", "not absurdly longer than the source", blocking=True),
    _m("link-count", "as many links and images as the source", blocking=True),
    _m(
        "link-target",
        "link targets kept (localized_url_hosts may change)",
        blocking=True,
    ),
    _m("footnote", "footnote references kept", blocking=True),
    _m("code-span", "code spans byte-identical", blocking=True),
    _m("emphasis", "no unmatched emphasis markers"),
    _m("html", "raw HTML only as the source has it", blocking=True),
    _m(
        "unsafe-html",
        "nothing that runs code, loads or redirects",
        blocking=True,
    ),
    _m(
        "invisible-chars",
        "no hidden bidi or zero-width characters",
        blocking=True,
    ),
    _m("template-syntax", "no Liquid/Jinja/Hugo tag added", blocking=True),
    _m("numbers", "numbers and dates of the source, in either locale's way"),
    _m("whitespace", "leading/trailing spaces and line breaks as the source"),
    _m("same-as-source", "not the source text itself"),
    _m("punctuation", "sentence-final punctuation as the source"),
    CheckInfo("catalog-parse", Scope.CATALOG, "the .po parses as msgfmt reads it"),
    CheckInfo("catalog-header", Scope.CATALOG, "Language and Plural-Forms headers right"),
    CheckInfo("catalog-plurals", Scope.CATALOG, "plural entries have the language's forms"),
    CheckInfo("merge-conflict", Scope.CATALOG, "no two-sided git merge left to review"),
    CheckInfo("completeness", Scope.ARTICLE, "words translated ≥ min_complete"),
    CheckInfo("required-field", Scope.ARTICLE, "required_fields translated, not fuzzy"),
    CheckInfo(
        "structure", Scope.ARTICLE, "the translation keeps the article's structure", blocking=True
    ),
    CheckInfo(
        "glossary",
        Scope.ARTICLE,
        "terms translated as locales/<lang>/glossary.csv says (glossary_severity)",
    ),
    CheckInfo("source", Scope.PROJECT, "every article can be read"),
    CheckInfo(
        "consistency", Scope.PROJECT, "the same source text translated one way in all articles"
    ),
    CheckInfo("nesting", Scope.PROJECT, "no part of an article too deeply nested to extract"),
    CheckInfo("stale", Scope.PROJECT, "templates and .po files as 'pipeline extract' writes"),
    CheckInfo("nothing-checked", Scope.PROJECT, "a language, an article and a catalog exist"),
)

REGISTRY: Mapping[str, CheckInfo] = MappingProxyType({c.code: c for c in _ALL})
"""Every check by code, message checks first in the order they run."""

MESSAGE_CODES = tuple(c.code for c in _ALL if c.scope is Scope.MESSAGE)
"""The message checks' codes, in the order they run; each is the function
``checks.message.check_<code>`` (``-`` as ``_``), which ``checks.run`` collects. This
module is data only, so the CLI lists the checks without loading the parsers."""

BLOCKING = frozenset(c.code for c in _ALL if c.blocking)
"""Codes that keep a translation out of the published article (``merge`` uses the
source text instead): what protects the reader and the article."""

UNSILENCEABLE = BLOCKING
"""Codes neither a ``no-check-`` flag nor ``skip_checks`` can turn off."""

STYLE = tuple(code for code in MESSAGE_CODES if code not in BLOCKING)
"""The message checks that judge style only: reported by ``check``, never blocking."""
