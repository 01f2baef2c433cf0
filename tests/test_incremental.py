"""Parallel and incremental runs change nothing but the time taken.

One project holds every golden case (with its hand-filled catalog) and every CommonMark
example as an article. A script of edits and commands runs on two copies of it: one in
this process without the cache (``-j 1 --no-cache``), one in worker processes with the
cache (``-j 2``). After each step both must have printed the same output, exited the
same way, and hold the same files. Then the same for a Dask cluster and for shards.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cache import CACHE_DIR, Cache, decode, encode
from pipeline.cli import main
from pipeline.config import load
from pipeline.project import Options, extract_project, merge_project
from pipeline.results import ArticleMerge, Broken, FileResult, ReportOutcome
from pipeline.workspace import Shard

TESTS = Path(__file__).resolve().parent
GOLDEN = sorted(p for p in (TESTS / "golden").iterdir() if (p / "source.md").is_file())
EXAMPLES = json.loads((TESTS / "corpus" / "commonmark" / "commonmark.json").read_text("utf-8"))


def _build(root: Path) -> None:
    root.mkdir()
    (root / "pipeline.toml").write_text(
        'languages = ["az", "ru"]\nmin_complete = 50\nrequired_fields = ["title"]\n', "utf-8"
    )
    source = root / "source"
    for case in GOLDEN:
        (source / "golden").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / "source.md", source / "golden" / f"{case.name}.md")
    for example in EXAMPLES[::6]:  # a sixth of them: 109 articles, ample for two workers
        section = example["section"].lower().replace(" ", "-")
        folder = source / "commonmark" / section
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"example-{example['example']}.md").write_text(example["markdown"], "utf-8")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.relative_to(root).parts
    }


def _fill(root: Path) -> None:
    """The translators' turn: the golden cases' hand-made catalogs, and a reviewed
    translation of one CommonMark text, which other catalogs of ru may reuse."""
    for case in GOLDEN:
        shutil.copyfile(case / "az.po", root / "locales" / "az" / "golden" / f"{case.name}.po")
    po = next(sorted((root / "locales" / "ru" / "commonmark").rglob("*.po")).__iter__())
    text = po.read_text("utf-8")
    po.write_text(text.replace('msgstr ""\n\n', 'msgstr "Перевод."\n\n', 1), "utf-8")


def _edit(root: Path) -> None:
    """The editors' turn: an article changed, one removed, an output deleted by hand."""
    articles = sorted((root / "source" / "commonmark").rglob("*.md"))
    with articles[0].open("a", encoding="utf-8") as f:
        f.write("\nA new paragraph, added by an editor.\n")
    articles[1].unlink()
    outputs = sorted((root / "output" / "az").rglob("*.md"))
    outputs[-1].unlink()


def _settings(root: Path) -> None:
    path = root / "pipeline.toml"
    path.write_text(path.read_text("utf-8").replace("min_complete = 50", "min_complete = 10"))


def _touch(root: Path) -> None:
    """Every file rewritten with the same bytes: new mtimes, nothing changed."""
    for path in sorted((root / "source").rglob("*.md"))[:20]:
        path.write_bytes(path.read_bytes())
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))


COMMANDS = (
    ["extract"],
    ["extract", "--check"],
    ["merge"],
    ["merge", "--check"],
    ["status", "--format", "json"],
    ["check", "--format", "json"],
    ["check"],
)

SCRIPT: tuple[tuple[str, Callable[[Path], None] | None], ...] = (
    ("first run", None),
    ("again, nothing changed", None),
    ("translated", _fill),
    ("again, nothing changed", None),
    ("edited", _edit),
    ("again, nothing changed", None),
    ("settings changed", _settings),
    ("files rewritten unchanged", _touch),
    ("again, nothing changed", None),
)


def _invoke(root: Path, args: list[str], run: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(root), *args, *run])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_cache_and_workers_change_nothing_but_the_time(tmp_path: Path) -> None:
    plain, fast = tmp_path / "plain", tmp_path / "fast"
    _build(plain)
    _build(fast)
    hits = 0
    for step, change in SCRIPT:
        if change is not None:
            change(plain)
            change(fast)
        for args in COMMANDS:
            expected = _invoke(plain, args, ["-j", "1", "--no-cache"])
            got = _invoke(fast, args, ["-j", "2"])
            assert got == expected, f"{step}: pipeline {' '.join(args)}"
            assert _tree(fast) == _tree(plain), f"{step}: pipeline {' '.join(args)}"
        hits += step.startswith("again")
    assert not (plain / CACHE_DIR).exists()
    for table in ("extract", "merge", "status", "check", "files"):
        assert (fast / CACHE_DIR / f"{table}.json").is_file(), table
    assert hits == 4


