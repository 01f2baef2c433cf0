"""HTML pages: every published article as a page, an index and an Atom feed per language.

``merge --html`` (or ``html = true``) calls ``build_site`` once the Markdown is written.
A page is rendered from the Markdown ``merge`` published (the source language's from
the articles themselves) with the pipeline's own markdown-it configuration, so the page
shows what the pipeline parsed; raw HTML from the source is kept, and a translation
that adds unsafe HTML never reached the Markdown (``merge`` refused it). The page goes
through a Jinja2 template (``publish/html.py``) that the project may override.

Every page knows its language from CLDR: ``lang`` and ``dir`` (``rtl`` for Arabic,
Persian, Hebrew, Urdu…), the language's own name in the switcher, the date in the
language's long format. Links between pages are relative (``os.path.relpath`` between
the two pages' paths), so they hold for any ``html_path`` and from the file system.

Same inputs, same bytes: nothing depends on the clock (the feed's dates are the
articles'), the order of the file system or the order of ``published``.
"""

from __future__ import annotations

import functools
import itertools
import os
import posixpath
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from pipeline.config import Config
from pipeline.errors import ConfigError, SourceError
from pipeline.files import digest, read_article, read_regular, read_text_if_exists, write_atomic
from pipeline.locales import language, long_date
from pipeline.markdown.frontmatter import (
    BOM,
    mask_toml,
    opening_fence,
    scalars,
    toml_scalars,
    unclosed,
)
from pipeline.markdown.parse import new_parser
from pipeline.publish.feed import FeedEntry, atom
from pipeline.publish.html import (
    TEMPLATE_NAMES,
    content_security_policy,
    default_template,
    render,
)
from pipeline.publish.markdown import INCOMPLETE_KEY
from pipeline.results import Action, FileResult

TEMPLATES_DIR = "templates"
"""The folder, at the project root, whose ``article.html``, ``index.html`` and
``page.css`` replace the package's own (``publish/templates/``)."""

TITLE_KEYS = ("title",)
DESCRIPTION_KEYS = ("description", "summary")
"""Front-matter keys read for the page: its ``<title>``, its ``<meta name=description>``
(the first of these that has text)."""
DATE_KEY = "date"
"""The front-matter key of the publication date: ``YYYY-MM-DD``, a time after it is
fine (``2024-02-26T09:00:00+04:00``); only the day is shown."""

_YAML_DATE_RE = re.compile(r"^date[ \t]*:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})", re.MULTILINE)
"""A top-level YAML ``date:``. YAML reads an unquoted date as a timestamp, not as the
text the front-matter reader returns, so the day is read from the line itself."""


@dataclass(frozen=True, slots=True)
class SiteResult:
    """What ``build_site`` wrote (or, with ``check``, would write)."""

    files: tuple[FileResult, ...]
    """Every page, index and feed, sorted by path: created, updated or unchanged."""
    pages: dict[str, dict[str, str]]
    """Per HTML root folder (``html_path``'s fixed part, POSIX, relative to the project
    root, e.g. ``output/az``): each file written there (POSIX path relative to that
    folder) → SHA-256 (hex) of its bytes; what a manifest of the folder lists."""

    @property
    def outdated(self) -> int:
        """Files that were (or would be) created or updated."""
        return sum(1 for f in self.files if f.changed)


@dataclass(frozen=True, slots=True)
class _Page:
    """One article in one language, read and rendered."""

    lang: str
    article: Path
    path: Path
    """Where its page goes (``config.output_path(..., html=True)``)."""
    title: str
    description: str
    day: date | None
    body: str
    """The article's body as HTML."""
    incomplete: bool = False
    """Published with the source text in its gaps (``translation_incomplete: true``)."""
    original: bool = False
    """The article itself, in the language it is written in (the ``x-default``)."""


