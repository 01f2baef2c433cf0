"""Property: whatever editors do to an article, no translation is ever lost.

Hypothesis draws sequences of source edits (insert, delete, edit a word, move, re-wrap)
interleaved with translators' work and ``extract`` runs. The article goes through the
real segmenter and the catalog through its file text, as ``pipeline extract`` does.
After every run:

- every translation that existed before it is still in the catalog, active or obsolete,
  on the same text or on one whose ``#|`` previous text is that text;
- running it again changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogs.catalog import Catalog, catalog_text, parse_catalog
from pipeline.catalogs.template import build_template
from pipeline.catalogs.update import update_catalog
from pipeline.locales import language
from pipeline.markdown.segment import segment_document

AZ = language("az")
FLAGS = ("md-text",)
STAMP = "2026-02-26 00:00+0000"
WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "memory victims tragedy ministry statement vigil concert city people report "
    "justice council winter forest town hours residents survivors reporters capital"
).split()

word = st.sampled_from(WORDS)
paragraph = st.lists(word, min_size=4, max_size=14)


@dataclass(frozen=True)
class Op:
    """One step: ``kind`` with two numbers (positions, a width) and some words."""

    kind: str
    a: int
    b: int
    words: list[str]


op = st.builds(
    Op,
    kind=st.sampled_from(["insert", "delete", "edit", "move", "rewrap", "translate", "extract"]),
    a=st.integers(0, 20),
    b=st.integers(0, 60),
    words=paragraph,
)


@dataclass
class World:
    """The article as paragraphs (words and wrap width) and the catalog on disk."""

    paragraphs: list[tuple[list[str], int]]
    po: Catalog | None = None
    counter: int = 0
    log: list[str] = field(default_factory=list)

    def article(self) -> str:
        blocks = []
        for words, width in self.paragraphs:
            lines, line = [], ""
            for w in [words[0].capitalize(), *words[1:]]:
                if line and len(line) + 1 + len(w) > width:
                    lines.append(line)
                    line = w
                else:
                    line = f"{line} {w}".strip()
            lines.append(line + ".")
            blocks.append("\n".join(lines))
        return "# Article\n\n" + "\n\n".join(blocks) + "\n"

    def extract(self) -> Catalog:
        doc = segment_document(self.article(), "source/a.md", ())
        template = build_template(doc, "a", FLAGS, None, STAMP)
        updated, _ = update_catalog(self.po, template, AZ, FLAGS)
        text = catalog_text(updated)
        again, _ = update_catalog(parse_catalog(text.encode(), "a.po"), template, AZ, FLAGS)
        assert catalog_text(again) == text, "a second extract changed the catalog"
        return parse_catalog(text.encode(), "a.po")

    def translate(self, n: int) -> None:
        """A translator translates (or reviews, un-fuzzying) the ``n``-th active entry."""
        if self.po is None or not self.po.active:
            return
        target = self.po.active[n % len(self.po.active)]
        self.counter += 1
        done = replace(
            target,
            msgstr=f"T{self.counter}",
            flags=tuple(f for f in target.flags if f != "fuzzy"),
            previous_msgid=None,
        )
        self.po = replace(
            self.po, entries=tuple(done if e is target else e for e in self.po.entries)
        )


def survives(before: Catalog, after: Catalog) -> None:
    for old in before.entries:
        if not old.msgstr:
            continue
        texts = {old.msgid, old.previous_msgid} - {None}
        assert any(
            new.msgstr == old.msgstr and (new.msgid in texts or new.previous_msgid in texts)
            for new in after.entries
        ), f"translation {old.msgstr!r} of {old.msgid!r} was lost"


def apply(world: World, step: Op) -> None:
    paras = world.paragraphs
    at = step.a % max(len(paras), 1)
    if step.kind == "insert":
        paras.insert(step.a % (len(paras) + 1), (step.words, 80))
    elif step.kind == "delete" and len(paras) > 1:
        paras.pop(at)
    elif step.kind == "edit":
        words, width = paras[at]
        words = list(words)
        words[step.b % len(words)] = step.words[0]
        paras[at] = (words, width)
    elif step.kind == "move":
        paras.insert(step.b % len(paras), paras.pop(at))
    elif step.kind == "rewrap":
        paras[at] = (paras[at][0], 12 + step.b)
    elif step.kind == "translate":
        world.translate(step.a + step.b)
    elif step.kind == "extract":
        before = world.po
        world.po = world.extract()
        assert before is not None
        survives(before, world.po)


@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "500")),
    deadline=None,
    derandomize=True,  # the same examples on every run; raise PROPERTY_EXAMPLES to explore
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(start=st.lists(paragraph, min_size=1, max_size=5), ops=st.lists(op, max_size=20))
def test_no_translation_is_ever_lost(start: list[list[str]], ops: list[Op]) -> None:
    world = World([(p, 80) for p in start])
    world.po = world.extract()
    for step in ops:
        apply(world, step)
    apply(world, Op("extract", 0, 0, []))
