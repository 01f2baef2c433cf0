"""Front-matter values: located exactly, written back in the editor's style."""

from __future__ import annotations

import pytest
import yaml

from pipeline.render import render
from pipeline.segment import segment_document

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
    from pipeline import render as render_module

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
