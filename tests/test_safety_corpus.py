"""The attack corpus: untrusted translations against the product's safety rules.

A ``.po`` file is written by translators, so every msgstr is untrusted input. Each file
in ``tests/fixtures/safety/`` is one case (format: ``tests/fixtures/safety/README.md``):
an article, the msgid of one of its entries and a translation of it.

- ``unsafe/*.txt``: ``pipeline check`` must report every ``expect:`` code as an error on
  the entry; ``pipeline merge`` must not publish the translation (the article keeps its
  source text), must name ``case.po:<line>: <code>``, and ``merge --strict`` exits 1.
- ``harmless/*.txt``: no error at all on the entry, the translation is published, and
  ``merge --strict`` exits 0.
- Every case: what ``merge`` wrote is rendered the way a permissive site would
  (markdown-it with raw HTML on and every link allowed, front-matter values inserted as
  raw HTML) and parsed by a browser-grade HTML parser (lexbor). It must hold no active
  content that the source article does not have.

The browser model (URL normalisation, dangerous elements and attributes) is written here,
independently of ``pipeline/``, so that this test can catch the product's mistakes.
Projects are built minimally in ``tmp_path``; each case runs four commands (about 0.1 s).
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
import pytest
import yaml
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "safety"
UNSAFE = sorted((FIXTURES / "unsafe").glob("*.txt"))
HARMLESS = sorted((FIXTURES / "harmless").glob("*.txt"))

BLOCKING_CODES = frozenset(
    {
        "unsafe-html",
        "html",
        "link-target",
        "link-count",
        "footnote",
        "code-span",
        "invisible-chars",
        "template-syntax",
        "structure",
    }
)
"""Codes that ``merge`` enforces: the translation is not published."""

DANGEROUS_TAGS = (
    *("script", "style", "iframe", "object", "embed", "meta", "base", "form", "svg"),
    *("math", "link", "frame", "frameset", "applet", "noscript", "template"),
)
"""Elements that must never reach a reader from a translation (the spec's list)."""

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "background",
        "cite",
        "data",
        "codebase",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "usemap",
        "manifest",
        "icon",
        "ping",
        "xlink:href",
        "xml:base",
    }
)
"""Attributes a browser reads as one URL (``srcset`` and meta ``content`` are lists)."""

DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data"})

BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Embeddings, overrides and isolates: they reorder what a reader sees."""


# --- the fixture format -------------------------------------------------------------

_ESCAPE = re.compile(r"\\u\{([0-9A-Fa-f]{1,6})\}")
_SECTIONS = ("article", "msgid", "msgstr")


def decode_escapes(text: str) -> str:
    """``\\u{202E}`` → U+202E; every other backslash stays as it is."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


@dataclass(frozen=True)
class Case:
    """One fixture file."""

    name: str
    kind: str
    """``unsafe`` or ``harmless`` (the folder)."""
    title: str
    language: str
    expect: tuple[str, ...]
    """Codes ``check`` must report as errors on the entry; empty for harmless cases."""
    settings: dict[str, Any]
    flags: tuple[str, ...]
    """Extra ``#,`` flags for the entry (``no-check-…``), optional header ``flags:``."""
    article: str
    msgid: str
    msgstr: str


