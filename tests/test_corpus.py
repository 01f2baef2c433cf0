"""The rebuild invariants over every CommonMark example, the GFM table fixtures, the
whole CommonMark spec as one document and every Jekyll documentation page:

1. an empty catalog and an identity catalog rebuild the source byte for byte, and the
   source is exactly its skeleton plus its segments;
2. a pseudo-translation rebuilds with the same block structure, and segmenting the
   output finds each pseudo-translation in its segment's place;
3. a pseudo-translation keeps every link and image: the same destinations, in the same
   order, though the text of shortcut and collapsed reference links is translated.

The Jekyll pages are discovered by glob: a page added to ``tests/corpus/jekyll-docs/``
is a new case.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from pipeline.errors import SourceError
from pipeline.markdown.document import Document
from pipeline.markdown.parse import parse_blocks
from pipeline.markdown.segment import segment_document
from pipeline.publish.markdown import render
from tests.pseudo import pseudo

# Part of the repository (source and licence: each folder's README.md).
CORPUS = Path(__file__).resolve().parent / "corpus" / "commonmark"
JEKYLL = Path(__file__).resolve().parent / "corpus" / "jekyll-docs"


def _jekyll_pages() -> list[Path]:
    """Every page of the Jekyll corpus (``.md`` and the posts' ``.markdown``); the
    folder's own README.md is no page."""
    return sorted(
        p
        for p in JEKYLL.rglob("*")
        if p.suffix in {".md", ".markdown"} and p != JEKYLL / "README.md"
    )


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
    cases += [
        (f"jekyll-docs/{page.relative_to(JEKYLL).as_posix()}", page.read_text("utf-8"))
        for page in _jekyll_pages()
    ]
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
    # 202 pages when copied; more is fine (a new page is a new case), fewer is a loss
    assert sum(1 for n in names if n.startswith("jekyll-docs/")) >= 202


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
    """Blank runs as one space, no backslashes (the writer may escape block syntax) and
    no reference labels after a link text: the merge may write a shortcut or collapsed
    reference whose text was translated (``[text]``, ``[text][]``) as a full reference
    (``[text][label]``), so the link keeps its definition."""
    text = re.sub(r"\]\[(?:[^\]\\]|\\.)*\]", "]", text)
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


def _links(markdown: str) -> list[tuple[str, str]]:
    """Every link and image of ``markdown`` as ("link" | "image", destination), in order,
    as markdown-it resolves them (reference links through the document's definitions)."""
    tokens, _ = parse_blocks(markdown.removeprefix("\ufeff"))
    found: list[tuple[str, str]] = []
    stack = [
        c for tok in reversed(tokens) if tok.type == "inline" for c in reversed(tok.children or [])
    ]
    while stack:
        tok = stack.pop()
        if tok.type == "link_open":
            found.append(("link", str(tok.attrGet("href"))))
        elif tok.type == "image":
            found.append(("image", str(tok.attrGet("src"))))
            stack.extend(reversed(tok.children or []))
    return found


# Examples whose links a pseudo-translation changes although no text of theirs is a
# label, and why.
LINKS_CHANGED = {
    "example-491": "'[link](<foo' and 'bar>)' on two lines are no link; the msgid joins "
    "them with a space, and '[link](<foo bar>)' written on one line is a link",
}


@pytest.mark.parametrize(("name", "markdown"), CASES, ids=IDS)
def test_pseudo_translation_keeps_every_link(name: str, markdown: str) -> None:
    doc = segment_document(markdown, name)
    rebuilt = render(doc, {seg.msgid: pseudo(seg.msgid) for seg in doc.segments})
    if name in LINKS_CHANGED:
        assert _links(rebuilt.text) != _links(markdown), "fixed: drop it from LINKS_CHANGED"
    else:
        assert _links(rebuilt.text) == _links(markdown)
