"""Articles written in any language (issue 12, section 3): an article's front matter
may say ``lang: az``; its template's msgids are then Azerbaijani and English is one of
its targets. A project with an English and an Azerbaijani article, translated both ways,
through extract, merge (Markdown and HTML), status and check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

EN = """---
title: Storm in Baku
---

# Storm in Baku

The port closed at noon.
"""

AZ = """---
title: Bakıda tufan
lang: az
---

# Bakıda tufan

Dəniz limanı günorta bağlandı. Qiymət 100.000 manatdır.
"""

AZ_TEXT = "Dəniz limanı günorta bağlandı. Qiymət 100.000 manatdır."
TRANSLATIONS = {
    ("az", "storm.po"): {
        "Storm in Baku": "Bakıda tufan",
        "The port closed at noon.": "Liman günorta bağlandı.",
    },
    ("ka", "storm.po"): {
        "Storm in Baku": "ქარიშხალი ბაქოში",
        "The port closed at noon.": "პორტი შუადღისას დაიკეტა.",
    },
    ("en", "tufan.po"): {
        "Bakıda tufan": "Storm in Baku",
        AZ_TEXT: "The sea port closed at noon. The price is 100,000 manats.",
    },
    ("ka", "tufan.po"): {
        "Bakıda tufan": "ქარიშხალი ბაქოში",
        AZ_TEXT: "საზღვაო პორტი შუადღისას დაიკეტა. ფასი 100 000 მანათია.",
    },
}


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    return result.exit_code, result.output + result.stderr


def _fill(po: Path, msgstrs: dict[str, str]) -> None:
    text = po.read_text("utf-8")
    for msgid, msgstr in msgstrs.items():
        old = f'msgid "{msgid}"\nmsgstr ""'
        assert old in text, (po, msgid)
        text = text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pipeline.toml").write_text('languages = ["az", "ka"]\nhtml = true\n', "utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "storm.md").write_text(EN, "utf-8")
    (tmp_path / "source" / "tufan.md").write_text(AZ, "utf-8")
    code, out = _run(tmp_path, "extract")
    assert code == 0, out
    return tmp_path


def test_each_article_is_translated_into_every_language_but_its_own(project: Path) -> None:
    catalogs = sorted(
        p.relative_to(project / "locales").as_posix() for p in (project / "locales").rglob("*.po")
    )
    assert catalogs == ["az/storm.po", "en/tufan.po", "ka/storm.po", "ka/tufan.po"]
    template = (project / "locales" / "tufan.pot").read_text("utf-8")
    assert 'msgid "Dəniz limanı günorta bağlandı. Qiymət 100.000 manatdır."' in template


def test_translated_both_ways_through_merge_status_and_check(project: Path) -> None:
    for (lang, name), msgstrs in TRANSLATIONS.items():
        _fill(project / "locales" / lang / name, msgstrs)
    code, out = _run(project, "merge")
    assert code == 0, out
    out_en = (project / "output" / "en" / "tufan.md").read_text("utf-8")
    assert "The sea port closed at noon." in out_en and "lang: az" in out_en
    assert not (project / "output" / "az" / "tufan.md").exists(), "never into its own language"
    assert "Liman günorta bağlandı." in (project / "output" / "az" / "storm.md").read_text("utf-8")
    # the HTML: each article's own page is its x-default, in its own language
    page = (project / "output" / "en" / "tufan.html").read_text("utf-8")
    assert '<html lang="en"' in page
    assert 'hreflang="x-default" href="../az/tufan.html"' in page
    own = (project / "output" / "az" / "tufan.html").read_text("utf-8")
    assert "Dəniz limanı günorta bağlandı." in own
    code, out = _run(project, "status", "--format", "json")
    assert code == 0, out
    rows = {(r["language"], r["article"]) for r in json.loads(out)["articles"]}
    assert rows == {
        ("az", "source/storm.md"),
        ("ka", "source/storm.md"),
        ("en", "source/tufan.md"),
        ("ka", "source/tufan.md"),
    }
    code, out = _run(project, "check")
    assert code == 0, out
    # the numbers check reads the Azerbaijani source as Azerbaijani: 100.000 is 100000
    assert "numbers" not in out, out
    assert _run(project, "merge", "--check")[0] == 0


def test_the_numbers_check_reads_the_article_in_its_own_language(project: Path) -> None:
    msgstrs = dict(TRANSLATIONS[("en", "tufan.po")])
    key = "Dəniz limanı günorta bağlandı. Qiymət 100.000 manatdır."
    msgstrs[key] = "The sea port closed at noon. The price is 100 manats."
    _fill(project / "locales" / "en" / "tufan.po", msgstrs)
    _, out = _run(project, "check", "-l", "en")
    assert "numbers" in out, out


def test_an_unknown_language_is_an_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text('languages = ["az"]\n', "utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "x.md").write_text(
        "---\ntitle: X\nlang: xx-nope\n---\n\nText.\n", "utf-8"
    )
    code, out = _run(tmp_path, "extract")
    assert code == 1
    assert "source/x.md:3: the article's language" in out, out
