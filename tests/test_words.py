"""Word counts: Unicode words of what a reader sees, in English, Azerbaijani, Georgian and
Russian; Markdown syntax, code, HTML and URLs are not words."""

from __future__ import annotations

import pytest

from pipeline.checks.words import count_words, words

CASES = [
    # (text, markdown, expected words)
    ("Azerbaijanis around the world commemorate the Khojaly tragedy", True, 8),
    ("Dünya azərbaycanlıları Xocalı faciəsini anır", True, 5),
    ("აზერბაიჯანელები მთელ მსოფლიოში ხოჯალის ტრაგედიას იხსენებენ", True, 6),
    ("Азербайджанцы всего мира вспоминают Ходжалинскую трагедию", True, 6),
    ("военно-политическая агрессия", True, 2),
    ("ABŞ-ın Massaçusets ştatı", True, 3),
    ("won 100,000 votes in 1992", True, 5),
    ("Python 3.11 — released", True, 3),
    ("613 ადამიანი, 20%", True, 3),
    ("don't stop", True, 2),
    ("**bold** and *emphasis*", True, 3),
    ("**bold**text", True, 1),
    ("See [the report](https://example.com/a-long/path) now", True, 4),
    ("![Map of Khojaly](map.png)", True, 3),
    ("Run `pipeline check --format json` first", True, 2),
    ("Press <kbd>Enter</kbd>", True, 2),
    ("Visit <https://example.com> or www.example.org today", True, 3),
    ("Khojaly[^1] was attacked", True, 3),
    ("line one\nline two", True, 4),
    ("— … !", True, 0),
    ("e\u0301te\u0301 café", True, 2),  # decomposed accents stay inside the word
    ("Use *args here", False, 3),
]


@pytest.mark.parametrize(("text", "markdown", "expected"), CASES)
def test_count_words(text: str, markdown: bool, expected: int) -> None:
    assert count_words(text, markdown=markdown) == expected, words(text, markdown=markdown)
