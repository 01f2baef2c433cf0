"""The front-matter policy applied to a localized article (``pipeline/policy.py``).

Translation already happened (``render``: ``translate`` keys are messages); here the
``set`` and ``slug`` rules change or add their top-level values, and nothing else: every
other byte of the article is the rendered one (``frontmatter.set_top_level``). Pure: no
file access.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from pipeline.markdown.document import BOM
from pipeline.markdown.frontmatter import opening_fence, set_top_level, value_at
from pipeline.markdown.parse import parse_blocks
from pipeline.policy import Action, FrontMatterPolicy, Rule
from pipeline.publish.slugs import article_slug

_EOL_RE = re.compile(r"\r\n|\r|\n")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def apply_policy(
    text: str,
    policy: FrontMatterPolicy,
    lang: str,
    article: Path,
    *,
    slug: str | None = None,
    shown: str | None = None,
) -> tuple[str, str | None]:
    """The localized article ``text`` (in ``lang``; ``article`` is its path under
    ``source_dir``) with the policy's ``set`` and ``slug`` rules applied, and its slug
    candidate (None without a ``slug`` rule).

    The candidate is ``slugs.article_slug`` of the slug source key's value in ``text``
    (already translated), else of the article's stem. The slug written is ``slug``
    when given (the project-wide unique one, ``slugs.unique_slugs``), else the candidate.
    An article without front matter gets a YAML one holding the set keys. Line breaks
    added are the article's own (its first one; ``\\n`` if it has none). ``SourceError``
    (``shown``, default ``article``, at a front-matter line) when a value cannot be set
    (``frontmatter.set_top_level``).
    """
    edits = policy.edits
    if not edits:
        return text, None
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom) :]
    eol_match = _EOL_RE.search(body)
    eol = eol_match[0] if eol_match else "\n"
    where = _front_matter(body)
    if where is None:
        head, inner, tail, toml, first_line = f"---{eol}", "", f"---{eol}", False, 2
    else:
        start, end, toml = where
        head, inner, tail = body[:start], body[start:end], ""
        first_line = 2  # front matter opens on line 1
        body = body[end:]
    path = shown or article.as_posix()
    candidate: str | None = None
    for rule in edits:
        if rule.action is Action.SET:
            value = expand(rule.argument, lang, article)
        else:
            title = value_at(inner, rule.argument, toml=toml, path=path, first_line=first_line)
            candidate = article_slug(title, lang, _stem(article))
            value = slug if slug is not None else candidate
        inner = set_top_level(
            inner, rule.key, value, toml=toml, eol=eol, path=path, first_line=first_line
        )
    return bom + head + inner + tail + body, candidate


def slug_rule(policy: FrontMatterPolicy) -> Rule | None:
    """The policy's ``slug`` rule, if it has one."""
    return next((r for r in policy.rules if r.action is Action.SLUG), None)


def expand(template: str, lang: str, article: Path) -> str:
    """``template`` with ``{lang}``, ``{path}``, ``{dir}``, ``{stem}`` and ``{suffix}``
    filled in for ``article`` (relative to ``source_dir``) as ``layout.py`` fills them
    (an empty ``{dir}`` takes the ``/`` after it along); the policy has checked that it
    uses no other placeholder."""
    posix = PurePosixPath(article.as_posix())
    suffix = posix.suffix
    stem = _stem(article)
    folder = "" if posix.parent.as_posix() == "." else posix.parent.as_posix()
    values = {
        "lang": lang,
        "path": f"{folder}/{stem}" if folder else stem,
        "dir": folder,
        "stem": stem,
        "suffix": suffix,
    }
    if not folder:
        template = template.replace("{dir}/", "")
    return re.sub(r"\{([a-z]+)\}", lambda m: values[m[1]], template)


def _stem(article: Path) -> str:
    name = PurePosixPath(article.as_posix()).name
    suffix = PurePosixPath(name).suffix
    return name[: -len(suffix)] if suffix else name


def _front_matter(body: str) -> tuple[int, int, bool] | None:
    """Where the front matter's inner text (between the fence lines) starts and ends in
    ``body`` (an article without its BOM), and whether it is TOML; None without front
    matter. Found by the pipeline's own parser, so it is the block every reader of the
    article takes for front matter; only the text up to each line that could close it
    is parsed (the front-matter rule reads nothing past its closing line), not the
    whole article."""
    fence = opening_fence(body)
    if fence is None:
        return None
    lines = _LINE_RE.finditer(body)
    opening = next(lines)
    for line, match in enumerate(lines, start=1):
        if not match[0]:
            break  # the end of the text
        if not match[0].startswith(("---", "...", "+++")):
            continue
        tokens, _env = parse_blocks(body[: match.end()])
        if tokens and tokens[0].type == "front_matter" and tokens[0].map == [0, line + 1]:
            return opening.end(), match.start(), fence == "+++"
    return None
