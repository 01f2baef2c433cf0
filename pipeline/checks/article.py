"""Article checks: one article in one language, judged from plain data (the document,
its catalog's translations, what the gate refused and where rendering fell back)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from pipeline.catalogs.catalog import Entry
from pipeline.catalogs.translations import Translations
from pipeline.checks.problem import Context, Problem
from pipeline.checks.run import Gate, check_message
from pipeline.markdown.document import Document
from pipeline.markdown.references import keep_references


def required_fields(
    doc: Document, keys: Sequence[str], lang: str, po: str, entries: Mapping[str, Entry]
) -> Iterator[Problem]:
    """A ``required-field`` error for each front-matter value of ``keys`` that is not
    translated (missing, empty or fuzzy) in the ``lang`` catalog ``po``."""
    for key in keys:
        for seg in doc.segments:
            if seg.field != key and not seg.field.startswith(key + "."):
                continue  # a mapping's or a list's path covers the values under it
            entry = entries.get(seg.key)
            if entry is not None and entry.translated:
                continue
            state = "fuzzy" if entry is not None and entry.fuzzy else "not translated"
            yield Problem(
                "required-field",
                "error",
                f"the article's {key} is {state} in {lang}",
                f'translate it (msgid "{seg.msgid[:60]}") and clear any fuzzy flag: '
                f"{key} is in required_fields",
                po,
                entry.line if entry is not None else 0,
            )


def quality(
    doc: Document,
    found: Translations,
    judged: Gate,
    fallbacks: Mapping[str, str],
    ctx: Context,
    *,
    po: str,
    style: Iterable[str],
) -> Iterator[Problem]:
    """What ``merge`` refuses (the gate's problems, then ``structure`` for each message
    of ``fallbacks``, message key → why its translation would break the article), and
    the ``style`` message checks on every translated message of ``doc``, located in
    ``po``."""
    codes = tuple(style)
    markdown: dict[str, bool] = {}
    for seg in doc.segments:
        for m in seg.messages:
            markdown[m.key] = markdown.get(m.key, False) or seg.markdown
    for key, is_markdown in markdown.items():
        msgstr = found.publishable.get(key)
        if msgstr is None:
            continue
        entry = found.entries[key]
        msgid = entry.msgid
        for problem in judged.refused.get(key, ()):
            yield problem.at(po, entry.line)
        here = Context(
            ctx.source_language,
            ctx.target_language,
            ctx.localized_url_hosts,
            is_markdown,
            doc.references,
        )
        if is_markdown:
            msgstr = keep_references(msgid, msgstr, doc.references)
        for problem in check_message(msgid, msgstr, entry.flags, here, codes):
            yield problem.at(po, entry.line)
    for key, reason in fallbacks.items():
        yield Problem(
            "structure",
            "error",
            f"the translation would change the article's structure: {reason}",
            "keep the translation one block of text, as the source is; it is not "
            "published until fixed",
            po,
            found.entries[key].line,
        )
