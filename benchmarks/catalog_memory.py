"""Memory and speed of reading catalogs. Prints figures; asserts nothing.

- Peak memory reading a ``.po`` whose one msgstr is ``--mb`` megabytes (Python
  allocations by ``tracemalloc``, and the process's peak RSS above its start), each in a
  fresh subprocess, as a multiple of the file size.
- Seconds to read the 20,000-entry catalog of ``update_bench.py`` (best of ``--repeat``).

``--module PATH`` reads with another copy of ``pipeline/catalog.py`` (to compare with an
older one: ``git show HEAD:pipeline/catalog.py > /tmp/old_catalog.py``).

Usage: python benchmarks/catalog_memory.py [--mb 10] [--entries 20000] [--module PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pipeline.catalogs.catalog
from benchmarks.update_bench import build
from pipeline.catalogs.catalog import catalog_text

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, tracemalloc
sys.path.insert(0, {root!r})
from benchmarks.catalog_memory import load
module = load({module!r})
path = {path!r}
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
try:
    module.read_catalog(__import__("pathlib").Path(path), "big.po")
    outcome = "read"
except MemoryError:
    outcome = "MemoryError"
except Exception as exc:
    outcome = type(exc).__name__ + ": " + str(exc).split(chr(10))[0]
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start
print(json.dumps({{"peak": peak, "rss": rss * 1024, "outcome": outcome}}))
"""


def load(module: str | None) -> ModuleType:
    """``pipeline.catalogs.catalog``, or the copy at ``module``."""
    if not module:
        return pipeline.catalogs.catalog
    spec = importlib.util.spec_from_file_location("other_catalog", module)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules["other_catalog"] = loaded
    spec.loader.exec_module(loaded)
    return loaded


def long_line(folder: Path, megabytes: float) -> Path:
    """A catalog whose one msgstr is ``megabytes`` long: prose with a ``\\n`` now and then."""
    unit = "Xocalı soyqırımı qurbanlarının xatirəsi yad edildi. \\n"
    text = unit * int(megabytes * 1_000_000 / len(unit.encode()))
    path = folder / "long.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "Long"\nmsgstr "{text}"\n',
        "utf-8",
    )
    return path


def memory(path: Path, module: str | None) -> dict[str, object]:
    code = CHILD.format(root=str(ROOT), module=module, path=str(path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        return {"outcome": done.stderr.strip().split("\n")[-1]}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def speed(folder: Path, entries: int, module: str | None, repeat: int) -> float:
    path = folder / "big.po"
    if not path.exists():
        path.write_text(catalog_text(build(entries, 2026).old), "utf-8")
    read = load(module).read_catalog
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        read(path, "big.po")
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--module", help="path of another catalog.py to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = long_line(folder, args.mb)
        size = path.stat().st_size
        figures = memory(path, args.module)
        print(f"one {size / 1e6:.1f} MB msgstr: {figures['outcome']}")
        names = {"peak": "tracemalloc peak", "rss": "peak RSS growth (0: below the imports')"}
        for key, name in names.items():
            if key in figures:
                value = int(str(figures[key]))
                print(f"  {name}: {value / 1e6:.0f} MB = {value / size:.1f}x the file")
        seconds = speed(folder, args.entries, args.module, args.repeat)
        print(f"read a {args.entries}-entry catalog: {seconds:.3f} s (best of {args.repeat})")


if __name__ == "__main__":
    main()
