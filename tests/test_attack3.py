"""Third attack round: the segment features of issue 10 (context, sentence messages,
admonitions, reference links, HTML blocks, nested front matter) against a hostile
translator, where the one-msgstr fixture format of ``tests/fixtures/safety/`` cannot
say it (two msgstrs working together, an article edited between two extracts).

Each test builds a one-article project in ``tmp_path``, runs ``extract``, edits the
catalog with polib, and runs ``check`` / ``merge`` with click's CliRunner. What ``merge``
published is rendered the way a permissive site does (markdown-it, raw HTML on, every
link allowed) and its links read from the HTML tree, not from the Markdown text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from pipeline.cli import main


def _invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def _project(root: Path, article: str, settings: str = "") -> Path:
    """A project with ``article`` as ``source/case.md``, extracted; its az catalog."""
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["az"]\nsource_language = "en"\nmin_complete = 0\n'
        # every article published, whatever its completeness
        "publish_min_complete = 0\nrequired_fields = []\n"
        f"{settings}",
        "utf-8",
    )
    (root / "source").mkdir(exist_ok=True)
    (root / "source" / "case.md").write_text(article, "utf-8")
    extracted = _invoke(root, "extract")
    assert extracted.exit_code == 0, extracted.output
    return root / "locales" / "az" / "case.po"


def _translate(po_path: Path, msgstrs: Mapping[str, str]) -> None:
    """msgid → msgstr from ``msgstrs``; every other entry gets its own source text."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    unused = set(msgstrs)
    for entry in po:
        if entry.obsolete:
            continue
        entry.msgstr = msgstrs.get(entry.msgid, entry.msgid)
        unused.discard(entry.msgid)
    assert not unused, f"not entries of {po_path.name}: {sorted(unused)}"
    po.save(str(po_path))


def _published(root: Path) -> str:
    return (root / "output" / "az" / "case.md").read_text("utf-8")


def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # every link goes through
    return md


def _targets(markdown: str) -> list[str]:
    """Every href and src of ``markdown`` rendered by a permissive CommonMark site
    (front matter left out)."""
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
    tree = LexborHTMLParser(_md().render(body))
    found: list[str] = []
    for node in tree.css("[href], [src]"):
        found += [v or "" for k, v in node.attributes.items() if k in {"href", "src"}]
    return found


# --- sentence mode: each sentence is judged alone, the paragraph is published whole ----

SENTENCES = (
    "---\ntitle: Khojaly remembered\ni18n_segment: sentence\n---\n\n"
    "Read the report here. It is long.\n"
)


@pytest.mark.parametrize(
    ("first", "second", "target"),
    [
        ("Hesabatı [burada oxuyun.", "](javascript:alert(1)) Uzundur.", "javascript:alert(1)"),
        ("Hesabatı [burada oxuyun.", "](/admin/delete) Uzundur.", "/admin/delete"),
        ("Hesabatı ![burada oxuyun.", "](//evil.example/pixel.png) Uzundur.", "//evil.example"),
    ],
    ids=["javascript-link", "added-relative-link", "tracking-image"],
)
def test_two_sentences_cannot_join_into_a_link(
    tmp_path: Path, first: str, second: str, target: str
) -> None:
    """Each sentence's translation passes the blocking checks alone (half a link is
    text), but ``merge`` publishes the paragraph with the two joined: ``[burada
    oxuyun. ](javascript:alert(1))`` is a link that neither message has. The gate must
    judge what is published: the joined paragraph against the joined source."""
    po = _project(tmp_path, SENTENCES)
    _translate(po, {"Read the report here.": first, "It is long.": second})
    check = _invoke(tmp_path, "check")
    merge = _invoke(tmp_path, "merge")
    assert merge.exit_code == 0, merge.output
    published = _published(tmp_path)
    assert not [t for t in _targets(published) if target in t], (
        f"a link built across two sentences was published:\n{published}"
    )
    assert check.exit_code == 1, f"check passed the pair:\n{check.output}"


# --- admonitions: the title and the body are two messages on adjacent lines -----------


def test_admonition_title_and_body_cannot_join_into_a_link(tmp_path: Path) -> None:
    """MkDocs reads ``!!! note "…"`` and its indented body as two blocks, but a CommonMark
    renderer (GitHub showing the output file, any site without the admonition extension)
    reads them as one paragraph: a title ending in ``[x`` and a body starting with
    ``](javascript:…)`` make one link there. Both pass the checks alone."""
    po = _project(tmp_path, '# Doc\n\n!!! note "Read this"\n    Body text here.\n')
    _translate(
        po,
        {"Read this": "Bunu [oxuyun", "Body text here.": "](javascript:alert(1)) Mətn burada."},
    )
    assert _invoke(tmp_path, "merge").exit_code == 0
    published = _published(tmp_path)
    assert not [t for t in _targets(published) if t.startswith("javascript:")], published


