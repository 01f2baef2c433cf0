"""How fast and how right is a catalog update at newsroom scale? Prints figures; asserts nothing.

Builds a fully translated catalog of paragraph-sized messages (seeded English-like news
prose: Zipf-distributed words, function words as frequent as in real text, stock openers
such as "According to the ministry," and a little Markdown),
then a new template in which 10 % of the paragraphs were edited (one word replaced,
inserted or deleted; or one sentence replaced, added or removed) and 5 % brand-new
paragraphs were inserted. Then it runs, on the same two files:

- our update: read both files, ``update_catalog``, write the result;
- GNU ``msgmerge --previous`` where installed, with a time limit.

For each it prints the time, the edited paragraphs matched to the right previous text
(fuzzy, ``#|`` = the paragraph they were edited from, its translation carried), and the
new paragraphs wrongly given a fuzzy translation.

Usage: python benchmarks/update_bench.py [--entries 20000] [--timeout 300] [--sweep]
       (--entries 2000 for a quick run; --sweep prints how cut-offs would score)
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.catalog import Catalog, Entry, catalog_text, read_catalog
from pipeline.extract import update_catalog
from pipeline.locales import language
from pipeline.matching import WordIndex

FUNCTION_WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "the of and to in a is that for on it with as was he be by at his this are from "
    "have had not but they an were which has their said will one been who would its "
    "all more also there after first two when other than into new over could about "
    "can some our her these may most only between last during such while under "
    "should since where both those up before out because against through then"
).split()

NEWS_WORDS = (  # noqa: SIM905
    "government ministry parliament president minister city town village region people "
    "report press release embassy international community organization resolution "
    "tragedy memory victims anniversary campaign justice freedom declaration council "
    "year years week day month time state country world police court law election "
    "party leader officials security forces military war peace talks agreement deal "
    "economy market prices oil gas energy company business bank budget tax workers "
    "school students university health hospital doctors water road bridge railway "
    "news media journalists statement interview visit meeting summit conference "
    "capital border refugees families children women men residents citizens rights "
    "history monument museum ceremony commemoration memorial survivors witnesses "
    "investigation evidence trial prosecutor judge sentence prison case charges "
    "reported announced confirmed denied according told added called described "
    "killed wounded arrested displaced destroyed rebuilt opened closed signed "
    "Baku Tbilisi Khojaly Karabakh Ganja Shusha Azerbaijan Georgia Armenia Moscow "
    "Russia Turkey Iran Europe February March April 1992 1994 2020 2023 2026"
).split()

SYLLABLES = (  # noqa: SIM905
    "ka ri to mel an der sol vi na ber gu lan tes or mi cha vor el pa dun it ser "
    "qua bro fen lo za tri ham ost ul ve gra nik"
).split()

OPENERS = (
    "According to the ministry,",
    "According to official figures,",
    "On Monday,",
    "On Tuesday,",
    "On Wednesday,",
    "Earlier this week,",
    "In a statement released on Friday,",
    "Speaking to reporters in Baku,",
    "At the same time,",
    "As reported earlier,",
    "In recent years,",
    "The president said that",
    "Officials told the press that",
    "It is worth noting that",
    "In addition,",
    "However,",
    "Meanwhile,",
    "As a result,",
)

STOCK = (
    "The investigation continues.",
    "Read more on our website.",
    "Details will follow.",
)

MARKUP = ("**{}**", "*{}*", "`{}`", "[{}](https://example.org/{})")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words by rank, with cumulative Zipf weights (``random.choices`` cum_weights)."""

    function: tuple[str, ...]
    function_weights: tuple[float, ...]
    content: tuple[str, ...]
    content_weights: tuple[float, ...]


def vocabulary(rng: random.Random, size: int = 12000) -> Vocabulary:
    made: set[str] = set(NEWS_WORDS) | set(FUNCTION_WORDS)
    content = list(NEWS_WORDS)
    while len(content) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
        if len(word) > 2 and word not in made:
            made.add(word)
            content.append(word)
    return Vocabulary(
        function=tuple(FUNCTION_WORDS),
        function_weights=tuple(
            itertools.accumulate(1 / r for r in range(1, len(FUNCTION_WORDS) + 1))
        ),
        content=tuple(content),
        content_weights=tuple(
            itertools.accumulate(1 / r**1.05 for r in range(1, len(content) + 1))
        ),
    )


