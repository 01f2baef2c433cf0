"""The publication policy (issue 11): merge publishes an article in a language only
from ``publish_min_complete`` percent of its words translated (not fuzzy, not refused)
with its ``required_fields`` translated; else it withholds it (and removes an earlier
copy) or, with ``publish_incomplete = "fallback"``, publishes it flagged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ARTICLE = """---
title: Storm in Baku
---

# Storm in Baku

The port closed at noon. Ferries to Turkmenbashi were cancelled.

Schools reopen on Monday.
"""
PORT = "The port closed at noon. Ferries to Turkmenbashi were cancelled."
FULL = {
    "Storm in Baku": "Bakıda tufan",
    PORT: "Liman günorta bağlandı. Türkmənbaşıya bərələr ləğv edildi.",
    "Schools reopen on Monday.": "Məktəblər bazar ertəsi açılır.",
}


def _project(root: Path, settings: str) -> Path:
    (root / "pipeline.toml").write_text(f'languages = ["az"]\n{settings}', "utf-8")
    (root / "source").mkdir()
    (root / "source" / "storm.md").write_text(ARTICLE, "utf-8")
    assert _run(root, "extract")[0] == 0
    return root / "locales" / "az" / "storm.po"


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    return result.exit_code, result.output + result.stderr


def _fill(po: Path, msgstrs: dict[str, str], *, fuzzy: tuple[str, ...] = ()) -> None:
    text = po.read_text("utf-8")
    for msgid, msgstr in msgstrs.items():
        flag = "#, fuzzy, md-text\n" if msgid in fuzzy else ""
        old = f'msgid "{msgid}"\nmsgstr ""'
        text = text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"')
        if flag:
            text = text.replace(f'#, md-text\nmsgid "{msgid}"', f'{flag}msgid "{msgid}"')
    po.write_text(text, "utf-8")


def _out(root: Path) -> Path:
    return root / "output" / "az" / "storm.md"


def test_complete_is_published_and_below_the_default_is_withheld(tmp_path: Path) -> None:
    po = _project(tmp_path, "")
    _fill(po, FULL)
    assert _run(tmp_path, "merge")[0] == 0
    assert "Bakıda tufan" in _out(tmp_path).read_text("utf-8")
    # the translator marks one paragraph fuzzy again: 100 % is no longer met
    _fill(po, {})
    text = po.read_text("utf-8").replace(
        '#, md-text\nmsgid "Schools reopen on Monday."',
        '#, fuzzy, md-text\nmsgid "Schools reopen on Monday."',
    )
    po.write_text(text, "utf-8")
    code, out = _run(tmp_path, "merge")
    assert code == 0, out
    assert "output/az/storm.md: not published: " in out
    assert "below publish_min_complete (100%)" in out
    assert "output/az/storm.md: removed" in out
    assert not _out(tmp_path).exists()
    assert "1 article(s) not published" in out


@pytest.mark.parametrize(
    ("settings", "published"),
    [
        ("publish_min_complete = 50\n", True),
        ("publish_min_complete = 90\n", False),
        ("publish_min_complete_by_language = { az = 50 }\n", True),
    ],
)
def test_the_threshold_counts_words(tmp_path: Path, settings: str, published: bool) -> None:
    po = _project(tmp_path, settings)
    _fill(po, {k: v for k, v in FULL.items() if not k.startswith("Schools")})  # 15 of 18 words
    assert _run(tmp_path, "merge")[0] == 0
    assert _out(tmp_path).exists() is published


def test_fallback_publishes_flagged_with_the_source_in_the_gaps(tmp_path: Path) -> None:
    po = _project(tmp_path, 'publish_incomplete = "fallback"\n')
    _fill(po, {"Storm in Baku": "Bakıda tufan"})
    code, out = _run(tmp_path, "merge")
    assert code == 0, out
    assert "published incomplete" in out
    text = _out(tmp_path).read_text("utf-8")
    assert text.startswith("---\ntranslation_incomplete: true\ntitle: Bakıda tufan\n---\n")
    assert "Schools reopen on Monday." in text
    assert _run(tmp_path, "merge", "--check")[0] == 0, "a second run changes nothing"


def test_a_required_field_must_be_translated_whatever_the_threshold(tmp_path: Path) -> None:
    po = _project(tmp_path, "publish_min_complete = 0\n")
    _fill(po, {k: v for k, v in FULL.items() if k != "Storm in Baku"})
    _, out = _run(tmp_path, "merge")
    assert "not published: its title is not translated (required_fields)" in out, out
    assert not _out(tmp_path).exists()


def test_fuzzy_never_counts(tmp_path: Path) -> None:
    po = _project(tmp_path, "")
    _fill(po, FULL, fuzzy=("Schools reopen on Monday.",))
    assert _run(tmp_path, "merge")[0] == 0
    assert not _out(tmp_path).exists()
