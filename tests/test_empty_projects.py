"""Projects at their edges: an empty folder, a gate with nothing to judge, an article
that cannot be read, language codes written in other ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.locales import language, same_language


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def test_init_in_an_empty_folder_makes_a_working_project(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "az")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pipeline.toml").read_text() == 'languages = ["az"]\n'
    assert (tmp_path / "source").is_dir()
    assert (tmp_path / "locales").is_dir()
    (tmp_path / "source" / "a.md").write_text("# Title\n\nText.\n")
    assert run(tmp_path, "extract").exit_code == 0
    assert (tmp_path / "locales" / "az" / "a.po").is_file()


def test_init_refuses_before_writing_anything(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "xx-nonsense")
    assert result.exit_code == 1
    assert "error:" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("spelling", ["AZ", "az-AZ", "az_az", "az_Latn_AZ"])
def test_init_knows_a_configured_language_by_any_spelling(tmp_path: Path, spelling: str) -> None:
    assert run(tmp_path, "init", "az").exit_code == 0
    result = run(tmp_path, "init", spelling)
    assert result.exit_code == 0, result.output
    assert "already configured" in result.output
    assert (tmp_path / "pipeline.toml").read_text() == 'languages = ["az"]\n'


@pytest.mark.parametrize(
    ("code", "expected"),
    [("AZ", "az"), ("az-az", "az_AZ"), ("pt-br", "pt_BR"), ("sr-latn", "sr_Latn"), ("ka", "ka")],
)
def test_codes_are_cased_the_standard_way(code: str, expected: str) -> None:
    assert language(code).code == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("az", "az_AZ", True), ("ru", "RU", True), ("sr", "sr_Latn", False), ("pt", "pt_PT", False)],
)
def test_same_language(a: str, b: str, same: bool) -> None:
    assert same_language(a, b) is same


@pytest.mark.parametrize(
    ("settings", "articles", "catalogs", "says"),
    [
        ('languages = ["az"]\n', {}, False, "no article"),
        ("languages = []\n", {"a.md": "# A\n"}, False, "no target language"),
        ('languages = ["az"]\nmin_complete = 0\n', {"a.md": "# A\n"}, False, "no catalog exists"),
    ],
    ids=["no-articles", "no-languages", "no-catalogs"],
)
def test_a_gate_that_checked_nothing_fails(
    tmp_path: Path, settings: str, articles: dict[str, str], catalogs: bool, says: str
) -> None:
    (tmp_path / "pipeline.toml").write_text(settings)
    (tmp_path / "source").mkdir()
    for name, text in articles.items():
        (tmp_path / "source" / name).write_text(text)
    result = run(tmp_path, "check")
    assert result.exit_code == 1, result.output
    assert f"nothing-checked: {says}" in result.output
    assert "hint:" in result.output


def test_an_unreadable_article_keeps_its_catalogs(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text('languages = ["az"]\n')
    (tmp_path / "source").mkdir()
    article = tmp_path / "source" / "a.md"
    article.write_text("# A\n\nText.\n")
    assert run(tmp_path, "extract").exit_code == 0
    article.write_bytes(b"# A\n\n\xff broken\n")
    result = run(tmp_path, "extract")
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert "no article uses" not in result.output
    assert (tmp_path / "locales" / "az" / "a.po").is_file()
