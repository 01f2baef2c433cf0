"""The package's shape: each library in its home, imports pointing down the stages.

ruff's TID251 bans a library outside its home directories, but by directory; this test
holds the finer rules: which home may import which library, which of our modules may
import which, and no module past the size a reader can hold.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

# Third-party library → the only modules (path prefixes under pipeline/) that import it.
HOMES: dict[str, tuple[str, ...]] = {
    "markdown_it": ("markdown/",),
    "mdit_py_plugins": ("markdown/",),
    "linkify_it": ("markdown/",),
    "yaml": ("markdown/frontmatter.py",),
    "tomlkit": ("markdown/frontmatter.py",),
    "polib": ("catalogs/catalog.py",),
    "rapidfuzz": ("catalogs/matching.py",),
    "justhtml": ("checks/safety.py",),
    "babel": ("locales.py",),
    "click": ("cli.py",),
    "dask": ("executors.py",),
    "distributed": ("executors.py",),
    "jinja2": ("publish/html.py",),
    "markupsafe": ("publish/html.py",),
    "feedgen": ("publish/feed.py",),
    "slugify": ("publish/slugs.py",),
    "text_unidecode": ("publish/slugs.py",),  # python-slugify's tables, never ours
    "lxml": ("catalogs/memory.py",),  # TMX, read as untrusted XML
}

# Our module (path prefix) → the modules of ours it may import (prefixes). Stages point
# down: markdown knows nothing of catalogs, catalogs nothing of publishing or checks, and
# nothing below the commands imports project, report or cli.
_BASE = ("errors.py", "files.py", "locales.py", "lock.py")
ALLOWED: dict[str, tuple[str, ...]] = {
    "errors.py": (),
    "files.py": ("errors.py",),
    "lock.py": ("errors.py", "files.py"),
    "locales.py": ("errors.py",),
    "cache.py": (*_BASE,),
    "executors.py": (*_BASE,),
    "config.py": (*_BASE, "layout.py", "policy.py", "settings.py", "markdown/document.py"),
    "settings.py": (*_BASE, "layout.py", "markdown/document.py"),  # SEGMENT_MODES
    "layout.py": (),
    "policy.py": ("errors.py", "layout.py"),
    "markdown/": (*_BASE, "markdown/"),
    "catalogs/": (*_BASE, "markdown/document.py", "catalogs/"),
    # a glossary term is not looked for in code, link targets or addresses
    "catalogs/glossary.py": (
        *_BASE,
        "markdown/document.py",
        "markdown/inline_spans.py",
        "catalogs/",
    ),
    # the memory's placeholders (code spans, links) are read by the inline parse
    "catalogs/memory.py": (*_BASE, "markdown/document.py", "markdown/inline_spans.py", "catalogs/"),
    "publish/": (*_BASE, "markdown/", "catalogs/translations.py", "publish/"),
    # status pictures: a Report drawn as a page or as badges (badge.py also writes them)
    "publish/dashboard.py": (*_BASE, "report.py", "results.py"),
    "publish/badge.py": (*_BASE, "config.py", "report.py", "results.py"),
    # the review page: rows (review.py) drawn as HTML, nothing read or written
    "publish/review_page.py": (*_BASE, "review.py"),
    # the front-matter policy applied to a localized article
    "publish/front_matter.py": (*_BASE, "markdown/", "policy.py", "publish/"),
    "checks/": (*_BASE, "markdown/", "catalogs/", "checks/"),
    # HTML pages: published Markdown rendered through publish/html.py and publish/feed.py
    "site.py": (*_BASE, "config.py", "results.py", "markdown/", "publish/"),
    "results.py": (*_BASE, "config.py", "markdown/document.py", "checks/problem.py"),
    "workspace.py": (*_BASE, "cache.py", "config.py", "catalogs/"),
    "report.py": (*_BASE, "config.py", "results.py", "catalogs/translations.py", "checks/"),
    "report_formats.py": (
        *_BASE,
        "markdown/document.py",
        "checks/problem.py",
        "report.py",
        "results.py",
        "publish/dashboard.py",
    ),
    # one article's work: every stage, but nothing that schedules or prints
    "jobs.py": (
        *_BASE,
        "config.py",
        "executors.py",
        "results.py",
        "markdown/",
        "catalogs/",
        "publish/",
        "checks/",
        "report.py",
    ),
    # review pages' data: one article judged as merge judges it (jobs.py loads it)
    "review.py": (
        *_BASE,
        "config.py",
        "results.py",
        "jobs.py",
        "markdown/document.py",
        "catalogs/",
        "checks/",
        "publish/markdown.py",
    ),
    "project.py": (
        *_BASE,
        "cache.py",
        "executors.py",
        "config.py",
        "results.py",
        "catalogs/",
        "workspace.py",
        "jobs.py",
        "report.py",
        "checks/glossary.py",  # consistency: one language across every article
        "checks/problem.py",
        "policy.py",  # which rule makes slugs
        "publish/slugs.py",  # slugs unique per language, across the project
        "site.py",  # the HTML pages, from what merge published
        "outputs.py",
    ),
    # --output folders of badge and review, and the files written there
    "folders.py": (*_BASE, "config.py", "results.py"),
    # the output folders merge keeps: manifests, stale files, files it must not touch
    "outputs.py": (*_BASE, "config.py", "results.py", "workspace.py", "site.py"),
    "cli.py": ("",),
    "__main__.py": ("cli.py",),
    "__init__.py": (),
}

MAX_LINES = 1000


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pipeline":
                found.extend((node.lineno, f"pipeline.{a.name}") for a in node.names)
            else:
                found.append((node.lineno, node.module))
    return found


def _our_path(module: str) -> str:
    """``pipeline.markdown.segment`` → ``markdown/segment.py`` (a package → its folder)."""
    parts = module.split(".")[1:]
    if not parts:
        return "__init__.py"
    folder = PACKAGE.joinpath(*parts)
    if folder.is_dir():
        return "/".join(parts) + "/"
    return "/".join(parts) + ".py"


def _rule(table: dict[str, tuple[str, ...]], rel: str) -> tuple[str, ...]:
    # The most specific prefix wins, so a package rule covers its modules.
    keys = [k for k in table if rel == k or (k.endswith("/") and rel.startswith(k))]
    assert keys, f"pipeline/{rel} has no layering rule in tests/test_layout.py"
    if rel.endswith("__init__.py") and "/" in rel:
        keys = [k for k in keys if k != "__init__.py"] or keys
    return table[max(keys, key=len)]


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_each_library_is_imported_only_in_its_home(path: Path) -> None:
    rel = _rel(path)
    wrong = [
        f"pipeline/{rel}:{line}: imports {name}, whose home is {', '.join(HOMES[top])}"
        for line, name in _imports(path)
        if (top := name.split(".")[0]) in HOMES
        and not any(rel.startswith(home) for home in HOMES[top])
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_imports_point_down_the_stages(path: Path) -> None:
    rel = _rel(path)
    allowed = _rule(ALLOWED, rel)
    wrong = [
        f"pipeline/{rel}:{line}: imports {name}"
        for line, name in _imports(path)
        if name.split(".")[0] == "pipeline"
        and name != "pipeline"
        and not any(_our_path(name).startswith(prefix) for prefix in allowed)
        and name != "pipeline.__version__"
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_no_module_is_past_a_thousand_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"pipeline/{_rel(path)} has {lines} lines: split it by concern"


def test_the_rules_catch_a_wrong_import(tmp_path: Path) -> None:
    # The rule tables above must be able to fail: a markdown module importing catalogs
    # and polib is refused by both.
    assert not any(
        _our_path("pipeline.catalogs.catalog").startswith(p)
        for p in _rule(ALLOWED, "markdown/x.py")
    )
    assert not any("markdown/x.py".startswith(home) for home in HOMES["polib"])


def _problem_codes() -> list[tuple[str, int, str]]:
    """Every code a ``Problem(...)`` or ``SourceWarning(...)`` is made with, as written."""
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id == "Problem" and node.args:
                first = node.args[0]
            elif node.func.id in ("SourceWarning", "Broken"):
                first = next((k.value for k in node.keywords if k.arg == "code"), None)
            else:
                continue
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((_rel(path), node.lineno, first.value))
    return found


def test_every_problem_code_is_declared_in_the_registry() -> None:
    from pipeline.checks.registry import REGISTRY

    codes = _problem_codes()
    assert len(codes) > 20  # the scan finds them
    unknown = [
        f"pipeline/{rel}:{line}: {code}" for rel, line, code in codes if code not in REGISTRY
    ]
    assert not unknown, "codes not in checks/registry.py:\n" + "\n".join(unknown)
