"""How much English is left after a full translation? Prints figures; asserts nothing.

Builds a temporary project from the Jekyll pages (default ``tests/corpus/jekyll-docs``,
202 documentation pages and release posts; the folder's README.md is no page), runs
``pipeline init ka`` and ``pipeline extract``, fills every catalog entry with
``tests.pseudo.pseudo(msgid)`` (every a-z letter becomes a Georgian one), runs
``pipeline merge`` and reads the localized articles back.

A word is a run of letters that is all ASCII and holds a lower-case a-z letter ("the",
"Jekyll"; not "API", which no pseudo-translation changes). Not counted, in the source or
the output: code (fenced and indented blocks, code spans, ``<pre>``, ``<code>``,
``<script>``, ``<style>``), Liquid tags (``{% %}``, ``{{ }}``), web addresses and paths
(``https://…``, ``/docs/…``), HTML tags themselves and autolinks. Every word left in the
output is put down to the construct it sits in, read by parsing the output:

- shown to readers: front-matter values (by key), HTML blocks (by their first tag; their
  ``alt`` and ``title`` attributes apart), texts whose translation ``merge`` refused
  (by the check that refused it: ``fallback: link-count``…), link texts, image alt texts,
  and the text of each block kind (paragraph, heading, list item, table cell…);
- not shown: HTML comments, reference-definition labels and attribute lists
  (``{: .note}``), which are markup.

Usage: python benchmarks/untranslated_words.py [--corpus DIR] [--workdir DIR]
                                              [--examples 2] [--json PATH]
       (about 15 seconds on 2 cores)
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.markdown.parse import parse_blocks
from tests.pseudo import pseudo

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "tests" / "corpus" / "jekyll-docs"
LANG = "ka"
SUFFIXES = {".md", ".markdown"}
HIDDEN = ("HTML comment", "reference definition label", "attribute list")
"""Constructs a reader never sees as text."""

_WORD_RE = re.compile(r"[^\W\d_]+")
_LIQUID_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_URL_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|mailto:|www\.)\S+|(?<![\w/.])\.{0,2}/[\w./#?=&%~+-]+|\S+@\S+\.\w+",
    re.I,
)
_ATTRS_RE = re.compile(r"\{[:#.][^{}\n]*\}")
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_CODE_ELEMENT_RE = re.compile(r"<(pre|code|script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_ALT_TITLE_RE = re.compile(r"""\b(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>")
_FIRST_TAG_RE = re.compile(r"<([A-Za-z][\w-]*)")
_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[((?:[^\]\\]|\\.)+)\]:")
_YAML_KEY_RE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s+|$)(.*)$")
_WARNING_RE = re.compile(r"^warning: (\S+\.po):(\d+): ([a-z-]+): ", re.M)
_BLOCK_KINDS = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
    "list_item_open": "list item",
    "blockquote_open": "block quote",
    "footnote_open": "footnote",
}


def words(text: str) -> list[str]:
    """The countable words of ``text`` once Liquid tags, addresses and attribute lists
    are masked."""
    text = _ATTRS_RE.sub(" ", _URL_RE.sub(" ", _LIQUID_RE.sub(" ", text)))
    return [w for w in _WORD_RE.findall(text) if w.isascii() and re.search("[a-z]", w)]


