"""Quality checks of one translated message: small functions, collected by the caller.

Each check takes ``(msgid, msgstr, context)`` and yields ``Problem``s with a stable code;
``checks.registry`` lists them with every other check, and ``checks.run`` runs them.
Markdown messages are compared **as parsed Markdown** (``segment.parse_inline``): link
targets, code spans, HTML and emphasis come from the parser's tokens, and numbers,
whitespace and punctuation are read from the text a reader sees, so nothing inside a
code span or a URL is mistaken for prose.

A translator silences one style check for one entry with a ``#, no-check-<code>`` flag
(as for gettext's ``no-c-format``); the checks that decide what ``merge`` publishes
(``BLOCKING``) cannot be silenced by the file they judge.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

from pipeline.checks.inline import Parsed
from pipeline.checks.inline import parse as _parse
from pipeline.checks.numbers import missing_numbers
from pipeline.checks.problem import Context, Problem
from pipeline.checks.safety import (
    DANGEROUS_TAGS,
    URL_ATTRIBUTES,
    VOID_ELEMENTS,
    HtmlView,
    attribute_lists,
    browser_url,
    dangerous_url,
    describe,
    html_view,
    invisible_characters,
    template_tags,
    urls_of,
)
from pipeline.checks.words import words_of
from pipeline.locales import text_direction
from pipeline.markdown.parse import inline_html, link_destinations


def _hint_flag(code: str) -> str:
    return f"if the translation is right as it is, add '#, no-check-{code}' to the entry"


def _parsed(msgid: str, msgstr: str, ctx: Context) -> tuple[Parsed, Parsed]:
    """Both texts parsed as the checks compare them (``inline.parse``, cached)."""
    return (
        _parse(msgid, ctx.markdown, ctx.references),
        _parse(msgstr, ctx.markdown, ctx.references),
    )


def check_link_count(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Same number of links, images and reference links as the source."""
    src, dst = _parsed(msgid, msgstr, ctx)
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
                "keep every [text](target) of the source, and every [text] of a reference "
                "link in brackets ([text][label] names its definition); a bracket or "
                "parenthesis typed by mistake breaks a link",
            )
    src_web, dst_web = _web_addresses(msgid, ctx), _web_addresses(msgstr, ctx)
    if dst_web > src_web:
        yield Problem(
            "link-count",
            "error",
            f"the source has {src_web} bare web address(es), the translation {dst_web}: "
            "GitHub and Hugo make each one a link",
            "keep the source's web addresses and add none",
        )


def _web_addresses(text: str, ctx: Context) -> int:
    return sum(1 for kind, _ in _destinations(text, ctx) if kind == "web address")


