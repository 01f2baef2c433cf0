"""Running the message checks: one message (``check_message``), or what ``merge`` may
publish of an article's translations (``gate``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from pipeline.catalogs.translations import Translations
from pipeline.checks import message
from pipeline.checks.message import check_length
from pipeline.checks.problem import Check, Context, Problem
from pipeline.checks.registry import BLOCKING, MESSAGE_CODES, UNSILENCEABLE
from pipeline.markdown.document import Document, Segment, split_key
from pipeline.markdown.references import keep_references

MESSAGE_CHECKS: dict[str, Check] = {
    code: getattr(message, "check_" + code.replace("-", "_")) for code in MESSAGE_CODES
}
"""The message checks by code, in the order they run (``registry.MESSAGE_CODES``)."""


def check_message(
    msgid: str,
    msgstr: str,
    flags: Sequence[str],
    ctx: Context,
    codes: Iterable[str] | None = None,
) -> list[Problem]:
    """Every problem of one translated message, less the checks its flags silence
    (``codes``: run only these checks, in registry order)."""
    silenced = {f.removeprefix("no-check-") for f in flags if f.startswith("no-check-")}
    wanted = set(MESSAGE_CHECKS) if codes is None else set(codes)
    too_long = list(check_length(msgid, msgstr, ctx))
    if too_long:  # the other checks would parse megabytes, to no purpose
        return too_long if "length" in wanted else []
    problems: list[Problem] = []
    for code, check in MESSAGE_CHECKS.items():
        if code not in wanted or (code in silenced and code not in UNSILENCEABLE):
            continue
        problems.extend(check(msgid, msgstr, ctx))
    return problems


def blocking_problems(msgid: str, msgstr: str, ctx: Context) -> list[Problem]:
    """The problems that keep this translation out of the published article: errors of
    the ``BLOCKING`` checks (no flag silences them)."""
    return [p for p in check_message(msgid, msgstr, (), ctx, BLOCKING) if p.severity == "error"]


@dataclass(frozen=True, slots=True)
class Gate:
    """A catalog's translations for one article, judged before anything is published."""

    publishable: dict[str, str]
    """Message key (``Segment.key``) → msgstr that passed every blocking check."""
    refused: dict[str, tuple[Problem, ...]]
    """Message key → the blocking problems that keep its translation out."""


def gate(doc: Document, found: Translations, ctx: Context) -> Gate:
    """Run the blocking checks (``BLOCKING``) on each of ``found``'s publishable
    translations used in ``doc``; what fails is not published. ``ctx`` gives the
    languages and localized hosts; its ``markdown`` and ``references`` are set here from
    ``doc``.

    Every text must also pass as Markdown: a front-matter value a theme runs through
    ``markdownify``, the text of an HTML block marked ``markdown="1"`` (kramdown,
    Python-Markdown's ``md_in_html``) are Markdown to some renderer. A text with no
    visible character is refused (it would delete its text). In sentence mode the
    sentences of a paragraph are judged once more joined, as merge publishes them: two
    sentences must not make together what neither has alone (a link).
    """
    written: dict[str, set[bool]] = {}  # what each text is in the article
    for seg in doc.segments:
        for m in seg.messages:
            written.setdefault(m.key, set()).add(seg.markdown)
    modes = {key: {True, *kinds} for key, kinds in written.items()}
    publishable: dict[str, str] = {}
    refused: dict[str, tuple[Problem, ...]] = {}
    for key, translated in found.publishable.items():
        if key not in modes:
            continue
        msgid = split_key(key)[1]
        msgstr = translated
        if not msgstr.strip():
            refused[key] = (_NO_TEXT,)
            continue
        if written[key] == {True}:
            # what merge will publish: a lost reference link written as a full one
            msgstr = keep_references(msgid, translated, doc.references)
        if msgstr == msgid:
            # Every blocking check refuses only what the translation has and its source
            # has not; the source is the editor's, so its own text passes them all
            # (tests/test_gate.py holds this over the corpus).
            publishable[key] = msgstr
            continue
        problems = [
            problem
            for markdown in sorted(modes[key])
            for problem in blocking_problems(
                msgid, msgstr, replace(ctx, markdown=markdown, references=doc.references)
            )
        ]
        if problems:
            refused[key] = tuple(dict.fromkeys(problems))
        else:
            publishable[key] = msgstr
    for seg in doc.segments:
        if seg.sentences:
            _joined(
                seg, publishable, refused, replace(ctx, markdown=True, references=doc.references)
            )
    return Gate(publishable, refused)


_NO_TEXT = Problem(
    "structure",
    "error",
    "the translation has no visible text: it would delete the source's",
    "write the translation, or leave the entry empty to keep the source text",
)


def _joined(
    seg: Segment, publishable: dict[str, str], refused: dict[str, tuple[Problem, ...]], ctx: Context
) -> None:
    """Sentence mode: judge ``seg``'s paragraph as merge will write it, the sentences'
    translations joined; when the whole fails, none of its translations is published."""
    parts = [publishable.get(m.key) for m in seg.messages]
    if not any(parts) or all(p == m.msgid for p, m in zip(parts, seg.messages, strict=True)):
        return
    joined = seg.joined([p or m.msgid for p, m in zip(parts, seg.messages, strict=True)])
    problems = tuple(dict.fromkeys(blocking_problems(seg.msgid, joined, ctx)))
    if not problems:
        return
    for m, part in zip(seg.messages, parts, strict=True):
        if part is not None and part != m.msgid:
            publishable.pop(m.key, None)
            refused[m.key] = problems
