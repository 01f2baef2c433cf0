"""A ``Report`` as text: the output formats of ``status`` and ``check``.

``html`` (the status dashboard) is built in ``pipeline.publish.dashboard``.

Every function returns a string and prints nothing; colour is applied through a
``style(text, role)`` callback that ``cli.py`` supplies (roles: ``error``, ``warning``,
``pass``, ``fail``, ``path``, ``dim``), so this module never knows about terminals.

The JSON shape (both commands, ``"version": 1``)::

    {
      "version": 1,
      "command": "status" | "check",
      "exit_code": 0 | 1,
      "summary": {"errors": int, "warnings": int},
      "languages": {
        "<lang>": {"threshold": float, "totals": COUNTS}
      },
      "articles": [
        {"language": str, "article": str, "catalog": str, "passed": bool,
         "threshold": float, "counts": COUNTS, "problems": [PROBLEM, ...]}
      ],
      "problems": [PROBLEM, ...]        # not tied to one (language, article)
    }
    COUNTS  = {"segments": {"total", "translated", "fuzzy", "untranslated"},   # ints
               "words":    {"total", "translated", "fuzzy", "untranslated"},
               "percent":  {"words": float, "segments": float}}
    PROBLEM = {"path": str, "line": int, "code": str, "severity": "error" | "warning",
               "message": str, "hint": str}
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from pipeline.checks.problem import Problem
from pipeline.markdown.document import display_width
from pipeline.publish.dashboard import dashboard
from pipeline.report import Report
from pipeline.results import ArticleReport, Counts

Style = Callable[[str, str], str]
"""``style(text, role)`` → the text, coloured or not."""

STATUS_FORMATS = ("text", "json", "csv", "markdown", "html")
"""Formats of ``pipeline status``."""
CHECK_FORMATS = ("text", "json", "junit", "github")
"""Formats of ``pipeline check``."""


def _plain(text: str, _role: str) -> str:
    return text


def render_status(report: Report, fmt: str, style: Style = _plain) -> str:
    """``report`` in one of ``STATUS_FORMATS``."""
    if fmt == "json":
        return as_json(report)
    if fmt == "csv":
        return as_csv(report)
    if fmt == "markdown":
        return as_markdown(report)
    if fmt == "html":
        return dashboard(report)
    return status_text(report, style)


def render_check(report: Report, fmt: str, style: Style = _plain) -> str:
    """``report`` in one of ``CHECK_FORMATS``."""
    if fmt == "json":
        return as_json(report)
    if fmt == "junit":
        return as_junit(report)
    if fmt == "github":
        return as_github(report)
    return check_text(report, style)


# --- status -------------------------------------------------------------------------


def _rows(report: Report) -> list[tuple[str, str, Counts]]:
    """(language, article, counts) per article, then a ``total`` row per language."""
    rows: list[tuple[str, str, Counts]] = []
    for lang in report.languages:
        rows.extend(
            (a.language, a.article, a.counts) for a in report.articles if a.language == lang
        )
        rows.append((lang, "total", report.totals(lang)))
    return rows


_HEAD = ("language", "article", "words", "segments", "fuzzy", "untranslated")


def status_text(report: Report, style: Style = _plain) -> str:
    """An aligned table: percentages by words and by segments, fuzzy and untranslated."""
    table = [_HEAD]
    for lang, article, c in _rows(report):
        table.append(
            (
                lang,
                article,
                f"{c.percent_words:.1f}% {c.words_translated}/{c.words}",
                f"{c.percent_segments:.1f}% {c.segments_translated}/{c.segments}",
                str(c.segments_fuzzy),
                str(c.segments_untranslated),
            )
        )
    widths = [max(display_width(row[k]) for row in table) for k in range(len(_HEAD))]
    lines = []
    for n, row in enumerate(table):
        cells = [
            cell + " " * (widths[k] - display_width(cell))
            if k < 2
            else " " * (widths[k] - display_width(cell)) + cell
            for k, cell in enumerate(row)
        ]
        line = "  ".join(cells).rstrip()
        lines.append(style(line, "dim") if n == 0 else line)
    lines.extend(str(p) for p in report.all_problems())
    return "\n".join(lines) + "\n"


def as_csv(report: Report) -> str:
    """One row per (language, article), then a ``total`` row per language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "language",
            "article",
            "segments",
            "segments_translated",
            "segments_fuzzy",
            "segments_untranslated",
            "words",
            "words_translated",
            "words_fuzzy",
            "words_untranslated",
            "percent_words",
            "percent_segments",
        ]
    )
    for lang, article, c in _rows(report):
        writer.writerow(
            [
                lang,
                article,
                c.segments,
                c.segments_translated,
                c.segments_fuzzy,
                c.segments_untranslated,
                c.words,
                c.words_translated,
                c.words_fuzzy,
                c.words_untranslated,
                f"{c.percent_words:.1f}",
                f"{c.percent_segments:.1f}",
            ]
        )
    return out.getvalue()


