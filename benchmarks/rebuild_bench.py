"""How fast are extract and merge on a large article? Prints figures; asserts nothing.

Builds a ~1 MB article of news prose with headings, hard-wrapped paragraphs, lists,
quotes, tables and footnotes (seeded, so runs compare), then times:

- segmenting it (markdown-it parse + span recovery),
- writing its template and one language's catalog,
- rebuilding it with an identity catalog and with a full pseudo-translation (splice,
  re-wrap, escape, and the structure check that parses the output again).

Usage: python benchmarks/rebuild_bench.py [--size-kb 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.catalogs.catalog import catalog_text, read_catalog
from pipeline.catalogs.translations import translations
from pipeline.checks.problem import Context
from pipeline.checks.run import gate
from pipeline.config import load
from pipeline.markdown.segment import segment_document
from pipeline.project import extract_project, merge_project
from pipeline.publish.markdown import render
from tests.pseudo import pseudo

WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "the of and to in a is that for on with as by at from this be are was were it an "
    "government ministry parliament president minister city town village region people "
    "report press release embassy international community organization resolution "
    "tragedy memory victims anniversary campaign justice freedom declaration council "
    "Baku Tbilisi Khojaly Karabakh Ganja Shusha Azerbaijan Georgia February 1992 2026 "
    "**important** *noted* `code` [link](https://example.org/a) [^1]"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def wrap(text: str, width: int, prefix: str = "", cont: str = "") -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return prefix + ("\n" + cont).join(lines)


def article(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = ["---\ntitle: A large article\ndescription: Benchmark input\n---\n"]
    notes = 0
    while sum(map(len, parts)) < size:
        kind = rng.random()
        if kind < 0.08:
            parts.append("## " + sentence(rng)[:60])
        elif kind < 0.55:
            parts.append(wrap(paragraph(rng), 72))
        elif kind < 0.75:
            parts.append("\n".join(wrap(sentence(rng), 72, "- ", "  ") for _ in range(4)))
        elif kind < 0.85:
            parts.append(wrap(paragraph(rng), 70, "> ", "> "))
        elif kind < 0.93:
            rows = [f"| {rng.choice(WORDS)} | {sentence(rng)} |" for _ in range(5)]
            parts.append("| Name | Text |\n|---|---|\n" + "\n".join(rows))
        else:
            notes += 1
            parts.append(f"[^n{notes}]: " + wrap(paragraph(rng), 70, "", "    "))
    parts.append("[^1]: The first note.")
    return "\n\n".join(parts) + "\n"


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-kb", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = article(args.size_kb * 1000)
    mb = len(text.encode()) / 1e6
    doc = segment_document(text, "source/big.md")
    identity = {s.msgid: s.msgid for s in doc.segments}
    translated = {s.msgid: pseudo(s.msgid) for s in doc.segments}
    wrapped = sum(1 for s in doc.segments if s.layout.wrap)
    print(f"article: {mb:.2f} MB, {len(doc.segments)} segments, {wrapped} re-wrapped")
    t = best(lambda: segment_document(text, "source/big.md"), args.repeat)
    print(f"segment:                 {t * 1000:8.0f} ms  ({mb / t:.1f} MB/s)")
    t = best(lambda: render(doc, identity), args.repeat)
    print(f"merge, identity catalog: {t * 1000:8.0f} ms")
    rendered = render(doc, translated)
    t = best(lambda: render(doc, translated), args.repeat)
    print(f"merge, pseudo-translated:{t * 1000:8.0f} ms  ({len(rendered.fallbacks)} fallbacks)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        (root / "source" / "big.md").write_text(text, "utf-8")
        (root / "pipeline.toml").write_text('languages = ["az"]\n')
        config = load(root)
        t = best(lambda: extract_project(config), 1)
        print(f"extract (first run):     {t * 1000:8.0f} ms  (template + 1 catalog written)")
        t = best(lambda: extract_project(config), args.repeat)
        print(f"extract (nothing to do): {t * 1000:8.0f} ms")
        t = best(lambda: merge_project(config), args.repeat)
        print(f"merge command (1 lang):  {t * 1000:8.0f} ms  (nothing translated)")
        po = config.po_path("az", Path("big.md"))
        catalog = read_catalog(po, "az.po")
        filled = replace(
            catalog,
            entries=tuple(replace(e, msgstr=pseudo(e.msgid)) for e in catalog.entries),
        )
        po.write_text(catalog_text(filled), "utf-8")
        t = best(lambda: merge_project(config), args.repeat)
        print(f"merge command, all translated: {t * 1000:8.0f} ms  (safety checks included)")
        found = translations(filled)
        merged_doc = segment_document(text, "source/big.md")
        ctx = Context(config.source_language, "az", config.localized_url_hosts)
        t = best(lambda: gate(merged_doc, found, ctx), args.repeat)
        print(f"  of which the safety gate:    {t * 1000:8.0f} ms")
    print(
        f"python {sys.version.split()[0]}, best of {args.repeat}; "
        f"median segment size {statistics.median(len(s.msgid) for s in doc.segments):.0f} chars"
    )


if __name__ == "__main__":
    main()