def test_a_cached_run_does_no_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    _build(root)
    for args in COMMANDS:
        _invoke(root, args, ["-j", "1"])
        _invoke(root, args, ["-j", "1"])  # the first run may write; this one is a fixed point

    def no_job(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a job ran although nothing changed")

    monkeypatch.setattr("pipeline.jobs.run", no_job)
    for args in COMMANDS:
        code, _ = _invoke(root, args, ["-j", "1"])
        assert code in (0, 1), args


def test_a_damaged_cache_counts_as_empty(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _build(root)
    for args in COMMANDS:
        _invoke(root, args, ["-j", "1"])  # the project settled, the cache filled
    expected = [_invoke(root, args, ["--no-cache", "-j", "1"]) for args in COMMANDS]
    for path in (root / CACHE_DIR).glob("*.json"):
        data = path.read_text("utf-8")
        path.write_text(data[: len(data) // 2], "utf-8")  # a crash mid-write, say
    assert [_invoke(root, args, ["-j", "1"]) for args in COMMANDS] == expected
    for path in (root / CACHE_DIR).glob("*.json"):
        json.loads(path.read_text("utf-8"))  # written whole again


def test_a_cache_folder_that_is_a_link_is_never_written_through(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _build(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    for args in COMMANDS:
        _invoke(root, args, ["-j", "1"])
    assert list(elsewhere.iterdir()) == []


def test_outcomes_survive_the_cache_codec() -> None:
    merge = ArticleMerge(
        "az",
        FileResult("output/az/a.md", decode(type(FileResult("", "kept").action), "kept")),  # type: ignore[arg-type]
        3,
        1,
        1,
        1,
        (Broken("locales/az/a.po", 7, "why", "link-target"),),
    )
    assert decode(ArticleMerge, json.loads(json.dumps(encode(merge)))) == merge
    with pytest.raises(ValueError):
        decode(ReportOutcome, {"article": "a.md", "reports": "not a list"})


def test_cache_is_json_and_ignored_by_git(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _build(root)
    _invoke(root, ["extract"], [])
    folder = root / CACHE_DIR
    assert (folder / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    for path in folder.glob("*.json"):
        json.loads(path.read_text("utf-8"))
    assert Cache(root).enabled


def test_shards_together_do_what_one_run_does(tmp_path: Path) -> None:
    whole, split = tmp_path / "whole", tmp_path / "split"
    _build(whole)
    _build(split)
    assert _invoke(whole, ["extract"], [])[0] == 0
    assert _invoke(whole, ["merge"], [])[0] == 0
    seen: list[str] = []
    for k in (1, 2, 3):
        code, output = _invoke(split, ["extract", "--shard", f"{k}/3"], [])
        assert code == 0, output
        seen.append(output)
    for k in (1, 2, 3):
        assert _invoke(split, ["merge", "--shard", f"{k}/3"], [])[0] == 0
    whole_tree, split_tree = _tree(whole), _tree(split)
    # The manifests list what each shard wrote, so they differ in order of writing only.
    manifests = [p for p in whole_tree if p.endswith(".pipeline-manifest")]
    assert {p: v for p, v in whole_tree.items() if p not in manifests} == {
        p: v for p, v in split_tree.items() if p not in manifests
    }
    for path in manifests:
        assert sorted(whole_tree[path].splitlines()) == sorted(split_tree[path].splitlines())
    articles = load(whole).articles()
    shares = [[a for a in articles if Shard(k, 3).holds(a)] for k in (1, 2, 3)]
    assert sorted(a for share in shares for a in share) == sorted(articles)
    assert all(shares), "every shard got some of 130 articles"


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "1-3"])
def test_a_bad_shard_is_a_usage_error(tmp_path: Path, text: str) -> None:
    root = tmp_path / "p"
    _build(root)
    code, output = _invoke(root, ["extract", "--shard", text], [])
    assert code == 1
    assert "--shard" in output and "K/N" in output


def test_a_dask_cluster_gives_the_same_bytes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from pipeline.executors import Cluster

    local, remote = tmp_path / "local", tmp_path / "remote"
    _build(local)
    _build(remote)
    config_local, config_remote = load(local), load(remote)
    extract_project(config_local)
    merge_project(config_local)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        runner = Cluster(cluster.scheduler_address)
        try:
            options = Options(runner=runner)
            extract_project(config_remote, options=options)
            merge_project(config_remote, options=options)
        finally:
            runner.close()
    assert _tree(remote) == _tree(local)
