"""Front-matter values: located exactly, written back in the editor's style."""

from __future__ import annotations

import tomllib

import pytest
import tomlkit
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline.markdown.frontmatter import format_toml_string
from pipeline.markdown.segment import block_shape, segment_document
from pipeline.publish.markdown import render

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
