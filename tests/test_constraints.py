"""A fresh machine gets the versions CI tests: the README's commands and scripts/test
install with constraints.txt, which pins every declared dependency inside its range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for text in (REPO / "constraints.txt").read_text("utf-8").splitlines():
        line = text.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = version
    return pins


def test_constraints_pin_every_declared_dependency_within_its_range() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    pins = _pins()
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"constraints.txt lacks {requirement.name} (pyproject.toml)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (text, pins[name])


def _readme_command(name: str) -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    match = re.search(rf"<!-- fresh-machine: {name} -->\n```sh\n(.*?)\n```", readme, re.S)
    assert match, f"README.md: no command after <!-- fresh-machine: {name} -->"
    return match[1]


def test_the_readme_commands_install_the_pinned_versions() -> None:
    assert "-c constraints.txt" in _readme_command("main")
    assert _readme_command("test") == "scripts/test"
    assert "-c constraints.txt -e '.[test]'" in (REPO / "scripts" / "test").read_text("utf-8")
    assert "scripts/fresh-clone-check" in (REPO / ".ci" / "run").read_text("utf-8")
