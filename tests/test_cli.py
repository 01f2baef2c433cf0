"""The ``pipeline`` command, driven through click's CliRunner on projects in tmp_path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from tests.conftest import MakeProject

FIXTURES = Path(__file__).parent / "fixtures"
BAD_ARTICLES = sorted((FIXTURES / "bad_articles").glob("*.md"))
ARTICLE = """---
title: Khojaly remembered
category: Society
---

# Khojaly remembered

Every year on February 26 Azerbaijanis commemorate the tragedy.

- Vigils in Baku
- Concerts in Tbilisi
"""


def run(config_root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(config_root), *args])


def fill(po: Path, translations: dict[str, str]) -> None:
    """Fill msgstrs in a catalog the way a translator's editor would."""
    text = po.read_text("utf-8")
    for msgid, msgstr in translations.items():
        text = text.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, "utf-8")


@pytest.mark.parametrize("command", ["init", "extract", "merge", "status", "check", "merge-driver"])
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 4


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"pipeline, version \d+\.\d+\.\d+\n", result.output)


def test_extract_then_merge(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE, "2026/02/vigil.md": "# Vigil\n\nText.\n"})
    result = run(config.root, "extract")
    assert result.exit_code == 0, result.output
    assert "locales/az/khojaly.po: created (4 new)" in result.output
    assert (config.locales_dir / "2026/02/vigil.pot").is_file()
    po = config.locales_dir / "az" / "khojaly.po"
    fill(po, {"Khojaly remembered": "Xocalı yad edilir", "Vigils in Baku": "Bakıda anım"})

    result = run(config.root, "merge")
    assert result.exit_code == 0, result.output
    assert "az: 2 article(s), 2/6 segments translated; 4 fell back" in result.output
    out = (config.output_dir / "az" / "khojaly.md").read_text("utf-8")
    assert out.startswith("---\ntitle: Xocalı yad edilir\ncategory: Society\n---\n")
    assert "# Xocalı yad edilir\n" in out and "- Bakıda anım\n- Concerts in Tbilisi\n" in out
    assert (config.output_dir / "az" / "2026/02/vigil.md").read_text("utf-8") == (
        "# Vigil\n\nText.\n"
    )
    assert run(config.root, "merge", "--check").exit_code == 0
    assert run(config.root, "extract", "--check").exit_code == 0


