"""The skip_checks setting: the project turns a check off everywhere, never one that
decides what merge publishes."""

from __future__ import annotations

import pytest

from tests.conftest import MakeProject
from tests.test_gate import AZ, fill, po, project, run


def test_a_skipped_check_is_neither_run_nor_reported(make_project: MakeProject) -> None:
    root = project(make_project, extra='skip_checks = ["same-as-source", "completeness"]\n')
    fill(po(root, "az"), {"Khojaly remembered": "Khojaly remembered"})
    result = run(root, "check")
    assert result.exit_code == 0, result.output
    assert "same-as-source" not in result.output
    assert "completeness" not in result.output


def test_without_the_setting_the_same_project_fails(make_project: MakeProject) -> None:
    root = project(make_project)
    fill(po(root, "az"), {"Khojaly remembered": "Khojaly remembered"})
    result = run(root, "check")
    assert result.exit_code == 1
    assert "same-as-source" in result.output and "completeness" in result.output


@pytest.mark.parametrize("code", ["unsafe-html", "link-target", "structure", "length"])
def test_a_blocking_check_cannot_be_skipped(make_project: MakeProject, code: str) -> None:
    root = project(make_project, extra=f'skip_checks = ["{code}"]\n')
    fill(po(root, "az"), AZ)
    result = run(root, "check")
    assert result.exit_code == 1
    assert f"skip_checks: '{code}'" in result.output and "cannot be turned off" in result.output


def test_an_unknown_check_is_an_error(make_project: MakeProject) -> None:
    root = project(make_project, extra='skip_checks = ["same-as-sorce"]\n')
    result = run(root, "check")
    assert result.exit_code == 1
    assert "pipeline.toml: skip_checks: 'same-as-sorce' is not a check" in result.output
