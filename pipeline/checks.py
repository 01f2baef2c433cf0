"""Quality checks of one translated message: small functions, collected by the caller.

Each check takes ``(msgid, msgstr, context)`` and yields ``Problem``s with a stable code.
Markdown messages are compared **as parsed Markdown** (``segment.parse_inline``): link
targets, code spans, HTML and emphasis come from the parser's tokens, and numbers,
whitespace and punctuation are read from the text a reader sees, so nothing inside a
code span or a URL is mistaken for prose.

A translator silences one check for one entry with a ``#, no-check-<code>`` flag (as
for gettext's ``no-c-format``); ``unsafe-html`` cannot be silenced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

from pipeline.inline import parse as _parse
from pipeline.numbers import missing_numbers
from pipeline.words import words_of

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


Check = Callable[[str, str, Context], Iterator[Problem]]
"""The shape of every check."""


def _hint_flag(code: str) -> str:
    return f"if the translation is right as it is, add '#, no-check-{code}' to the entry"


def check_link_count(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Same number of links, images and reference links as the source."""
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    for what, a, b in (
        ("links", src.links, dst.links),
        ("images", src.images, dst.images),
        ("reference links", src.references, dst.references),
    ):
        if len(a) != len(b):
            yield Problem(
                "link-count",
                "error",
                f"the source has {len(a)} {what}, the translation {len(b)}",
                "keep every [text](target) of the source; a bracket or parenthesis "
                "typed by mistake breaks a link",
            )


