"""Jinja2: the HTML pages ``merge --html`` writes, through templates a project overrides.

The only module that imports ``jinja2`` (and ``markupsafe``, which comes with it). The
default templates are package data in ``pipeline/publish/templates/``; a project that
has ``templates/<name>`` at its root (``article.html``, ``index.html``, ``page.css``)
gets its own instead, read by the caller (``site``) so that every file the pipeline
reads goes through its own confinement and regular-file checks, never Jinja's loaders.

Autoescape is on for every template: a title such as ``<script>`` is text on the page.
Only what the caller names in ``safe`` is put in as markup: the article body that
markdown-it rendered (the source's raw HTML kept; ``merge`` has already refused any
translation that adds unsafe HTML) and the page's style sheet.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from pipeline.errors import ConfigError

TEMPLATE_NAMES = ("article.html", "index.html", "page.css")
"""The templates a project may override, each by a file of that name in ``templates/``
at its root: an article's page, a language's index page, the pages' style sheet (put in
each page's ``<style>`` element, which the Content-Security-Policy allows by hash)."""


def default_template(name: str) -> str:
    """The text of the package's own template ``name`` (one of ``TEMPLATE_NAMES``)."""
    return (resources.files("pipeline.publish") / "templates" / name).read_text("utf-8")


def style_source(css: str) -> str:
    """The CSP source (``'sha256-…'``, quoted) that allows a ``<style>`` element whose
    content is exactly ``css``, and no other."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(css: str) -> str:
    """The pages' policy: nothing loads or runs but images (the site's own, ``https:``
    and ``data:``) and the one style sheet ``css``; no script at all, no plug-in, no
    ``<base>`` and no form target (a ``<meta>`` cannot set ``frame-ancestors``)."""
    return (
        f"default-src 'none'; img-src 'self' https: data:; style-src {style_source(css)}; "
        "base-uri 'none'; form-action 'none'"
    )


def render(
    name: str,
    sources: Mapping[str, str],
    context: Mapping[str, Any],
    *,
    safe: Mapping[str, str] | None = None,
    folder: str = "",
) -> str:
    """Render template ``name`` from ``sources`` (template name → text; ``include`` and
    ``extends`` reach the other names there) with ``context``, autoescaped; each value in
    ``safe`` is put in as markup, unescaped. ``ConfigError`` naming the template's file
    (``folder`` + its name) when a template is not valid Jinja or fails while rendering
    (an undefined variable included: a misspelt name is an error, never an empty
    string)."""
    env = _environment(tuple(sorted(sources.items())))
    values = dict(context)
    values.update({key: Markup(value) for key, value in (safe or {}).items()})
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"template error: {exc.message}",
            path=folder + (exc.name or name),
            line=exc.lineno,
            hint="fix the template (Jinja2 syntax), or remove it to use the default",
        ) from None
    except jinja2.TemplateError as exc:
        raise ConfigError(
            f"template error: {exc}",
            path=folder + name,
            hint="fix the template, or remove it to use the default (README: HTML pages "
            "lists the variables a template gets)",
        ) from None


@functools.lru_cache(maxsize=8)
def _environment(sources: tuple[tuple[str, str], ...]) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader(dict(sources)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
