"""Nothing outside the project is read, written or deleted.

Cases are data: every ``tests/fixtures/paths/*.toml`` is one project built in
``tmp_path`` and driven through click's CliRunner (format in that folder's README). The
few scenarios that need a real process (a run killed mid-write, git) are functions below.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pipeline.catalogs.catalog import parse_catalog
from pipeline.cli import main
from pipeline.errors import CatalogError

CASES = sorted((Path(__file__).parent / "fixtures" / "paths").glob("*.toml"))
TIMEOUT = 20.0
"""Seconds a command may take; a FIFO opened for reading would block for ever."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")


class Places:
    """Where a case's paths point: ``{root}``, ``{outside}``, ``{long:N}``."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "project"
        self.outside = tmp_path / "outside"
        self.root.mkdir()
        self.outside.mkdir()

    def text(self, value: str) -> str:
        value = value.replace("{root}", str(self.root)).replace("{outside}", str(self.outside))
        return re.sub(r"\{long:(\d+)\}", lambda m: "a" * int(m[1]), value)

    def path(self, value: str) -> Path:
        return self.root / self.text(value)  # an absolute path stays absolute


def invoke(root: Path, args: list[str]) -> Result:
    """``pipeline --project ROOT ARGS`` in a thread, failing the test if it hangs."""
    box: list[Result] = []
    worker = threading.Thread(
        target=lambda: box.append(CliRunner().invoke(main, ["--project", str(root), *args])),
        daemon=True,
    )
    worker.start()
    worker.join(TIMEOUT)
    if not box:
        pytest.fail(f"pipeline {' '.join(args)} did not finish in {TIMEOUT} s (a FIFO opened?)")
    return box[0]


def apply(places: Places, step: dict[str, Any]) -> None:
    """A step's file operations, in the README's order."""
    for name in step.get("remove", []):
        path = places.path(name)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    for name in step.get("mkdir", []):
        places.path(name).mkdir(parents=True, exist_ok=True)
    for name, text in step.get("write", {}).items():
        path = places.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(places.text(text).encode("utf-8"))
    for name, target in step.get("rename", {}).items():
        places.path(target).parent.mkdir(parents=True, exist_ok=True)
        places.path(name).rename(places.path(target))
    for name, target in step.get("link", {}).items():
        path = places.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(places.text(target))
    for name in step.get("fifo", []):
        path = places.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)


def check_after(places: Places, after: dict[str, Any]) -> None:
    for name in after.get("exists", []):
        assert places.path(name).exists(), f"{name} is gone"
    for name in after.get("missing", []):
        path = places.path(name)
        assert not path.exists() and not path.is_symlink(), f"{name} exists"
    for name, text in after.get("contents", {}).items():
        assert places.path(name).read_text("utf-8") == places.text(text), name
    for name, parts in after.get("contains", {}).items():
        text = places.path(name).read_text("utf-8")
        for part in parts:
            assert places.text(part) in text, f"{name} lacks {part!r}:\n{text}"
    for name, parts in after.get("lacks", {}).items():
        path = places.path(name)
        text = path.read_text("utf-8") if path.exists() else ""
        for part in parts:
            assert places.text(part) not in text, f"{name} holds {part!r}"
    for name in after.get("fifo", []):
        assert stat.S_ISFIFO(places.path(name).lstat().st_mode), f"{name} is no FIFO any more"
    for name in after.get("link", []):
        assert places.path(name).is_symlink(), f"{name} is no symbolic link any more"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case(case: Path, tmp_path: Path) -> None:
    spec = tomllib.loads(case.read_text("utf-8"))
    places = Places(tmp_path)
    settings = places.text(spec.get("settings", ""))
    policy = "" if "publish_" in settings else "publish_min_complete = 0\nrequired_fields = []\n"
    (places.root / "pipeline.toml").write_text(f'languages = ["az"]\n{policy}{settings}\n', "utf-8")
    (places.root / "source").mkdir()
    for number, step in enumerate(spec["steps"], 1):
        apply(places, step)
        if "args" not in step:
            continue
        args = [places.text(a) for a in step["args"]]
        result = invoke(places.root, args)
        said = result.output + result.stderr
        where = f"{case.name} step {number}: pipeline {' '.join(args)}\n{said}"
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            where,
            result.exception,
        )
        assert result.exit_code == step.get("exit", 0), where
        for part in step.get("out", []):
            assert places.text(part) in said, where
        for part in ["Traceback", *step.get("not_out", [])]:
            assert places.text(part) not in said, where
    check_after(places, spec.get("after", {}))


def test_the_cases_cover_every_requirement() -> None:
    """Each requirement of the issue's section 3 has cases (by file-name prefix)."""
    prefixes = {c.stem.split("-")[0] for c in CASES}
    assert {"merge", "extract", "outside", "special", "bytes", "name"} <= prefixes


def test_a_catalog_whose_content_is_a_path_is_not_read_from_that_path(tmp_path: Path) -> None:
    real = tmp_path / "real.po"
    real.write_text('msgid "a"\nmsgstr "SECRET"\n', "utf-8")
    with pytest.raises(CatalogError, match="syntax error"):
        parse_catalog(str(real).encode(), "a.po")


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from pipeline import files
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # die mid-write
files.write_atomic(Path(sys.argv[1]), "new\\n", "a.po")
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="git")
def test_a_killed_write_leaves_the_file_and_git_untouched_and_is_cleaned(tmp_path: Path) -> None:
    places = Places(tmp_path)
    root = places.root
    (root / "pipeline.toml").write_text('languages = ["az"]\n', "utf-8")
    (root / "source").mkdir()
    (root / "source" / "a.md").write_text("# A\n", "utf-8")
    assert invoke(root, ["extract"]).exit_code == 0
    po = root / "locales" / "az" / "a.po"
    before = po.read_bytes()
    # This checkout's package, whatever else is installed.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    died = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, str(po)],
        cwd=root,
        env=env,
        check=False,
        capture_output=True,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr
    assert po.read_bytes() == before  # atomic: the old file, whole
    leftovers = list((root / "locales").rglob("*.tmp"))
    assert leftovers, "the killed run left its temporary file (or the test did not kill it)"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "locales"], check=True)
    staged = subprocess.run(
        [*git, "diff", "--cached", "--name-only"], check=True, capture_output=True, text=True
    ).stdout.split()
    assert staged == ["locales/a.pot", "locales/az/a.po"], staged
    assert invoke(root, ["extract"]).exit_code == 0
    assert not list((root / "locales").rglob("*.tmp"))
    assert not list((root / "locales").rglob(".pipeline-tmp"))


def test_merge_driver_refuses_a_fifo_input(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base.po", "ours.po", "theirs.po"))
    for path in (base, theirs):
        path.write_text('msgid "a"\nmsgstr ""\n', "utf-8")
    os.mkfifo(ours)
    box: list[Result] = []
    worker = threading.Thread(
        target=lambda: box.append(
            CliRunner().invoke(main, ["merge-driver", str(base), str(ours), str(theirs), "a.po"])
        ),
        daemon=True,
    )
    worker.start()
    worker.join(TIMEOUT)
    assert box, "merge-driver hung on a FIFO"
    assert box[0].exit_code == 1
    assert "a.po (ours): is a FIFO (named pipe), not a regular file" in box[0].stderr
    assert stat.S_ISFIFO(ours.lstat().st_mode)
