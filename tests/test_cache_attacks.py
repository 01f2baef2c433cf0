"""Attacks on the incremental cache: a cached run must print, exit and write exactly what
a ``--no-cache`` run does on an identical copy of the project, and never crash.

Each test builds a small project in ``tmp_path``, copies it, runs the same commands on
both copies (one with ``--no-cache``) and compares outputs and file trees.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import project
from pipeline.cache import CACHE_DIR
from pipeline.cli import main

SHARED = "Shared sentence here."


def _build(root: Path, names: tuple[str, ...] = ("a", "b", "c")) -> None:
    (root / "source").mkdir(parents=True)
    (root / "pipeline.toml").write_text('languages = ["az", "ru"]\n', "utf-8")
    for name in names:
        (root / "source" / f"{name}.md").write_text(f"{SHARED}\n\nOnly in {name}.\n", "utf-8")


def _invoke(root: Path, *args: str, cache: bool = True) -> tuple[int, str]:
    extra = [] if cache else ["--no-cache"]
    result = CliRunner().invoke(main, ["--project", str(root), *args, "-j", "1", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.replace(str(root), "ROOT")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.relative_to(root).parts
    }


def _copy(cached: Path, tmp_path: Path) -> Path:
    uncached = tmp_path / "uncached"
    shutil.copytree(cached, uncached, symlinks=True)
    shutil.rmtree(uncached / CACHE_DIR, ignore_errors=True)
    return uncached


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _same(cached: Path, uncached: Path, *args: str) -> None:
    assert _invoke(cached, *args) == _invoke(uncached, *args, cache=False)
    assert _tree(cached) == _tree(uncached)


EMPTY = f'#, md-text\nmsgid "{SHARED}"\nmsgstr ""'
FUZZY = f'#, fuzzy, md-text\nmsgid "{SHARED}"\nmsgstr "Guess"'
REVIEWED = f'#, md-text\nmsgid "{SHARED}"\nmsgstr "Paylasilan"'


def _fuzzy_a_reviewed_b(root: Path) -> None:
    """a.po holds a fuzzy guess of the shared sentence, b.po a reviewed translation;
    c.po has it untranslated (the fuzzy one, first in the pool, hides b's)."""
    _edit(root / "locales/az/a.po", EMPTY, FUZZY)
    _edit(root / "locales/az/b.po", EMPTY, REVIEWED)


def test_fuzzy_guess_removed_in_one_catalog_lets_another_be_reused(tmp_path: Path) -> None:
    """reviewed_digest ignores fuzzy entries, but a fuzzy entry shadows a later reviewed
    one of the same msgid in the pool (CandidatePool dedups before .reviewed())."""
    cached = tmp_path / "cached"
    _build(cached)
    _invoke(cached, "extract")
    uncached = _copy(cached, tmp_path)
    for root in (cached, uncached):
        _fuzzy_a_reviewed_b(root)
    for _ in range(2):
        _same(cached, uncached, "extract")
    for root in (cached, uncached):  # the translator clears the wrong guess in a.po
        _edit(root / "locales/az/a.po", FUZZY, EMPTY)
    _same(cached, uncached, "extract")


def test_deleting_an_article_with_a_fuzzy_guess_lets_another_be_reused(tmp_path: Path) -> None:
    """Same root cause, no catalog touched: a.po becomes an orphan, moves to the end of
    the pool, and b's reviewed translation is no longer hidden."""
    cached = tmp_path / "cached"
    _build(cached)
    _invoke(cached, "extract")
    uncached = _copy(cached, tmp_path)
    for root in (cached, uncached):
        _fuzzy_a_reviewed_b(root)
    for _ in range(2):
        _same(cached, uncached, "extract")
    for root in (cached, uncached):
        (root / "source/a.md").unlink()
    _same(cached, uncached, "extract")


def test_extract_check_verdict_is_not_reused_by_extract(tmp_path: Path) -> None:
    """``extract --check`` compares parsed catalogs, ``extract`` bytes; both share the
    ``extract`` table and key, so a re-formatted catalog is never rewritten."""
    cached = tmp_path / "cached"
    _build(cached, ("a",))
    _invoke(cached, "extract")
    uncached = _copy(cached, tmp_path)
    for root in (cached, uncached):  # a translator's tool dropped our flags
        po = root / "locales/az/a.po"
        po.write_text(po.read_text("utf-8").replace("#, md-text\n", ""), "utf-8")
    _same(cached, uncached, "extract", "--check")
    _same(cached, uncached, "extract")


def test_catalog_saved_during_a_run_is_not_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool digest stored with a verdict is computed after the jobs ran, from the
    files as they are then: a translator saving a.po mid-run makes c's stale verdict
    (computed from the old pool) stick to the new pool."""
    cached = tmp_path / "cached"
    _build(cached, ("a", "c"))
    _invoke(cached, "extract")
    uncached = _copy(cached, tmp_path)
    original = project._language_pools

    def translator_saves_meanwhile(ws, runner):  # type: ignore[no-untyped-def]
        pools = original(ws, runner)
        _edit(ws.config.locales_dir / "az/a.po", EMPTY, REVIEWED)
        return pools

    monkeypatch.setattr(project, "_language_pools", translator_saves_meanwhile)
    _invoke(cached, "extract")
    monkeypatch.setattr(project, "_language_pools", original)
    _edit(uncached / "locales/az/a.po", EMPTY, REVIEWED)
    assert _tree(cached) == _tree(uncached)
    _same(cached, uncached, "extract")


def _damage_files(value: object, key: str) -> Callable[[dict], None]:  # type: ignore[type-arg]
    def damage(data: dict) -> None:  # type: ignore[type-arg]
        if key == "entry":
            data["entries"] = dict.fromkeys(data["entries"], value)
        elif key == "short":  # marks that match, the hash itself missing
            data["entries"] = {k: v[:5] for k, v in data["entries"].items()}
            data["written_ns"] = value
        else:
            data[key] = value

    return damage


@pytest.mark.parametrize(
    ("table", "damage"),
    [
        ("files", _damage_files("abc", "written_ns")),
        ("files", _damage_files(None, "written_ns")),
        ("files", _damage_files(float("inf"), "written_ns")),
        ("files", _damage_files([1], "entries")),
        ("files", _damage_files(5, "entry")),
        ("files", _damage_files(10**30, "short")),
    ],
    ids=[
        "written_ns-str",
        "written_ns-null",
        "written_ns-inf",
        "entries-list",
        "entry-int",
        "entry-short",
    ],
)
def test_a_damaged_cache_never_crashes(tmp_path: Path, table: str, damage) -> None:  # type: ignore[no-untyped-def]
    """README: 'a damaged one counts as empty'."""
    cached = tmp_path / "cached"
    _build(cached, ("a",))
    for _ in range(2):
        _invoke(cached, "extract")
    uncached = _copy(cached, tmp_path)
    path = cached / CACHE_DIR / f"{table}.json"
    data = json.loads(path.read_text("utf-8"))
    damage(data)
    path.write_text(json.dumps(data), "utf-8")
    _same(cached, uncached, "extract")


def test_a_huge_number_in_a_cached_outcome_never_crashes(tmp_path: Path) -> None:
    """decode() promises ValueError/TypeError/KeyError for data that does not fit; a
    float field holding 10**400 raises OverflowError, which escapes to a traceback."""
    cached = tmp_path / "cached"
    _build(cached, ("a",))
    _invoke(cached, "extract")
    for _ in range(2):
        _invoke(cached, "check")
    uncached = _copy(cached, tmp_path)
    path = cached / CACHE_DIR / "check.json"
    data = json.loads(path.read_text("utf-8"))
    for slot in data["entries"].values():
        slot["value"]["outcome"]["reports"][0]["threshold"] = 10**400
    path.write_text(json.dumps(data), "utf-8")
    _same(cached, uncached, "check")
