"""``pipeline status`` and ``pipeline check`` through CliRunner on projects in tmp_path:
every output format, exit codes, thresholds, required fields, catalog validity and
freshness, and the repository's own sample."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pipeline.catalogs.catalog import read_catalog
from pipeline.cli import main
from pipeline.config import load
from pipeline.errors import ConfigError
from tests.conftest import MakeProject

REPO = Path(__file__).resolve().parents[1]
ARTICLE = """---
title: Khojaly remembered
---

# Khojaly remembered

On February 26, 1992, 613 people were killed.

See [the report](https://example.com/report) and run `pipeline check`.
"""
AZ = {
    "Khojaly remembered": "Xocalı yad edilir",
    "On February 26, 1992, 613 people were killed.": (
        "1992-ci il fevralın 26-da 613 nəfər qətlə yetirilib."
    ),
    "See [the report](https://example.com/report) and run `pipeline check`.": (
        "[Hesabata](https://example.com/report) baxın və `pipeline check` işlədin."
    ),
}
RU_HALF = {"Khojaly remembered": "Ходжалы помнят"}


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def fill(po: Path, translations: dict[str, str], flags: str = "") -> None:
    """Fill msgstrs the way a translator's editor would (``flags``: extra ``#,`` flags)."""
    text = po.read_text("utf-8")
    for msgid, msgstr in translations.items():
        old = f'#, md-text\nmsgid "{msgid}"\nmsgstr ""'
        head = f"#, md-text{', ' + flags if flags else ''}\n"
        assert old in text, msgid
        text = text.replace(old, f'{head}msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, "utf-8")


def project(make_project: MakeProject, extra: str = "", langs: tuple[str, ...] = ("az",)) -> Path:
    config = make_project({"khojaly.md": ARTICLE}, languages=langs, extra=extra)
    assert run(config.root, "extract").exit_code == 0
    return config.root


def po(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "khojaly.po"


def line_of(path: Path, msgid: str) -> int:
    """The line the catalog reader gives the entry of ``msgid`` (problems point there)."""
    [entry] = [e for e in read_catalog(path, path.name).entries if e.msgid == msgid]
    return entry.line


def lines_with(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(rf"\S+:(\d+:)? {code}: ", line)]


# --- status ---------------------------------------------------------------------------


def test_status_counts_words_and_segments_against_the_template(
    make_project: MakeProject,
) -> None:
    root = project(make_project, langs=("az", "ru"))
    fill(po(root, "az"), AZ)
    fill(po(root, "ru"), RU_HALF)
    result = run(root, "status", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    az, ru = data["articles"]
    assert (az["language"], az["article"], az["catalog"]) == (
        "az",
        "source/khojaly.md",
        "locales/az/khojaly.po",
    )
    assert az["counts"]["segments"] == {"total": 3, "translated": 3, "fuzzy": 0, "untranslated": 0}
    assert az["counts"]["words"]["total"] == 2 + 8 + 5  # code spans and URLs are not words
    assert ru["counts"]["words"] == {"total": 15, "translated": 2, "fuzzy": 0, "untranslated": 13}
    assert ru["counts"]["percent"] == {"words": 13.3, "segments": 33.3}
    assert data["languages"]["ru"]["totals"] == ru["counts"]
    assert data["command"] == "status" and data["exit_code"] == 0


def test_fuzzy_and_missing_entries_are_not_translated(make_project: MakeProject) -> None:
    root = project(make_project)
    fill(po(root, "az"), {"Khojaly remembered": AZ["Khojaly remembered"]}, flags="fuzzy")
    text = po(root, "az").read_text("utf-8")
    start = text.index("#. paragraph")
    po(root, "az").write_text(text[:start] + text[text.index("#. paragraph", start + 1) :])
    data = json.loads(run(root, "status", "--format", "json").output)
    counts = data["articles"][0]["counts"]
    assert counts["segments"] == {"total": 3, "translated": 0, "fuzzy": 1, "untranslated": 2}
    assert counts["words"]["fuzzy"] == 2


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_status_formats(make_project: MakeProject, fmt: str) -> None:
    root = project(make_project, langs=("az", "ru"))
    fill(po(root, "az"), AZ)
    result = run(root, "status", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "text":
        assert re.search(
            r"^az\s+source/khojaly\.md\s+100\.0% 15/15\s+100\.0% 3/3\s+0\s+0$", out, re.M
        )
        assert re.search(r"^ru\s+total\s+0\.0% 0/15\s+0\.0% 0/3\s+0\s+3$", out, re.M)
    elif fmt == "json":
        assert set(json.loads(out)) == {
            "version",
            "command",
            "exit_code",
            "summary",
            "languages",
            "articles",
            "problems",
        }
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [(r["language"], r["article"]) for r in rows] == [
            ("az", "source/khojaly.md"),
            ("az", "total"),
            ("ru", "source/khojaly.md"),
            ("ru", "total"),
        ]
        assert rows[0]["percent_words"] == "100.0" and rows[2]["words_untranslated"] == "15"
    else:
        table = out.splitlines()
        assert table[0].startswith("| Language | Article | Words |")
        assert "| az | `source/khojaly.md` | 100.0% (15/15) | 100.0% (3/3) | 0 | 0 |" in table
        assert all(line.startswith("|") and line.endswith("|") for line in table)


def test_status_output_is_deterministic(make_project: MakeProject) -> None:
    root = project(make_project)
    assert run(root, "status", "--format", "json").output == (
        run(root, "status", "--format", "json").output
    )


# --- check: exit codes and formats -----------------------------------------------------


def test_check_passes_on_a_complete_project(make_project: MakeProject) -> None:
    root = project(make_project)
    fill(po(root, "az"), AZ)
    result = run(root, "check")
    assert result.exit_code == 0, result.output
    assert "pass az source/khojaly.md: 100.0% of words translated (min 100%)" in result.output
    assert result.output.endswith("0 error(s), 0 warning(s) in 0 file(s)\n")


def test_a_quality_error_fails_with_path_line_code_message(make_project: MakeProject) -> None:
    root = project(make_project)
    bad = dict(AZ)
    bad["On February 26, 1992, 613 people were killed."] = (
        "1992-ci il fevralın 26-da 631 nəfər qətlə yetirilib."
    )
    fill(po(root, "az"), bad)
    result = run(root, "check")
    assert result.exit_code == 1
    [line] = lines_with(result.output, "numbers")
    msgid = "On February 26, 1992, 613 people were killed."
    where = f"locales/az/khojaly.po:{line_of(po(root, 'az'), msgid)}"
    assert line.startswith(f"{where}: numbers: 613 is not in the translation")
    assert "FAIL az source/khojaly.md" in result.output


def test_a_flag_silences_the_check_for_that_entry(make_project: MakeProject) -> None:
    root = project(make_project)
    moved = dict(AZ)
    del moved["On February 26, 1992, 613 people were killed."]
    fill(po(root, "az"), moved)
    fill(
        po(root, "az"),
        {"On February 26, 1992, 613 people were killed.": "Fevralda çox adam öldürülüb."},
        flags="no-check-numbers",
    )
    assert run(root, "check").exit_code == 0


def test_warnings_do_not_fail(make_project: MakeProject) -> None:
    root = project(make_project)
    same = dict(AZ, **{"Khojaly remembered": "Khojaly remembered"})
    fill(po(root, "az"), same)
    result = run(root, "check")
    assert result.exit_code == 0, result.output
    assert "same-as-source: the translation is the source text unchanged (warning)" in (
        result.output
    )


def _failing_project(make_project: MakeProject) -> Path:
    root = project(make_project, langs=("az", "ru"))
    bad = dict(AZ)
    bad["See [the report](https://example.com/report) and run `pipeline check`."] = (
        "[Hesabata](https://example.com/hesabat) baxın və `pipeline yoxla` işlədin."
    )
    fill(po(root, "az"), bad)
    fill(po(root, "ru"), RU_HALF)
    return root


def test_check_json_shape(make_project: MakeProject) -> None:
    result = run(_failing_project(make_project), "check", "--format", "json")
    assert result.exit_code == 1
    data: dict[str, Any] = json.loads(result.output)
    assert data["version"] == 1 and data["command"] == "check" and data["exit_code"] == 1
    assert data["summary"] == {"errors": 4, "warnings": 0}
    az, ru = data["articles"]
    assert az["passed"] is False and ru["passed"] is False
    assert sorted(p["code"] for p in az["problems"]) == ["code-span", "code-span", "link-target"]
    [problem] = ru["problems"]
    assert set(problem) == {"path", "line", "code", "severity", "message", "hint"}
    assert (problem["code"], problem["severity"], problem["path"]) == (
        "completeness",
        "error",
        "locales/ru/khojaly.po",
    )
    assert data["languages"]["ru"]["threshold"] == 100.0
    assert data["problems"] == []


def test_check_junit_is_xml_with_a_case_per_article_and_language(
    make_project: MakeProject,
) -> None:
    result = run(_failing_project(make_project), "check", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["az", "ru", "project"]
    cases = root.findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("az", "source/khojaly.md"),
        ("ru", "source/khojaly.md"),
        ("project", "project"),
    ]
    failure = cases[0].find("failure")
    assert failure is not None and failure.text is not None
    assert re.search(r"locales/az/khojaly\.po:\d+: link-target:", failure.text)
    assert cases[2].find("failure") is None
    assert root.get("tests") == "3" and root.get("failures") == "2"


def test_check_github_annotations(make_project: MakeProject) -> None:
    result = run(_failing_project(make_project), "check", "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 4
    for line in annotations:
        assert re.fullmatch(r"::error file=[^,:]+(,line=\d+)?,title=[a-z-]+::\S.*", line), line
    assert "::error file=locales/ru/khojaly.po,title=completeness::" in result.output
    assert lines[-1] == "4 error(s), 0 warning(s)"


def test_check_text_groups_problems_by_file(make_project: MakeProject) -> None:
    out = run(_failing_project(make_project), "check").output
    first = re.search(r"^locales/az/khojaly\.po:\d+: ", out, re.M)
    assert first is not None
    assert out.index("locales/az/khojaly.po\n") < first.start()
    assert first.start() < out.index("locales/ru/khojaly.po\n")
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_check_one_language(make_project: MakeProject) -> None:
    root = _failing_project(make_project)
    result = run(root, "check", "-l", "ru", "--format", "json")
    assert [a["language"] for a in json.loads(result.output)["articles"]] == ["ru"]
    assert run(root, "check", "-l", "fr").exit_code == 1


def test_usage_errors_exit_2(make_project: MakeProject) -> None:
    root = project(make_project)
    assert run(root, "check", "--format", "xml").exit_code == 2
    assert run(root, "status", "--format", "junit").exit_code == 2


# --- thresholds, required fields -------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ("", 1),
        ("min_complete = 10\n", 0),
        ("min_complete = 13.4\n", 1),
        ("min_complete_by_language = { ru = 13.3 }\n", 0),
        ("min_complete = 0\nmin_complete_by_language = { ru = 50 }\n", 1),
    ],
)
def test_thresholds_by_words(make_project: MakeProject, extra: str, code: int) -> None:
    root = project(make_project, extra=extra, langs=("ru",))
    fill(po(root, "ru"), RU_HALF)  # 2 of 15 words: 13.33%
    result = run(root, "check")
    assert result.exit_code == code, result.output
    assert bool(lines_with(result.output, "completeness")) == bool(code)


def test_a_required_field_must_be_translated_and_not_fuzzy(make_project: MakeProject) -> None:
    root = project(
        make_project, extra='min_complete = 0\nrequired_fields = ["title"]\n', langs=("ru",)
    )
    result = run(root, "check")
    assert result.exit_code == 1
    [line] = lines_with(result.output, "required-field")
    where = f"locales/ru/khojaly.po:{line_of(po(root, 'ru'), 'Khojaly remembered')}"
    assert line == f"{where}: required-field: the article's title is not translated in ru"
    fill(po(root, "ru"), RU_HALF, flags="fuzzy")
    assert "title is fuzzy in ru" in run(root, "check").output
    root2 = project(make_project, extra="min_complete = 0\nrequired_fields = []\n", langs=("ru",))
    assert run(root2, "check").exit_code == 0


# --- catalogs and freshness -------------------------------------------------------------


def test_catalog_headers_and_plural_forms(make_project: MakeProject) -> None:
    root = project(make_project)
    fill(po(root, "az"), AZ)
    path = po(root, "az")
    text = path.read_text("utf-8").replace('"Language: az\\n"\n', "")
    text = text.replace("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    text += '\nmsgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "bir fayl"\n'
    path.write_text(text, "utf-8")
    out = run(root, "check").output
    assert "locales/az/khojaly.po:1: catalog-header: the header has no Language field" in out
    assert "catalog-header: the header has Plural-Forms: nplurals=1; plural=0;; az needs" in out
    assert re.search(r"khojaly\.po:\d+: catalog-plurals: a plural entry has 1 msgstr", out)


def test_a_catalog_that_does_not_parse_is_reported_at_its_line(
    make_project: MakeProject,
) -> None:
    root = project(make_project)
    fill(po(root, "az"), AZ)
    first = line_of(po(root, "az"), "Khojaly remembered")
    text = po(root, "az").read_text("utf-8")
    po(root, "az").write_text(text + '\nmsgid "Khojaly remembered"\nmsgstr "Dublikat"\n')
    result = run(root, "check")
    assert result.exit_code == 1
    [line] = lines_with(result.output, "catalog-parse")
    assert re.fullmatch(
        rf"locales/az/khojaly\.po:\d+: catalog-parse: duplicate message "
        rf"\(first defined at line {first}\)",
        line,
    )
    assert run(root, "status").exit_code == 1


def test_stale_catalogs_fail_the_check(make_project: MakeProject) -> None:
    root = project(make_project)
    fill(po(root, "az"), AZ)
    article = root / "source" / "khojaly.md"
    article.write_text(ARTICLE + "\nA new paragraph.\n", "utf-8")
    out = run(root, "check").output
    assert "locales/khojaly.pot: stale: is out of date: 'pipeline extract' would change it" in out
    assert "locales/az/khojaly.po: stale: is out of date" in out
    assert "completeness: 83.3% of words translated (15 of 18)" in out


def test_a_translation_that_adds_blocks_fails(make_project: MakeProject) -> None:
    root = project(make_project)
    para = "On February 26, 1992, 613 people were killed."
    fill(po(root, "az"), dict(AZ, **{para: AZ[para] + "\\n\\n- Siyahı."}))
    result = run(root, "check")
    assert result.exit_code == 1
    [line] = lines_with(result.output, "whitespace")
    assert line.endswith("whitespace: the source has 0 line break(s), the translation 2")


# --- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("min_complete = 150\n", "setting 'min_complete' must be a number from 0 to 100"),
        ('min_complete = "all"\n', "setting 'min_complete' must be a number from 0 to 100"),
        ("min_complete = true\n", "setting 'min_complete' must be a number from 0 to 100"),
        ("min_complete_by_language = 40\n", "must be a table of language = percentage"),
        ("min_complete_by_language = { ru = -1 }\n", "'min_complete_by_language.ru' must be"),
        ("min_complete_by_language = { xx = 40 }\n", "unknown language code 'xx'"),
        ('required_fields = ["author"]\n', "required field 'author' is not one of"),
        ('localized_url_hosts = ["https://x.org/"]\n', "is not a host name"),
    ],
)
def test_settings_are_validated(make_project: MakeProject, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        make_project({}, extra=extra)
    assert message in str(info.value)
    assert info.value.hint


def test_required_fields_default_follows_front_matter_keys(make_project: MakeProject) -> None:
    config = make_project({}, extra='front_matter_keys = ["summary"]\n')
    assert config.required_fields == ()
    assert load(config.root).threshold("az") == 100.0


# --- the repository's own sample --------------------------------------------------------


def _sample(tmp_path: Path, settings: str) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "pipeline.toml").write_text(settings, "utf-8")
    return root


def test_the_sample_passes_with_the_repository_settings() -> None:
    result = run(REPO, "check", "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 0, result.output
    assert [a["passed"] for a in data["articles"]] == [True, True, True]
    assert data["summary"]["errors"] == 0


def test_the_sample_fails_in_russian_on_completeness_only(tmp_path: Path) -> None:
    root = _sample(tmp_path, 'languages = ["az", "ka", "ru"]\n')
    result = run(root, "check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    verdicts = {a["language"]: a for a in data["articles"]}
    assert verdicts["az"]["passed"] and verdicts["ka"]["passed"]
    errors = [p for p in verdicts["ru"]["problems"] if p["severity"] == "error"]
    assert [p["code"] for p in errors] == ["completeness"]
    assert data["problems"] == []
    assert run(root, "check", "-l", "az", "-l", "ka").exit_code == 0


@pytest.mark.parametrize("command", ["status", "check"])
def test_commands_have_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "--format" in result.output and "--language" in result.output
