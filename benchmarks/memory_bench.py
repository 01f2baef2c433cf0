"""How fast and how right does a translation memory fill a new catalog? Prints figures;
asserts nothing.

The messages are those of ``benchmarks/update_bench.py`` (seeded newsroom prose, stock
frames and closers, short notices). ``--units`` old messages with their translations
are the memory (imported units, ``Memory``); a new article's catalog of ``--messages``
messages is then filled from it by ``update_catalog`` (as ``extract`` does for a new
article), with no catalog of its own and no project pool, so every suggestion comes from
the memory. The messages are, in equal parts where the material allows:

- exact: a memory text as it is (expected: filled, no ``#|``);
- numbers: a memory text with one number changed (expected: filled, the new number put
  in the translation: placeholder-aware exact match);
- edited: a memory text edited as ``update_bench`` edits (a word or a sentence
  replaced, added or removed; expected: a fuzzy guess whose ``#|`` is that text);
- new: brand-new messages, half of them hard negatives built from the memory's own
  material (expected: nothing; any suggestion is a wrong one: the precision figure).

It prints the time to build the memory and to fill the catalog (the memory's indexes
are built on the first lookup, so the fill time includes them), then the figures.

Usage: python benchmarks/memory_bench.py [--units 20000] [--messages 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from update_bench import EASY, HARD_KINDS, build

from pipeline.catalogs.catalog import Catalog, Entry
from pipeline.catalogs.memory import NOTE, Memory, Unit
from pipeline.catalogs.update import update_catalog
from pipeline.locales import language

_NUMBER_RE = re.compile(r"(?<![\w.,])[0-9]+(?![\w.,])")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    case = build(args.units, args.seed)
    units = [Unit(e.msgid, e.msgstr, "bench.tmx") for e in case.old.entries]
    target = {u.source: u.target for u in units}
    share = args.messages // 4

    numbered = [u.source for u in units if _NUMBER_RE.search(u.source)]
    numbers: dict[str, tuple[str, str]] = {}  # new text → (memory text, translation)
    for text in rng.sample(numbered, min(len(numbered), share * 3)):
        found = list(_NUMBER_RE.finditer(text))
        m = rng.choice(found)
        new = text[: m.start()] + str(int(m[0]) + 1) + text[m.end() :]
        if new in target or new in numbers:
            continue
        wanted = target[text].replace(m[0], str(int(m[0]) + 1))
        if target[text].count(m[0]) == text.count(m[0]) == 1:
            numbers[new] = (text, wanted)
        if len(numbers) == share:
            break
    exact = rng.sample([u.source for u in units], share)
    edited = dict(rng.sample(sorted(case.edited.items()), min(share, len(case.edited))))
    new = dict(rng.sample(sorted(case.new.items()), min(share, len(case.new))))
    texts = [*exact, *numbers, *edited, *new]
    rng.shuffle(texts)
    template = Catalog(
        header=case.template.header,
        entries=tuple(
            Entry(msgid=t, comment="paragraph", occurrences=(("source/new.md", str(n)),))
            for n, t in enumerate(texts, 1)
        ),
    )

    start = time.perf_counter()
    memory = Memory(units)
    built = time.perf_counter() - start
    start = time.perf_counter()
    result, stats = update_catalog(None, template, language("az"), ("md-text",), memory=memory)
    filled = time.perf_counter() - start
    by_msgid = {e.msgid: e for e in result.entries}

    def noted(e: Entry) -> bool:
        return any(line.startswith(NOTE) for line in e.comment.split("\n"))

    exact_right = sum(
        1
        for t in exact
        if by_msgid[t].msgstr == target[t]
        and by_msgid[t].previous_msgid is None
        and noted(by_msgid[t])
    )
    numbers_right = sum(1 for t, (_, want) in numbers.items() if by_msgid[t].msgstr == want)
    numbers_kept = sum(1 for t, (old, _) in numbers.items() if by_msgid[t].msgstr == target[old])
    edits_right = sum(
        1
        for t, old in edited.items()
        if by_msgid[t].previous_msgid == old and by_msgid[t].msgstr == target[old]
    )
    edits_wrong = sum(
        1 for t, old in edited.items() if by_msgid[t].msgstr and by_msgid[t].previous_msgid != old
    )
    wrong = dict.fromkeys((EASY, *HARD_KINDS), 0)
    sizes = dict.fromkeys((EASY, *HARD_KINDS), 0)
    for t, kind in new.items():
        sizes[kind] += 1
        if by_msgid[t].msgstr:
            wrong[kind] += 1

    print(f"memory of {len(memory)} units, a catalog of {len(texts)} messages")
    print(f"build the memory: {built:.3f} s; fill the catalog: {filled:.3f} s ({stats.summary()})")
    print(f"exact: {exact_right}/{len(exact)} filled with the memory's translation")
    print(
        f"numbers: {numbers_right}/{len(numbers)} filled with the new number put in "
        f"({numbers_kept} with the memory's translation as it was)"
    )
    print(
        f"edited: {edits_right}/{len(edited)} given the text they were edited from, "
        f"{edits_wrong} another"
    )
    hard = sum(wrong[k] for k in HARD_KINDS)
    print(
        f"new: {sum(wrong.values())}/{len(new)} given a suggestion (wrong): easy "
        f"{wrong[EASY]}/{sizes[EASY]}, hard negatives {hard}/{sum(sizes[k] for k in HARD_KINDS)}"
    )


if __name__ == "__main__":
    main()
