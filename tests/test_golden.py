"""Golden folders: ``tests/golden/<case>/`` holds an article and what the pipeline makes
of it. Adding a case is adding a folder:

- ``source.md``: the article (bytes exactly as an editor saved them: CRLF, BOM…);
- ``template.pot``: the expected template (regenerated with ``--regen-goldens``);
- ``az.po``: a filled Azerbaijani catalog, written by hand from the template;
- ``output.md``: the expected Azerbaijani article (regenerated with ``--regen-goldens``);
- ``warnings.txt``: what the article warns about (parts not extracted), when it does
  (regenerated with ``--regen-goldens``);
- ``settings.toml``: project settings for the case (e.g. ``front_matter_keys``), if any.

Regenerate only on purpose (``pytest tests/test_golden.py --regen-goldens``) and read
the diff: the expected files are the specification.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from pipeline.catalogs.catalog import read_catalog
from pipeline.catalogs.translations import translations
from pipeline.config import DEFAULTS
from pipeline.markdown.references import keep_references
from pipeline.markdown.segment import segment_document
from pipeline.markdown.sentences import in_sentences
from pipeline.project import extract_project, merge_project
from pipeline.publish.markdown import render
from tests.conftest import MakeProject
from tests.pseudo import pseudo

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "source.md").is_file())


def _settings(case: Path) -> str:
    """The case's ``settings.toml`` (lines added to the project's settings), or ''."""
    path = case / "settings.toml"
    return path.read_text("utf-8") if path.is_file() else ""


def _keys(case: Path) -> tuple[str, ...]:
    """The case's ``front_matter_keys``."""
    return tuple(
        tomllib.loads(_settings(case)).get("front_matter_keys", DEFAULTS["front_matter_keys"])
    )


def _compare(expected: Path, actual: bytes, regen: bool) -> None:
    if regen:
        expected.write_bytes(actual)
    assert expected.is_file(), f"{expected} is missing: run with --regen-goldens"
    assert actual == expected.read_bytes(), f"{expected.name} differs from the golden file"


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 1


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, make_project: MakeProject, regen: bool) -> None:
    source = (case / "source.md").read_bytes()
    config = make_project({"article.md": source}, extra=_settings(case))
    extract_project(config)
    pot = config.locales_dir / "article.pot"
    _compare(case / "template.pot", pot.read_bytes(), regen)

    po = config.locales_dir / "az" / "article.po"
    shutil.copyfile(case / "az.po", po)
    result = extract_project(config)  # the filled catalog must survive an update intact
    assert not result.errors
    catalog = read_catalog(po, "az.po")
    hand = read_catalog(case / "az.po", "az.po")
    assert {e.key: e.msgstr for e in catalog.active} == {e.key: e.msgstr for e in hand.active}, (
        "az.po does not match the template: copy template.pot and fill it again"
    )

    merged = merge_project(config)
    assert not merged.errors
    assert all(not a.broken for a in merged.articles), [a.broken for a in merged.articles]
    _compare(case / "output.md", (config.output_dir / "az" / "article.md").read_bytes(), regen)

    # A second run changes nothing.
    assert not any(f.changed for f in extract_project(config).files)
    assert not any(a.output.changed for a in merge_project(config).articles)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_identity(case: Path) -> None:
    text = (case / "source.md").read_bytes().decode("utf-8")
    doc = segment_document(text, "source/article.md", _keys(case))
    assert render(doc, {}).text == text
    assert render(doc, {s.key: s.msgid for s in doc.segments}).text == text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_output_reads_back(case: Path) -> None:
    """Segmenting the expected output finds the translations, in the source's places."""
    text = (case / "source.md").read_bytes().decode("utf-8")
    doc = segment_document(text, "source/article.md", _keys(case))
    if (doc.segment_mode or tomllib.loads(_settings(case)).get("segment")) == "sentence":
        doc = in_sentences(doc, "en")
    found = translations(read_catalog(case / "az.po", "az.po")).publishable
    out = segment_document((case / "output.md").read_bytes().decode("utf-8"), "out.md", _keys(case))
    assert out.shape == doc.shape
    assert [s.kind for s in out.segments] == [s.kind for s in doc.segments]
    for seg, got in zip(doc.segments, out.segments, strict=True):
        # a reference link whose text was translated is written in full
        parts = [
            keep_references(m.msgid, found.get(m.key, m.msgid), doc.references)
            if seg.markdown
            else found.get(m.key, m.msgid)
            for m in seg.messages
        ]
        want = seg.joined(parts) if seg.sentences else parts[0]
        assert " ".join(got.msgid.replace("\\", "").split()) == " ".join(
            want.replace("\\", "").split()
        ), (seg.kind, seg.line)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_pseudo_translation_keeps_the_shape(case: Path) -> None:
    text = (case / "source.md").read_bytes().decode("utf-8")
    doc = segment_document(text, "source/article.md", _keys(case))
    table = {s.key: pseudo(s.msgid) for s in doc.segments}
    rendered = render(doc, table)
    assert not rendered.fallbacks
    out = segment_document(rendered.text, "out.md", _keys(case))
    assert out.shape == doc.shape
    assert [s.kind for s in out.segments] == [s.kind for s in doc.segments]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_warnings(case: Path, regen: bool) -> None:
    """Every part of an article that is not extracted is a warning at its line."""
    text = (case / "source.md").read_bytes().decode("utf-8")
    doc = segment_document(text, "source/article.md", _keys(case))
    expected = case / "warnings.txt"
    found = "".join(f"{w}\n" for w in doc.warnings)
    if found or expected.exists():
        _compare(expected, found.encode("utf-8"), regen)