def as_markdown(report: Report) -> str:
    """A GitHub-flavoured table, for a pull-request comment."""
    lines = [
        "| Language | Article | Words | Segments | Fuzzy | Untranslated |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for lang, article, c in _rows(report):
        total = article == "total"
        cells = [
            lang,
            "**total**" if total else f"`{_md_escape(article)}`",
            f"{c.percent_words:.1f}% ({c.words_translated}/{c.words})",
            f"{c.percent_segments:.1f}% ({c.segments_translated}/{c.segments})",
            str(c.segments_fuzzy),
            str(c.segments_untranslated),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "")


# --- check --------------------------------------------------------------------------


def check_text(report: Report, style: Style = _plain) -> str:
    """Problems grouped by file, then one verdict line per (language, article)."""
    lines: list[str] = []
    current = None
    problems = report.all_problems()
    for problem in problems:
        if problem.path != current:
            if current is not None:
                lines.append("")
            current = problem.path
            lines.append(style(problem.path or "(project)", "path"))
        where = problem.location + ": " if problem.path else ""
        tail = " (warning)" if problem.severity == "warning" else ""
        code = style(problem.code, problem.severity)
        lines.append(f"{where}{code}: {problem.message}{tail}")
        if problem.hint:
            lines.append(style(f"  hint: {problem.hint}", "dim"))
    if lines:
        lines.append("")
    for art in report.articles:
        verdict = style("pass", "pass") if art.passed else style("FAIL", "fail")
        c = art.counts
        failed = sorted({p.code for p in art.problems if p.severity == "error"})
        why = f"; failed: {', '.join(failed)}" if failed else ""
        lines.append(
            f"{verdict} {art.language} {art.article}: {c.percent_words:.1f}% of words "
            f"translated (min {art.threshold:g}%){why}"
        )
    errors, warnings = report.errors, report.warnings
    lines.append(
        f"{errors} error(s), {warnings} warning(s) in {len({p.path for p in problems})} file(s)"
    )
    return "\n".join(lines) + "\n"


def _problem_json(p: Problem) -> dict[str, Any]:
    return {
        "path": p.path,
        "line": p.line,
        "code": p.code,
        "severity": p.severity,
        "message": p.message,
        "hint": p.hint,
    }


def _counts_json(c: Counts) -> dict[str, Any]:
    return {
        "segments": {
            "total": c.segments,
            "translated": c.segments_translated,
            "fuzzy": c.segments_fuzzy,
            "untranslated": c.segments_untranslated,
        },
        "words": {
            "total": c.words,
            "translated": c.words_translated,
            "fuzzy": c.words_fuzzy,
            "untranslated": c.words_untranslated,
        },
        "percent": {"words": c.percent_words, "segments": c.percent_segments},
    }


def _article_json(a: ArticleReport) -> dict[str, Any]:
    return {
        "language": a.language,
        "article": a.article,
        "catalog": a.catalog,
        "passed": a.passed,
        "threshold": a.threshold,
        "counts": _counts_json(a.counts),
        "problems": [_problem_json(p) for p in a.problems],
    }


def as_json(report: Report) -> str:
    """The report as JSON (shape in the module docstring), keys in a fixed order."""
    thresholds = {a.language: a.threshold for a in report.articles}
    data = {
        "version": 1,
        "command": "check" if report.checked else "status",
        "exit_code": report.exit_code,
        "summary": {"errors": report.errors, "warnings": report.warnings},
        "languages": {
            lang: {
                "threshold": thresholds.get(lang, 100.0),
                "totals": _counts_json(report.totals(lang)),
            }
            for lang in report.languages
        },
        "articles": [_article_json(a) for a in report.articles],
        "problems": [_problem_json(p) for p in report.problems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_junit(report: Report) -> str:
    """JUnit XML: a test suite per language, a test case per article (``project`` holds
    the problems of no single article). Errors are ``<failure>``s; warnings go to
    ``<system-out>``."""
    root = ET.Element("testsuites", name="pipeline check")
    suites: dict[str, list[tuple[str, str, tuple[Problem, ...]]]] = {
        lang: [(a.article, a.catalog, a.problems) for a in report.articles if a.language == lang]
        for lang in report.languages
    }
    suites["project"] = [("project", "", report.problems)]
    total_tests = total_failures = 0
    for name, cases in suites.items():
        failed = sum(1 for *_, problems in cases if _errors(problems))
        suite = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(len(cases)),
            failures=str(failed),
            errors="0",
            skipped="0",
        )
        total_tests += len(cases)
        total_failures += failed
        for article, catalog, problems in cases:
            case = ET.SubElement(suite, "testcase", name=article, classname=name)
            if catalog:
                case.set("file", catalog)
            errors = _errors(problems)
            if errors:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(errors)} error(s); first: {errors[0].code}: {errors[0].message}",
                    type=errors[0].code,
                )
                failure.text = "\n".join(str(p) for p in errors)
            warnings = [p for p in problems if p.severity == "warning"]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(
                    f"warning: {p}" for p in warnings
                )
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _errors(problems: tuple[Problem, ...]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def as_github(report: Report) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per
    problem, shown on the pull request's files."""
    lines = []
    for p in report.all_problems():
        props = [f"file={_gh_property(p.path)}"] if p.path else []
        if p.line:
            props.append(f"line={p.line}")
        props.append(f"title={_gh_property(p.code)}")
        message = p.message + (f"\n{p.hint}" if p.hint else "")
        lines.append(f"::{p.severity} {','.join(props)}::{_gh_data(message)}")
    lines.append(f"{report.errors} error(s), {report.warnings} warning(s)")
    return "\n".join(lines) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
