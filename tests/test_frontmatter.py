"""Front-matter values: located exactly, written back in the editor's style."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
import tomlkit
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline.checks.article import required_fields
from pipeline.errors import ConfigError
from pipeline.markdown.frontmatter import format_toml_string
from pipeline.markdown.parse import block_shape
from pipeline.markdown.segment import segment_document
from pipeline.publish.markdown import render
from tests.conftest import MakeProject
from tests.pseudo import pseudo

KEYS = ("title", "summary", "tags", "description")


@pytest.mark.parametrize(
    ("front", "translations", "expected"),
    [
        ("title: Hello", {"Hello": "Salam"}, "title: Salam"),
        ("title: Hello", {"Hello": "Salam: dünya"}, 'title: "Salam: dünya"'),
        ("title: Hello  # a comment", {"Hello": "Salam"}, "title: Salam  # a comment"),
        ("title: 'Hello'", {"Hello": "Ana's"}, "title: 'Ana''s'"),
        ('title: "Hello"', {"Hello": 'Say "hi"'}, 'title: "Say \\"hi\\""'),
        ("summary: &s Shared\nother: *s", {"Shared": "Ümumi"}, "summary: &s Ümumi\nother: *s"),
        ("tags: [news, society]", {"news": "xəbər, yeni"}, 'tags: ["xəbər, yeni", society]'),
        ("tags: [news, society]", {"society": "cəmiyyət"}, "tags: [news, cəmiyyət]"),
        ("tags:\n  - news\n  - society", {"news": "- xəbər"}, 'tags:\n  - "- xəbər"\n  - society'),
        (
            "description: >\n  One two three\n  four five.",
            {"One two three four five.": "Bir iki üç dörd beş."},
            "description: >\n  Bir iki üç dörd beş.",
        ),
        (
            "description: |-\n  Line one\n  line two",
            {"Line one\nline two": "Sətir bir\nsətir iki"},
            "description: |-\n  Sətir bir\n  sətir iki",
        ),
        (
            "title: Hello\ndate: 2026-02-26\ndraft: false",
            {"Hello": "Salam"},
            "title: Salam\ndate: 2026-02-26\ndraft: false",
        ),
    ],
)
def test_values_are_written_in_place(
    front: str, translations: dict[str, str], expected: str
) -> None:
    source = f"---\n{front}\n---\n\nBody.\n"
    doc = segment_document(source, "a.md", KEYS)
    rendered = render(doc, translations)
    assert not rendered.fallbacks
    assert rendered.text == f"---\n{expected}\n---\n\nBody.\n"
    reread = yaml.safe_load(expected)
    for key, value in yaml.safe_load(front).items():
        if isinstance(value, str) and value.strip() in translations:
            assert reread[key].strip() == translations[value.strip()]


def test_only_the_value_that_breaks_yaml_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every string can be written as double-quoted YAML, so no translation breaks the
    # front matter today; this proves the safety net would blame only the culprit.
    from pipeline.publish import markdown as render_module

    real = render_module.format_yaml_scalar

    def broken_for_one(value: str, style: str, original: str = "") -> str:
        return "[unclosed" if value == "Qısa" else real(value, style, original)

    monkeypatch.setattr(render_module, "format_yaml_scalar", broken_for_one)
    source = "---\ntitle: Hello\nsummary: Short\ndescription: Long\n---\n\nBody.\n"
    doc = segment_document(source, "a.md", KEYS)
    rendered = render(doc, {"Hello": "Salam", "Short": "Qısa", "Long": "Uzun"})
    assert rendered.text.startswith("---\ntitle: Salam\nsummary: Short\ndescription: Uzun\n")
    assert [f.segment.msgid for f in rendered.fallbacks] == ["Short"]
    assert rendered.fallbacks[0].reason == "makes the front matter invalid YAML"


def test_non_string_values_and_unlisted_keys_are_not_segments() -> None:
    source = "---\ntitle: 2026\nsummary: [1, 2]\ncategory: Society\n---\n"
    assert segment_document(source, "a.md", KEYS).segments == ()


# --- TOML front matter (+++) ---------------------------------------------------------------

TOML_CASES = [
    # basic strings: quotes, backslashes, control characters and line breaks escaped
    ('title = "Hello"', {"Hello": "Salam"}, 'title = "Salam"'),
    ('title = "Hello"', {"Hello": 'Say "hi" \\ C:\\x'}, 'title = "Say \\"hi\\" \\\\ C:\\\\x"'),
    ('title = "Hello"', {"Hello": "a\tb\x01c\x7f"}, 'title = "a\\tb\\u0001c\\u007F"'),
    ('title = "Hello"', {"Hello": "one\ntwo"}, 'title = "one\\ntwo"'),
    ('title   =   "Hello"   # kept', {"Hello": "Salam"}, 'title   =   "Salam"   # kept'),
    # literal strings stay literal while they can hold the text
    ("title = 'Hello'", {"Hello": "C:\\yol"}, "title = 'C:\\yol'"),
    ("title = 'Hello'", {"Hello": "Ana's"}, 'title = "Ana\'s"'),
    ("title = 'Hello'", {"Hello": "one\ntwo"}, 'title = "one\\ntwo"'),
    # multi-line basic: the layout around the text is kept, quotes never make """
    (
        'summary = """\nLine one\nline two\n"""',
        {"Line one\nline two": 'Sətir "bir"\nsətir ""iki"" \\'},
        'summary = """\nSətir "bir"\nsətir \\""iki\\"" \\\\\n"""',
    ),
    ('summary = """Hello"""', {"Hello": 'ends in "'}, 'summary = """ends in \\""""'),
    # multi-line literal: kept literal unless the text has ''' or a control character
    ("summary = '''\nLine one\n'''", {"Line one": "Sətir\nbir"}, "summary = '''\nSətir\nbir\n'''"),
    ("summary = '''\nLine one\n'''", {"Line one": "a ''' b"}, 'summary = """\na \'\'\' b\n"""'),
    ("summary = '''Hello'''", {"Hello": "it's"}, "summary = '''it's'''"),
    ("summary = '''Hello'''", {"Hello": "Ali'"}, 'summary = """Ali\'"""'),
    # arrays of strings, as YAML lists; other values and keys stay as they are
    (
        "tags = [\"news\", 'society']",
        {"news": "xəbər, yeni"},
        "tags = [\"xəbər, yeni\", 'society']",
    ),
    (
        'tags = [\n  "news",  # first\n  "society",\n]',
        {"society": "cəmiyyət"},
        'tags = [\n  "news",  # first\n  "cəmiyyət",\n]',
    ),
    (
        'title = "Hello"\ndraft = true\ndate = 2026-02-26\n[params]\ntitle = "Hello"',
        {"Hello": "Salam"},
        'title = "Salam"\ndraft = true\ndate = 2026-02-26\n[params]\ntitle = "Hello"',
    ),
]