def build_site(
    config: Config,
    published: Mapping[str, Sequence[Path]],
    *,
    check: bool,
    originals: Mapping[Path, str] | None = None,
) -> SiteResult:
    """Write the HTML pages of every published article, and per language an index of
    them (newest first) and an Atom feed.

    ``published`` maps each target language to the articles (paths relative to
    ``source_dir``) ``merge`` published in it; their Markdown is read at
    ``config.output_path(lang, article)``. Each article's page in its own language is
    made from the article itself (``originals``: article → the language it is written
    in, where that is not ``source_language``), and is its ``x-default``. A language
    not in ``published``, or with no
    article, gets no page, index nor feed. ``check``: write nothing, report what would
    change. Raises ``SourceError`` for Markdown that cannot be read (not UTF-8, bad
    front matter) and ``ConfigError`` for a template error, two files at one path (an
    article whose page would be the index) or a path that leaves the project.
    """
    source = config.source_language
    own = dict(originals or {})
    wanted: dict[str, list[Path]] = {}
    for article in config.articles():
        wanted.setdefault(own.get(article, source), []).append(article)
    for lang in (*config.languages, source):
        if published.get(lang):
            wanted.setdefault(lang, [])
            wanted[lang] = sorted(set(wanted[lang]) | set(published[lang]))
    templates = _templates(config)
    pages = {
        lang: [
            _read_page(config, lang, article, check=check, original=own.get(article, source))
            for article in articles
        ]
        for lang, articles in wanted.items()
    }
    versions: dict[Path, dict[str, _Page]] = {}
    for lang_pages in pages.values():
        for page in lang_pages:
            if page is not None:
                versions.setdefault(page.article, {})[page.lang] = page
    files: dict[Path, bytes | None] = {}
    for lang, lang_pages in pages.items():
        for article, page in zip(wanted[lang], lang_pages, strict=True):
            path = config.output_path(lang, article, html=True)
            data = None if page is None else _article_html(config, page, versions, templates)
            _add(files, path, data, config)
    for lang, lang_pages in pages.items():
        listed = [p for p in lang_pages if p is not None]
        index, feed = _index_path(config, lang), _feed_path(config, lang)
        _add(files, index, _index_html(config, lang, listed, wanted, templates), config)
        _add(files, feed, _feed_xml(config, lang, listed, index, feed), config)
    return _write(config, files, check=check, languages=tuple(pages))


# Reading ---------------------------------------------------------------------------------


def _read_page(
    config: Config, lang: str, article: Path, *, check: bool, original: str
) -> _Page | None:
    """``article`` in ``lang`` from its Markdown (the article itself in ``original``,
    its own language); None when, in a ``check`` run, that Markdown is not there yet
    (merge would write it: the page is then out of date)."""
    if lang == original:
        md_path = config.confined(config.source_dir / article, SourceError)
    else:
        md_path = config.output_path(lang, article)
    shown = config.rel(md_path)
    if check and not md_path.exists():
        return None
    text = read_article(md_path, shown)
    meta, body, heading = _parse(text, shown)
    title = meta.get("title") or heading or article.stem
    return _Page(
        lang=lang,
        article=article,
        path=config.output_path(lang, article, html=True),
        title=title,
        description=next((meta[k] for k in DESCRIPTION_KEYS if meta.get(k)), ""),
        day=_day(meta.get(DATE_KEY, "")),
        body=body,
        incomplete=meta.get(INCOMPLETE_KEY) == "true",
        original=lang == original,
    )


def _parse(text: str, shown: str) -> tuple[dict[str, str], str, str]:
    """The front-matter values the page uses (stripped text), the body as HTML, and the
    text of the first heading (the title of an article whose front matter has none)."""
    body = text.removeprefix(BOM)
    fence = opening_fence(body)
    md = _renderer()
    lines = re.sub(r"\r\n?", "\n", body).split("\n")
    env: dict[str, Any] = {"lines": lines}
    tokens = md.parse(mask_toml(body), env)
    meta: dict[str, str] = {}
    if fence is not None:
        if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
            raise unclosed(fence, shown)
        front = "".join(line + "\n" for line in lines[1 : tokens[0].map[1] - 1])
        meta = _front_matter(front, shown, toml=fence == "+++")
    # the front matter renders as an empty line; the page's body starts with its content
    html = str(md.renderer.render(tokens, md.options, env)).lstrip("\n")
    return meta, html, _first_heading(tokens)


def _front_matter(front: str, shown: str, *, toml: bool) -> dict[str, str]:
    keys = (*TITLE_KEYS, *DESCRIPTION_KEYS, DATE_KEY)
    read = toml_scalars if toml else scalars
    meta = {s.key: s.value.strip() for s in read(front, keys, path=shown, first_line=2)}
    if _INCOMPLETE_RE.search(front):
        meta[INCOMPLETE_KEY] = "true"
    if DATE_KEY not in meta:
        if toml:  # a TOML date is a value of its own type; tomllib reads it
            try:
                value = tomllib.loads(front).get(DATE_KEY)
            except tomllib.TOMLDecodeError:
                value = None
            if isinstance(value, date):
                meta[DATE_KEY] = value.isoformat()
        elif match := _YAML_DATE_RE.search(front):
            meta[DATE_KEY] = match[1]
    return meta


_INCOMPLETE_RE = re.compile(rf"^{INCOMPLETE_KEY}[ \t]*[:=][ \t]*true[ \t]*$", re.M)
"""The flag merge writes on an article it published incomplete (YAML or TOML)."""