def word(rng: random.Random, vocab: Vocabulary) -> str:
    if rng.random() < 0.45:
        return rng.choices(vocab.function, cum_weights=vocab.function_weights)[0]
    text = rng.choices(vocab.content, cum_weights=vocab.content_weights)[0]
    if rng.random() < 0.01:
        template = rng.choice(MARKUP)
        return template.format(text, text)
    return text


def sentence(rng: random.Random, vocab: Vocabulary) -> str:
    if rng.random() < 0.03:
        return rng.choice(STOCK)
    words = [word(rng, vocab) for _ in range(rng.randint(8, 26))]
    if rng.random() < 0.3:
        words.insert(0, rng.choice(OPENERS))
    return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, vocab: Vocabulary) -> list[str]:
    return [sentence(rng, vocab) for _ in range(rng.randint(2, 5))]


def edit(rng: random.Random, vocab: Vocabulary, sentences: list[str]) -> tuple[str, str]:
    """One editor's change to a paragraph: (kind, new text)."""
    out = list(sentences)
    if rng.random() < 0.5:
        k = rng.randrange(len(out))
        words = out[k].split(" ")
        i = rng.randrange(len(words))
        kind = rng.choice(("word replaced", "word inserted", "word deleted"))
        if kind == "word replaced":
            words[i] = word(rng, vocab)
        elif kind == "word inserted":
            words.insert(i, word(rng, vocab))
        elif len(words) > 3:
            del words[i]
        out[k] = " ".join(words)
    else:
        kind = rng.choice(("sentence replaced", "sentence added", "sentence removed"))
        k = rng.randrange(len(out))
        if kind == "sentence replaced":
            out[k] = sentence(rng, vocab)
        elif kind == "sentence added":
            out.insert(rng.randrange(len(out) + 1), sentence(rng, vocab))
        elif len(out) > 1:
            del out[k]
    text = " ".join(out)
    return kind, text


@dataclass(frozen=True, slots=True)
class Case:
    """The two files and what a correct update does."""

    old: Catalog
    template: Catalog
    edited: dict[str, str]
    """New text → the old text it was edited from."""
    kinds: dict[str, str]
    """New text → the kind of edit."""
    new: frozenset[str]
    """Brand-new paragraphs."""


