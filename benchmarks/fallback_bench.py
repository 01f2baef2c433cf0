"""How much slower is merge when translations must fall back? Prints figures; asserts nothing.

Takes the ~1 MB article of ``rebuild_bench.py`` with a full pseudo-translation, then
replaces a share of the translations (10 % by default, seeded) with ones that ``render``
must refuse, of three kinds in turn:

- whitespace only (``" "``): nothing would be left of the segment;
- structure-breaking (``<x-note>``): a lone custom tag starts an HTML block where the
  paragraph stood;
- reading back differently (`` `a`` / ``b` ``): a code span across a line break makes
  the hard break literal text.

Table cells, headings and other one-line segments get the whitespace kind. It times
``render`` on the article with none rejected and with those rejected; the target is
within 3x. The cache of the article's block map that ``render`` keeps across languages
is cleared before every run, so each run pays for it.

Usage: python benchmarks/fallback_bench.py [--size-kb 1000] [--percent 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.rebuild_bench import article
from pipeline.markdown.document import Document
from pipeline.markdown.segment import segment_document
from pipeline.publish import markdown as render_module
from pipeline.publish.markdown import Rendered, render
from tests.pseudo import pseudo

BAD = (" ", "<x-note>", "`a\nb`")
"""One refused translation of each kind: whitespace, structure, read-back."""


def rejected(doc: Document, percent: float, seed: int = 11) -> dict[str, str]:
    """Refused translations for ``percent`` % of the article's distinct messages."""
    rng = random.Random(seed)
    msgids = sorted({s.msgid for s in doc.segments})
    flow = {s.msgid for s in doc.segments if s.layout.mode == "flow" and not s.layout.raw_lines}
    chosen = rng.sample(msgids, round(len(msgids) * percent / 100))
    return {msgid: BAD[k % len(BAD)] if msgid in flow else BAD[0] for k, msgid in enumerate(chosen)}


def timed(doc: Document, translations: dict[str, str], repeat: int) -> tuple[float, Rendered]:
    best, result = float("inf"), None
    for _ in range(repeat):
        clear = getattr(render_module, "_block_offsets", None)
        if clear is not None:
            clear.cache_clear()
        start = time.perf_counter()
        result = render(doc, translations)
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-kb", type=int, default=1000)
    parser.add_argument("--percent", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = article(args.size_kb * 1000)
    doc = segment_document(text, "source/big.md")
    good = {s.msgid: pseudo(s.msgid) for s in doc.segments}
    bad = rejected(doc, args.percent)
    mixed = good | bad
    print(
        f"article: {len(text.encode()) / 1e6:.2f} MB, {len(doc.segments)} segments, "
        f"{len(good)} messages, {len(bad)} refused ({args.percent:g} %)"
    )
    base, clean = timed(doc, good, args.repeat)
    print(f"merge, none rejected:   {base * 1000:8.0f} ms  ({len(clean.fallbacks)} fallbacks)")
    slow, result = timed(doc, mixed, args.repeat)
    reasons = Counter(f.reason for f in result.fallbacks)
    print(f"merge, {args.percent:g} % rejected: {slow * 1000:8.0f} ms  ({slow / base:.2f}x)")
    expected = sum(1 for s in doc.segments if s.msgid in bad)
    print(f"  fallbacks: {len(result.fallbacks)} of {expected} segments with a refused text")
    for reason, count in reasons.most_common():
        print(f"  {count:6d}  {reason}")
    print(f"python {sys.version.split()[0]}, best of {args.repeat}; target: within 3x")


if __name__ == "__main__":
    main()