def _loose(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


@dataclass
class Tally:
    """Words per construct, with a few examples of each."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    keep: int = 2

    def add(self, construct: str, text: str, where: str) -> None:
        found = words(text)
        if not found:
            return
        self.counts[construct] += len(found)
        if len(self.examples[construct]) < self.keep:
            shown = " ".join(text.split())
            shown = shown if len(shown) <= 90 else shown[:89] + "…"
            self.examples[construct].append(f"{where}: {shown}")


def count_article(text: str, where: str, tally: Tally, fallbacks: dict[str, str]) -> None:
    """Add the words of one article (source or output) to ``tally``, by construct.
    ``fallbacks`` maps the loose text of each refused translation's msgid to the check
    that refused it."""
    text = text.removeprefix("\ufeff")
    tokens, _ = parse_blocks(text)
    lines = text.splitlines()
    covered = [False] * (len(lines) + 1)
    kinds: list[str] = []
    for tok in tokens:
        if tok.map and tok.level == 0:
            for n in range(tok.map[0], tok.map[1]):
                covered[n] = True
        if tok.type in _BLOCK_KINDS:
            kinds.append(_BLOCK_KINDS[tok.type])
        elif tok.type.removesuffix("_close") + "_open" in _BLOCK_KINDS and tok.nesting < 0:
            kinds.pop()
        elif tok.type == "front_matter":
            _front_matter(tok.content, where, tally)
        elif tok.type == "html_block":
            _html_block(tok.content, where, tally)
        elif tok.type == "inline":
            # a refused msgid is the block's text, or part of it (an alert's marker, a
            # task box or an attribute list is no part of the msgid)
            loose = _loose(tok.content)
            refused = next((code for msgid, code in fallbacks.items() if msgid in loose), "")
            if refused:
                tally.add(f"fallback: {refused}", tok.content, where)
            else:
                _inline(tok.children or [], kinds[-1] if kinds else "paragraph", where, tally)
    for n, line in enumerate(lines):
        match = _DEFINITION_RE.match(line)
        if match and not covered[n]:
            tally.add("reference definition label", match[1], where)


def _front_matter(yaml: str, where: str, tally: Tally) -> None:
    path: list[tuple[int, str]] = []
    for line in yaml.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _YAML_KEY_RE.match(line)
        if match:
            indent = len(match[1])
            path = [(i, k) for i, k in path if i < indent] + [(indent, match[2])]
            value = match[3]
        else:
            value = line.strip().removeprefix("- ")
        key = ".".join(k for _, k in path) or "?"
        tally.add(f"front matter: {key}", value, where)


def _html_block(content: str, where: str, tally: Tally) -> None:
    for comment in _COMMENT_RE.findall(content):
        tally.add("HTML comment", comment[4:-3], where)
    # kramdown reads Markdown inside a block marked markdown="1": its code spans too
    rest = _CODE_SPAN_RE.sub(" ", _CODE_ELEMENT_RE.sub(" ", _COMMENT_RE.sub(" ", content)))
    for match in _ALT_TITLE_RE.finditer(rest):
        tally.add("HTML block: alt/title attribute", html.unescape(match[1] or match[2]), where)
    first = _FIRST_TAG_RE.search(rest)
    tag = f"<{first[1].lower()}>" if first else "text"
    tally.add(f"HTML block {tag}", html.unescape(_TAG_RE.sub(" ", rest)), where)


def _inline(children: Sequence[object], kind: str, where: str, tally: Tally) -> None:
    # markdown-it splits text at brackets and line breaks, so a Liquid tag can span
    # several text tokens: adjacent texts of one construct are counted together.
    pieces: list[tuple[str, str]] = []
    links: list[str] = []  # markup of each open link: "autolink" texts are addresses
    for tok in children:
        ttype, content = getattr(tok, "type", ""), getattr(tok, "content", "")
        construct, text = "", ""
        if ttype == "link_open":
            links.append(getattr(tok, "markup", ""))
        elif ttype == "link_close" and links:
            links.pop()
        elif ttype == "image":
            construct, text = "image alt text", content
        elif ttype == "text" and "autolink" not in links:
            construct, text = ("link text" if links else kind), content
        elif ttype in {"softbreak", "hardbreak"} and pieces and pieces[-1][0]:
            construct, text = pieces[-1][0], "\n"  # a re-wrap may break inside a tag
        if not construct:
            pieces.append(("", ""))
        elif pieces and pieces[-1][0] == construct:
            pieces[-1] = (construct, pieces[-1][1] + text)
        else:
            pieces.append((construct, text))
    for construct, text in pieces:
        if construct:
            tally.add(construct, text, where)
            for attrs in _ATTRS_RE.findall(_LIQUID_RE.sub(" ", text)):
                # masked by words(): counted apart, as markup
                tally.add("attribute list", attrs[1:-1].lstrip(":#."), where)


@dataclass(frozen=True, slots=True)
class Run:
    """One pipeline command's outcome."""

    code: int
    output: str


def pipeline(root: Path, *args: str) -> Run:
    # the checkout under test, whatever is installed
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"pipeline {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return Run(proc.returncode, proc.stdout + proc.stderr)


def pages(corpus: Path) -> list[Path]:
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.suffix in SUFFIXES and p.is_file() and p != corpus / "README.md"
    )


