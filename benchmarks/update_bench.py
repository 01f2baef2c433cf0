"""How fast and how right is a catalog update at newsroom scale? Prints figures; asserts nothing.

Builds a fully translated catalog of news messages (seeded English-like prose: Zipf-distributed
words, function words as frequent as in real text, a little Markdown; and newsroom
boilerplate: stock openers such as "According to the ministry,", sentence frames filled
with the same names, places, dates and events — "The press service of the {org} reported
that …", "The {event} will be held in {city} on {day}." —, closing sentences repeated in
hundreds of paragraphs, and short one-sentence messages: headings, captions, notices),
then a new template in which 10 % of the messages were edited (one word replaced,
inserted or deleted; or, in a paragraph, one sentence replaced, added or removed) and 5 %
brand-new messages were inserted. The new messages are of two kinds (``--hard-share``):

- easy: a paragraph drawn like any other, independent of the old ones;
- hard negatives, built from the old catalog's own material but saying something else,
  so the old translation is no useful start for a translator:
  - same frames: an old paragraph rewritten on its pattern (its openers, frames and
    closing sentences kept, every name, place, date, event and clause changed; the
    sentences it shares verbatim are under a third of its text);
  - shared closer: new sentences ending in a stock closing sentence that hundreds of
    old paragraphs end in too;
  - short: a one-sentence message on the frame of old ones ("The concert will be held
    on Sunday." where the catalog has "The ceremony will be held on Friday."), at least
    two of its slots different from every old message on that frame.

Then it runs, on the same two files:

- our update: read both files, ``update_catalog``, write the result;
- GNU ``msgmerge --previous`` where installed, with a time limit.

For each it prints the time, the edited messages matched to the right previous text
(fuzzy, ``#|`` = the message they were edited from, its translation carried), and the
new messages wrongly given a fuzzy translation, per kind.

Usage: python benchmarks/update_bench.py [--entries 20000] [--timeout 300] [--sweep]
                                         [--hard-share 0.5]
       (--entries 2000 for a quick run; --sweep prints how cut-offs would score)
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, read_catalog
from pipeline.catalogs.matching import WordIndex
from pipeline.catalogs.update import update_catalog
from pipeline.config import load
from pipeline.locales import language
from pipeline.project import extract_project

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

CLOSERS = (
    "This was reported by the press service of the ministry.",
    "The press service of the embassy confirmed this information.",
    "The event was attended by representatives of the diplomatic corps.",
    "Recall that the conflict began in the late 1980s.",
    "More details are available on the official website of the ministry.",
    "Photos from the event can be found in our gallery.",
)
"""Stock closing sentences of 40 characters or more, each in hundreds of paragraphs."""

FILLERS: dict[str, tuple[str, ...]] = {
    "event": (
        "ceremony", "concert", "exhibition", "conference", "vigil", "meeting", "screening",
        "festival", "seminar", "round table", "book presentation", "press conference",
        "charity fair", "memorial service", "football match", "poetry evening",
    ),
    "city": (
        "Baku", "Tbilisi", "Ganja", "Shusha", "Sumgait", "Lankaran", "Batumi", "Kutaisi",
        "Ankara", "Istanbul", "Berlin", "Paris", "London", "Vienna", "Prague", "Warsaw",
    ),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "date": (
        "26 February", "8 March", "31 March", "1 April", "28 May", "15 June", "18 October",
        "8 November", "12 November", "9 December", "20 January", "31 December",
    ),
    "person": (
        "Leyla Mammadova", "Elchin Huseynov", "Nino Beridze", "Giorgi Kapanadze",
        "Rashad Aliyev", "Aysel Karimova", "Tamar Lomidze", "Farid Hasanov",
        "Sabina Guliyeva", "David Tsiklauri", "Orkhan Rzayev", "Mariam Jorjadze",
    ),
    "title": (
        "the minister of culture", "the ambassador", "the mayor", "the deputy foreign minister",
        "the head of the delegation", "the museum director", "the rector of the university",
        "the chairman of the committee",
    ),
    "org": (
        "ministry of culture", "embassy", "foreign ministry", "city council", "parliament",
        "national museum", "state university", "prosecutor's office", "ministry of education",
        "writers' union",
    ),
}  # fmt: skip
"""Slot values of the frames: the same names, places, dates and events everywhere."""

FRAMES = (
    "The press service of the {org} reported that {clause}.",
    "According to the {org}, {clause}.",
    "{person}, {title}, said that {clause}.",
    "On {date}, {clause}.",
    "The {event} will be held in {city} on {day}.",
    "{person} met with {person2} in {city} on {date}.",
    "Speaking at the {event} in {city}, {person} noted that {clause}.",
    "The {event} dedicated to {date} took place at the {org} in {city}.",
    "A {event} was held in {city} on {date} with the participation of {person}.",
)
"""Sentence frames of paragraphs; ``{clause}`` is free prose."""

SHORT_FRAMES = (
    "The {event} will be held on {day}.",
    "The {event} will take place in {city} on {date}.",
    "{Event} in {city}",
    "Photo: press service of the {org}",
    "{person} visited {city} on {day}.",
    "The {event} in {city} has been cancelled.",
    "Tickets for the {event} on {day} are free.",
    "{person} will speak at the {event}.",
    "The {org} has not yet commented on the {event}.",
)
"""Frames of one-sentence messages: headings, captions, notices."""

SHORT_SHARE = 0.08
"""Share of the old catalog's messages that are one-sentence messages."""