def load_case(path: Path) -> Case:
    """Parse a fixture file; raise ``ValueError`` naming the file and line when malformed."""
    text = path.read_text("utf-8")
    lines = text.split("\n")
    header: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    current: str | None = None
    ended = False
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}"
        if line == ".":
            ended = True
            if any(rest.strip() for rest in lines[number:]):
                raise ValueError(f"{where}: text after the final '.' line")
            break
        if line.startswith(". "):
            current = line[2:].strip()
            if current not in _SECTIONS or current in sections:
                raise ValueError(f"{where}: unknown or repeated section {line!r}")
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
        elif line.strip() and not line.startswith("#"):
            key, sep, value = line.partition(":")
            if not sep or key.strip() in header:
                raise ValueError(f"{where}: expected a 'key: value' header line, got {line!r}")
            header[key.strip()] = value.strip()
    if not ended:
        raise ValueError(f"{path}: the file must end with a line '.'")
    missing = [k for k in ("title", "language", "expect") if k not in header]
    missing += [f". {s}" for s in _SECTIONS if s not in sections]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}")
    unknown = set(header) - {"title", "language", "expect", "settings", "flags"}
    if unknown:
        raise ValueError(f"{path}: unknown header key(s) {sorted(unknown)}")
    kind = path.parent.name
    expect = tuple(header["expect"].split())
    if kind == "harmless" and expect != ("none",):
        raise ValueError(f"{path}: a harmless case must say 'expect: none'")
    if kind == "unsafe" and (not expect or not set(expect) <= BLOCKING_CODES):
        raise ValueError(f"{path}: expect must name blocking codes {sorted(BLOCKING_CODES)}")
    settings = tomllib.loads(f"s = {{ {header.get('settings', '')} }}")["s"]
    body = {name: decode_escapes("\n".join(got)) for name, got in sections.items()}
    return Case(
        name=path.name,
        kind=kind,
        title=header["title"],
        language=header["language"],
        expect=() if expect == ("none",) else expect,
        settings=settings,
        flags=tuple(header.get("flags", "").split()),
        article=body["article"],
        msgid=body["msgid"],
        msgstr=body["msgstr"],
    )


# --- a browser's view of what was published -----------------------------------------


def browser_scheme(url: str) -> str:
    """The scheme a browser's URL parser sees in an attribute value (already decoded).

    WHATWG URL: leading and trailing C0 controls and spaces are stripped, every ASCII tab
    and newline is removed, and the scheme is compared case-insensitively.
    """
    url = url.strip("".join(chr(c) for c in range(0x21)))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match[1].lower() if match else ""


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _refresh_url(value: str) -> list[str]:
    match = re.match(r"\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)", value, re.I | re.S)
    return [match[1].strip("'\" ")] if match and match[1] else []


def audit_html(html: str) -> Counter[str]:
    """Active content in ``html`` as a browser builds it: one string per finding."""
    found: Counter[str] = Counter()
    tree = LexborHTMLParser(html)
    if tree.root is None:
        return found
    for node in tree.root.traverse(include_text=True):
        tag = node.tag or ""
        if tag.startswith("-"):
            text = node.text(deep=False) or ""
            for char in text:
                if char in BIDI_CONTROLS:
                    found[f"bidi control U+{ord(char):04X} in text"] += 1
            continue
        if tag.lower() in DANGEROUS_TAGS:
            found[f"<{tag.lower()}> element"] += 1
        for attr, raw in node.attributes.items():
            name = attr.lower()
            value = raw or ""
            if name.startswith("on"):
                found[f"<{tag}> event handler {name}="] += 1
            urls: list[str] = []
            if name in URL_ATTRIBUTES:
                urls = [value]
            elif name in {"srcset", "imagesrcset"}:
                urls = _srcset_urls(value)
            elif name == "content" and tag == "meta":
                urls = _refresh_url(value)
            elif name == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.I):
                found[f"<{tag}> style with url()/expression()"] += 1
            for url in urls:
                scheme = browser_scheme(url)
                if scheme not in DANGEROUS_SCHEMES:
                    continue
                image = re.sub(r"[\t\n\r]", "", url.strip()).lower().startswith("data:image/")
                if scheme == "data" and image and tag == "img" and name in {"src", "srcset"}:
                    continue
                found[f"<{tag} {name}> {scheme}: URL"] += 1
            if any(char in BIDI_CONTROLS for char in value):
                found[f"<{tag} {name}> bidi control in attribute"] += 1
    return found


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # a permissive renderer: every link goes through
    return md


