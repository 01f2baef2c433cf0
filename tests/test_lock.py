"""The project lock: one run at a time, a clear refusal naming the holder, never stale."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.lock import LOCK_NAME, lock_path, project_lock


def test_lock_is_held_then_released_and_removed(tmp_path: Path) -> None:
    path = lock_path(tmp_path / "locales")
    assert path.name == LOCK_NAME
    with project_lock(path):
        assert f"pid {os.getpid()}" in path.read_text("utf-8")
    assert not path.exists()
    with project_lock(path):  # free again
        pass


def test_a_second_holder_waits_then_refuses_naming_the_first(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    with project_lock(path):
        started = time.monotonic()
        with (
            pytest.raises(PipelineError) as info,
            project_lock(path, shown="locales/.pipeline.lock", wait=0.3),
        ):
            pass
        assert time.monotonic() - started >= 0.3
    message = str(info.value)
    assert message.startswith("locales/.pipeline.lock: another pipeline run")
    assert f"pid {os.getpid()}" in message and "hint:" in message


HOLD = """
import sys, time
from pathlib import Path
from pipeline.lock import project_lock
with project_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_run_that_ends_releases_the_lock_for_a_waiting_one(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "0.5"], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        with project_lock(path, wait=10):  # waits for the holder to finish
            assert time.monotonic() - started > 0.2
            assert f"pid {holder.pid}" not in path.read_text("utf-8")


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "60"], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        holder.kill()
    assert path.exists()  # the file stays, the lock does not
    with project_lock(path, wait=1):
        pass


def test_an_uncreatable_lock_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    with (
        pytest.raises(PipelineError, match="cannot create the lock file"),
        project_lock(blocker / LOCK_NAME),
    ):
        pass