MARKUP = ("**{}**", "*{}*", "`{}`", "[{}](https://example.org/{})")

_SLOT_RE = re.compile(r"\{(\w+)\}")


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


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence and how it was made, so that it can be rewritten on the same pattern."""

    text: str
    kind: str
    """"prose", "frame" (of ``FRAMES``), "short" (of ``SHORT_FRAMES``) or "fixed"."""
    opener: str = ""
    frame: int = -1
    values: tuple[str, ...] = ()
    """The frame's slot values, ``{clause}`` aside, in order."""


def clause(rng: random.Random, vocab: Vocabulary) -> str:
    return " ".join(word(rng, vocab) for _ in range(rng.randint(5, 14)))


def slot_names(frame: str) -> list[str]:
    return [name for name in _SLOT_RE.findall(frame) if name != "clause"]


def draw_values(
    rng: random.Random, frame: str, avoid: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Values for ``frame``'s slots, all different, each unlike ``avoid``'s at its place."""
    out: list[str] = []
    for i, name in enumerate(slot_names(frame)):
        choices = FILLERS[name.rstrip("0123456789").lower()]
        out.append(
            rng.choice([v for v in choices if v not in out and (avoid is None or v != avoid[i])])
        )
    return tuple(out)


def fill(rng: random.Random, vocab: Vocabulary, frame: str, values: tuple[str, ...]) -> str:
    given = iter(values)

    def one(m: re.Match[str]) -> str:
        if m.group(1) == "clause":
            return clause(rng, vocab)
        value = next(given)
        return value[:1].upper() + value[1:] if m.group(1)[0].isupper() else value

    text = _SLOT_RE.sub(one, frame)
    return text[:1].upper() + text[1:]


def prose(rng: random.Random, vocab: Vocabulary, opener: str) -> str:
    words = [word(rng, vocab) for _ in range(rng.randint(8, 26))]
    if opener:
        words.insert(0, opener)
    return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + "."


def framed(
    rng: random.Random, vocab: Vocabulary, n: int, avoid: tuple[str, ...] | None = None
) -> Sentence:
    values = draw_values(rng, FRAMES[n], avoid)
    return Sentence(fill(rng, vocab, FRAMES[n], values), "frame", frame=n, values=values)


def sentence_of(rng: random.Random, vocab: Vocabulary) -> Sentence:
    r = rng.random()
    if r < 0.03:
        return Sentence(rng.choice(STOCK), "fixed")
    if r < 0.09:
        return Sentence(rng.choice(CLOSERS), "fixed")
    if r < 0.30:
        return framed(rng, vocab, rng.randrange(len(FRAMES)))
    opener = rng.choice(OPENERS) if rng.random() < 0.3 else ""
    return Sentence(prose(rng, vocab, opener), "prose", opener=opener)


def sentence(rng: random.Random, vocab: Vocabulary) -> str:
    return sentence_of(rng, vocab).text


def paragraph_of(rng: random.Random, vocab: Vocabulary) -> list[Sentence]:
    return [sentence_of(rng, vocab) for _ in range(rng.randint(2, 5))]


def short_of(rng: random.Random, vocab: Vocabulary, frames: Sequence[int]) -> Sentence:
    n = rng.choice(frames)
    values = draw_values(rng, SHORT_FRAMES[n])
    return Sentence(fill(rng, vocab, SHORT_FRAMES[n], values), "short", frame=n, values=values)


def near_keys(s: Sentence) -> list[tuple[int, int, tuple[str, ...]]]:
    """Keys two short messages on one frame share when at most one slot differs."""
    return [(s.frame, i, s.values[:i] + s.values[i + 1 :]) for i in range(len(s.values))]


def mirrored(rng: random.Random, vocab: Vocabulary, old: list[Sentence]) -> list[Sentence]:
    """``old`` rewritten on its pattern: same openers, frames and fixed sentences; new
    names, places, dates, events and clauses."""
    out = []
    for s in old:
        if s.kind == "frame":
            out.append(framed(rng, vocab, s.frame, s.values))
        elif s.kind == "prose":
            out.append(Sentence(prose(rng, vocab, s.opener), "prose", opener=s.opener))
        else:
            out.append(s)
    return out


def mostly_new(sentences: list[Sentence]) -> bool:
    """The sentences found verbatim elsewhere are under a third of the text."""
    fixed = sum(len(s.text) for s in sentences if s.kind == "fixed")
    return 3 * fixed < sum(len(s.text) + 1 for s in sentences)


def joined(sentences: list[Sentence]) -> str:
    return " ".join(s.text for s in sentences)


def edit(rng: random.Random, vocab: Vocabulary, sentences: list[str]) -> tuple[str, str]:
    """One editor's change to a message: (kind, new text).

    A one-sentence message only has a word edited: replacing its one sentence would
    make a new message, not an edited one."""
    out = list(sentences)
    if len(out) == 1 or rng.random() < 0.5:
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


EASY = "easy"
HARD_KINDS = ("hard: same frames", "hard: shared closer", "hard: short")
HARD_WEIGHTS = (0.4, 0.25, 0.35)


@dataclass(frozen=True, slots=True)
class Case:
    """The two files and what a correct update does."""

    old: Catalog
    template: Catalog
    edited: dict[str, str]
    """New text → the old text it was edited from."""
    kinds: dict[str, str]
    """New text → the kind of edit ("short: …" for a one-sentence message)."""
    new: dict[str, str]
    """Brand-new message → its kind: ``EASY`` or one of ``HARD_KINDS``."""


def new_message(
    rng: random.Random,
    vocab: Vocabulary,
    kind: str,
    *,
    messages: list[list[Sentence]],
    patterned: list[int],
    near: set[tuple[int, int, tuple[str, ...]]],
) -> str | None:
    """A brand-new message of ``kind`` (see the module), or None if the draw does not fit."""
    if kind == EASY:
        return joined(paragraph_of(rng, vocab))
    if kind == "hard: same frames":
        out = mirrored(rng, vocab, messages[rng.choice(patterned)])
        return joined(out) if mostly_new(out) else None
    if kind == "hard: shared closer":
        out = []
        while len(out) < rng.randint(2, 3):
            s = sentence_of(rng, vocab)
            if s.kind != "fixed":
                out.append(s)
        out.append(Sentence(rng.choice(CLOSERS), "fixed"))
        return joined(out) if mostly_new(out) else None
    several = [n for n, f in enumerate(SHORT_FRAMES) if len(slot_names(f)) > 1]
    s = short_of(rng, vocab, several)
    return None if any(key in near for key in near_keys(s)) else s.text


def build(entries: int, seed: int, hard_share: float = 0.5) -> Case:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    every_frame = range(len(SHORT_FRAMES))
    messages: list[list[Sentence]] = []
    seen: set[str] = set()
    near: set[tuple[int, int, tuple[str, ...]]] = set()
    while len(messages) < entries:
        if rng.random() < SHORT_SHARE:
            m = [short_of(rng, vocab, every_frame)]
        else:
            m = paragraph_of(rng, vocab)
        if joined(m) not in seen:
            seen.add(joined(m))
            messages.append(m)
            if m[0].kind == "short":
                near.update(near_keys(m[0]))
    old_texts = [joined(m) for m in messages]
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
        kind, text = edit(rng, vocab, [s.text for s in messages[n]])
        if text in seen:
            continue
        seen.add(text)
        new_texts[n] = text
        edited[text] = old_texts[n]
        kinds[text] = f"short: {kind}" if messages[n][0].kind == "short" else kind
    patterned = [  # stories written on a pattern: half their sentences or more are stock
        n
        for n, m in enumerate(messages)
        if len(m) > 1
        and any(s.kind == "frame" for s in m)
        and 2 * sum(s.kind != "prose" for s in m) >= len(m)
    ]
    count = entries // 20
    hard = round(count * hard_share)
    wanted = [*rng.choices(HARD_KINDS, weights=HARD_WEIGHTS, k=hard), *[EASY] * (count - hard)]
    fresh: dict[str, str] = {}
    for kind in wanted:
        drawn = (
            new_message(rng, vocab, kind, messages=messages, patterned=patterned, near=near)
            for _ in range(1000)
        )
        message = next((t for t in drawn if t is not None and t not in seen), None)
        if message is None:  # every draw was taken (a saturated frame): one message fewer
            continue
        seen.add(message)
        fresh[message] = kind
        new_texts.insert(rng.randrange(len(new_texts) + 1), message)
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
    return Case(old, template, edited, kinds, fresh)


@dataclass(frozen=True, slots=True)
class Score:
    right: int
    wrong_source: int
    missed: int
    right_by_kind: dict[str, int]
    wrong_fuzzy: dict[str, int]
    """Kind of new message → how many were given a fuzzy translation."""


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
    wrong_fuzzy = dict.fromkeys((EASY, *HARD_KINDS), 0)
    for text, kind in case.new.items():
        if (e := by_msgid.get(text)) and e.msgstr:
            wrong_fuzzy[kind] += 1
    return Score(right, wrong_source, missed, by_kind, wrong_fuzzy)


def report(name: str, seconds: float | None, result: Score | None, case: Case) -> None:
    if seconds is None or result is None:
        return
    print(f"{name}: {seconds:.2f} s")
    print(
        f"  edited entries matched to the right previous text: {result.right}/"
        f"{len(case.edited)} (wrong source {result.wrong_source}, no guess {result.missed})"
    )
    totals: dict[str, int] = {}
    for kind in case.kinds.values():
        totals[kind] = totals.get(kind, 0) + 1
    kinds = ", ".join(
        f"{k} {result.right_by_kind.get(k, 0)}/{v}" for k, v in sorted(totals.items())
    )
    print(f"    by kind of edit: {kinds}")
    sizes = dict.fromkeys((EASY, *HARD_KINDS), 0)
    for kind in case.new.values():
        sizes[kind] += 1
    wrong = result.wrong_fuzzy
    hard = sum(wrong[k] for k in HARD_KINDS)
    print(
        f"  new entries wrongly given a fuzzy translation: {sum(wrong.values())}/{len(case.new)}"
        f" (easy {wrong[EASY]}/{sizes[EASY]}, hard negatives {hard}/"
        f"{sum(sizes[k] for k in HARD_KINDS)})"
    )
    print(
        "    hard negatives by kind: "
        + ", ".join(f"{k[6:]} {wrong[k]}/{sizes[k]}" for k in HARD_KINDS)
    )


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


def run_first_extract(template: Catalog, folder: Path) -> float:
    """Seconds of a first ``extract`` (no catalog yet) of an article whose paragraphs
    are the template's messages: the yardstick for the update (issue 9: at most 2x)."""
    root = folder / "project"
    (root / "source").mkdir(parents=True)
    (root / "pipeline.toml").write_text('languages = ["az"]\n', "utf-8")
    paragraphs = [e.msgid.replace("\n", " ") for e in template.entries if e.msgid]
    (root / "source" / "news.md").write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    start = time.perf_counter()
    result = extract_project(load(root))
    took = time.perf_counter() - start
    assert not result.errors, result.errors
    return took


def run_msgmerge(old_po: Path, pot: Path, out: Path, timeout: float) -> float | None:
    command = ["msgmerge", "--quiet", "--previous", "-o", str(out), str(old_po), str(pot)]
    start = time.perf_counter()
    try:
        subprocess.run(command, check=True, timeout=timeout, capture_output=True)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def sweep(case: Case) -> None:
    """How many edits and new messages each cut-off would match (best of the top-k)."""
    leftovers = sorted(set(case.edited.values()))
    index = WordIndex(leftovers)
    edits = []
    for text, source in case.edited.items():
        m = index.closest(text, cutoff=0)
        edits.append((m.score, leftovers[m.index] == source) if m else (0.0, False))
    everything = WordIndex([e.msgid for e in case.old.entries])
    fresh: dict[str, list[float]] = {k: [] for k in (EASY, *HARD_KINDS)}
    for text, kind in sorted(case.new.items()):
        m = everything.closest(text, cutoff=0)
        fresh[kind].append(m.score if m else 0.0)
    print("ratio alone at each cut-off (edits found right / new messages matched, by kind):")
    print("       edits  " + "  ".join(k.removeprefix("hard: ") for k in fresh))
    for cut in (50, 55, 60, 65, 70, 75, 80, 85, 90):
        right = sum(1 for s, ok in edits if s >= cut and ok)
        wrong = "  ".join(f"{sum(1 for s in v if s >= cut)}/{len(v)}" for v in fresh.values())
        print(f"  {cut}: {right}/{len(edits)}  {wrong}")
    best = ", ".join(f"{k} {max(v, default=0):.1f}" for k, v in fresh.items())
    print(f"  best score of a new message against the old catalog: {best}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=300.0, help="for msgmerge, seconds")
    parser.add_argument("--sweep", action="store_true", help="print a cut-off sweep")
    parser.add_argument(
        "--hard-share",
        type=float,
        default=0.5,
        help="share of the new messages that are hard negatives (0 to 1)",
    )
    args = parser.parse_args()

    case = build(args.entries, args.seed, args.hard_share)
    chars = sum(len(e.msgid) for e in case.old.entries) / len(case.old.entries)
    print(
        f"{len(case.old.entries)} entries (mean {chars:.0f} characters), "
        f"{len(case.edited)} edited, {len(case.new)} new "
        f"({sum(1 for k in case.new.values() if k != EASY)} hard negatives)"
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
        first = run_first_extract(case.template, folder)
        print(
            f"first extract of the same messages as one article: {first:.2f} s; "
            f"update / first extract = {sum(times.values()) / first:.2f} (target: at most 2)"
        )

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