def test_a_second_extract_changes_nothing(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    run(config.root, "extract")
    before = {p: p.read_bytes() for p in config.locales_dir.rglob("*") if p.is_file()}
    result = run(config.root, "extract")
    assert "0 file(s) written or removed" in result.output
    assert before == {p: p.read_bytes() for p in config.locales_dir.rglob("*") if p.is_file()}


def test_extract_check_names_stale_files_and_changes_nothing(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    run(config.root, "extract")
    article = config.source_dir / "khojaly.md"
    article.write_text(ARTICLE.replace("Concerts in Tbilisi", "Concerts in Tbilisi and Ganja"))
    before = {p: p.read_bytes() for p in config.locales_dir.rglob("*") if p.is_file()}
    result = run(config.root, "extract", "--check")
    assert result.exit_code == 1
    assert "locales/khojaly.pot: would update" in result.output
    assert "locales/az/khojaly.po: would update" in result.output
    assert "run 'pipeline extract'" in result.stderr
    assert before == {p: p.read_bytes() for p in config.locales_dir.rglob("*") if p.is_file()}


def test_extract_check_ignores_a_tool_rewrapping_or_dropping_our_flags(
    make_project: MakeProject,
) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    run(config.root, "extract")
    po = config.locales_dir / "az" / "khojaly.po"
    text = po.read_text("utf-8").replace("#, md-text\n", "")
    text = text.replace(
        'msgid "Every year on February 26 Azerbaijanis commemorate the tragedy."',
        'msgid ""\n"Every year on February 26 Azerbaijanis "\n"commemorate the tragedy."',
    )
    po.write_text(text, "utf-8")
    assert run(config.root, "extract", "--check").exit_code == 0


def test_removed_text_becomes_obsolete_and_returns(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    run(config.root, "extract")
    po = config.locales_dir / "az" / "khojaly.po"
    fill(po, {"Concerts in Tbilisi": "Tbilisidə konsertlər"})
    article = config.source_dir / "khojaly.md"
    article.write_text(ARTICLE.replace("- Concerts in Tbilisi\n", ""))
    result = run(config.root, "extract")
    assert "locales/az/khojaly.po: updated (1 obsolete)" in result.output
    text = po.read_text("utf-8")
    assert '#~ msgid "Concerts in Tbilisi"\n#~ msgstr "Tbilisidə konsertlər"\n' in text
    article.write_text(ARTICLE)
    result = run(config.root, "extract")
    assert "(1 revived)" in result.output
    assert 'msgid "Concerts in Tbilisi"\nmsgstr "Tbilisidə konsertlər"\n' in po.read_text("utf-8")


def test_fuzzy_and_obsolete_translations_are_not_published(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    run(config.root, "extract")
    po = config.locales_dir / "az" / "khojaly.po"
    fill(po, {"Vigils in Baku": "Bakıda anım"})
    po.write_text(
        po.read_text("utf-8").replace(
            '#, md-text\nmsgid "Vigils in Baku"', '#, fuzzy, md-text\nmsgid "Vigils in Baku"'
        ),
        "utf-8",
    )
    result = run(config.root, "merge")
    assert "1 fuzzy" in result.output
    assert "- Vigils in Baku\n" in (config.output_dir / "az" / "khojaly.md").read_text("utf-8")


def test_merge_check_fails_when_output_is_stale(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    run(config.root, "extract")
    run(config.root, "merge")
    fill(config.locales_dir / "az" / "khojaly.po", {"Vigils in Baku": "Bakıda anım"})
    result = run(config.root, "merge", "--check")
    assert result.exit_code == 1
    assert "output/az/khojaly.md: would update" in result.output
    # merge deletes only what it wrote: the stale output comes from an article that was
    # published once and then deleted, never from a file placed by hand.
    (config.source_dir / "2025").mkdir()
    (config.source_dir / "2025" / "old.md").write_text("# Old\n")
    run(config.root, "merge")
    (config.source_dir / "2025" / "old.md").unlink()
    result = run(config.root, "merge", "--check")
    assert result.exit_code == 1
    assert "output/az/2025/old.md: would remove (no article produces it any more)" in (
        result.output
    )
    assert "run 'pipeline merge'" in result.stderr
    result = run(config.root, "merge")
    assert "output/az/2025/old.md: removed" in result.output
    assert not (config.output_dir / "az" / "2025").exists()
    assert run(config.root, "merge", "--check").exit_code == 0


def test_merge_one_language(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE}, languages=("az", "ka"))
    run(config.root, "extract")
    result = run(config.root, "merge", "-l", "ka")
    assert result.exit_code == 0
    assert (config.output_dir / "ka" / "khojaly.md").exists()
    assert not (config.output_dir / "az").exists()
    result = run(config.root, "merge", "-l", "ru")
    assert result.exit_code == 1
    assert "language 'ru' is not configured" in result.stderr
    assert "pipeline init ru" in result.stderr


def test_a_translation_that_breaks_structure_is_reported_with_its_line(
    make_project: MakeProject,
) -> None:
    config = make_project({"khojaly.md": "Intro.\n\n***\n\nOutro.\n"})
    run(config.root, "extract")
    po = config.locales_dir / "az" / "khojaly.po"
    fill(po, {"Intro.": "Giriş\\n\\n- siyahı", "Outro.": "Son."})
    result = run(config.root, "merge")
    assert result.exit_code == 0
    out = (config.output_dir / "az" / "khojaly.md").read_text("utf-8")
    assert out == "Giriş\\\n\\- siyahı\n\n***\n\nSon.\n"


def test_init_adds_languages_to_the_settings_file(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    settings = config.root / "pipeline.toml"
    settings.write_text('# our project\nlanguages = ["az"]  # more soon\nsource_language = "en"\n')
    result = run(config.root, "init", "ka", "tr")
    assert result.exit_code == 0, result.output
    assert settings.read_text() == (
        '# our project\nlanguages = ["az", "ka", "tr"]  # more soon\nsource_language = "en"\n'
    )
    assert (config.locales_dir / "ka" / "khojaly.po").is_file()
    assert "nplurals=2; plural=(n != 1);" in (config.locales_dir / "tr" / "khojaly.po").read_text()
    assert not (config.locales_dir / "az" / "khojaly.po").exists()  # only the new ones


def test_init_in_pyproject_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "site"\n\n[tool.pipeline]\nsource_dir = "articles"\n')
    (tmp_path / "articles").mkdir()
    result = run(tmp_path, "init", "az")
    assert result.exit_code == 0, result.output
    assert pyproject.read_text() == (
        '[project]\nname = "site"\n\n[tool.pipeline]\nlanguages = ["az"]\nsource_dir = "articles"\n'
    )


@pytest.mark.parametrize("code", ["xx", "klingon"])
def test_init_rejects_unknown_languages(make_project: MakeProject, code: str) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    before = (config.root / "pipeline.toml").read_text()
    result = run(config.root, "init", code)
    assert result.exit_code == 1
    assert "language code" in result.stderr and "hint:" in result.stderr
    assert (config.root / "pipeline.toml").read_text() == before


def test_a_po_that_does_not_parse_is_reported_and_left_untouched(
    make_project: MakeProject,
) -> None:
    config = make_project({"khojaly.md": ARTICLE}, languages=("az", "ka"))
    run(config.root, "extract")
    po = config.locales_dir / "az" / "khojaly.po"
    broken = po.read_text("utf-8").replace('msgid "Vigils in Baku"', '<<<<<<< HEAD\nmsgid "V"')
    po.write_text(broken, "utf-8")
    (config.source_dir / "khojaly.md").write_text(ARTICLE + "\nNew paragraph.\n")
    result = run(config.root, "extract")
    assert result.exit_code == 1
    line = broken.split("\n").index("<<<<<<< HEAD") + 1
    assert f"locales/az/khojaly.po:{line}: unresolved merge conflict marker" in result.stderr
    assert "Traceback" not in result.output
    assert po.read_text("utf-8") == broken
    assert "New paragraph." in (config.locales_dir / "ka" / "khojaly.po").read_text()
    result = run(config.root, "merge")
    assert result.exit_code == 1
    assert f"locales/az/khojaly.po:{line}:" in result.stderr


@pytest.mark.parametrize("path", BAD_ARTICLES, ids=[p.name for p in BAD_ARTICLES])
@pytest.mark.parametrize("command", ["extract", "merge"])
def test_bad_articles_are_errors_at_their_line(
    make_project: MakeProject, path: Path, command: str
) -> None:
    line, message = Path(f"{path}.expect").read_text().strip().split(": ", 1)
    config = make_project({"bad.md": path.read_bytes(), "good.md": "Fine.\n"})
    result = run(config.root, command)
    assert result.exit_code == 1
    assert f"source/bad.md:{line}: {message}" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.output
    if command == "extract":
        assert (config.locales_dir / "good.pot").exists()


def test_missing_source_folder(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text('languages = ["az"]\n')
    result = run(tmp_path, "extract")
    assert result.exit_code == 1
    assert "source folder 'source' does not exist" in result.stderr


def test_settings_errors(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text('languages = ["az"]\nlanguage = "ka"\n')
    result = run(tmp_path, "extract")
    assert result.exit_code == 1
    assert "pipeline.toml: unknown setting 'language'" in result.stderr
    (tmp_path / "pipeline.toml").write_text('languages = ["az"\n')
    result = run(tmp_path, "extract")
    assert result.exit_code == 1 and "pipeline.toml:" in result.stderr and "TOML" in result.stderr


def test_command_line_overrides_settings(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    (config.root / "articles").mkdir()
    (config.root / "articles" / "other.md").write_text("Other.\n")
    result = run(config.root, "--source-dir", "articles", "--languages", "ka,ru", "extract")
    assert result.exit_code == 0, result.output
    assert (config.locales_dir / "ru" / "other.po").exists()
    assert not (config.locales_dir / "az").exists()


def test_usage_errors_exit_2() -> None:
    assert CliRunner().invoke(main, ["extract", "--bogus"]).exit_code == 2
    assert CliRunner().invoke(main, ["init"]).exit_code == 2
    assert CliRunner().invoke(main, ["frobnicate"]).exit_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_an_article_that_would_escape_output_is_refused(make_project: MakeProject) -> None:
    config = make_project({"khojaly.md": ARTICLE})
    outside = config.root / "elsewhere"
    outside.mkdir()
    (config.output_dir / "az").mkdir(parents=True)
    (config.output_dir / "az" / "khojaly.md").symlink_to(outside / "khojaly.md")
    run(config.root, "extract")
    result = run(config.root, "merge")
    assert result.exit_code == 1
    assert "would be written outside 'output/az'" in result.stderr
    assert not (outside / "khojaly.md").exists()


def test_the_installed_console_script_runs(make_project: MakeProject) -> None:
    script = shutil.which("pipeline")
    assert script, "the package is installed with its console script (pip install -e .)"
    config = make_project({"khojaly.md": ARTICLE})
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    done = subprocess.run(
        [script, "--project", str(config.root), "extract"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (config.locales_dir / "az" / "khojaly.po").exists()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--project", str(config.root), "merge", "--check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1 and "would create" in done.stdout


def test_a_second_run_at_once_is_refused_clearly(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import lock

    config = make_project({"khojaly.md": ARTICLE})
    monkeypatch.setattr(lock, "WAIT", 0.2)
    path = lock.lock_path(config.locales_dir)
    with lock.project_lock(path):
        for command in ("extract", "merge"):
            result = run(config.root, command)
            assert result.exit_code == 1
            assert "locales/.pipeline.lock" in result.stderr and "hint:" in result.stderr
        assert run(config.root, "extract", "--check").exit_code == 1  # reads only: runs
    assert not path.exists()
    assert run(config.root, "extract").exit_code == 0
    assert not path.exists()


def test_edited_text_is_suggested_from_another_article(make_project: MakeProject) -> None:
    paragraph = "The embassy said the commemoration will be held in Tbilisi on Friday."
    config = make_project({"a.md": paragraph + "\n"})
    run(config.root, "extract")
    fill(
        config.locales_dir / "az" / "a.po",
        {paragraph: "Səfirlik bildirib ki, anım cümə günü Tbilisidə keçiriləcək."},
    )
    edited = paragraph.replace("Friday", "Saturday")
    (config.source_dir / "b.md").write_text(edited + "\n")
    result = run(config.root, "extract")
    assert "locales/az/b.po: created (1 fuzzy)" in result.output
    text = (config.locales_dir / "az" / "b.po").read_text("utf-8")
    assert f'#| msgid "{paragraph}"\nmsgid "{edited}"\nmsgstr "Səfirlik' in text
    assert "#, fuzzy" in text


def test_extract_reports_progress_per_article(make_project: MakeProject) -> None:
    from pipeline.project import extract_project

    config = make_project({"a.md": "A.\n", "b.md": "B.\n"}, languages=("az", "ka"))
    seen: list[str] = []
    extract_project(config, progress=seen.append)
    assert sorted(seen) == ["source/a.md", "source/b.md"]


def test_a_deleted_article_leaves_its_translations_and_no_template(
    make_project: MakeProject,
) -> None:
    config = make_project({"khojaly.md": ARTICLE, "old.md": "Old text.\n"})
    run(config.root, "extract")
    fill(config.locales_dir / "az" / "old.po", {"Old text.": "Köhnə mətn."})
    (config.source_dir / "old.md").unlink()
    result = run(config.root, "extract", "--check")
    assert result.exit_code == 1 and "locales/old.pot: would remove" in result.output
    result = run(config.root, "extract")
    assert result.exit_code == 0
    assert "locales/old.pot: removed" in result.output
    assert "locales/az/old.po: no article uses this catalog any more" in result.stderr
    assert (config.locales_dir / "az" / "old.po").exists()  # a translator's work stays
    assert run(config.root, "extract", "--check").exit_code == 0
    (config.source_dir / "new.md").write_text("Old text.\n")
    assert "locales/az/new.po: created (1 reused)" in run(config.root, "extract").output


def test_an_article_moved_to_a_folder_keeps_its_translations(make_project: MakeProject) -> None:
    config = make_project({"news.md": ARTICLE})
    run(config.root, "extract")
    fill(config.locales_dir / "az" / "news.po", {"Vigils in Baku": "Bakıda anım"})
    (config.source_dir / "2026").mkdir()
    (config.source_dir / "news.md").rename(config.source_dir / "2026" / "news.md")
    result = run(config.root, "extract")
    assert "locales/az/2026/news.po: created (3 new, 1 reused)" in result.output
    text = (config.locales_dir / "az" / "2026" / "news.po").read_text("utf-8")
    assert 'msgid "Vigils in Baku"\nmsgstr "Bakıda anım"' in text
    assert "fuzzy" not in text


@pytest.mark.parametrize("output_dir", ["source/out", ".", "locales", "source", "locales/x"])
def test_output_dir_must_stand_apart(tmp_path: Path, output_dir: str) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text("A.\n")
    (tmp_path / "pipeline.toml").write_text(f'languages = ["az"]\noutput_dir = "{output_dir}"\n')
    result = run(tmp_path, "merge")
    assert result.exit_code == 1
    assert "output_dir must be a folder of its own" in result.stderr


def test_a_plural_formula_written_another_way_is_left_alone(make_project: MakeProject) -> None:
    config = make_project({"a.md": "A.\n"})
    run(config.root, "extract")
    po = config.locales_dir / "az" / "a.po"
    weblate = po.read_text("utf-8").replace("plural=(n != 1);", "plural=n != 1;")
    po.write_text(weblate, "utf-8")
    assert run(config.root, "extract", "--check").exit_code == 0
    assert run(config.root, "extract").exit_code == 0
    assert po.read_text("utf-8") == weblate
    assert "catalog-header" not in run(config.root, "check").output


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('po_flags = ["md text, x"]', "po_flags: 'md text, x' is not a flag"),
        ('po_flags = ["fuzzy"]', "po_flags: 'fuzzy' is not a flag"),
        ("min_complete_by_language = { xx = 5 }", "unknown language code 'xx'"),
        ('languages = ["az", "klingon"]', "'klingon'"),
    ],
)
def test_bad_settings_name_the_file(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "pipeline.toml").write_text(setting + "\n")
    result = run(tmp_path, "extract")
    assert result.exit_code == 1
    assert f"pipeline.toml: {message}" in result.stderr
    assert "hint:" in result.stderr


def test_a_bad_override_names_the_option(make_project: MakeProject) -> None:
    config = make_project({"a.md": "A.\n"})
    result = run(config.root, "--languages", "az,zz", "extract")
    assert result.exit_code == 1
    assert "--languages: unknown language code 'zz'" in result.stderr


def test_init_does_not_save_a_one_run_override(make_project: MakeProject) -> None:
    config = make_project({"a.md": "A.\n"}, extra="publish_min_complete = 0\n")
    result = run(config.root, "--languages", "az,ru", "init", "ka")
    assert result.exit_code == 0, result.output
    assert (config.root / "pipeline.toml").read_text() == (
        'languages = ["az", "ka"]\npublish_min_complete = 0\n'
    )