@pytest.mark.parametrize(("front", "translations", "expected"), TOML_CASES)
def test_toml_values_are_written_in_place(
    front: str, translations: dict[str, str], expected: str
) -> None:
    source = f"+++\n{front}\n+++\n\nBody.\n"
    doc = segment_document(source, "a.md", KEYS)
    assert render(doc, {}).text == source
    rendered = render(doc, translations)
    assert not rendered.fallbacks
    assert rendered.text == f"+++\n{expected}\n+++\n\nBody.\n"
    # Both tomlkit and the standard library read the translations back exactly.
    for reread in (tomlkit.parse(expected).unwrap(), tomllib.loads(expected)):
        for key, value in tomllib.loads(front).items():
            values = value if isinstance(value, list) else [value]
            got = reread[key] if isinstance(value, list) else [reread[key]]
            for old, new in zip(values, got, strict=True):
                if isinstance(old, str) and old.strip() in translations:
                    assert new.strip() == translations[old.strip()]


def test_toml_crlf_bom_and_spans() -> None:
    source = (
        '\ufeff+++\r\ntitle = "Hello"\r\nsummary = """\r\nOne\r\ntwo\r\n"""\r\n+++\r\n\r\nBody.\r\n'
    )
    doc = segment_document(source, "a.md", KEYS)
    assert [(s.msgid, s.line, doc.source_of(s)) for s in doc.segments] == [
        ("Hello", 2, '"Hello"'),
        ("One\ntwo", 3, '"""\r\nOne\r\ntwo\r\n"""'),
        ("Body.", 9, "Body."),
    ]
    rendered = render(doc, {"Hello": "Salam", "One\ntwo": "Bir\niki"})
    assert rendered.text == source.replace("Hello", "Salam").replace("One\r\ntwo", "Bir\r\niki")


