"""URL slugs for localized articles: python-slugify's home.

python-slugify transliterates with text-unidecode (chosen explicitly: with its default
backend the result would depend on whether the other ``Unidecode`` package happens to be
installed). text-unidecode gets three of our languages wrong, so each is given its
national romanization first (letters only; apostrophes, which mark ejectives or
softness, are dropped because a slug would turn them into hyphens):

- Azerbaijani ``ə`` became ``@`` (a hyphen in the slug: ``şəhər`` → ``s-h-r``); it is
  ``e``. ``ı ğ ş ç ö ü`` were already right (``i g s c o u``).
- Georgian came out with backticks (``თ`` → ``t```, so ``წლისთავი`` → ``clist-avi``) and
  letters of other systems (``ხ`` → ``x``, ``წ`` → ``c``); it follows the 2002 national
  system: ``ხოჯალი`` → ``khojali``, ``წელი`` → ``tseli``.
- Russian ``я ю ё й`` became ``ia iu io i`` and ``ь`` an apostrophe; the usual URL forms
  are ``ya yu e y`` and nothing (``годовщина`` was already ``godovshchina``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from slugify import slugify

MAX_LENGTH = 100
"""Longest slug, in characters, cut at a word boundary: Hugo and Jekyll may make a
folder of it, and a file name holds at most 255 bytes."""

FALLBACK = "article"
"""The slug of an article whose title and file name both slug to nothing."""

_AZERBAIJANI = {"ə": "e"}
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j",
    "ჰ": "h",
}  # fmt: skip
_RUSSIAN = {"я": "ya", "ю": "yu", "ё": "e", "й": "y", "ь": "", "ъ": ""}
_BY_LANGUAGE = {"ru": _RUSSIAN}
"""Per-language romanizations of letters other languages share (Cyrillic); Azerbaijani
and Georgian letters are romanized the same way in any language."""


def slug(text: str, lang: str) -> str:
    """A URL slug of ``text`` written in ``lang`` (a language code: ``az``, ``ru-RU``):
    ASCII lower-case letters and digits joined by single ``-``, at most ``MAX_LENGTH``
    characters; ``""`` when ``text`` has nothing to transliterate."""
    table = {**_AZERBAIJANI, **_GEORGIAN, **_BY_LANGUAGE.get(_primary(lang), {})}
    # lower-cased first, so one table of small letters serves both cases (Georgian
    # Mtavruli capitals fold to the Mkhedruli letters of the table)
    romanized = "".join(table.get(ch, ch) for ch in text.lower())
    return str(
        slugify(
            romanized,
            max_length=MAX_LENGTH,
            word_boundary=True,
            backend="text-unidecode",
        )
    )


def article_slug(text: str | None, lang: str, stem: str) -> str:
    """The slug of an article: of its localized ``text`` (the title), else of its file
    name's ``stem``, else ``FALLBACK``; never empty."""
    return slug(text or "", lang) or slug(stem, lang) or FALLBACK


def unique_slugs(candidates: Mapping[Path, str]) -> dict[Path, str]:
    """Each article's slug, unique among ``candidates`` (article → its candidate slug,
    for one language; slugs of different languages may be equal).

    Articles are taken in path order, whatever the mapping's order. A candidate no other
    article has is kept. Among articles sharing one, the first keeps it and the next
    take ``-2``, ``-3``…, skipping any slug that is already some article's own candidate,
    so adding an article never renames an article whose slug was unique.
    """
    order = sorted(candidates)
    counts: dict[str, int] = {}
    for article in order:
        counts[candidates[article]] = counts.get(candidates[article], 0) + 1
    taken = set(counts)
    out: dict[Path, str] = {}
    first: set[str] = set()
    for article in order:
        wanted = candidates[article]
        if counts[wanted] == 1 or wanted not in first:
            first.add(wanted)
            out[article] = wanted
            continue
        n = 2
        while _numbered(wanted, n) in taken:
            n += 1
        out[article] = _numbered(wanted, n)
        taken.add(out[article])
    return out


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _numbered(slug: str, n: int) -> str:
    """``slug-n``, the slug cut (at a word when it can) to stay within ``MAX_LENGTH``."""
    suffix = f"-{n}"
    room = MAX_LENGTH - len(suffix)
    if len(slug) > room:
        cut = slug[:room]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug + suffix