def build(entries: int, seed: int) -> Case:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    paragraphs: list[list[str]] = []
    seen: set[str] = set()
    while len(paragraphs) < entries:
        p = paragraph(rng, vocab)
        if " ".join(p) not in seen:
            seen.add(" ".join(p))
            paragraphs.append(p)
    old_texts = [" ".join(p) for p in paragraphs]
    old_entries = tuple(
        Entry(
            msgid=text,
            msgstr=f"[az {n}] " + text.upper(),
            comment="paragraph",
            occurrences=(("source/big.md", str(1 + 2 * n)),),
        )
        for n, text in enumerate(old_texts)
    )
    new_texts = list(old_texts)
    edited: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for n in rng.sample(range(entries), entries // 10):
        kind, text = edit(rng, vocab, paragraphs[n])
        if text in seen:
            continue
        seen.add(text)
        new_texts[n] = text
        edited[text], kinds[text] = old_texts[n], kind
    fresh: set[str] = set()
    for _ in range(entries // 20):
        text = " ".join(paragraph(rng, vocab))
        if text in seen:
            continue
        seen.add(text)
        fresh.add(text)
        new_texts.insert(rng.randrange(len(new_texts) + 1), text)
    header = (
        ("Project-Id-Version", "big"),
        ("POT-Creation-Date", "2026-02-26 00:00+0000"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    lang = language("az")
    template = Catalog(
        header=header,
        entries=tuple(
            Entry(
                msgid=text,
                comment="paragraph",
                occurrences=(("source/big.md", str(1 + 2 * n)),),
            )
            for n, text in enumerate(new_texts)
        ),
    )
    old = Catalog(
        header=(
            *header[:2],
            ("PO-Revision-Date", "2026-02-26 00:00+0000"),
            ("Last-Translator", "Bench <bench@example.org>"),
            ("Language-Team", "Azerbaijani"),
            ("Language", "az"),
            *header[2:],
            ("Plural-Forms", lang.plural_forms),
        ),
        entries=old_entries,
    )
    return Case(old, template, edited, kinds, frozenset(fresh))


@dataclass(frozen=True, slots=True)
class Score:
    right: int
    wrong_source: int
    missed: int
    wrong_fuzzy: int
    right_by_kind: dict[str, int]


def score(case: Case, result: Catalog) -> Score:
    by_msgid = {e.msgid: e for e in result.entries if not e.obsolete}
    translation = {e.msgid: e.msgstr for e in case.old.entries}
    right = wrong_source = missed = 0
    by_kind: dict[str, int] = {}
    for text, source in case.edited.items():
        entry = by_msgid.get(text)
        if entry is None or not entry.msgstr:
            missed += 1
        elif entry.fuzzy and entry.previous_msgid == source and entry.msgstr == translation[source]:
            right += 1
            by_kind[case.kinds[text]] = by_kind.get(case.kinds[text], 0) + 1
        else:
            wrong_source += 1
    wrong_fuzzy = sum(1 for text in case.new if (e := by_msgid.get(text)) and e.msgstr)
    return Score(right, wrong_source, missed, wrong_fuzzy, by_kind)


def report(name: str, seconds: float | None, result: Score | None, case: Case) -> None:
    if seconds is None or result is None:
        return
    print(f"{name}: {seconds:.2f} s")
    print(
        f"  edited entries matched to the right previous text: {result.right}/"
        f"{len(case.edited)} (wrong source {result.wrong_source}, no guess {result.missed})"
    )
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(result.right_by_kind.items()))
    print(f"    by kind of edit: {kinds}")
    print(f"  new entries wrongly given a fuzzy translation: {result.wrong_fuzzy}/{len(case.new)}")


def run_ours(old_po: Path, pot: Path, out: Path) -> tuple[dict[str, float], Catalog]:
    """Read both files, update, write; the seconds each step took."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    old = read_catalog(old_po, old_po.name)
    template = read_catalog(pot, pot.name)
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    updated, _ = update_catalog(old, template, language("az"), ())
    times["update_catalog"] = time.perf_counter() - start
    start = time.perf_counter()
    out.write_text(catalog_text(updated), "utf-8")
    times["write"] = time.perf_counter() - start
    return times, updated


def run_msgmerge(old_po: Path, pot: Path, out: Path, timeout: float) -> float | None:
    command = ["msgmerge", "--quiet", "--previous", "-o", str(out), str(old_po), str(pot)]
    start = time.perf_counter()
    try:
        subprocess.run(command, check=True, timeout=timeout, capture_output=True)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def sweep(case: Case) -> None:
    """How many edits and new paragraphs each cut-off would match (best of the top-k)."""
    leftovers = sorted(set(case.edited.values()))
    index = WordIndex(leftovers)
    edits = []
    for text, source in case.edited.items():
        m = index.closest(text, cutoff=0)
        edits.append((m.score, leftovers[m.index] == source) if m else (0.0, False))
    fresh = []
    everything = WordIndex([e.msgid for e in case.old.entries])
    for text in sorted(case.new):
        m = everything.closest(text, cutoff=0)
        fresh.append(m.score if m else 0.0)
    print("ratio alone at each cut-off (edits found right / new paragraphs matched):")
    for cut in (50, 55, 60, 65, 70, 75, 80, 85, 90):
        right = sum(1 for s, ok in edits if s >= cut and ok)
        wrong = sum(1 for s in fresh if s >= cut)
        print(f"  {cut}: {right}/{len(edits)}  {wrong}/{len(fresh)}")
    print(f"  best score of a new paragraph against the old catalog: {max(fresh):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=300.0, help="for msgmerge, seconds")
    parser.add_argument("--sweep", action="store_true", help="print a cut-off sweep")
    args = parser.parse_args()

    case = build(args.entries, args.seed)
    chars = sum(len(e.msgid) for e in case.old.entries) / len(case.old.entries)
    print(
        f"{len(case.old.entries)} entries (mean {chars:.0f} characters), "
        f"{len(case.edited)} edited, {len(case.new)} new"
    )
    if args.sweep:
        sweep(case)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_po, pot = folder / "old.po", folder / "new.pot"
        old_po.write_text(catalog_text(case.old), "utf-8")
        pot.write_text(catalog_text(case.template), "utf-8")

        times, ours = run_ours(old_po, pot, folder / "ours.po")
        report(
            "ours (read both files, update, write)", sum(times.values()), score(case, ours), case
        )
        print("  of which " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))

        if shutil.which("msgmerge") is None:
            print("msgmerge: not installed")
            return
        out = folder / "msgmerge.po"
        took = run_msgmerge(old_po, pot, out, args.timeout)
        if took is None:
            print(f"msgmerge --previous: did not finish within {args.timeout:.0f} s")
            return
        theirs = read_catalog(out, out.name)
        report("msgmerge --previous", took, score(case, theirs), case)


if __name__ == "__main__":
    main()
