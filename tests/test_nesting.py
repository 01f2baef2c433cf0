"""Nothing is silently skipped: blocks nested past the parser's limit are kept whole,
untranslated, and reported; everything after them is extracted as usual."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.markdown.parse import MAX_NESTING
from pipeline.markdown.segment import segment_document
from pipeline.publish.markdown import render
from tests.conftest import MakeProject

AFTER = "\n# Later heading\n\nA later paragraph.\n"


def _lists(depth: int) -> str:
    return "".join("  " * i + f"- item {i + 1}\n" for i in range(depth))


PATHOLOGICAL = {  # the article, and the line the warning names
    "quote-markers-10000": (">" * 10_000 + " deep\n", 1),
    "list-markers-10000": ("- " * 10_000 + "deep\n", 1),
    "ordered-and-quotes-5000": ("1. > " * 5_000 + "deep\n", 1),
    "quote-lines-3000": ("".join(">" * (i + 1) + f" q{i}\n" for i in range(3_000)), 64),
    "lists-1000": (_lists(1_000), 32),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_nesting_is_quick_and_loses_nothing_after_it(name: str) -> None:
    body, line = PATHOLOGICAL[name]
    source = body + AFTER
    started = time.perf_counter()
    doc = segment_document(source, "a.md")
    assert time.perf_counter() - started < 1.0
    assert [s.msgid for s in doc.segments][-2:] == ["Later heading", "A later paragraph."]
    assert len(doc.warnings) == 1 and doc.warnings[0].line == line
    assert render(doc, {}).text == source
    rendered = render(doc, {"A later paragraph.": "Sonrakı abzas."})
    assert not rendered.fallbacks and rendered.text.endswith("Sonrakı abzas.\n")


@pytest.mark.parametrize(("depth", "warned"), [(10, False), (25, False), (31, False), (32, True)])
def test_lists_are_extracted_to_the_limit(depth: int, warned: bool) -> None:
    doc = segment_document(_lists(depth) + AFTER, "a.md")
    items = [s for s in doc.segments if s.kind == "list item"]
    assert len(items) == min(depth, MAX_NESTING // 2 - 1)
    assert [str(w).split(": ")[0] for w in doc.warnings] == ([f"a.md:{depth}"] if warned else [])


def test_the_warning_reaches_extract_and_check(make_project: MakeProject) -> None:
    config = make_project({"deep.md": _lists(40) + AFTER, "fine.md": "Fine.\n"})
    runner = CliRunner()
    extract = runner.invoke(main, ["--project", str(config.root), "extract"])
    assert extract.exit_code == 0
    assert "warning: source/deep.md:32: lists or quotes nested too deeply" in extract.stderr
    assert "hint: nest less deeply" in extract.stderr
    pot = (config.locales_dir / "deep.pot").read_text("utf-8")
    assert 'msgid "A later paragraph."' in pot and 'msgid "item 31"' in pot
    assert 'msgid "item 32"' not in pot
    check = runner.invoke(main, ["--project", str(config.root), "check", "--format", "json"])
    assert '"code": "nesting"' in check.stdout and '"line": 32' in check.stdout
    assert Path(config.locales_dir / "az" / "deep.po").is_file()