_MD = _markdown()


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter YAML, body) of an article; ("", text) without front matter."""
    text = text.removeprefix("\ufeff")
    match = re.match(r"---\r?\n(.*?\r?\n)?---\r?\n", text, re.S)
    if not match:
        return "", text
    return match[1] or "", text[match.end() :]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def audit_article(text: str) -> Counter[str]:
    """Active content of a Markdown article as a permissive site publishes it."""
    front, body = split_front_matter(text)
    found = audit_html(_MD.render(body))
    if front:
        try:
            data = yaml.safe_load(front)
        except yaml.YAMLError:
            data = front  # a site would insert it somehow: take it as one raw string
        for value in _strings(data):
            found += Counter({f"front matter: {k}": n for k, n in audit_html(value).items()})
    return found


# --- running one case ---------------------------------------------------------------


@dataclass
class Outcome:
    """What the product did with one case."""

    case: Case
    po: Path
    entry_lines: range
    """Lines of the entry in its ``.po`` (comments to msgstr): problems point into it."""
    problems: list[dict[str, Any]]
    """``check``'s problems (JSON) on the entry, every severity."""
    check: Result
    merge: Result
    strict: Result
    published: str
    """``output/<lang>/case.md`` after ``merge``."""
    merge_reports: list[tuple[int, str]]
    """(line, code) of the entry named by ``merge`` as ``case.po:<line>: <code>: …``."""
    active: Counter[str]
    """Active content in the published article that the source article does not have."""

    @property
    def errors(self) -> list[str]:
        return [p["code"] for p in self.problems if p["severity"] == "error"]

    def describe(self) -> str:
        problems = "\n".join(f"  {p['line']}: {p['code']} ({p['severity']})" for p in self.problems)
        return (
            f"case {self.case.name}: {self.case.title}\n"
            f"msgstr: {self.case.msgstr!r}\n"
            f"check problems on lines {self.entry_lines.start}-{self.entry_lines.stop - 1}:\n"
            f"{problems or '  (none)'}\n"
            f"merge (exit {self.merge.exit_code}):\n{self.merge.output}"
            f"merge --strict (exit {self.strict.exit_code}):\n{self.strict.output}"
            f"published:\n{self.published}"
        )


def _invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # str, int, float, bool: valid TOML


def write_project(case: Case, root: Path) -> None:
    """A minimal project: one language, one article, the case's settings."""
    settings: dict[str, Any] = {
        "languages": [case.language],
        "source_language": "en",
        "min_complete": 0,
        # every article is published, so its output is there to parse
        "publish_min_complete": 0,
        "required_fields": [],
        **case.settings,
    }
    lines = "".join(f"{key} = {_toml_value(value)}\n" for key, value in settings.items())
    (root / "pyproject.toml").write_text(f"[tool.pipeline]\n{lines}", "utf-8")
    (root / "source").mkdir(parents=True, exist_ok=True)
    (root / "source" / "case.md").write_bytes(case.article.encode("utf-8"))


def _entry_span(po_path: Path, msgid: str) -> range:
    text = po_path.read_text("utf-8").split("\n")
    [entry] = [e for e in polib.pofile(str(po_path), wrapwidth=0) if e.msgid == msgid]
    start = end = entry.linenum
    while end < len(text) and text[end].strip():  # text[end] is line end + 1
        end += 1
    return range(start, end + 1)


