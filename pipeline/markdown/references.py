"""Reference links in a message, and keeping them alive through a translation.

A shortcut reference ``[census]`` or a collapsed one ``[census][]`` is a link only while
its text matches a definition (``[census]: https://…``) somewhere in the article. The
moment a translator translates the text, ``[перепись]`` matches nothing and the link is
gone, silently. ``keep_references`` writes such a translation as a full reference,
``[перепись][census]``, which keeps the link and reads as the translator meant.

Everything is decided by markdown-it's own reading of the text: the link and image
rules are wrapped to record where each construct stands, since its tokens carry no
columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline import StateInline

from pipeline.markdown.document import References
from pipeline.markdown.parse import new_parser

Form = Literal["inline", "full", "collapsed", "shortcut"]


@dataclass(frozen=True, slots=True)
class LinkUse:
    """One link or image in a message's text, as markdown-it reads it."""

    start: int
    """Offset of its ``[`` (``!`` for an image) in the text."""
    end: int
    """Offset just past it."""
    text_end: int
    """Offset just past the ``]`` that closes its text."""
    form: Form
    """``inline`` (``[t](url)``), ``full`` (``[t][label]``), ``collapsed`` (``[t][]``) or
    ``shortcut`` (``[t]``)."""
    label: str
    """For a reference: the normalized label it resolves through; else empty."""
    image: bool


def _tracked(image: bool, rule: Callable[[StateInline, bool], bool]) -> Callable[..., bool]:
    def tracked(state: StateInline, silent: bool) -> bool:
        if silent or state.src != state.env.get("use_source"):
            return rule(state, silent)
        start = state.pos
        label_end = state.md.helpers.parseLinkLabel(state, start + (2 if image else 1), True)
        if not rule(state, silent):
            return False
        if label_end >= 0:
            state.env["uses"].append(_use(state.src, start, label_end, state.pos, image))
        return True

    return tracked


def _use(src: str, start: int, label_end: int, end: int, image: bool) -> LinkUse:
    rest = src[label_end + 1 : end]
    text = src[start + (2 if image else 1) : label_end]
    form: Form
    if rest.startswith("("):
        form, label = "inline", ""
    elif rest.startswith("[") and rest != "[]":
        form, label = "full", rest[1:-1]
    else:
        form, label = ("collapsed" if rest == "[]" else "shortcut"), text
    return LinkUse(
        start, end, label_end + 1, form, normalizeReference(label) if label else "", image
    )


def _uses_parser() -> MarkdownIt:
    md = new_parser()
    ruler = md.inline.ruler
    for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
        if name in {"link", "image"}:
            ruler.at(name, _tracked(name == "image", rule))
    return md


_USES = _uses_parser()


@lru_cache(maxsize=4096)
def link_uses(text: str, references: References = ()) -> tuple[LinkUse, ...]:
    """Every link and image of one message's text, outermost first, with
    ``references`` (the article's definitions) resolving reference links."""
    source = text.replace("\r", " ").replace("\x00", "\ufffd")  # columns stay put
    uses: list[LinkUse] = []
    env = {
        "use_source": source,
        "uses": uses,
        "references": {label: {"href": href, "title": title} for label, href, title in references},
    }
    _USES.parseInline(source, env)
    return tuple(sorted(uses, key=lambda u: (u.start, -u.end)))


def keep_references(msgid: str, msgstr: str, references: References) -> str:
    """``msgstr`` with each shortcut or collapsed reference of ``msgid`` that the
    translation lost (its text translated, so it matches no definition) written as a
    full reference to the source's label: ``[перепись]`` → ``[перепись][census]``.

    The k-th lost reference goes to the k-th bracketed text of the translation that is
    no link, and only when there are as many of those as lost references and the result
    reads back with every one of them linked; otherwise ``msgstr`` is returned as it is
    (the ``links`` check then reports the lost link). Idempotent.
    """
    if "[" not in msgid or not references:
        return msgstr
    wanted = [u for u in link_uses(msgid, references) if u.form in {"shortcut", "collapsed"}]
    if not wanted:
        return msgstr
    have = Counter(u.label for u in link_uses(msgstr, references) if u.form != "inline")
    lost = []
    for use in wanted:
        if have[use.label] > 0:
            have[use.label] -= 1
        else:
            lost.append(use)
    if not lost:
        return msgstr
    slots = _bare_brackets(msgstr, link_uses(msgstr, references))
    # The translation's bracketed texts follow the source's one to one: its lost links,
    # and its bracketed texts that are no link ("[sic]", None here), in order.
    bare = _bare_brackets(msgid, link_uses(msgid, references))
    sources: list[LinkUse | None]
    if len(slots) == len(lost) + len(bare):
        pairs: list[tuple[int, LinkUse | None]] = [(u.start, u) for u in lost]
        pairs += [(b[0], None) for b in bare]
        sources = [u for _, u in sorted(pairs, key=lambda pair: pair[0])]
    elif len(slots) == len(lost):
        sources = list(lost)
    else:
        return msgstr
    out, pos = [], 0
    for (_start, text_end, end), source in zip(slots, sources, strict=True):
        if source is None:
            continue
        label = msgid[source.start + (2 if source.image else 1) : source.text_end - 1]
        out.append(msgstr[pos:text_end] + f"[{label}]")
        pos = end
    out.append(msgstr[pos:])
    rewritten = "".join(out)
    resolved = Counter(u.label for u in link_uses(rewritten, references) if u.form != "inline")
    if any(resolved[label] < n for label, n in Counter(u.label for u in wanted).items()):
        return msgstr
    return rewritten


def _bare_brackets(text: str, links: tuple[LinkUse, ...]) -> list[tuple[int, int, int]]:
    """Bracketed texts of ``text`` that are no link: ``[x]`` or ``[x][]`` (an image's
    ``![x]`` too) outside every link, nested ones included, as (start, end of ``[x]``,
    end of the whole), in order of their start."""
    found: list[tuple[int, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = text.find("`" * run, i + run)
            i = close + run if close >= 0 else i + run
            continue
        inside = next((u for u in links if u.start <= i < u.end), None)
        if inside is not None:
            i = inside.end
            continue
        if ch == "[":
            close = _closing(text, i)
            if close <= i + 1:  # unclosed, or the "[]" of a collapsed reference
                i += 1
                continue
            end = close + 1
            if text.startswith("[]", end):
                end += 2
            elif text.startswith("[", end):
                i += 1  # "[x][y]" that is no link: "[y]" may be a slot, "[x]" is not
                continue
            start = i - 1 if i and text[i - 1] == "!" else i
            found.append((start, close + 1, end))
            i += 1  # brackets inside may hold a link's text: "[[census]]"
            continue
        i += 1
    return found


def _closing(text: str, i: int) -> int:
    """Index of the ``]`` that closes the ``[`` at ``i`` (nested brackets and escapes
    counted), or -1."""
    depth = 0
    j = i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1
