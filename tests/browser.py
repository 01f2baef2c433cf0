"""A real browser for the tests: Debian's headless Chromium, one process per page.

``scripts/test`` installs it (package ``chromium``). Without it the picture tests skip
locally, and fail when ``CI`` is set: a CI run that silently tested no page would pass
for the wrong reason.

Each run gets its own throw-away profile, no network services (no sync, updates, QUIC
or background fetches), and a timeout: a browser that hangs fails its test after
``TIMEOUT`` seconds, its whole process group killed, and never hangs the suite.
Chromium's console goes to stderr (``--enable-logging=stderr``), which is how a test sees
a Content-Security-Policy violation.

``png_pixels`` reads the screenshots back (8-bit RGB or RGBA, non-interlaced, as
Chromium writes them) with zlib alone, so the tests need no imaging library.
"""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 90.0
"""Seconds one browser run may take; the first start on a cold machine takes a few."""

FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


def require_chromium() -> None:
    """Skip the calling test without Chromium, or fail it when ``CI`` is set."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    why = f"{CHROMIUM} is missing: run scripts/test (it installs Debian's chromium)"
    if os.environ.get("CI"):
        pytest.fail(why + "; CI must test the pages in a browser", pytrace=False)
    pytest.skip(why)


@dataclass(frozen=True, slots=True)
class Run:
    """What one browser run gave."""

    stdout: str
    """The DOM after loading (``dump_dom``); empty for a screenshot."""
    log: str
    """Chromium's stderr: its own log lines and the page's console messages."""

    @property
    def console(self) -> list[str]:
        """The page's console messages (CSP violations among them), one per entry."""
        return re.findall(r":CONSOLE[^\]]*\] (.*)", self.log)

    @property
    def csp_violations(self) -> list[str]:
        """Console messages saying the page's Content-Security-Policy blocked something."""
        return [m for m in self.console if "Content Security Policy" in m]


def _chromium(args: list[str], timeout: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="pipeline-chromium-") as profile:
        command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
        # A session of its own: on a timeout the whole group (renderer, GPU and zygote
        # processes included) is killed, not only the launcher script.
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"chromium did not finish within {timeout:g} s: {' '.join(args)}")
        finally:
            if proc.poll() is None:  # pragma: no cover - only after an exception above
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    log = err.decode("utf-8", "replace")
    if proc.returncode != 0:
        pytest.fail(f"chromium exited {proc.returncode}: {' '.join(args)}\n{log[-3000:]}")
    return Run(out.decode("utf-8", "replace"), log)


def dump_dom(page: Path, *, timeout: float = TIMEOUT) -> Run:
    """Open ``page`` (a file) as ``file://`` and return the DOM as serialized after load."""
    return _chromium(["--dump-dom", page.resolve().as_uri()], timeout)


def screenshot(
    page: Path, png: Path, *, size: tuple[int, int] = (1200, 900), timeout: float = TIMEOUT
) -> Run:
    """Draw ``page`` in a window of ``size`` (CSS pixels) into ``png``; fail the test
    when no PNG was written."""
    run = _chromium(
        [f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", page.resolve().as_uri()],
        timeout,
    )
    if not png.is_file() or png.stat().st_size == 0:
        pytest.fail(f"chromium wrote no screenshot of {page}\n{run.log[-3000:]}")
    return run


@dataclass(frozen=True, slots=True)
class Pixels:
    """A decoded image."""

    width: int
    """Pixels."""
    height: int
    """Pixels."""
    rows: tuple[bytes, ...]
    """``height`` rows of ``width`` RGB triples each."""

    def at(self, x: int, y: int) -> tuple[int, int, int]:
        """The (red, green, blue) of the pixel at column ``x``, row ``y``."""
        r, g, b = self.rows[y][3 * x : 3 * x + 3]
        return r, g, b

    def colours(self) -> set[tuple[int, int, int]]:
        """Every distinct colour in the image."""
        return {self.at(x, y) for y in range(self.height) for x in range(self.width)}


def png_pixels(path: Path) -> Pixels:
    """The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (alpha dropped);
    ``ValueError`` for anything else."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"{path}: depth {depth}, colour type {colour}, interlace {interlace}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind_, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind_ == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind_ == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind_ == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind_ == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        previous = line
        if channels == 4:
            rgb = bytearray()
            for x in range(width):
                rgb += line[4 * x : 4 * x + 3]
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return Pixels(width, height, tuple(rows))
