"""On a terminal, every command that goes through more than a screenful of articles
shows a progress bar on stderr; in a pipe it shows none. Run through the real console
script in a pseudo-terminal, as a user sees it."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import SCREENFUL


def _project(root: Path, articles: int) -> None:
    (root / "source").mkdir(parents=True)
    (root / "pipeline.toml").write_text('languages = ["az"]\n', "utf-8")
    for number in range(articles):
        (root / "source" / f"a{number:03}.md").write_text(f"Paragraph {number}.\n", "utf-8")


def _on_a_terminal(root: Path, *args: str) -> str:
    """What the command writes to a terminal (stdout and stderr are the same pty)."""
    script = shutil.which("pipeline") or sys.executable
    command = [script] if script.endswith("pipeline") else [script, "-m", "pipeline"]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*command, "--project", str(root), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("command", ["extract", "merge", "status", "check"])
def test_a_long_run_shows_a_progress_bar_on_a_terminal(tmp_path: Path, command: str) -> None:
    root = tmp_path / "p"
    _project(root, SCREENFUL + 5)
    if command != "extract":
        subprocess.run(
            [sys.executable, "-m", "pipeline", "--project", str(root), "extract"],
            check=True,
            capture_output=True,
        )
    shown = _on_a_terminal(root, command, "--no-cache")
    assert f"{command}  [" in shown and "100%" in shown, shown[-500:]


def test_a_short_run_or_a_pipe_shows_none(tmp_path: Path) -> None:
    few = tmp_path / "few"
    _project(few, 3)
    shown = _on_a_terminal(few, "extract")
    assert "extract  [" not in shown and "%" not in shown, shown
    many = tmp_path / "many"
    _project(many, SCREENFUL + 5)
    piped = subprocess.run(
        [sys.executable, "-m", "pipeline", "--project", str(many), "extract"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "%" not in piped.stderr and "extract  [" not in piped.stderr