def check_link_target(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Link and image targets kept; absolute URLs may change only on localized hosts."""
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    for a, b in (
        (src.links, dst.links),
        (src.images, dst.images),
        (src.references, dst.references),
    ):
        if len(a) != len(b):
            continue  # link-count says it
        lost = list((Counter(a) - Counter(b)).elements())
        added = list((Counter(b) - Counter(a)).elements())
        for target in lost:
            swap = next((t for t in added if _localizable(target, t, ctx)), None)
            if swap is not None:
                added.remove(swap)
                continue
            instead = f" (the translation has '{added[0]}')" if added else ""
            yield Problem(
                "link-target",
                "error",
                f"link target '{target}' changed{instead}",
                "copy the target from the source exactly"
                + (
                    "; absolute URLs may be localized only on hosts listed in localized_url_hosts"
                    if _host(target)
                    else ""
                ),
            )


def _host(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "") if parts.scheme in {"http", "https"} else ""


def _localizable(source: str, target: str, ctx: Context) -> bool:
    def allowed(host: str) -> bool:
        return bool(host) and any(
            host == h or host.endswith("." + h) for h in ctx.localized_url_hosts
        )

    return allowed(_host(source)) and allowed(_host(target))


def check_footnote(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Footnote references (``[^1]``) kept, each with the same label."""
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    for label in (Counter(src.footnotes) - Counter(dst.footnotes)).elements():
        yield Problem(
            "footnote",
            "error",
            f"footnote reference [^{label}] is missing",
            "keep every [^label] of the source, with the same label",
        )
    for label in (Counter(dst.footnotes) - Counter(src.footnotes)).elements():
        yield Problem(
            "footnote",
            "error",
            f"footnote reference [^{label}] is not in the source",
            "footnote labels are not translated; use the labels of the source",
        )


def check_code_span(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Inline code spans byte-identical to the source's."""
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    for span in (Counter(src.code) - Counter(dst.code)).elements():
        yield Problem(
            "code-span",
            "error",
            f"code span {span} is missing or changed",
            "code is never translated: copy it from the source, backticks included",
        )
    for span in (Counter(dst.code) - Counter(src.code)).elements():
        yield Problem(
            "code-span",
            "error",
            f"code span {span} is not in the source",
            "copy code spans from the source unchanged; a stray backtick starts a code span",
        )


def check_emphasis(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """No emphasis markers left unmatched (they would show as ``**`` to readers)."""
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    extra = dst.stray_markers - src.stray_markers
    if extra > 0:
        yield Problem(
            "emphasis",
            "error",
            f"{extra} unmatched emphasis marker(s) (* ** _ __) would show as typed",
            "close every ** and * you open, with no space inside (**word**); "
            "write \\* for a literal asterisk",
        )


_UNSAFE_RE = re.compile(
    r"<\s*(?:script|iframe|object|embed|style)\b|\bon[a-z]+\s*=|"
    r"\b(?:javascript|vbscript)\s*:|\bdata\s*:\s*text/html",
    re.I,
)


def check_html(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """No raw HTML tag the source does not have."""
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    have = set(_tags(src.html))
    for tag in dict.fromkeys(t for t in _tags(dst.html) if t not in have):
        yield Problem(
            "html",
            "error",
            f"HTML tag <{tag}> is not in the source",
            "use Markdown for formatting, and only the HTML tags the source has",
        )


_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*|!--)")


def _tags(chunks: Iterable[str]) -> list[str]:
    """Tag names, opening and closing alike (``<b>`` and ``</b>`` are both ``b``)."""
    return [m[2].lower() for chunk in chunks for m in _TAG_RE.finditer(chunk)]


def check_unsafe_html(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Never a script, an event handler or a ``javascript:`` URL the source does not have.

    The whole msgstr is searched (not only HTML tokens): a ``javascript:`` link that this
    parser refuses might still be accepted by the site's renderer.
    """
    have = Counter(m.lower() for m in _UNSAFE_RE.findall(msgid))
    for found in (Counter(m.lower() for m in _UNSAFE_RE.findall(msgstr)) - have).elements():
        yield Problem(
            "unsafe-html",
            "error",
            f"'{found.strip()}' could run code in a reader's browser",
            "remove it; scripts, event handlers and javascript: URLs are never accepted "
            "in a translation (this check cannot be silenced)",
        )


def check_numbers(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Every number and date of the source in the translation, in either locale's way.

    A missing whole number up to ``numbers.SMALL`` is only a warning: it is often spelled
    out (``8`` → ``восемь``).
    """
    src, dst = _parse(msgid, ctx.markdown), _parse(msgstr, ctx.markdown)
    for miss in missing_numbers(src.visible, dst.visible, ctx.source_language, ctx.target_language):
        if miss.small:
            yield Problem(
                "numbers",
                "warning",
                f"{miss.text} is not in the translation as digits",
                f"fine if it is written out in words; else write {miss.text}",
            )
            continue
        also = (
            f", or as {ctx.target_language} writes it: {miss.suggestion}" if miss.suggestion else ""
        )
        yield Problem(
            "numbers",
            "error",
            f"{miss.text} is not in the translation",
            f"write it as the source does{also}; {_hint_flag('numbers')}",
        )


_LEADING_RE = re.compile(r"^\s*")
_TRAILING_RE = re.compile(r"\s*$")
_DOUBLE_RE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


def check_whitespace(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Leading and trailing whitespace and line breaks as in the source; no doubled spaces."""
    for where, regex in (("leading", _LEADING_RE), ("trailing", _TRAILING_RE)):
        a, b = _ws(regex, msgid), _ws(regex, msgstr)
        if a != b:
            yield Problem(
                "whitespace",
                "error",
                f"{where} whitespace {b!r} differs from the source's {a!r}",
                f"start and end the translation as the source does: {a!r}",
            )
    if msgid.count("\n") != msgstr.count("\n"):
        yield Problem(
            "whitespace",
            "error",
            f"the source has {msgid.count(chr(10))} line break(s), "
            f"the translation {msgstr.count(chr(10))}",
            "keep each line break (\\n) of the source: they are hard breaks in the article",
        )
    texts = _parse(msgstr, ctx.markdown).texts
    if any(_DOUBLE_RE.search(text) for text in texts):
        yield Problem(
            "whitespace",
            "error",
            "doubled space between words",
            "write one space between words",
        )


def _ws(regex: re.Pattern[str], text: str) -> str:
    match = regex.search(text)
    return match[0] if match else ""


def check_same_as_source(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """The translation is not the source text itself, where the source has words."""
    visible = _parse(msgid, ctx.markdown).visible
    if msgstr == msgid and any(any(ch.isalpha() for ch in word) for word in words_of(visible)):
        yield Problem(
            "same-as-source",
            "warning",
            "the translation is the source text unchanged",
            f"translate it; {_hint_flag('same-as-source')} (a name, a code)",
        )


_CLOSERS = "\"'”’»›)]}」』*_ \t\n\u00a0"
_FINAL = {
    ".": "full stop",
    "。": "full stop",
    "।": "full stop",
    "։": "full stop",
    "۔": "full stop",
    "?": "question mark",
    "？": "question mark",
    "؟": "question mark",
    ";": "semicolon",
    "!": "exclamation mark",
    "！": "exclamation mark",
    "…": "ellipsis",
    ":": "colon",
    "：": "colon",
}


def _final(text: str, lang: str) -> str:
    text = text.rstrip(_CLOSERS)
    if text.endswith("..."):
        return "ellipsis"
    kind = _FINAL.get(text[-1:], "")
    if kind == "semicolon" and lang.split("_", maxsplit=1)[0] == "el":
        return "question mark"  # Greek writes its question mark as ';'
    return kind


def check_punctuation(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Sentence-final punctuation (full stop, ``?``, ``!``, ``…``, ``:``) as in the source."""
    src = _final(_parse(msgid, ctx.markdown).visible, ctx.source_language)
    dst = _final(_parse(msgstr, ctx.markdown).visible, ctx.target_language)
    if src != dst:
        want = f"a {src}" if src else "no final punctuation"
        yield Problem(
            "punctuation",
            "warning",
            f"the source ends with {want}, the translation with {f'a {dst}' if dst else 'none'}",
            f"end it as the source does; {_hint_flag('punctuation')}",
        )


CHECKS: dict[str, Check] = {
    "link-count": check_link_count,
    "link-target": check_link_target,
    "footnote": check_footnote,
    "code-span": check_code_span,
    "emphasis": check_emphasis,
    "html": check_html,
    "unsafe-html": check_unsafe_html,
    "numbers": check_numbers,
    "whitespace": check_whitespace,
    "same-as-source": check_same_as_source,
    "punctuation": check_punctuation,
}
"""Every quality check by code, in the order they run."""

UNSILENCEABLE = frozenset({"unsafe-html"})
"""Codes a ``no-check-`` flag cannot turn off."""


def check_message(msgid: str, msgstr: str, flags: Sequence[str], ctx: Context) -> list[Problem]:
    """Every problem of one translated message, less the checks its flags silence."""
    silenced = {f.removeprefix("no-check-") for f in flags if f.startswith("no-check-")}
    problems: list[Problem] = []
    for code, check in CHECKS.items():
        if code in silenced and code not in UNSILENCEABLE:
            continue
        problems.extend(check(msgid, msgstr, ctx))
    return problems