def check_link_target(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Link and image targets kept; absolute URLs may change only on localized hosts."""
    src, dst = _parsed(msgid, msgstr, ctx)
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
    """The host a browser would go to for an http(s) ``url``; "" for any other URL and
    for one with user information (``https://evil.example\\@example.org`` goes to
    evil.example: browsers read a backslash as a slash)."""
    url = browser_url(url).replace("\\", "/")
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in {"http", "https"} or "@" in parts.netloc:
            return ""
        return parts.hostname or ""
    except ValueError:
        return ""


def _localizable(source: str, target: str, ctx: Context) -> bool:
    def allowed(host: str) -> bool:
        return bool(host) and any(
            host == h or host.endswith("." + h) for h in ctx.localized_url_hosts
        )

    return allowed(_host(source)) and allowed(_host(target))


def check_footnote(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Footnote references (``[^1]``) kept, each with the same label."""
    src, dst = _parsed(msgid, msgstr, ctx)
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
    src, dst = _parsed(msgid, msgstr, ctx)
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
    src, dst = _parsed(msgid, msgstr, ctx)
    extra = dst.stray_markers - src.stray_markers
    if extra > 0:
        yield Problem(
            "emphasis",
            "error",
            f"{extra} unmatched emphasis marker(s) (* ** _ __) would show as typed",
            "close every ** and * you open, with no space inside (**word**); "
            "write \\* for a literal asterisk",
        )


def check_html(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Raw HTML only as the source has it: the same tags, attributes, values and comments.

    Read with an HTML tokenizer (``safety.html_view``). What could run code, load
    something or break out of the paragraph is ``check_unsafe_html``'s; attribute values
    a reader reads (``title``, ``alt``…) may be translated.
    """
    src, dst = _html(msgid, ctx), _html(msgstr, ctx)
    have_lists = Counter(a.text for a in attribute_lists(msgid))
    for listed in attribute_lists(msgstr):
        if have_lists[listed.text] > 0:
            have_lists[listed.text] -= 1
        elif not any(_unsafe_attribute(k) for k in listed.keys) and listed.extension not in {
            "nomarkdown",
            "options",
        }:
            yield Problem(
                "html",
                "error",
                f"the attribute list or extension '{_shown(listed.text)}' is not in the source",
                "copy {…} attribute lists from the source exactly; kramdown and "
                "Python-Markdown turn them into HTML attributes ({::comment} hides text)",
            )
    if not dst.starts and not dst.ends and not dst.comments and dst.closed:
        return
    have = Counter(t.name for t in src.starts)
    for name, count in (Counter(t.name for t in dst.starts) - have).items():
        if name not in DANGEROUS_TAGS:
            more = "" if not have[name] else f" {count} more time(s) than the source has it"
            yield Problem(
                "html",
                "error",
                f"HTML tag <{name}> is not in the source{more}",
                "use Markdown for formatting, and only the HTML tags the source has",
            )
    names = set(have) | set(src.ends)
    for name in dict.fromkeys(n for n in dst.ends if n not in names and n not in DANGEROUS_TAGS):
        yield Problem(
            "html",
            "error",
            f"HTML end tag </{name}> is not in the source",
            "remove it: it closes an element of the page around the article",
        )
    attrs = {(t.name, k) for t in src.starts for k, _ in t.attrs}
    values = {(t.name, k, v) for t in src.starts for k, v in t.attrs}
    for tag in dst.starts:
        if tag.name in DANGEROUS_TAGS or not have[tag.name]:
            continue
        for key, value in tag.attrs:
            if _unsafe_attribute(key):
                continue  # check_unsafe_html says it
            if (tag.name, key) not in attrs:
                yield Problem(
                    "html",
                    "error",
                    f"attribute '{key}' on <{tag.name}> is not in the source",
                    "keep each HTML tag exactly as the source writes it",
                )
            elif key not in TRANSLATABLE_ATTRIBUTES and (tag.name, key, value) not in values:
                yield Problem(
                    "html",
                    "error",
                    f"the value of '{key}' on <{tag.name}> differs from the source's",
                    "copy HTML attributes from the source; only title, alt and aria-label "
                    "texts are translated",
                )
    src_open, dst_open = _balance(src), _balance(dst)
    for name, count in dst_open.items():
        if count > max(src_open[name], 0):
            yield Problem(
                "html",
                "error",
                f"<{name}> is not closed",
                f"close it with </{name}> where the source does",
            )
    if dst.comments > src.comments:
        yield Problem(
            "html",
            "error",
            "an HTML comment (or <!...> declaration) is not in the source",
            "remove it: the text inside a comment is hidden from readers",
        )


TRANSLATABLE_ATTRIBUTES = frozenset(
    {"title", "alt", "aria-label", "aria-description", "placeholder", "label", "summary"}
)
"""HTML attributes whose value is text a reader sees, so a translation may change it."""


def _unsafe_attribute(key: str) -> bool:
    return key.startswith("on") or key in URL_ATTRIBUTES or key == "style"


def _balance(view: HtmlView) -> Counter[str]:
    """Per element name, start tags less end tags (void elements have no end tag):
    positive where an element is left open, negative where an end tag closes an element
    the message did not open."""
    balance = Counter(t.name for t in view.starts if t.name not in VOID_ELEMENTS)
    balance.subtract(view.ends)
    return balance


def check_unsafe_html(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Nothing that could run code, load or redirect, restyle or break out of the page.

    Reported, unless the source has exactly the same: a dangerous element (``<script>``,
    ``<iframe>``, ``<svg>``, ``<meta>``, ``<base>``, ``<form>``…), an event-handler
    attribute (``on*``), a ``javascript:``, ``vbscript:`` or ``data:`` URL in a Markdown
    link, image or autolink or in any URL attribute (``data:image/`` is allowed as an
    image source where the source has images), a URL in raw HTML that differs from the
    source's (hosts in ``localized_url_hosts`` aside), a changed ``style``, an end tag
    that closes what the message did not open, and a comment, quote or raw-text element
    left open to swallow the rest of the page. Never silenced by ``no-check-``.
    """
    src, dst = _html(msgid, ctx), _html(msgstr, ctx)
    images = any(t.name == "img" for t in src.starts) or any(
        kind == "image" for kind, _ in _destinations(msgid, ctx)
    )
    for kind, url in Counter(_destinations(msgstr, ctx)) - Counter(_destinations(msgid, ctx)):
        if dangerous_url(url, image=kind == "image" and images):
            yield _unsafe(f"the {kind} target '{_shown(url)}' could run code in a reader's browser")
    same = Counter(src.starts)
    values = {(t.name, k, v) for t in src.starts for k, v in t.attrs}
    urls = {(n, k, v) for n, k, v in values if k in URL_ATTRIBUTES}
    for tag in dst.starts:
        if same[tag] > 0:
            same[tag] -= 1
            continue
        if tag.name in DANGEROUS_TAGS:
            yield _unsafe(f"<{tag.name}> could run code or change the page")
        for key, value in tag.attrs:
            if key.startswith("on"):
                yield _unsafe(f"the event handler '{key}' on <{tag.name}> could run code")
            elif key == "style" and (tag.name, key, value) not in values:
                yield _unsafe(f"a style on <{tag.name}> that the source does not have")
            elif key in URL_ATTRIBUTES:
                image = tag.name == "img" and key in {"src", "srcset"} and images
                for url in urls_of(tag.name, key, value):
                    if dangerous_url(url, image=image):
                        yield _unsafe(
                            f"'{key}={_shown(url)}' on <{tag.name}> could run code "
                            "in a reader's browser"
                        )
                        break
                else:
                    if (tag.name, key, value) not in urls and not any(
                        _localizable(v, value, ctx) for n, k, v in urls if (n, k) == (tag.name, key)
                    ):
                        yield _unsafe(
                            f"'{key}' on <{tag.name}> points to '{_shown(value)}', "
                            "which the source does not"
                        )
    have_lists = Counter(a.text for a in attribute_lists(msgid))
    for attrs in attribute_lists(msgstr):
        if have_lists[attrs.text] > 0:
            have_lists[attrs.text] -= 1
            continue
        risky = [k for k in attrs.keys if _unsafe_attribute(k)]
        if risky or attrs.extension in {"nomarkdown", "options"}:
            yield _unsafe(
                f"'{_shown(attrs.text)}' would add "
                + (f"'{risky[0]}' to the element" if risky else "raw output to the page")
            )
    src_open, dst_open = _balance(src), _balance(dst)
    for name, count in dst_open.items():
        if -count > max(-src_open[name], 0):
            yield _unsafe(f"</{name}> closes an element the translation did not open")
    if src.closed and not dst.closed:
        yield _unsafe("a comment, quote or tag is left open: it would swallow the rest of the page")


def _html(text: str, ctx: Context) -> HtmlView:
    passed = inline_html(text, ctx.references) if ctx.markdown else ()
    return html_view(text, ctx.markdown, passed)


def _destinations(text: str, ctx: Context) -> tuple[tuple[str, str], ...]:
    return link_destinations(text, ctx.references) if ctx.markdown else ()


def _shown(url: str) -> str:
    return url if len(url) <= 60 else url[:57] + "..."


def _unsafe(message: str) -> Problem:
    return Problem(
        "unsafe-html",
        "error",
        message,
        "remove it and keep the source's HTML and link targets exactly; a translation "
        "that could run code, redirect or break the page is never published "
        "(this check cannot be silenced)",
    )


def check_invisible_chars(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """No invisible character the source does not have: bidirectional overrides and
    isolates, zero-width characters, control characters (``safety.invisible_characters``
    says which are fine in which language). ``Hesabat \u202egnp.exe`` displays as
    ``Hesabat exe.png``. Never silenced by ``no-check-``."""
    rtl = text_direction(ctx.target_language) == "rtl"
    have = Counter(invisible_characters(msgid, ctx.source_language, rtl))
    found = Counter(invisible_characters(msgstr, ctx.target_language, rtl))
    for ch in found - have:
        yield Problem(
            "invisible-chars",
            "error",
            f"invisible character {describe(ch)} is not in the source",
            "delete it (retype the text around it); invisible characters can make a reader "
            "see something else than what is written (this check cannot be silenced)",
        )


def check_template_syntax(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """No template tag the source does not have: a site generator would run it.

    Liquid and Jinja (``{{ }}``, ``{% %}``, ``{# #}``) and Hugo shortcodes (``{{< >}}``,
    ``{{% %}}``) are read from the raw text, code spans included, because Jekyll and
    Hugo process them before any Markdown. Never silenced by ``no-check-``.
    """
    for tag in Counter(template_tags(msgstr)) - Counter(template_tags(msgid)):
        yield Problem(
            "template-syntax",
            "error",
            f"'{tag}' starts a template tag that the source does not have",
            "remove it, or write the braces apart ('{ {'); the site generator would "
            "execute it (this check cannot be silenced)",
        )


def check_numbers(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Every number and date of the source in the translation, in either locale's way.

    A missing whole number up to ``numbers.SMALL`` is only a warning: it is often spelled
    out (``8`` → ``восемь``).
    """
    src, dst = _parsed(msgid, msgstr, ctx)
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
    """Leading and trailing whitespace and line breaks as in the source; no more doubled
    spaces between words than the source has."""
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
    src, dst = _parsed(msgid, msgstr, ctx)
    if _doubled_spaces(dst) > _doubled_spaces(src):
        yield Problem(
            "whitespace",
            "error",
            "doubled space between words",
            "write one space between words",
        )


def _doubled_spaces(parsed: Parsed) -> int:
    return sum(len(_DOUBLE_RE.findall(text)) for text in parsed.texts)


def _ws(regex: re.Pattern[str], text: str) -> str:
    match = regex.search(text)
    return match[0] if match else ""


def check_same_as_source(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """The translation is not the source text itself, where the source has words."""
    visible = _parse(msgid, ctx.markdown, ctx.references).visible
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
    parsed = _parsed(msgid, msgstr, ctx)
    src = _final(parsed[0].visible, ctx.source_language)
    dst = _final(parsed[1].visible, ctx.target_language)
    if src != dst:
        want = f"a {src}" if src else "no final punctuation"
        yield Problem(
            "punctuation",
            "warning",
            f"the source ends with {want}, the translation with {f'a {dst}' if dst else 'none'}",
            f"end it as the source does; {_hint_flag('punctuation')}",
        )


MAX_GROWTH = 20
"""How many times longer than its source a translation may be (at least ``MAX_LENGTH``)."""
MAX_LENGTH = 10_000
"""Characters any translation may have, however short its source."""


def check_length(msgid: str, msgstr: str, ctx: Context) -> Iterator[Problem]:
    """Not absurdly longer than the source (``MAX_GROWTH`` times, at least ``MAX_LENGTH``
    characters). Translations run to two or three times their source at most; a
    megabyte for a sentence is an attack on the parsers, so nothing else is judged."""
    limit = max(MAX_GROWTH * len(msgid), MAX_LENGTH)
    if len(msgstr) > limit:
        yield Problem(
            "length",
            "error",
            f"the translation has {len(msgstr):,} characters, more than {limit:,} "
            f"({MAX_GROWTH} times the source's {len(msgid):,})",
            "translate the source text only; a message this long is not read further",
        )
