"""Sentence boundary precision, recall and F1 per language, against a naive baseline.

    python benchmarks/sentence_f1.py

Reads the test sets (``tests/fixtures/sentences/<language>.txt``, on which the rules
were written, so they must score 1.0) and the held-out sets
(``tests/fixtures/sentences/heldout/<language>.txt``, written after the rules and never
used to tune them). A boundary is the position where a joiner starts; each paragraph is
built and scored as ``tests/test_sentences.py`` builds it. The baseline splits after
``.``, ``!`` or ``?`` followed by a space and an uppercase letter (Unicode category Lu),
the rule most splitters start from.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.markdown.sentences import split_sentences  # noqa: E402
from tests.test_sentences import _join, read_test_set  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "sentences"
LANGUAGES = ("en", "az", "ka", "ru", "tr")
_NAIVE_RE = re.compile(r"[.!?]( )(?=\w)")


def naive(text: str) -> set[int]:
    """Joiner starts of the baseline: [.!?], a space, an uppercase letter."""
    return {m.start(1) for m in _NAIVE_RE.finditer(text) if text[m.end()].isupper()}


def ours(text: str, language: str) -> set[int]:
    """Joiner starts of ``split_sentences``."""
    return {end for _, end in split_sentences(text, language)[:-1]}


def expected(texts: list[str], joiners: list[str]) -> set[int]:
    """Joiner starts of the set's own sentences."""
    cuts, at = set(), 0
    for text, joiner in zip(texts, joiners, strict=False):
        at += len(text)
        cuts.add(at)
        at += len(joiner)
    return cuts


def score(gold: set[int], found: set[int]) -> tuple[int, int, int]:
    return len(gold & found), len(found - gold), len(gold - found)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(folder: Path, title: str) -> None:
    print(f"\n{title} ({folder.relative_to(ROOT)})")
    print(f"{'lang':4} {'sent':>4} {'bound':>5}   {'ours P/R/F1':>20}   {'naive P/R/F1':>20}")
    for language in LANGUAGES:
        path = folder / f"{language}.txt"
        if not path.is_file():
            continue
        totals = {"ours": [0, 0, 0], "naive": [0, 0, 0]}
        sentences = bounds = 0
        misses: list[str] = []
        for line, texts, joiners in read_test_set(path):
            text = _join(texts, joiners)
            gold = expected(texts, joiners)
            sentences += len(texts)
            bounds += len(gold)
            found = ours(text, language)
            for name, cuts in (("ours", found), ("naive", naive(text))):
                for k, value in enumerate(score(gold, cuts)):
                    totals[name][k] += value
            misses += [
                f"{path.name}:{line}: extra cut at {text[c - 20 : c]!r}" for c in found - gold
            ]
            misses += [
                f"{path.name}:{line}: missed cut at {text[c - 20 : c]!r}" for c in gold - found
            ]
        o, b = prf(*totals["ours"]), prf(*totals["naive"])
        print(
            f"{language:4} {sentences:4} {bounds:5}   "
            f"{o[0]:6.3f} {o[1]:6.3f} {o[2]:6.3f}   {b[0]:6.3f} {b[1]:6.3f} {b[2]:6.3f}"
        )
        for miss in misses:
            print(f"     {miss}")


def main() -> None:
    report(FIXTURES, "Test sets (the rules were written on them)")
    report(FIXTURES / "heldout", "Held-out sets (never used to tune the rules)")


if __name__ == "__main__":
    main()
