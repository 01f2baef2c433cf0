"""The source_patterns setting: which files under source_dir are articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load
from pipeline.errors import ConfigError
from tests.conftest import MakeProject

FILES = {
    "a.md": "A.\n",
    "b.MARKDOWN": "B.\n",
    "notes.txt": "not an article\n",
    ".md": "a bare extension\n",
    "posts/2026/first.md": "First.\n",
    "posts/2026/draft.markdown": "Draft.\n",
    "docs/guide/index.md": "Guide.\n",
    "docs/README": "No suffix.\n",
}


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "",
            [
                "a.md",
                "b.MARKDOWN",
                "docs/guide/index.md",
                "posts/2026/draft.markdown",
                "posts/2026/first.md",
            ],
        ),
        ('source_patterns = ["posts/**/*.md"]', ["posts/2026/first.md"]),
        ('source_patterns = ["*.md"]', ["a.md"]),
        (
            'source_patterns = ["docs/**/index.md", "docs/README"]',
            ["docs/README", "docs/guide/index.md"],
        ),
        ('source_patterns = ["posts/202?/*.markdown"]', ["posts/2026/draft.markdown"]),
    ],
)
def test_patterns_choose_the_articles(
    make_project: MakeProject, setting: str, expected: list[str]
) -> None:
    config = make_project(FILES, extra=setting + "\n")
    assert [a.as_posix() for a in config.articles()] == expected


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("source_patterns = []", "source_patterns is empty"),
        ('source_patterns = ["../outside/*.md"]', "is not a pattern relative to source_dir"),
        ('source_patterns = ["/abs/*.md"]', "is not a pattern relative to source_dir"),
        ('source_patterns = ["posts//x.md"]', "is not a pattern relative to source_dir"),
    ],
)
def test_a_bad_pattern_is_an_error(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "pipeline.toml").write_text(f'languages = ["az"]\n{setting}\n', "utf-8")
    (tmp_path / "source").mkdir()
    with pytest.raises(ConfigError, match=message):
        load(tmp_path)
