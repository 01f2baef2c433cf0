"""The two rebuild invariants over every CommonMark example, the GFM table fixtures and
the whole CommonMark spec as one document:

1. an empty catalog and an identity catalog rebuild the source byte for byte, and the
   source is exactly its skeleton plus its segments;
2. a pseudo-translation rebuilds with the same block structure, and segmenting the
   output finds each pseudo-translation in its segment's place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from pipeline.errors import SourceError
from pipeline.markdown.segment import Document, segment_document
from pipeline.publish.markdown import render
from tests.pseudo import pseudo

# Part of the repository (source and licence: tests/corpus/commonmark/README.md).
CORPUS = Path(__file__).resolve().parent / "corpus" / "commonmark"


def _cases() -> list[tuple[str, str]]:
    cases = [
        (f"example-{ex['example']}", ex["markdown"])
        for ex in json.loads((CORPUS / "commonmark.json").read_text("utf-8"))
    ]
    cases += [
        (f"tables.md:{line}", markdown)
        for line, _title, markdown, _html in read_fixture_file(CORPUS / "tables.md")
    ]
    cases.append(("spec.md", (CORPUS / "spec.md").read_text("utf-8")))
    return cases


ALL_CASES = _cases()

# Examples that an article cannot be: they open front matter on line 1 (CommonMark has
# none), so the pipeline refuses them rather than translate front matter as text.
REFUSED = {
    "example-44": "'+++' on line 1 opens TOML front matter, and it is never closed",
    "example-96": "'---' front matter holding 'Foo', which is not a mapping",
}
CASES = [(name, markdown) for name, markdown in ALL_CASES if name not in REFUSED]
IDS = [name for name, _ in CASES]


def test_corpus_is_complete() -> None:
    names = [name for name, _ in ALL_CASES]
    assert sum(1 for n in names if n.startswith("example-")) == 652
    assert sum(1 for n in names if n.startswith("tables.md")) == 42


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_front_matter_examples_are_refused(name: str) -> None:
    markdown = dict(ALL_CASES)[name]
    with pytest.raises(SourceError, match="front matter") as caught:
        segment_document(markdown, name)
    assert caught.value.line is not None and caught.value.hint


def _concat(doc: Document) -> str:
    skeleton = doc.skeleton()
    return (
        "".join(s + doc.source_of(seg) for s, seg in zip(skeleton, doc.segments, strict=False))
        + (skeleton[-1])
    )


@pytest.mark.parametrize(("name", "markdown"), CASES, ids=IDS)
def test_empty_and_identity_catalogs_rebuild_the_source(name: str, markdown: str) -> None:
    doc = segment_document(markdown, name)
    assert _concat(doc) == markdown
    assert render(doc, {}).text == markdown
    identity = {seg.msgid: seg.msgid for seg in doc.segments}
    rebuilt = render(doc, identity)
    assert rebuilt.text == markdown
    assert not rebuilt.fallbacks


def _loose(text: str) -> str:
    """Blank runs as one space, and no backslashes: the writer may escape block syntax."""
    return re.sub(r"[ \t]+", " ", text).replace("\\", "")


# Examples whose pseudo-translation is rejected by the structure check, and why.
EXPECTED_FALLBACKS: dict[str, str] = {}

# Examples that the writer rewrites, with the same meaning, when a text is written back
# through it (the identity shortcut keeps their bytes), and why.
REWRITTEN = {
    "example-23": "a title is shown unescaped; '*' needs no escape in it when written",
    "example-33": "an entity in a title is shown decoded, and written as the character",
}


@pytest.mark.parametrize(("name", "markdown"), CASES, ids=IDS)
def test_pseudo_translation_keeps_structure_and_reads_back(name: str, markdown: str) -> None:
    doc = segment_document(markdown, name)
    table = {seg.msgid: pseudo(seg.msgid) for seg in doc.segments}
    rebuilt = render(doc, table)
    out = segment_document(rebuilt.text, name)
    assert out.shape == doc.shape
    assert len(out.segments) == len(doc.segments)
    rejected = {f.segment.start for f in rebuilt.fallbacks}
    assert bool(rejected) == (name in EXPECTED_FALLBACKS)
    for seg, got in zip(doc.segments, out.segments, strict=True):
        want = seg.msgid if seg.start in rejected else table[seg.msgid]
        assert _loose(got.msgid) == _loose(want), (seg.kind, seg.line)
        assert got.kind == seg.kind


@pytest.mark.parametrize(("name", "markdown"), CASES, ids=IDS)
def test_identity_through_the_writer_reads_back(name: str, markdown: str) -> None:
    """The identity shortcut aside, writing each msgid back through the splicer keeps
    the structure and every text in its place (escapes and re-wrapping included)."""
    doc = segment_document(markdown, name)
    rebuilt = render(doc, {s.msgid: s.msgid for s in doc.segments}, rewrite_identical=True)
    assert not rebuilt.fallbacks
    out = segment_document(rebuilt.text, name)
    assert out.shape == doc.shape
    for seg, got in zip(doc.segments, out.segments, strict=True):
        assert _loose(got.msgid) == _loose(seg.msgid), (seg.kind, seg.line)
    if all(not s.layout.wrap and "\n" not in s.msgid for s in doc.segments):
        assert rebuilt.text == markdown or name in REWRITTEN
