"""What a browser and a site generator would make of a message: the only ``justhtml`` import.

A ``.po`` file is untrusted input. Whether a translation could run code, redirect a
reader or break the page is decided here by parsing, never by searching the text:

- ``html_view`` tokenizes the message with a WHATWG HTML tokenizer (``justhtml``: character
  references decoded, raw-text elements such as ``<textarea>`` swallowing what follows,
  foreign content), the way a permissive Markdown renderer passes raw HTML to the
  browser. Markdown code spans are code in every renderer, so they are blanked out
  first, and so are Markdown autolinks (their targets are read as links instead).
- ``url_scheme`` normalises a URL as the WHATWG URL parser does before reading its
  scheme: leading C0 controls and spaces dropped, tabs and newlines removed anywhere,
  the scheme lower-cased (``java&#9;script:``, ``JaVaScRiPt:`` and ``jav&#x61;script:``
  are all ``javascript``).
- ``invisible_characters`` finds text a reader cannot see that changes what they see
  (bidirectional overrides, zero-width characters, control characters).
- ``template_tags`` finds what Liquid, Jinja and Hugo execute before any Markdown is
  rendered (``{{ }}``, ``{% %}``, ``{{< >}}``, ``{{% %}}``).

The judgements (which of these findings is a problem, with what code) are in ``checks``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from justhtml import stream

DANGEROUS_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "meta",
        "base",
        "link",
        "form",
        "svg",
        "math",
        "template",
        "noscript",
        "portal",
        "fencedframe",
    }
)
"""Elements that run code, load a document, change where links go, or restyle the page."""

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "imagesrcset",
        "action",
        "formaction",
        "poster",
        "background",
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "usemap",
        "data",
        "codebase",
        "archive",
        "classid",
        "manifest",
        "icon",
        "profile",
        "ping",
        "xlink:href",
        "xml:base",
        "content",
    }
)
"""Attributes whose value a browser follows or loads as a URL (``content``: of
``<meta http-equiv=refresh>``)."""

DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha", "data"})
"""URL schemes that run code in the page (``data:`` makes a document of the attacker's)."""

VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
"""Elements that have no end tag."""

_SENTINEL = "x-pipeline-end"


@dataclass(frozen=True, slots=True)
class Tag:
    """One start tag as a browser reads it."""

    name: str
    """Lower-case element name."""
    attrs: tuple[tuple[str, str], ...]
    """Attribute (lower-case name, decoded value) pairs, in order; duplicates dropped as
    the HTML parser drops them."""


@dataclass(frozen=True, slots=True)
class HtmlView:
    """The raw HTML of one message, tokenized."""

    starts: tuple[Tag, ...]
    """Start tags, in order."""
    ends: tuple[str, ...]
    """End-tag names, in order."""
    comments: int
    """Comments, doctypes, processing instructions and CDATA sections."""
    closed: bool
    """The message ends in plain text: no comment, quote, tag or raw-text element
    (``<textarea>``, ``<plaintext>``…) is left open to swallow the rest of the page."""


@lru_cache(maxsize=8192)
def html_view(text: str, markdown: bool, passed: tuple[str, ...] = ()) -> HtmlView:
    """Tokenize the raw HTML of ``text`` (``markdown``: blank its code spans first).

    ``passed`` is the raw HTML the Markdown parser itself passes through (its inline
    HTML tokens); it is tokenized too, after the text. Where the parser and this lax
    reading disagree on where a tag, a code span or a title ends, whatever either of
    them would let through is seen. Text with no ``<`` has no HTML.
    """
    if "<" not in text:
        return HtmlView((), (), 0, True)
    end = f"<{_SENTINEL}>"
    parts = [blank_code(text) if markdown else text, *passed]
    starts: list[Tag] = []
    ends: list[str] = []
    comments = 0
    sentinels = 0
    last = ""
    for event in stream(end.join(parts) + end):
        last = event[0]
        match event:
            case ("start", (str() as name, dict() as attrs)):
                if name == _SENTINEL:
                    sentinels += 1
                    last = "sentinel"
                    continue
                pairs = tuple((str(k).lower(), str(v or "")) for k, v in attrs.items())
                starts.append(Tag(name.lower(), pairs))
            case ("end", str() as name):
                ends.append(name.lower())
            case ("comment" | "doctype", _):
                comments += 1
    closed = last == "sentinel" and sentinels == len(parts)
    return HtmlView(tuple(starts), tuple(ends), comments, closed)


_AUTOLINK_RE = re.compile(
    r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
"""A CommonMark autolink (URI or e-mail), spec section 6.5."""
_TAG_START_RE = re.compile(r"""<[A-Za-z/!?](?:"[^"]*"|'[^']*'|[^'">])*>?""")
"""From ``<`` to the ``>`` that ends it outside quotes: as much as any renderer could
pass through as one tag (more than CommonMark allows, so nothing is missed)."""


def blank_code(text: str) -> str:
    """``text`` with each Markdown code span and autolink replaced by spaces.

    Scans left to right as CommonMark does: at a ``<`` a tag or autolink is taken
    whole (so a backtick inside an attribute value starts no code span); a backslash
    escapes the next character; a backtick run opens a code span that the next run of
    the same length closes (spec section 6.1), else it is literal.
    """
    out: list[str] = []
    pos = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            if text[i + 1 : i + 2] in {"<", "&"}:  # an escaped "<" is text everywhere
                out.append(text[pos:i] + "  ")
                pos = i + 2
            i += 2
            continue
        if ch == "<":
            auto = _AUTOLINK_RE.match(text, i)
            if auto:
                out.append(text[pos:i] + " " * (auto.end() - i))
                i = pos = auto.end()
                continue
            tag = _TAG_START_RE.match(text, i)
            i = tag.end() if tag else i + 1
            continue
        if ch != "`":
            i += 1
            continue
        run_end = i
        while run_end < n and text[run_end] == "`":
            run_end += 1
        length = run_end - i
        close = _closing_run(text, run_end, length)
        if close < 0:
            i = run_end
            continue
        out.append(text[pos:i] + " " * (close + length - i))
        i = pos = close + length
    out.append(text[pos:])
    return "".join(out)


def _closing_run(text: str, start: int, length: int) -> int:
    """Start of the next backtick run of exactly ``length`` after ``start``, or -1."""
    i = start
    while True:
        i = text.find("`" * length, i)
        if i < 0:
            return -1
        j = i + length
        if text[j : j + 1] != "`":
            return i
        while j < len(text) and text[j] == "`":
            j += 1
        i = j


_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_STRIP_C0 = "".join(chr(c) for c in range(0x21))


def browser_url(url: str) -> str:
    """``url`` as the WHATWG URL parser cleans it before parsing: leading and trailing C0
    controls and spaces dropped, tabs and newlines removed anywhere. ``url`` is already
    decoded of character references (an attribute value or a Markdown destination)."""
    return url.strip(_STRIP_C0).replace("\t", "").replace("\n", "").replace("\r", "")


def url_scheme(url: str) -> str:
    """The lower-case scheme a browser reads in ``url`` (``""`` for a relative URL)."""
    match = _SCHEME_RE.match(browser_url(url))
    return match[1].lower() if match else ""


def urls_of(tag: str, attribute: str, value: str) -> list[str]:
    """The URLs in one attribute value (``srcset`` lists several; ``content`` holds one
    only in ``<meta http-equiv=refresh>``, after ``url=``)."""
    if attribute in {"srcset", "imagesrcset"}:
        return [part.split()[0] for part in value.split(",") if part.split()]
    if attribute == "content":
        if tag != "meta":
            return []
        match = re.search(r"url\s*=\s*['\"]?([^'\"]*)", value, re.I)
        return [match[1]] if match else []
    return [value]


def dangerous_url(url: str, *, image: bool = False) -> bool:
    """``url`` runs code or makes a document when followed (``image``: it is an image
    source, where ``data:image/…`` only paints pixels)."""
    scheme = url_scheme(url)
    if scheme not in DANGEROUS_SCHEMES:
        return False
    if scheme == "data" and image:
        return not browser_url(url)[5:].lstrip().lower().startswith("image/")
    return True


# Invisible characters -------------------------------------------------------------------

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_RTL_MARKS = frozenset("\u200e\u200f\u061c")
_ARABIC_SIGNS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u08e2")
_JOINERS = frozenset("\u200c\u200d")
_MARKUP = "*_~`"
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
_BLANKS = frozenset("\u2800\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f")
"""Characters that print as nothing although Unicode calls them symbols or marks (the
braille blank, the combining grapheme joiner, Khmer and Mongolian invisibles)."""
_HIDDEN_PRINTABLE = _HANGUL_FILLERS | _BLANKS
_NO_SPACE_SCRIPTS = frozenset({"th", "lo", "km", "my", "bo", "dz", "ja", "zh"})
"""Languages written without spaces, where U+200B marks where a line may break."""


def invisible_characters(text: str, language: str, rtl: bool) -> Iterator[str]:
    """Each invisible character in ``text`` (raw or as a character reference) that could
    change what a reader sees, as it occurs.

    Not reported: newline and tab; the soft hyphen; ZWNJ and ZWJ between letters (Persian,
    Indic scripts) or inside an emoji sequence; directional marks and Arabic number signs
    in a right-to-left language (``rtl``); U+200B in a language written without spaces;
    tag characters inside an emoji flag sequence; Hangul fillers in Korean.
    """
    if "&" in text:
        text = html.unescape(text)
    if text.translate(_NEWLINE_TAB).isprintable() and not _SUSPECT_RE.search(text):
        return  # the usual case, decided in C: nothing below would look twice at a character
    base = language.split("_", maxsplit=1)[0].lower()
    for i, ch in enumerate(text):
        if ch in "\n\t":
            continue
        if ch.isprintable() and ch not in _HIDDEN_PRINTABLE and not _selector(ch):
            continue
        if _allowed(text, i, ch, base, rtl):
            continue
        yield ch


_NEWLINE_TAB = str.maketrans("", "", "\n\t")
_SUSPECT_RE = re.compile(
    "[\ufe00-\ufe0f\U000e0100-\U000e01ef" + "".join(sorted(_HIDDEN_PRINTABLE)) + "]"
)
"""The printable characters ``invisible_characters`` still looks at: variation
selectors and ``_HIDDEN_PRINTABLE``."""


def _selector(ch: str) -> bool:
    return 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF


def _allowed(text: str, i: int, ch: str, base: str, rtl: bool) -> bool:
    category = unicodedata.category(ch)
    if category in {"Zs"}:
        return True  # a space (U+3000, U+2007…): visible as space
    if ch == "\u00ad":
        return True
    before = text[i - 1] if i else ""
    if ch in _JOINERS:
        # The reader sees the letters around the joiner, not the Markdown between them
        # ("**گزارش**\u200cها").
        left, right = text[:i].rstrip(_MARKUP), text[i + 1 :].lstrip(_MARKUP)
        before = left[-1:] or ""
        after = right[:1] or " "
        if ch == "\u200d" and before and _emoji_part(before) and _emoji_part(after):
            return True
        # Persian joins a suffix to a Latin acronym too ("PDF" ZWNJ "ها"): one side suffices.
        letters = unicodedata.category(before or " ")[0] in {"L", "M"} and (
            unicodedata.category(after)[0] in {"L", "M"}
        )
        return letters and (_joining_letter(before) or _joining_letter(after))
    if _selector(ch):
        return _variation_base(before, ch)
    if ch in _BLANKS:
        return False
    if ch in _RTL_MARKS or ch in _ARABIC_SIGNS:
        return rtl
    if ch == "\u200b":
        return base in _NO_SPACE_SCRIPTS
    if ch in _HANGUL_FILLERS:
        return base == "ko"
    if 0xE0020 <= ord(ch) <= 0xE007F:
        start = i
        while start and 0xE0020 <= ord(text[start - 1]) <= 0xE007F:
            start -= 1
        return start > 0 and text[start - 1] == "\U0001f3f4"
    return category not in {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}


_NO_JOINER_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "GEORGIAN", "ARMENIAN")
"""Scripts whose letters never need ZWNJ or ZWJ between them (Arabic, Persian and the
Indic scripts do)."""


def _joining_letter(ch: str) -> bool:
    """A letter or mark of a script that uses ZWNJ/ZWJ (Arabic, Persian, Indic…)."""
    return unicodedata.category(ch)[0] in {"L", "M"} and not unicodedata.name(ch, "").startswith(
        _NO_JOINER_SCRIPTS
    )


def _emoji_part(ch: str) -> bool:
    """A character of an emoji sequence: a symbol, a skin-tone modifier, a selector."""
    return (
        unicodedata.category(ch) == "So"
        or 0x1F3FB <= ord(ch) <= 0x1F3FF
        or ch in "\ufe0f\u200d\u20e3"
    )


def _variation_base(before: str, ch: str) -> bool:
    """A variation selector right after a character that has variation sequences:
    emoji, keycaps and symbols for U+FE0E/U+FE0F, CJK ideographs for the others."""
    if not before:
        return False
    cjk = unicodedata.name(before, "").startswith("CJK")
    if ch in "\ufe0e\ufe0f":
        return cjk or _emoji_part(before) or before in "0123456789#*" or not before.isalnum()
    return cjk


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    name = unicodedata.name(ch, "") or {"\x7f": "DELETE"}.get(ch, "control character")
    return f"U+{ord(ch):04X} {name}"


# Template syntax --------------------------------------------------------------------------

_TEMPLATE_RE = re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)|\{#.*?#\}", re.S)
"""A Liquid or Jinja tag (``{{ }}``, ``{% %}``, ``{# #}``; Hugo's ``{{< >}}`` and
``{{% %}}`` are among them), to its closing delimiter or the end of the text: their
lexers split the raw page on exactly these delimiters, before any Markdown."""


_TAG_PARTS_RE = re.compile(r"(\{\{[<%-]?|\{%-?|\{#)(.*?)([-<%>]?\}\}|-?%\}|#\}|)\Z", re.S)


def template_tags(text: str) -> list[str]:
    """Each template tag in ``text``, in order, as its lexer reads it: spaces next to
    the delimiters dropped and other whitespace runs collapsed (``{{site.x}}`` is
    ``{{ site.x }}``, ``{%ifa%}`` is not ``{% if a %}``). An opened tag that is never
    closed runs to the end of the text. What stands between ``{% raw %}`` and
    ``{% endraw %}`` is text, no tag (the pair itself is two tags)."""
    tags = []
    pos = 0
    while (match := _TEMPLATE_RE.search(text, pos)) is not None:
        tags.append(_lexed(match[0]))
        pos = match.end()
        if _RAW_RE.fullmatch(match[0]):
            # Liquid's and Jinja's raw: what follows is text up to its endraw
            end = _ENDRAW_RE.search(text, pos)
            if end is None:
                break
            tags.append(_lexed(end[0]))
            pos = end.end()
    return tags


def _lexed(tag: str) -> str:
    parts = _TAG_PARTS_RE.match(tag)
    return parts[1] + " ".join(parts[2].split()) + parts[3] if parts else tag


_RAW_RE = re.compile(r"\{%-?\s*raw\s*-?%\}")
_ENDRAW_RE = re.compile(r"\{%-?\s*endraw\s*-?%\}")


# Attribute lists ------------------------------------------------------------------------

_BRACES_RE = re.compile(r"\{([^{}\n]*)\}")
_ATTRIBUTE_TOKEN_RE = re.compile(
    r"""[ \t]*(?:([#.][^\s{}"'=]+)|([A-Za-z_:][\w.:-]*)=("[^"]*"|'[^']*'|[^\s{}"']*)|(\S+))"""
)


@dataclass(frozen=True, slots=True)
class AttributeList:
    """A kramdown, Python-Markdown or markdown-it-attrs attribute list (``{: .note}``,
    ``{#install}``, ``{.class key="value"}``) or kramdown extension (``{::comment}``),
    which those renderers turn into HTML attributes or raw output."""

    text: str
    """The list as written, whitespace runs collapsed (what two lists are compared by)."""
    keys: tuple[str, ...]
    """Lower-case attribute names it sets (``id`` and ``class`` for ``#x`` and ``.x``)."""
    extension: str = ""
    """The kramdown extension name (``comment``, ``nomarkdown``…), or ""."""


def attribute_lists(text: str) -> list[AttributeList]:
    """Each attribute list or kramdown extension in ``text``, in order. Braces holding
    anything else (``{a, b}``, ``{x}``) are prose."""
    found = []
    for match in _BRACES_RE.finditer(text):
        body = match[1]
        shown = " ".join(match[0].split())
        if body.startswith("::"):
            found.append(AttributeList(shown, (), body[2:].split(" ", 1)[0].strip().lower()))
            continue
        colon = body.startswith(":")
        keys: list[str] = []
        for token in _ATTRIBUTE_TOKEN_RE.finditer(body[1:] if colon else body):
            short, key, _, other = token.groups()
            if short:
                keys.append("id" if short[0] == "#" else "class")
            elif key:
                keys.append(key.lower())
            elif other and not colon:
                keys = []
                break  # a word: prose, unless kramdown's "{:" says it is a reference name
        if keys or (colon and body[1:].strip()):
            found.append(AttributeList(shown, tuple(keys)))
    return found