def test_a_toml_block_is_never_markdown() -> None:
    # A '---' or '...' line inside a multi-line string ends YAML front matter, not TOML;
    # the block is one front_matter token and nothing in it is a paragraph or a break.
    source = "+++\ntitle = '''\n---\n...\n# not a heading\n'''\n+++\n\n# Heading\n"
    doc = segment_document(source, "a.md", KEYS)
    assert doc.shape == ("front_matter::", "heading_open:h1:", "heading_close:h1:")
    assert [s.kind for s in doc.segments] == ["front matter: title", "heading 1"]
    assert block_shape(source) == doc.shape


def test_plus_lines_not_on_line_one_are_markdown() -> None:
    doc = segment_document("\n+++\ntitle = 'x'\n+++\n", "a.md", KEYS)
    assert [s.kind for s in doc.segments] == ["paragraph"]


def test_only_the_toml_value_that_breaks_the_front_matter_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.publish import markdown as render_module

    real = render_module.format_toml_string

    def broken_for_one(value: str, style: str, original: str = "", eol: str = "\n") -> str:
        return '"unclosed' if value == "Qısa" else real(value, style, original, eol)

    monkeypatch.setattr(render_module, "format_toml_string", broken_for_one)
    source = '+++\ntitle = "Hello"\nsummary = "Short"\ndescription = "Long"\n+++\n\nBody.\n'
    doc = segment_document(source, "a.md", KEYS)
    rendered = render(doc, {"Hello": "Salam", "Short": "Qısa", "Long": "Uzun"})
    assert rendered.text.startswith('+++\ntitle = "Salam"\nsummary = "Short"\n')
    assert [f.segment.msgid for f in rendered.fallbacks] == ["Short"]
    assert rendered.fallbacks[0].reason == "makes the front matter invalid TOML"


@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1).map(str.strip))
@pytest.mark.parametrize("style", ['"', "'", '"""', "'''"])
def test_every_text_is_written_as_a_toml_string_that_reads_back(style: str, value: str) -> None:
    original = {'"': '"x"', "'": "'x'", '"""': '"""\nx\n"""', "'''": "'''\nx\n'''"}[style]
    written = format_toml_string(value, style, original)
    got = tomllib.loads(f"k = {written}\n")["k"]
    assert got.replace("\r\n", "\n").strip() == value.replace("\r\n", "\n")


# --- Nested values: key paths with dots and * ---------------------------------------------

# (front matter, front_matter_keys, the values found as (field, msgid), in source order)
NESTED_YAML = [
    pytest.param(
        "seo:\n  title: Hello\n  image: /a.jpg\nog:\n  title: Other",
        ("seo.title",),
        [("seo.title", "Hello")],
        id="dotted",
    ),
    pytest.param(
        "seo:\n  title: 'Hello'\n  description: >\n    One\n    two\n  weight: 3",
        ("seo.*",),
        [("seo.title", "Hello"), ("seo.description", "One two")],
        id="star over a mapping, numbers left out",
    ),
    pytest.param(
        "tags:\n  - news\n  - 7\n  - society\nlabels: [a, b]",
        ("tags.*", "labels"),
        [("tags.0", "news"), ("tags.2", "society"), ("labels.0", "a"), ("labels.1", "b")],
        id="star over a list, a list named whole",
    ),
    pytest.param(
        "hero:\n  - text: One\n    image: /1.jpg\n  - image: /2.jpg\n"
        "  - text: |\n      Three\n      lines",
        ("hero.*.text",),
        [("hero.0.text", "One"), ("hero.2.text", "Three\nlines")],
        id="list of mappings",
    ),
    pytest.param(
        'faq:\n- question: Why?\n  answer: "Because."\n- question: How?\n  answer: Thus.',
        ("faq.*.answer", "faq.1.question"),
        [("faq.0.answer", "Because."), ("faq.1.question", "How?"), ("faq.1.answer", "Thus.")],
        id="list of mappings at the key's indentation, an index",
    ),
    pytest.param(
        "cta: {label: Book now, note: 'Free, today', n: 4, sub: [x, \"y\"]}",
        ("cta.*", "cta.sub.*"),
        [
            ("cta.label", "Book now"),
            ("cta.note", "Free, today"),
            ("cta.sub.0", "x"),
            ("cta.sub.1", "y"),
        ],
        id="flow mapping and sequence",
    ),
    pytest.param(
        "seo:\n  title: 2026\n  draft: false\n  list: [1, 2]\n  none:\n",
        ("seo.title", "seo.draft", "seo.list", "seo.none", "seo.nothing", "absent.title"),
        [],
        id="non-strings and missing keys left out",
    ),
    pytest.param(
        "title: Top\nseo:\n  title: Deep",
        ("seo.title.more", "title.0", "*.title"),
        [("seo.title", "Deep")],
        id="paths through scalars reach nothing",
    ),
    pytest.param(
        "og.title: Dotted key\nseo:\n  title: Nested",
        ("og.title", "seo.title"),
        [("og.title", "Dotted key"), ("seo.title", "Nested")],
        id="a key with a dot is named by its own name too",
    ),
    pytest.param(
        "base: &b\n  label: Shared\nbox:\n  <<: *b\n  label2: Own",
        ("box.*",),
        [("box.label2", "Own")],
        id="merge keys are not followed",
    ),
    pytest.param(
        "seo:\n  title: Twice",
        ("seo.title", "seo.*", "*.title"),
        [("seo.title", "Twice")],
        id="a value reached by two paths is one segment",
    ),
]

