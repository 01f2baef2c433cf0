"""Found by a fresh-eyes user test: one language configured under two spellings.

The README says "`AZ`, `az-AZ` and `az` are one language", and `pipeline init` agrees
(`init az` then `init AZ` / `init az-AZ` reports "all of these languages are already
configured"). But the same spellings in the settings file, or in `--languages`, are
treated as two languages: `status` lists every article twice for `az` and doubles the
language total, and `merge` reports "2 article(s)" for a one-article project.
Either the duplicate is an error at the settings file, or it is counted once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main

ARTICLE = "# Title\n\nPick one of the 14 languages.\n"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def project(tmp_path: Path, languages: str) -> Path:
    (tmp_path / "pipeline.toml").write_text(f"languages = {languages}\n", "utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(ARTICLE, "utf-8")
    return tmp_path


@pytest.mark.parametrize("languages", ['["az", "AZ"]', '["az", "az-AZ"]', '["az", "az_AZ"]'])
def test_one_language_under_two_spellings_in_settings_is_not_counted_twice(
    tmp_path: Path, languages: str
) -> None:
    root = project(tmp_path, languages)
    extract = run(root, "extract")
    if extract.exit_code == 1:  # rejecting the duplicate is fine, if it says where
        assert "pipeline.toml" in extract.output and "hint:" in extract.output
        return
    assert extract.exit_code == 0, extract.output
    status = run(root, "status", "--format", "json")
    assert status.exit_code == 0, status.output
    rows = json.loads(status.stdout)["articles"]
    assert len(rows) == 1, [(r["language"], r["article"]) for r in rows]
    merge = run(root, "merge")
    assert "1 article(s)" in merge.output, merge.output


def test_one_language_under_two_spellings_on_the_command_line_is_not_counted_twice(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, '["az"]')
    assert run(root, "extract").exit_code == 0
    status = run(root, "--languages", "az,AZ", "status", "--format", "json")
    if status.exit_code != 0:
        assert "hint:" in status.output
        return
    data = json.loads(status.stdout)
    assert len(data["articles"]) == 1, data["articles"]
    assert data["languages"]["az"]["totals"]["segments"]["total"] == 2
