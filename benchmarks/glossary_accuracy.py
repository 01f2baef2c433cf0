"""Glossary matching on the test set: how often the ``glossary`` check is right.

Reads ``tests/fixtures/glossary/cases.csv`` (language, term, its agreed translation, a
msgid, a msgstr, and what a careful reviewer says: ``ok`` the term is translated as
agreed, ``missing`` it is not, ``absent`` the msgid does not hold the term). A warning
of the check is a positive. Prints precision and recall of the warnings, how well the
term is found in the source, and every case the matcher gets wrong.

    python benchmarks/glossary_accuracy.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.catalogs.glossary import Glossary, Term

CASES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "glossary" / "cases.csv"


def verdict(lang: str, source: str, translation: str, msgid: str, msgstr: str) -> str:
    """What the matcher says of one case: ``absent``, ``ok`` or ``missing``."""
    glossary = Glossary("en", lang, (Term(source, translation),))
    if not glossary.found_in(msgid):
        return "absent"
    return "missing" if glossary.missing(msgid, msgstr) else "ok"


def main() -> None:
    with CASES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    tp = fp = fn = tn = 0
    source_right = 0
    wrong: list[str] = []
    for number, row in enumerate(rows, start=2):
        got = verdict(row["lang"], row["source"], row["translation"], row["msgid"], row["msgstr"])
        want = row["expect"]
        source_right += (got == "absent") == (want == "absent")
        warned, should = got == "missing", want == "missing"
        tp += warned and should
        fp += warned and not should
        fn += should and not warned
        tn += not warned and not should
        if got != want:
            kind = "false positive" if warned else "false negative"
            wrong.append(
                f"  line {number} [{row['lang']}] {kind}: {row['msgstr']!r} "
                f"(term {row['translation']!r}; {row['why']})"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    langs = sorted({r["lang"] for r in rows})
    print(f"{len(rows)} cases ({', '.join(langs)}): {tp + fn} should warn, {tn + fp} should not")
    print(f"warnings: precision {precision:.3f} ({fp} false positives), ", end="")
    print(f"recall {recall:.3f} ({fn} false negatives)")
    print(f"term found in the source as expected: {source_right}/{len(rows)}")
    if wrong:
        print("wrong:")
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