def translate(case: Case, po_path: Path) -> range:
    """Put the case's msgstr on its entry; fill every other entry with its own source
    text, so nothing else is untranslated (``merge --strict`` then speaks of this entry
    alone) and ``required-field`` is satisfied. Returns the entry's lines."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    matches = [e for e in po if e.msgid == case.msgid and not e.obsolete]
    assert len(matches) == 1, (
        f"{case.name}: the msgid is not one entry of {po_path.name} (a fixture typo?).\n"
        f"msgid: {case.msgid!r}\nentries: {[e.msgid for e in po]!r}"
    )
    for entry in po:
        if entry is matches[0]:
            entry.msgstr = case.msgstr
            entry.flags.extend(f for f in case.flags if f not in entry.flags)
        elif not entry.msgstr and not entry.msgid_plural:
            entry.msgstr = entry.msgid
    po.save(str(po_path))
    return _entry_span(po_path, case.msgid)


_REPORT = re.compile(r"(?:^|[\s/])case\.po:(\d+): ([a-z][a-z-]*): ", re.M)


def run_case(case: Case, root: Path) -> Outcome:
    """Build the project in ``root`` (empty), then extract, check, merge, merge --strict."""
    write_project(case, root)
    extracted = _invoke(root, "extract")
    assert extracted.exit_code == 0, extracted.output
    po_path = root / "locales" / case.language / "case.po"
    span = translate(case, po_path)

    check = _invoke(root, "check", "--format", "json")
    assert check.exit_code in (0, 1), f"check crashed:\n{check.output}\n{check.exception!r}"
    data = json.loads(check.stdout)
    everything = [*data["problems"], *(p for a in data["articles"] for p in a["problems"])]
    problems = [
        p
        for p in everything
        if p["path"].endswith(f"{case.language}/case.po") and p["line"] in span
    ]

    merge = _invoke(root, "merge")
    published_path = root / "output" / case.language / "case.md"
    published = published_path.read_text("utf-8") if published_path.is_file() else ""
    strict = _invoke(root, "merge", "--strict")
    reports = [(int(m[1]), m[2]) for m in _REPORT.finditer(merge.output) if int(m[1]) in span]
    active = audit_article(published) - audit_article(case.article)
    return Outcome(case, po_path, span, problems, check, merge, strict, published, reports, active)


@pytest.fixture(scope="session")
def outcome_of(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Path], Outcome]:
    """Each case runs once per session, whichever of its tests asks first."""
    cache: dict[Path, Outcome] = {}

    def get(path: Path) -> Outcome:
        if path not in cache:
            root = tmp_path_factory.mktemp(path.stem[:40])
            cache[path] = run_case(load_case(path), root)
        return cache[path]

    return get


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# --- the corpus itself --------------------------------------------------------------


def test_the_corpus_is_complete() -> None:
    unsafe = [load_case(p) for p in UNSAFE]
    harmless = [load_case(p) for p in HARMLESS]
    assert len(unsafe) >= 65 and len(harmless) >= 32
    codes = {code for case in unsafe for code in case.expect}
    # structure: the renderer escapes everything a translator can type (see README)
    assert BLOCKING_CODES - {"structure"} <= codes
    payloads = "\n".join(c.msgstr.lower() for c in unsafe)
    for tag in DANGEROUS_TAGS:
        assert f"<{tag}" in payloads, f"no unsafe case uses <{tag}>"
    for attr in ("srcset", "poster", "formaction", "xlink:href", "http-equiv", "background"):
        assert attr in payloads, f"no unsafe case uses {attr}"


@pytest.mark.parametrize("path", [*UNSAFE, *HARMLESS], ids=_ids([*UNSAFE, *HARMLESS]))
def test_fixture_shows_every_invisible_character_as_an_escape(path: Path) -> None:
    text = path.read_text("utf-8")
    hidden = [
        f"line {text.count(chr(10), 0, i) + 1}: U+{ord(ch):04X}"
        for i, ch in enumerate(text)
        if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or _invisible(ch))
    ]
    assert not hidden, f"write these as \\u{{XXXX}}: {hidden}"
    case = load_case(path)
    assert case.msgstr != case.msgid, "the translation must differ from the source"


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in {"Cf", "Zl", "Zp"} or 0xE0000 <= ord(char) <= 0xE007F


def test_the_fixture_format() -> None:
    assert decode_escapes(r"a\u{202E}b \n \u{1F469}\u{200D}") == "a\u202eb \\n \U0001f469\u200d"


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a href> javascript: URL"),
        ('<a href="&#14;javascript:alert(1)">x</a>', "<a href> javascript: URL"),
        ('<a href=" JaVaScRiPt&colon;alert(1)">x</a>', "<a href> javascript: URL"),
        ('<img srcset="a.png 1x, vbscript:x 2x">', "<img srcset> vbscript: URL"),
        ('<iframe src="data:text/html,x"></iframe>', "<iframe> element"),
        ('<a href="data:image/png;base64,AA">x</a>', "<a href> data: URL"),
        ('<IMG/SRC="x"/ONERROR=alert(1)>', "<img> event handler onerror="),
        (
            '<meta http-equiv="refresh" content="0;url=javascript:x">',
            "<meta content> javascript: URL",
        ),
        ("<p>\u202egnp.exe</p>", "bidi control U+202E in text"),
        ("<p>&#x2067;x</p>", "bidi control U+2067 in text"),
    ],
)
def test_the_browser_model_finds(html: str, finding: str) -> None:
    assert finding in audit_html(html)


@pytest.mark.parametrize(
    "html",
    [
        '<img src="data:image/png;base64,AA" alt="x">',
        '<a href="mailto:editors@example.org">x</a> <a href="/javascript:x">y</a>',
        "<p>JavaScript: the language; data: 12 rows; a &lt; b</p>",
        "<p><code>&lt;script&gt;</code> \u200f \u200c</p>",
    ],
)
def test_the_browser_model_passes(html: str) -> None:
    assert not audit_html(html)


def test_markdown_is_rendered_permissively() -> None:
    found = audit_article("---\ntitle: <b onclick=x>T</b>\n---\n\n[a](jav&#x61;script:x)\n")
    assert found == Counter(
        {"<a href> javascript: URL": 1, "front matter: <b> event handler onclick=": 1}
    )


def naive_publication(case: Case) -> str:
    """The article with the msgstr spliced in unchecked: what a product without rules
    would publish (every occurrence of the msgid replaced)."""
    return case.article.replace(case.msgid, case.msgstr)


def test_the_browser_model_sees_the_payloads_when_published_naively() -> None:
    """The render assertions below are not vacuous: spliced in unchecked, most unsafe
    payloads give active content in the permissive renderer. (The rest are payloads a
    CommonMark renderer escapes or a browser ignores, e.g. ``<img/src=...>``, ``<frame>``
    in a body, alt text, or ones that are not script at all: link targets, templates.)"""
    active = [p.name for p in UNSAFE if audit_article(naive_publication(load_case(p)))]
    assert len(active) >= 75, active


# --- unsafe cases -------------------------------------------------------------------


@pytest.mark.parametrize("path", UNSAFE, ids=_ids(UNSAFE))
def test_check_reports_the_unsafe_translation(
    path: Path, outcome_of: Callable[[Path], Outcome]
) -> None:
    out = outcome_of(path)
    missing = [code for code in out.case.expect if code not in out.errors]
    assert not missing, f"check did not report {missing} as errors\n{out.describe()}"
    assert out.check.exit_code == 1, out.describe()


@pytest.mark.parametrize("path", UNSAFE, ids=_ids(UNSAFE))
def test_merge_refuses_the_unsafe_translation(
    path: Path, outcome_of: Callable[[Path], Outcome]
) -> None:
    out = outcome_of(path)
    case = out.case
    assert out.merge.exit_code == 0, out.describe()
    if case.msgstr not in case.article:
        assert case.msgstr not in out.published, out.describe()
    # every other entry holds its own source text: the whole article is the source's
    assert out.published == case.article, f"the translation was published\n{out.describe()}"
    reported = {code for _, code in out.merge_reports}
    assert reported & set(case.expect), (
        f"merge did not name case.po:<line>: {'|'.join(case.expect)}\n{out.describe()}"
    )
    assert out.strict.exit_code == 1, out.describe()


@pytest.mark.parametrize("path", UNSAFE, ids=_ids(UNSAFE))
def test_published_unsafe_case_has_no_active_content(
    path: Path, outcome_of: Callable[[Path], Outcome]
) -> None:
    out = outcome_of(path)
    assert not out.active, f"active content published: {dict(out.active)}\n{out.describe()}"


# --- harmless cases -----------------------------------------------------------------


@pytest.mark.parametrize("path", HARMLESS, ids=_ids(HARMLESS))
def test_check_accepts_the_harmless_translation(
    path: Path, outcome_of: Callable[[Path], Outcome]
) -> None:
    out = outcome_of(path)
    assert not out.errors, f"false positive: {out.errors}\n{out.describe()}"


@pytest.mark.parametrize("path", HARMLESS, ids=_ids(HARMLESS))
def test_merge_publishes_the_harmless_translation(
    path: Path, outcome_of: Callable[[Path], Outcome]
) -> None:
    out = outcome_of(path)
    assert out.merge.exit_code == 0, out.describe()
    assert not out.merge_reports, f"merge refused it: {out.merge_reports}\n{out.describe()}"
    assert not re.search(rf"case\.po:({'|'.join(map(str, out.entry_lines))}):", out.merge.output)
    assert out.published != out.case.article, f"not published\n{out.describe()}"
    assert out.strict.exit_code == 0, out.describe()


@pytest.mark.parametrize("path", HARMLESS, ids=_ids(HARMLESS))
def test_published_harmless_case_has_no_active_content(
    path: Path, outcome_of: Callable[[Path], Outcome]
) -> None:
    out = outcome_of(path)
    assert not out.active, f"active content published: {dict(out.active)}\n{out.describe()}"
