"""A translation identical to its source passes every blocking check.

``checks.run.gate`` relies on it to skip the checks for such translations (common: names,
numbers, code, and the identity catalogs of a first merge). Each blocking check refuses
only what the translation has and its source has not, so this holds by construction; the
test holds it over every kind of text we have: every CommonMark example's segments, the
golden articles', and each attack payload of the safety corpus taken as its own source.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.checks.problem import Context
from pipeline.checks.run import blocking_problems
from pipeline.errors import SourceError
from pipeline.markdown.segment import segment_document
from tests.test_safety_corpus import UNSAFE, load_case

TESTS = Path(__file__).resolve().parent
EXAMPLES = json.loads((TESTS / "corpus" / "commonmark" / "commonmark.json").read_text("utf-8"))
GOLDEN = sorted((TESTS / "golden").glob("*/source.md"))


def _texts() -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    for example in EXAMPLES:
        try:
            doc = segment_document(example["markdown"], f"example-{example['example']}", ())
        except SourceError:
            continue  # not an article (an unclosed front matter fence)
        found += [(doc.path, s.msgid, s.markdown) for s in doc.segments]
    for path in GOLDEN:
        try:
            doc = segment_document(path.read_bytes().decode("utf-8"), path.parent.name, ("title",))
        except (UnicodeDecodeError, SourceError):
            continue
        found += [(doc.path, s.msgid, s.markdown) for s in doc.segments]
    for path in UNSAFE:
        case = load_case(path)
        found += [(path.name, case.msgstr, True), (path.name, case.msgstr, False)]
    return found


TEXTS = _texts()


def test_there_are_texts_of_every_kind() -> None:
    assert len(TEXTS) > 1000
    assert any(name.endswith(".txt") for name, _, _ in TEXTS)


@pytest.mark.parametrize("language", ["az", "fa", "ja"])
def test_a_text_as_its_own_translation_passes_every_blocking_check(language: str) -> None:
    refused = []
    for name, text, markdown in TEXTS:
        ctx = Context("en", language, (), markdown)
        problems = blocking_problems(text, text, ctx)
        if problems:
            refused.append(f"{name}: {text[:60]!r}: {problems[0].code}")
    assert not refused, "\n".join(refused[:20])
