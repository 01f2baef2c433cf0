"""The README documents what the program has: every command and option, every check,
every module (as sqlite-utils' tests/test_docs.py does for its commands)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from pipeline.checks.registry import REGISTRY
from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text("utf-8")
COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = main.commands[name]  # type: ignore[attr-defined]
    assert command.help, f"pipeline {name} has no help text"
    assert f"pipeline {name}" in README, f"README.md does not mention 'pipeline {name}'"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_in_the_readme(name: str) -> None:
    command = main.commands[name]  # type: ignore[attr-defined]
    missing = [
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
        and opt not in ("--help",)
        and f"`{opt}" not in README
        and f" {opt}" not in README
    ]
    assert not missing, f"pipeline {name}: README.md does not mention {missing}"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_check_is_in_the_readme_and_in_check_help(code: str) -> None:
    assert f"`{code}`" in README, f"README.md's check tables lack `{code}`"
    help_text = main.commands["check"].help or ""  # type: ignore[attr-defined]
    assert code in help_text, f"'pipeline check --help' does not list {code}"


def test_every_module_is_in_the_layout() -> None:
    layout = README[README.index("## Development") :]
    package = REPO / "pipeline"
    missing = [
        path.relative_to(package).as_posix()
        for path in sorted(package.rglob("*.py"))
        if path.name not in ("__init__.py", "__main__.py")
        and not re.search(rf"(?<![\w.]){re.escape(path.name)}", layout)
    ]
    assert not missing, f"README.md's Development layout lacks {missing}"
