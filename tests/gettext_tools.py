"""GNU gettext for tests: required under CI (``.ci/run`` installs it), optional locally."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require(tool: str) -> str:
    """Path of ``tool``; skip locally without it, fail under CI (a silent skip there
    would be a test that cannot fail)."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (GNU gettext) is not installed: .ci/run must install it")
        pytest.skip(f"{tool} (GNU gettext) is not installed")
    return path


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require("msgfmt"), "--check", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def msgcat_no_wrap(path: Path) -> str:
    done = subprocess.run(
        [require("msgcat"), "--no-wrap", str(path)],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")
