"""Second attack round: what the fixture format cannot say (.po structure, output, time).

Each test builds a one-article project in ``tmp_path``, runs ``extract``, edits the
catalog as a hostile translator would, and runs ``merge`` / ``check`` with click's
CliRunner, as ``tests/test_safety_corpus.py`` does.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import polib
from click.testing import CliRunner, Result

from pipeline.cli import main

ARTICLE = (
    "---\ntitle: Khojaly remembered\n---\n\n"
    "Read the [full report](https://example.org/reports/khojaly) on Monday.\n"
)
SENTENCE = "Read the [full report](https://example.org/reports/khojaly) on Monday."
LINK = "[tam hesabatı](https://example.org/reports/khojaly)"


def _invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def _project(root: Path, article: str = ARTICLE) -> Path:
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["az"]\nsource_language = "en"\nmin_complete = 0\n'
        # every article published, whatever its completeness
        "publish_min_complete = 0\nrequired_fields = []\n",
        "utf-8",
    )
    (root / "source").mkdir()
    (root / "source" / "case.md").write_text(article, "utf-8")
    assert _invoke(root, "extract").exit_code == 0
    return root / "locales" / "az" / "case.po"


def _translate(po_path: Path, msgstr: str) -> None:
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.msgstr = msgstr if entry.msgid == SENTENCE else entry.msgid
    po.save(str(po_path))


def _published(root: Path) -> str:
    return (root / "output" / "az" / "case.md").read_text("utf-8")


# --- what merge and check print ----------------------------------------------------------

_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_refusal_messages_do_not_carry_terminal_escapes(tmp_path: Path) -> None:
    """A refused translation is quoted in merge's warnings (tag names, attribute values).
    Raw ESC/BEL there reach the reviewer's terminal or CI log: ``ESC[8m`` conceals the
    lines after it, ``ESC[1A ESC[2K`` erases the warning, OSC 8 makes fake links, OSC 0
    retitles the window (click strips CSI when not on a terminal, but not OSC). The
    translation is refused (invisible-chars), but the warning about it must stay legible.
    """
    po = _project(tmp_path)
    _translate(
        po,
        f"Bazar ertəsi {LINK} <b\x1b]8;;https://evil.example/\x07>oxuyun</b>"
        "\x1b]0;all translations published\x07.",
    )
    merge = _invoke(tmp_path, "merge")
    check = _invoke(tmp_path, "check")
    assert "Bazar" not in _published(tmp_path)
    for result in (merge, check):
        found = sorted({f"U+{ord(c):04X}" for c in _TERMINAL_CONTROLS.findall(result.output)})
        assert not found, f"raw control characters in the output: {found}\n{result.output!r}"


# --- .po structure ------------------------------------------------------------------------


def test_msgctxt_twin_of_a_real_msgid_is_never_published(tmp_path: Path) -> None:
    po_path = _project(tmp_path)
    _translate(po_path, "")
    text = po_path.read_text("utf-8")
    text += (
        '\nmsgctxt "x"\nmsgid "Read the [full report](https://example.org/reports/khojaly) '
        'on Monday."\nmsgstr "<script>alert(1)</script>"\n'
    )
    po_path.write_text(text, "utf-8")
    _invoke(tmp_path, "merge")
    assert "<script" not in _published(tmp_path)


def test_flag_without_space_is_still_fuzzy(tmp_path: Path) -> None:
    po_path = _project(tmp_path)
    _translate(po_path, f"Bazar ertəsi {LINK} oxuyun.")
    text = po_path.read_text("utf-8")
    text = text.replace('#, md-text\nmsgid "Read', '#,fuzzy\n#, md-text\nmsgid "Read')
    assert "#,fuzzy" in text
    po_path.write_text(text, "utf-8")
    _invoke(tmp_path, "merge")
    assert "Bazar" not in _published(tmp_path)


# --- time ----------------------------------------------------------------------------------

LIMIT = 60.0
"""Seconds: generous; each case takes a few seconds today."""


def _timed(root: Path, msgstr: str, plural_forms: str | None = None) -> float:
    po_path = _project(root)
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.msgstr = msgstr if entry.msgid == SENTENCE else entry.msgid
    if plural_forms:
        po.metadata["Plural-Forms"] = plural_forms
    po.save(str(po_path))
    start = time.monotonic()
    merge = _invoke(root, "merge")
    check = _invoke(root, "check")
    assert merge.exception is None or isinstance(merge.exception, SystemExit), merge.output
    assert check.exception is None or isinstance(check.exception, SystemExit), check.output
    return time.monotonic() - start


def test_deeply_nested_brackets_are_judged_in_bounded_time(tmp_path: Path) -> None:
    n = 50_000
    assert _timed(tmp_path, f"Oxuyun {'[' * n}x{']' * n} {LINK}.") < LIMIT


def test_five_megabyte_msgstr_is_judged_in_bounded_time(tmp_path: Path) -> None:
    assert _timed(tmp_path, f"Oxuyun {LINK} " + "söz *a _b &#x " * 350_000) < LIMIT


def test_megabyte_plural_forms_expression_is_not_evaluated(tmp_path: Path) -> None:
    n = 500_000
    formula = f"nplurals=2; plural={'(' * n}n != 1{')' * n};"
    assert _timed(tmp_path, f"Bazar ertəsi {LINK} oxuyun.", formula) < LIMIT