NESTED_TOML = [
    pytest.param(
        '[seo]\ntitle = "Hello"\nimage = "/a.jpg"\n[og]\ntitle = "Other"',
        ("seo.title",),
        [("seo.title", "Hello")],
        id="table",
    ),
    pytest.param(
        "seo.title = 'Hello'\nseo.weight = 3\nog.title = \"Og\"",
        ("seo.*", "og.title"),
        [("seo.title", "Hello"), ("og.title", "Og")],
        id="dotted keys, star over a mapping, numbers left out",
    ),
    pytest.param(
        'tags = ["news", 7, \'society\']\nlabels = ["a", "b"]',
        ("tags.*", "labels"),
        [("tags.0", "news"), ("tags.2", "society"), ("labels.0", "a"), ("labels.1", "b")],
        id="star over an array, an array named whole",
    ),
    pytest.param(
        '[[faq]]\nquestion = "Why?"\nanswer = """\nBecause.\n"""\n\n[[faq]]\nanswer = \'Thus.\'',
        ("faq.*.answer", "faq.0.question"),
        [("faq.0.question", "Why?"), ("faq.0.answer", "Because."), ("faq.1.answer", "Thus.")],
        id="array of tables",
    ),
    pytest.param(
        'hero = [{ text = "One", image = "/1.jpg" }, { image = "/2.jpg" }, { text = \'Three\' }]',
        ("hero.*.text",),
        [("hero.0.text", "One"), ("hero.2.text", "Three")],
        id="array of inline tables",
    ),
    pytest.param(
        'cta = { label = "Book now", note = \'Free, today\', n = 4, sub = { t = "Deep" } }',
        ("cta.*", "cta.sub.t"),
        [("cta.label", "Book now"), ("cta.note", "Free, today"), ("cta.sub.t", "Deep")],
        id="inline tables",
    ),
    pytest.param(
        '[params.menu]\nlabel = "Menu"\n[other]\nx = "y"\n[params]\nlabel = "Params"',
        ("params.label", "params.*.label"),
        [("params.menu.label", "Menu"), ("params.label", "Params")],
        id="a table in pieces",
    ),
    pytest.param(
        "[seo]\ntitle = 2026\ndraft = false\nlist = [1, 2]\ndate = 2026-02-26",
        ("seo.title", "seo.draft", "seo.list", "seo.date", "seo.nothing", "absent.title"),
        [],
        id="non-strings and missing keys left out",
    ),
    pytest.param(
        '"og.title" = "Quoted key"\n[seo]\ntitle = "Twice"',
        ("og.title", "seo.title", "seo.*"),
        [("og.title", "Quoted key"), ("seo.title", "Twice")],
        id="a quoted key with a dot, a value reached twice",
    ),
]