def fill_pseudo(locales: Path) -> int:
    """Every entry of every catalog gets ``pseudo(msgid)``; returns how many."""
    filled = 0
    for path in sorted(locales.rglob("*.po")):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            if entry.obsolete:
                continue
            entry.msgstr = pseudo(entry.msgid)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        po.save(str(path))
    return filled


def refused(output: str, root: Path) -> dict[str, dict[str, str]]:
    """Per catalog stem (``_docs/x``), the loose msgid of each translation ``merge``
    refused → the check that refused it (from its ``path:line: code:`` warnings)."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    catalogs: dict[str, list[polib.POEntry]] = {}
    for match in _WARNING_RE.finditer(output):
        po_path, line, code = match[1], int(match[2]), match[3]
        if po_path not in catalogs:
            entries = polib.pofile(str(root / po_path))
            catalogs[po_path] = sorted(entries, key=lambda e: e.linenum or 0)
        # the entry the warning's line falls in: the last one starting at or before it
        entry = None
        for candidate in catalogs[po_path]:
            if (candidate.linenum or 0) <= line:
                entry = candidate
        if entry is not None:
            stem = str(Path(po_path).relative_to(Path("locales") / LANG).with_suffix(""))
            found[stem][_loose(entry.msgid)] = code
    return found


def report(title: str, out: Tally, source: Tally, examples: int) -> Iterator[str]:
    shown = {k: v for k, v in out.counts.items() if k not in HIDDEN}
    hidden = {k: v for k, v in out.counts.items() if k in HIDDEN}
    total_src = sum(v for k, v in source.counts.items() if k not in HIDDEN)
    left = sum(shown.values())
    yield title
    yield f"  source words outside code (shown to readers): {total_src}"
    yield f"  left untranslated after merge: {left} ({100 * left / max(total_src, 1):.1f} %)"
    yield f"  not shown to readers (markup), also left: {sum(hidden.values())}"
    yield ""
    yield "  where the untranslated words sit (shown to readers):"
    for construct, n in sorted(shown.items(), key=lambda kv: (-kv[1], kv[0])):
        yield f"  {n:7d}  {100 * n / max(left, 1):5.1f} %  {construct}"
        for example in out.examples[construct][:examples]:
            yield f"                     e.g. {example}"
    yield ""
    yield "  not shown to readers:"
    for construct, n in sorted(hidden.items(), key=lambda kv: (-kv[1], kv[0])):
        yield f"  {n:7d}  {construct}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workdir", type=Path, help="keep the project here (default: temp)")
    parser.add_argument("--examples", type=int, default=2, help="examples per construct")
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="untranslated-") as tmp:
        root = args.workdir or Path(tmp)
        if root.exists() and any(root.iterdir()):
            raise SystemExit(f"{root}: not empty; name a new or empty folder")
        articles = pages(args.corpus)
        for page in articles:
            target = root / "source" / page.relative_to(args.corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
        pipeline(root, "init", LANG)
        pipeline(root, "extract")
        filled = fill_pseudo(root / "locales" / LANG)
        merged = pipeline(root, "merge")
        fallbacks = refused(merged.output, root)

        source, out = Tally(keep=args.examples), Tally(keep=args.examples)
        missing = 0
        for page in articles:
            rel = page.relative_to(args.corpus)
            count_article(page.read_text("utf-8"), str(rel), source, {})
            built = root / "output" / LANG / rel
            if not built.exists():
                missing += 1
                continue
            stem = str(rel.with_suffix(""))
            count_article(built.read_text("utf-8"), str(rel), out, fallbacks.get(stem, {}))
        summary = next(
            (line for line in merged.output.splitlines() if line.startswith(f"{LANG}: ")), ""
        )
        lines = [
            f"{len(articles)} pages, {filled} catalog entries pseudo-translated; "
            f"{missing} page(s) without output",
            f"merge: {summary}",
            "",
            *report("untranslated words (ASCII words outside code):", out, source, args.examples),
        ]
        print("\n".join(lines))
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "pages": len(articles),
                        "source_words": dict(source.counts),
                        "untranslated_words": dict(out.counts),
                        "merge": summary,
                    },
                    indent=2,
                    sort_keys=True,
                )
                + "\n",
                "utf-8",
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
