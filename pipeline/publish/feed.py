"""feedgen: the Atom feed of a language's published articles.

The only module that imports ``feedgen``. Same articles, same bytes: feedgen stamps a
feed and each entry with the current time, so both are set here, from the articles'
dates (``FeedEntry.day``); the generator is named without feedgen's version, so an
upgrade of feedgen alone does not change every feed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator

GENERATOR = "article-l10n-pipeline"
"""The feed's ``<generator>``."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One article of a feed."""

    key: str
    """What identifies the article in this language for good (its page's path in the
    project, POSIX): the entry's ``<id>`` is a UUID derived from it."""
    title: str
    """The translated title (text)."""
    href: str
    """The page, relative to the feed (a URL path, percent-encoded)."""
    summary: str
    """The description (text), or empty."""
    content: str
    """The article's body as HTML (markup, as on its page)."""
    day: date | None
    """Its front-matter date: ``<published>`` and ``<updated>``."""


def atom(
    *,
    key: str,
    title: str,
    lang: str,
    index_href: str,
    self_href: str,
    entries: Sequence[FeedEntry],
    fallback: datetime | None = None,
) -> bytes:
    """An Atom feed (UTF-8 XML bytes) of ``entries`` in the order given.

    ``key`` identifies the feed as ``FeedEntry.key`` does an entry; ``lang`` is its
    ``xml:lang`` (BCP 47); ``index_href`` and ``self_href`` are its ``alternate`` and
    ``self`` links, relative to the feed. The feed's ``<updated>`` is the newest entry's
    date, else ``fallback`` (``SOURCE_DATE_EPOCH``), else the Unix epoch; an entry
    without a date has the feed's. Nothing depends on the clock.
    """
    days = [e.day for e in entries if e.day is not None]
    updated = _stamp(max(days)) if days else (fallback or _EPOCH)
    feed = FeedGenerator()
    feed.id(_urn(key))
    feed.title(title)
    feed.language(lang)
    feed.updated(updated)
    feed.generator(GENERATOR)
    feed.link(href=index_href, rel="alternate", type="text/html")
    feed.link(href=self_href, rel="self", type="application/atom+xml")
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(_urn(item.key))
        entry.title(item.title)
        entry.link(href=item.href, rel="alternate", type="text/html")
        stamp = _stamp(item.day) if item.day is not None else updated
        entry.updated(stamp)
        if item.day is not None:
            entry.published(stamp)
        if item.summary:
            entry.summary(item.summary)
        entry.content(item.content, type="html")
    data: bytes = feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _urn(key: str) -> str:
    """A stable ``urn:uuid:`` for ``key`` (UUID version 5: a hash, no clock, no host)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{GENERATOR}:{key}").urn
