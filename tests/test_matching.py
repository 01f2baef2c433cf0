"""Fuzzy candidate search: near-duplicates found, new paragraphs left alone."""

from __future__ import annotations

import random

import pytest

from pipeline.catalogs.catalog import Catalog, Entry
from pipeline.catalogs.matching import CUTOFF, CandidatePool, WordIndex, language_pool, same_words

WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "the of and to in a is that for on with as by at from government ministry parliament "
    "president minister city town village region people report press release embassy "
    "international community organization resolution tragedy memory victims anniversary "
    "campaign justice freedom declaration council court election market energy railway "
    "museum ceremony survivors witnesses prosecutor border refugees students hospital"
).split()


def prose(rng: random.Random, sentences: int = 3) -> str:
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 20))]
        out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
    return " ".join(out)


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    rng = random.Random(7)
    return [prose(rng) for _ in range(300)]


def test_one_word_edit_finds_its_paragraph(corpus: list[str]) -> None:
    index = WordIndex(corpus)
    for n in (0, 57, 299):
        words = corpus[n].split(" ")
        words[4] = "referendum"
        match = index.closest(" ".join(words))
        assert match is not None and match.index == n and match.score > 90


def test_a_sentence_added_or_removed_is_found(corpus: list[str]) -> None:
    index = WordIndex(corpus)
    text = corpus[12]
    shorter = text.rsplit(". ", 1)[0] + "."
    longer = text + " The council will meet again on Monday to discuss the railway."
    for query in (shorter, longer):
        match = index.closest(query)
        assert match is not None and match.index == 12


def test_new_paragraphs_are_not_matched(corpus: list[str]) -> None:
    index = WordIndex(corpus)
    rng = random.Random(99)
    assert all(index.closest(prose(rng)) is None for _ in range(50))


def test_unrelated_short_text_is_not_matched() -> None:
    index = WordIndex(["Vigils in Baku", "Concerts in Tbilisi", "Background"])
    assert index.closest("Sources") is None
    assert index.closest("Notes and references") is None
    match = index.closest("Vigils in Ganja and Baku")
    assert match is not None and match.index == 0


def test_near_duplicates_pick_the_closest(corpus: list[str]) -> None:
    base = corpus[3]
    twin = base.replace(" ", "  ", 1).replace("the", "a", 2)
    index = WordIndex([twin, base, *corpus[4:]])
    match = index.closest(base + " Again")
    assert match is not None and match.index == 1


def test_ties_go_to_the_earlier_candidate() -> None:
    index = WordIndex(["The minister visited the city", "The minister visited the city"])
    match = index.closest("The minister visited the town")
    assert match is not None and match.index == 0


def test_a_word_the_index_never_saw_is_harmless() -> None:
    assert WordIndex(["Some text"]).closest("zzz qqq") is None
    assert WordIndex([]).closest("anything") is None


def test_cutoff_zero_measures_every_shortlisted_candidate(corpus: list[str]) -> None:
    match = WordIndex(corpus).closest(prose(random.Random(5)), cutoff=0)
    assert match is not None and match.score < CUTOFF


def test_same_words_ignores_spacing_only() -> None:
    assert same_words("A  word\tand   another ") == same_words("A word and another")
    assert same_words("line one \n line two") == "line one\nline two"
    assert same_words("one\ntwo") != same_words("one two")  # a hard break is kept
    assert same_words("A word") != same_words("A Word")


def test_pool_keeps_only_translated_singular_entries_once() -> None:
    entries = [
        Entry("Untranslated text about the ministry"),
        Entry("Translated text about the ministry", msgstr="A"),
        Entry("Translated text about the ministry", msgstr="B", obsolete=True),
        Entry("Plural text about the ministry", msgid_plural="x", msgstr_plural=((0, "y"),)),
    ]
    pool = CandidatePool(entries)
    assert [e.msgstr for e in pool.entries] == ["A"]
    hit = pool.closest("Translated text about a ministry")
    assert hit is not None and hit[0].msgstr == "A"


def test_language_pool_reads_every_catalog_in_order() -> None:
    a = Catalog(header=(), entries=(Entry("Shared paragraph about the court", msgstr="a"),))
    b = Catalog(
        header=(),
        entries=(
            Entry("Shared paragraph about the court", msgstr="b"),
            Entry("Old text on the border", msgstr="c", obsolete=True),
        ),
    )
    pool = language_pool([a, b])
    assert [e.msgstr for e in pool.entries] == ["a", "c"]
    assert len(pool) == 2
    assert CandidatePool([]).closest("x") is None


def test_short_messages_on_one_frame_are_not_each_others_edits() -> None:
    notices = [
        "The ceremony will be held on Friday.",
        "The football match will take place in Lankaran on 31 March.",
        "Vigils in Baku",
    ]
    index = WordIndex(notices)
    # Two words of the old notice replaced: another notice, though the ratio is 79.
    assert index.closest("The concert will be held on Sunday.") is None
    # "march" is not kept through the "match" both texts have.
    assert index.closest("The football match will take place in Ganja on 31 December.") is None
    # One word replaced, words added, slips fixed: an edit of the old notice.
    for edited, n in (
        ("The ceremony will be held on Sunday.", 0),
        ("The ceremony will be held on Friday evening.", 0),
        ("The football match will take place in Lankaran on 30 March.", 1),
        ("Vigils in Ganja and Baku", 2),
    ):
        match = index.closest(edited)
        assert match is not None and match.index == n, edited
    typos = WordIndex(["The ceremony will be hled on Firday."])
    assert typos.closest("The ceremony will be held on Friday.") is not None


def test_a_stock_sentence_is_no_evidence_of_an_edit(corpus: list[str]) -> None:
    closer = "This was reported by the press service of the ministry."
    rng = random.Random(11)
    old = [prose(rng, 1) + " " + closer for _ in range(20)]
    index = WordIndex(old + corpus)
    new = prose(random.Random(12), 1) + " " + closer
    match = index.closest(new, cutoff=0)
    assert match is not None and match.score >= 55  # the closer alone makes it look close
    assert index.closest(new) is None
    # The same closer in a query and in three candidates or fewer still counts.
    few = WordIndex([*old[:3], *corpus])
    assert few.closest(new) is not None