# --- front matter: sites render titles and descriptions as Markdown --------------------


@pytest.mark.parametrize(
    "msgstr",
    ["[Xocalı](javascript:alert(1)) yad edilir", "Xocalı yad edilir ![](//evil.example/p.png)"],
    ids=["javascript-link", "tracking-image"],
)
def test_front_matter_value_cannot_carry_a_markdown_link(tmp_path: Path, msgstr: str) -> None:
    """Hugo themes print ``{{ .Title | markdownify }}`` / ``.Description | markdownify``,
    Jekyll ones ``{{ page.title | markdownify }}``: a Markdown link in a front-matter
    value is a link on those pages. ``check`` and ``merge`` read the value as plain text
    and publish it (raw HTML there is refused, its Markdown twin is not)."""
    po = _project(tmp_path, "---\ntitle: Khojaly remembered\n---\n\nRead the report on Monday.\n")
    _translate(po, {"Khojaly remembered": msgstr})
    check = _invoke(tmp_path, "check")
    assert _invoke(tmp_path, "merge").exit_code == 0
    assert msgstr not in _published(tmp_path), "the value with a link was published"
    assert check.exit_code == 1, check.output


# --- sentence mode switched off: reviewed sentence work must not be hidden -------------


def test_switching_back_to_paragraphs_does_not_publish_the_stale_translation(
    tmp_path: Path,
) -> None:
    """paragraph → sentence → paragraph. Between the two switches the translator
    reviewed and improved the sentences. On the way back the old paragraph entry is
    revived from ``#~`` exactly and published, not fuzzy; the reviewed sentences become
    obsolete. The reader gets the older translation and nobody is told. The joined
    sentence translations are the newer work: they must at least be what the
    paragraph's entry offers (fuzzy is fine), never silently replaced."""
    paragraphs = "---\ntitle: T\n---\n\nFirst one. Second one.\n"
    sentences = paragraphs.replace("title: T\n", "title: T\ni18n_segment: sentence\n")
    po = _project(tmp_path, paragraphs)
    _translate(po, {"First one. Second one.": "Birinci. İkinci."})

    (tmp_path / "source" / "case.md").write_text(sentences, "utf-8")
    assert _invoke(tmp_path, "extract").exit_code == 0
    catalog = polib.pofile(str(po), wrapwidth=0)
    reviewed = {"First one.": "Birinci cümlə.", "Second one.": "İkinci cümlə."}
    for entry in catalog:
        if entry.msgid in reviewed:
            entry.msgstr = reviewed[entry.msgid]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgctxt = None
    catalog.save(str(po))
    assert _invoke(tmp_path, "merge").exit_code == 0
    assert "Birinci cümlə. İkinci cümlə." in _published(tmp_path)

    (tmp_path / "source" / "case.md").write_text(paragraphs, "utf-8")
    assert _invoke(tmp_path, "extract").exit_code == 0
    assert _invoke(tmp_path, "merge").exit_code == 0
    assert "Birinci. İkinci." not in _published(tmp_path), (
        f"the stale paragraph translation was published:\n{po.read_text('utf-8')}"
    )
    [entry] = [
        e
        for e in polib.pofile(str(po), wrapwidth=0)
        if e.msgid == "First one. Second one." and not e.obsolete
    ]
    assert entry.msgstr == "Birinci cümlə. İkinci cümlə.", po.read_text("utf-8")


@pytest.mark.parametrize("msgstr", [" ", "\n", "\u00a0"], ids=["space", "newline", "nbsp"])
def test_blank_sentence_translation_does_not_delete_the_sentence(
    tmp_path: Path, msgstr: str
) -> None:
    """In paragraph mode a translation with no text is refused (``structure``: "has no
    text once its spaces and line breaks are removed") and the source is kept. In
    sentence mode the same msgstr on one sentence passes the gate, the paragraph still
    has text, and the sentence is silently deleted from the published article (a
    disclaimer, a correction), counted as translated: ``merge --strict`` exits 0."""
    po = _project(tmp_path, SENTENCES)
    _translate(po, {"Read the report here.": msgstr})
    merge = _invoke(tmp_path, "merge")
    strict = _invoke(tmp_path, "merge", "--strict")
    assert "Read the report here." in _published(tmp_path), _published(tmp_path)
    assert strict.exit_code == 1, merge.output