def _day(value: str) -> date | None:
    """The day a front-matter date names; None for none, or one that is no date."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _first_heading(tokens: Sequence[Any]) -> str:
    """The text of the first heading among markdown-it's ``tokens``; empty for none."""
    for tok, nxt in itertools.pairwise(tokens):
        if tok.type == "heading_open" and nxt.type == "inline":
            return "".join(
                c.content for c in nxt.children or [] if c.type in ("text", "code_inline")
            ).strip()
    return ""


@functools.lru_cache(maxsize=1)
def _renderer() -> Any:
    """The pipeline's markdown-it (``new_parser``: raw HTML on, as CommonMark has it)
    that also renders a block nested past ``MAX_NESTING`` (kept whole by the parser) as
    its source text, preformatted, rather than dropping it."""
    md = new_parser()

    def too_deep(_self: Any, tokens: Any, idx: int, _options: Any, env: Any) -> str:
        start, end = tokens[idx].map
        return f"<pre>{escape(chr(10).join(env['lines'][start:end]))}</pre>\n"

    md.add_render_rule("too_deep", too_deep)
    return md


# Rendering -------------------------------------------------------------------------------


def _templates(config: Config) -> dict[str, str]:
    """Template name → text: the project's ``templates/<name>`` where there is one,
    else the package's own."""
    found: dict[str, str] = {}
    for name in TEMPLATE_NAMES:
        path = config.root / TEMPLATES_DIR / name
        shown = config.rel(path)
        if path.exists():
            config.confined(path)
            text = read_text_if_exists(path, shown)
            if text is None:
                raise ConfigError(
                    "the template is not UTF-8 text",
                    path=shown,
                    hint="save it as UTF-8, or remove it to use the default",
                )
            found[name] = text
        else:
            found[name] = default_template(name)
    return found


def _href(config: Config, page: Path, target: Path) -> str:
    """``target`` as a URL relative to the page at ``page`` (percent-encoded)."""
    here = posixpath.dirname(config.rel(page))
    rel = posixpath.relpath(config.rel(target), here or ".")
    return quote(rel, safe="/")


def _bcp47(code: str) -> str:
    return code.replace("_", "-")


def _common(config: Config, lang: str, templates: Mapping[str, str]) -> dict[str, Any]:
    info = language(lang)
    return {
        "lang": _bcp47(lang),
        "dir": info.direction,
        "own_name": info.native_name,
    }


def _dates(day: date | None, lang: str) -> dict[str, str]:
    if day is None:
        return {"date_iso": "", "date_text": ""}
    return {"date_iso": day.isoformat(), "date_text": long_date(day, lang)}


def _order(config: Config) -> list[str]:
    return [config.source_language, *config.languages]


def _article_html(
    config: Config,
    page: _Page,
    versions: Mapping[Path, Mapping[str, _Page]],
    templates: Mapping[str, str],
) -> bytes:
    here = versions[page.article]
    ordered = [here[lang] for lang in _order(config) if lang in here]
    written_in = next((v.lang for v in here.values() if v.original), config.source_language)
    context = {
        **_common(config, page.lang, templates),
        "title": page.title,
        "description": page.description,
        "canonical": _href(config, page.path, page.path),
        "versions": [
            {
                "lang": _bcp47(v.lang),
                "name": language(v.lang).native_name,
                "href": _href(config, page.path, v.path),
                "current": v.lang == page.lang,
                "title": v.title,
            }
            for v in ordered
        ],
        "x_default": _href(
            config, page.path, next((v.path for v in here.values() if v.original), page.path)
        ),
        "index_href": _href(config, page.path, _index_path(config, page.lang)),
        "feed_href": _href(config, page.path, _feed_path(config, page.lang)),
        **_dates(page.day, page.lang),
        "incomplete": page.incomplete,
        "source_lang": _bcp47(written_in),
        "source_name": language(written_in).native_name,
    }
    return _render("article.html", templates, context, {"body": page.body})


def _newest_first(pages: Sequence[_Page]) -> list[_Page]:
    """By date, newest first; undated articles after the dated ones, by path."""
    dated = sorted((p for p in pages if p.day), key=lambda p: (p.day, p.article), reverse=True)
    return dated + sorted((p for p in pages if not p.day), key=lambda p: p.article)


