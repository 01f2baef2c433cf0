"""How well do check and merge hold against the attack corpus? Prints figures.

Runs every case of ``tests/fixtures/safety/`` (see its README) in a fresh project in a
temporary directory, through the ``pipeline`` commands (click's CliRunner, in process):
extract, check --format json, merge, merge --strict. Then prints:

- payloads tried, refused by merge (not published, the entry named), flagged by check
  (every expected code reported as an error),
- rendered outputs with active content: what merge published, rendered by a permissive
  site (markdown-it, raw HTML on, every link allowed) and parsed by lexbor: must be 0,
- how many payloads would have been active had they been published unchecked (how sharp
  the browser model is),
- harmless cases tried and false positives (any error on a harmless entry, or refused).

Exits 1 when a published output holds active content or a harmless case is refused, so
it can gate a release; every miss is listed with its file name.

Usage: python benchmarks/safety_corpus.py [-v]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_safety_corpus import (
    HARMLESS,
    UNSAFE,
    Outcome,
    audit_article,
    load_case,
    naive_publication,
    run_case,
)


def run_all(paths: list[Path], tmp: Path) -> list[Outcome]:
    outcomes = []
    for n, path in enumerate(paths):
        root = tmp / f"{n:03d}"
        root.mkdir(parents=True)
        outcomes.append(run_case(load_case(path), root))
    return outcomes


def refused(out: Outcome) -> bool:
    named = {code for _, code in out.merge_reports}
    return out.published == out.case.article and bool(named) and out.strict.exit_code == 1


def flagged(out: Outcome) -> bool:
    return all(code in out.errors for code in out.case.expect)


def listing(title: str, names: list[str], verbose: bool) -> None:
    if names:
        shown = names if verbose else names[:10]
        more = "" if len(shown) == len(names) else f" (+{len(names) - len(shown)}, -v for all)"
        print(f"  {title}: {', '.join(shown)}{more}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1772064000")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        unsafe = run_all(UNSAFE, Path(tmp) / "unsafe")
        harmless = run_all(HARMLESS, Path(tmp) / "harmless")
    elapsed = time.perf_counter() - start

    not_refused = [o.case.name for o in unsafe if not refused(o)]
    not_flagged = [o.case.name for o in unsafe if not flagged(o)]
    active = [o.case.name for o in [*unsafe, *harmless] if o.active]
    naive = sum(1 for o in unsafe if audit_article(naive_publication(o.case)))
    false_pos = [o.case.name for o in harmless if o.errors]
    blocked = [
        o.case.name
        for o in harmless
        if o.merge_reports or o.published == o.case.article or o.strict.exit_code != 0
    ]

    print(f"payloads tried:                        {len(unsafe):4d}")
    print(f"  refused by merge:                    {len(unsafe) - len(not_refused):4d}")
    listing("published or not named", not_refused, args.verbose)
    print(f"  flagged by check (every code):       {len(unsafe) - len(not_flagged):4d}")
    listing("missed", not_flagged, args.verbose)
    print(f"  active if published unchecked:       {naive:4d}  (browser model sanity)")
    print(f"rendered outputs with active content:  {len(active):4d}  (must be 0)")
    listing("active", active, args.verbose)
    print(f"harmless cases tried:                  {len(harmless):4d}")
    print(f"  false positives (errors from check): {len(false_pos):4d}")
    listing("errors", false_pos, args.verbose)
    print(f"  refused or not published by merge:   {len(blocked):4d}")
    listing("refused", blocked, args.verbose)
    cases = len(unsafe) + len(harmless)
    print(f"{cases} cases in {elapsed:.1f} s ({elapsed / cases * 1000:.0f} ms per case)")
    return 1 if active or blocked else 0


if __name__ == "__main__":
    sys.exit(main())