def _locate(data: object, parts: list[str]) -> tuple[Any, Any]:
    """The container and key of a segment's field in parsed front matter (a key may
    hold dots: the longest key that spells the next parts is taken)."""
    if isinstance(data, list):
        return (data, int(parts[0])) if len(parts) == 1 else _locate(data[int(parts[0])], parts[1:])
    assert isinstance(data, dict)
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in data:
            return (data, key) if n == len(parts) else _locate(data[key], parts[n:])
    raise KeyError(parts)


def _nested(fence: str, front: str, keys: tuple[str, ...], expected: list[tuple[str, str]]) -> None:
    """Each configured value is found under its path; no catalog and the identity catalog
    rebuild the source; a pseudo-translation lands at each value's path and nowhere else."""
    source = f"{fence}\n{front}\n{fence}\n\nBody.\n"
    doc = segment_document(source, "a.md", keys)
    values = [s for s in doc.segments if s.field]
    assert [(s.field, s.msgid) for s in values] == expected
    assert all(s.kind == f"front matter: {s.field}" for s in values)
    assert render(doc, {}).text == source
    assert render(doc, {s.key: s.msgid for s in doc.segments}).text == source

    table = {s.key: pseudo(s.msgid) for s in values}
    rendered = render(doc, table)
    assert not rendered.fallbacks
    out = segment_document(rendered.text, "out.md", keys)
    assert [(s.field, s.msgid) for s in out.segments if s.field] == [
        (s.field, pseudo(s.msgid)) for s in values
    ]
    inner = rendered.text.split(f"{fence}\n")[1]
    parse = tomllib.loads if fence == "+++" else yaml.safe_load
    before, after = parse(front), parse(inner)
    for seg in values:
        where, key = _locate(after, seg.field.split("."))
        got = where[key]
        assert isinstance(got, str)
        assert " ".join(got.split()) == " ".join(pseudo(seg.msgid).split())
        where, key = _locate(before, seg.field.split("."))
        where[key] = got
    assert after == before  # nothing else changed


@pytest.mark.parametrize(("front", "keys", "expected"), NESTED_YAML)
def test_nested_yaml_values(
    front: str, keys: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    _nested("---", front, keys, expected)


@pytest.mark.parametrize(("front", "keys", "expected"), NESTED_TOML)
def test_nested_toml_values(
    front: str, keys: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    _nested("+++", front, keys, expected)


# --- Key paths in the settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('front_matter_keys = ["seo..title"]\n', "'front_matter_keys': 'seo..title' has an empty"),
        ('front_matter_keys = [".title"]\n', "'front_matter_keys': '.title' has an empty part"),
        ('front_matter_keys = ["seo."]\n', "'front_matter_keys': 'seo.' has an empty part"),
        ('front_matter_keys = [""]\n', "'front_matter_keys': '' has an empty part"),
        (
            'front_matter_keys = ["faq.*.answer"]\nrequired_fields = ["faq.*.answer"]\n',
            "required field 'faq.*.answer' has a '*'",
        ),
        (
            'front_matter_keys = ["seo.title"]\nrequired_fields = ["seo.description"]\n',
            "required field 'seo.description' is not one of front_matter_keys",
        ),
        (
            'front_matter_keys = ["seo.*"]\nrequired_fields = ["seo.og.title"]\n',
            "required field 'seo.og.title' is not one of front_matter_keys",
        ),
    ],
)
def test_key_paths_in_settings_are_validated(
    make_project: MakeProject, extra: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        make_project({}, extra=extra)
    assert message in str(info.value)
    assert info.value.hint


def test_required_fields_may_name_nested_values(make_project: MakeProject) -> None:
    config = make_project(
        {},
        extra='front_matter_keys = ["seo.*", "faq.*.answer"]\n'
        'required_fields = ["seo.title", "faq.0.answer"]\n',
    )
    assert config.required_fields == ("seo.title", "faq.0.answer")
    # The default (title) follows front_matter_keys, patterns included.
    wildcard = 'front_matter_keys = ["*"]\npublish_min_complete = 0\n'
    assert make_project({}, extra=wildcard).required_fields == ("title",)

    source = "---\nseo:\n  title: Hello\nfaq:\n  - answer: Yes.\n  - answer: No.\n---\n"
    doc = segment_document(source, "a.md", config.front_matter_keys)
    problems = list(required_fields(doc, config.required_fields, "az", "az.po", {}))
    assert [p.message for p in problems] == [
        "the article's seo.title is not translated in az",
        "the article's faq.0.answer is not translated in az",
    ]