def _index_html(
    config: Config,
    lang: str,
    pages: Sequence[_Page],
    wanted: Mapping[str, Sequence[Path]],
    templates: Mapping[str, str],
) -> bytes:
    index = _index_path(config, lang)
    context = {
        **_common(config, lang, templates),
        "canonical": _href(config, index, index),
        "versions": [
            {
                "lang": _bcp47(other),
                "name": language(other).native_name,
                "href": _href(config, index, _index_path(config, other)),
                "current": other == lang,
            }
            for other in _order(config)
            if other in wanted
        ],
        "x_default": _href(config, index, _index_path(config, config.source_language)),
        "feed_href": _href(config, index, _feed_path(config, lang)),
        "articles": [
            {
                "title": p.title,
                "description": p.description,
                "href": _href(config, index, p.path),
                **_dates(p.day, lang),
            }
            for p in _newest_first(pages)
        ],
    }
    return _render("index.html", templates, context, {})


def _render(
    name: str, templates: Mapping[str, str], context: Mapping[str, Any], safe: Mapping[str, str]
) -> bytes:
    # The style sheet and the policy that allows it by hash (which has quotes, and
    # nothing else an attribute would need escaped) go in as they are.
    css = templates["page.css"]
    markup = {**safe, "css": css, "csp": content_security_policy(css)}
    text = render(name, templates, context, safe=markup, folder=f"{TEMPLATES_DIR}/")
    return text.encode("utf-8")


def _feed_xml(config: Config, lang: str, pages: Sequence[_Page], index: Path, feed: Path) -> bytes:
    return atom(
        key=config.rel(feed),
        title=language(lang).native_name,
        lang=_bcp47(lang),
        index_href=_href(config, feed, index),
        self_href=_href(config, feed, feed),
        entries=[
            FeedEntry(
                key=config.rel(p.path),
                title=p.title,
                href=_href(config, feed, p.path),
                summary=p.description,
                content=p.body,
                day=p.day,
            )
            for p in _newest_first(pages)
        ],
        fallback=_source_date_epoch(),
    )


def _source_date_epoch() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds' "now"), when set to a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(value), UTC) if value.isdigit() else None


# Paths and writing -------------------------------------------------------------------------


def _root_file(config: Config, lang: str, stem: str, suffix: str) -> Path:
    """``<html root of lang>/<stem><suffix>``, or ``<stem>.<lang><suffix>`` in a root
    the languages share."""
    name = f"{stem}.{lang}{suffix}" if config.html_pattern.shared_root() else stem + suffix
    return config.confined(config.output_root(lang, html=True) / name)


def _index_path(config: Config, lang: str) -> Path:
    return _root_file(config, lang, "index", ".html")


def _feed_path(config: Config, lang: str) -> Path:
    return _root_file(config, lang, "feed", ".xml")


def site_file_language(config: Config, path: Path, languages: Sequence[str]) -> str | None:
    """The language among ``languages`` whose page, index or feed ``path`` (absolute)
    is, or None: which files of a folder ``merge --html`` writes, and for whom."""
    rel = config.rel(path)
    for lang in languages:
        if path in (_index_path(config, lang), _feed_path(config, lang)):
            return lang
    return config.html_pattern.language_of(rel, tuple(languages))


def _add(files: dict[Path, bytes | None], path: Path, data: bytes | None, config: Config) -> None:
    if path in files:
        raise ConfigError(
            f"two HTML files would be written to {config.rel(path)} (an article's page and "
            "the index or feed of its language)",
            path=config.rel(path),
            hint='rename the article, or give html_path a folder, e.g. "site/{lang}/{path}.html"',
        )
    files[path] = data


def _write(
    config: Config,
    files: Mapping[Path, bytes | None],
    *,
    check: bool,
    languages: Sequence[str] = (),
) -> SiteResult:
    """Compare each file with what is on disk; write it unless ``check`` (``None``:
    content not known in a check run, so out of date)."""
    results: list[FileResult] = []
    pages: dict[str, dict[str, str]] = {}
    # every language a page is in: an article's own may be one no setting names
    roots = [config.output_root(lang, html=True) for lang in (*_order(config), *languages)]
    for path in sorted(files, key=config.rel):
        data = files[path]
        shown = config.rel(path)
        try:
            current: bytes | None = read_regular(path, shown)
        except FileNotFoundError:
            current = None
        action = (
            Action.CREATED
            if current is None
            else Action.UNCHANGED
            if data is not None and current == data
            else Action.UPDATED
        )
        if data is not None:
            if action is not Action.UNCHANGED and not check:
                write_atomic(path, data.decode("utf-8"), shown, durable=False)
            root = max((r for r in roots if path.is_relative_to(r)), key=lambda r: len(r.parts))
            rel = PurePosixPath(path.relative_to(root).as_posix()).as_posix()
            pages.setdefault(config.rel(root), {})[rel] = digest(data)
        results.append(FileResult(shown, action))
    return SiteResult(tuple(results), pages)
