"""How fast is the pipeline on a real corpus, next to mdpo and Translate Toolkit? Prints figures.

Builds a project from a folder of real Markdown pages (default: the jekyll-docs corpus in
``../shared/corpora/jekyll-docs``, 202 documentation pages and release posts with YAML
front matter; the corpus's own top-level README.md is not a page and is left out), with
``--copies N`` copies of it under ``source/copy-K/`` (×10 gives ~2,000 articles) and
three languages (``pipeline init az ka ru``), then times whole processes of the installed
command (``python -m pipeline ...``), each step the median of ``--repeat`` runs:

- cold ``extract``: no catalogs, no output, no cache (``locales/``, ``output/`` and
  ``.pipeline-cache/`` deleted before each run);
- cold ``merge`` with every msgstr = msgid (the catalogs filled with polib, then settled
  by one untimed ``extract``; ``output/`` and ``.pipeline-cache/`` deleted before each run);
- no-op ``extract``, ``merge`` and ``check`` right after, nothing changed (they use the
  cache if the pipeline keeps one: if ``.pipeline-cache/`` exists, one untimed pass of the
  three warms it first). ``check`` may exit 1 (thresholds, warnings): its time counts;
- one article changed: a paragraph appended to one article, then ``extract`` + ``merge``
  (a different article each run; the previous one is restored and settled untimed).

Peers, where installed, on the same Markdown files in the same run, each writing one
catalog per article and language as we do (so three languages means three catalogs per
article), every msgstr = msgid for the rebuild:

- mdpo: ``md2po`` (``mdpo.md2po.markdown_to_pofile``) and ``po2md``
  (``mdpo.po2md.pofile_to_markdown``), every file in one Python process per step;
- Translate Toolkit: ``python -m translate.convert.md2po -i source -o locales/LANG`` and
  ``python -m translate.convert.po2md -i locales/LANG -t source -o output/LANG``, one
  process per language, the times added up (needs ``translate-toolkit[markdown]``).

Both peers may install a console script named ``md2po``, so they are run by module. The
peers have no incremental mode, so only the cold steps are compared. The ratio is peer
seconds / our seconds: above 1 means the pipeline is faster. Also printed: how many
identity rebuilds are byte-identical to their source, for each tool.

``--pipeline-args "-j 2"`` adds flags to every timed pipeline call (after the command
name, or before it if the command rejects them there) and ``--no-cache`` adds
``--no-cache``; a flag the pipeline rejects with exit code 2 is reported and left out.

Usage: python benchmarks/corpus_bench.py [--copies 1] [--repeat 3] [--langs az,ka,ru]
                                         [--corpus DIR] [--workdir DIR] [--json PATH]
                                         [--pipeline-args "-j 2"] [--no-cache]
       (--copies 1 --repeat 1 for a quick run: about a minute on 2 cores)
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "jekyll-docs"
SUFFIXES = {".md", ".markdown"}
CACHE = ".pipeline-cache"
MARKER = ".corpus-bench"
PIPELINE = [sys.executable, "-m", "pipeline"]
TIMED = ("extract", "merge", "check")

COLD_EXTRACT = "cold extract"
COLD_MERGE = "cold merge (msgstr = msgid)"
NOOP_EXTRACT = "no-op extract"
NOOP_MERGE = "no-op merge"
NOOP_CHECK = "no-op check"
CHANGED = "1 article changed: extract + merge"
STEPS = (COLD_EXTRACT, COLD_MERGE, NOOP_EXTRACT, NOOP_MERGE, NOOP_CHECK, CHANGED)

WRITTEN = re.compile(r"(\d+) file\(s\) written or removed")

# Run as `python -c SCRIPT JOB.json` (cwd: the project), so mdpo's import counts, as it
# would for a user running md2po. Prints the files that failed, as JSON, on its last line.
MDPO_EXTRACT = """\
import json, sys
from pathlib import Path
from mdpo.md2po import markdown_to_pofile

job = json.loads(Path(sys.argv[1]).read_text())
failed = []
for lang in job["langs"]:
    for rel in job["files"]:
        po = Path(job["out"], "locales", lang, rel).with_suffix(".po")
        po.parent.mkdir(parents=True, exist_ok=True)
        try:
            markdown_to_pofile(str(Path(job["source"], rel)), po_filepath=str(po), save=True)
        except Exception as error:
            failed.append([lang, rel, repr(error)[:300]])
print(json.dumps(failed))
"""

MDPO_REBUILD = """\
import json, sys
from pathlib import Path
from mdpo.po2md import pofile_to_markdown

job = json.loads(Path(sys.argv[1]).read_text())
failed = []
for lang in job["langs"]:
    for rel in job["files"]:
        po = Path(job["out"], "locales", lang, rel).with_suffix(".po")
        out = Path(job["out"], "output", lang, rel)
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            pofile_to_markdown(str(Path(job["source"], rel)), str(po), save=str(out))
        except Exception as error:
            failed.append([lang, rel, repr(error)[:300]])
print(json.dumps(failed))
"""


class BenchError(Exception):
    """A step that must succeed did not; the message says which and why."""


@dataclass
class Run:
    argv: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str

    def tail(self, lines: int = 15) -> str:
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        return "\n".join("    " + line for line in text[-lines:])


@dataclass
class Report:
    """Samples per step and tool, and what was worth noting on the way."""

    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)
    identical: dict[str, tuple[int, int]] = field(default_factory=dict)
    crashed: set[tuple[str, str]] = field(default_factory=set)

    def add(self, step: str, tool: str, seconds: float) -> None:
        self.samples.setdefault(step, {}).setdefault(tool, []).append(seconds)

    def median(self, step: str, tool: str) -> float | None:
        values = self.samples.get(step, {}).get(tool)
        return statistics.median(values) if values else None

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
            print(f"  note: {text}")

    def show(self, step: str, tool: str) -> None:
        values = self.samples[step][tool]
        each = " ".join(f"{value:.2f}" for value in values)
        print(f"  {tool:5} {step}: {statistics.median(values):.2f} s  ({each})")


def run(argv: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    return Run(argv, time.perf_counter() - start, proc.returncode, proc.stdout, proc.stderr)


def clear(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def corpus_files(corpus: Path) -> list[Path]:
    """The corpus's articles, relative to it: every *.md / *.markdown but a top README."""
    files = [
        path.relative_to(corpus)
        for path in corpus.rglob("*")
        if path.suffix.lower() in SUFFIXES and path.is_file()
    ]
    return sorted(rel for rel in files if rel.parts != ("README.md",))


def fill_identity(folder: Path) -> int:
    """Set every msgstr of every .po under folder to its msgid; return the entries filled."""
    count = 0
    for path in sorted(folder.rglob("*.po")):
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                for n in entry.msgstr_plural:
                    entry.msgstr_plural[n] = entry.msgid if n == 0 else entry.msgid_plural
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            count += 1
        catalog.save(str(path))
    return count


def count_identical(source: Path, output: Path, files: list[Path], langs: list[str]) -> int:
    same = 0
    for lang in langs:
        for rel in files:
            built = output / lang / rel
            if built.is_file() and built.read_bytes() == (source / rel).read_bytes():
                same += 1
    return same


def written(result: Run) -> int | None:
    found = WRITTEN.search(result.stdout)
    return int(found.group(1)) if found else None


class Pipeline:
    """Timed calls of ``python -m pipeline`` in one project, with the extra flags placed."""

    def __init__(self, root: Path, report: Report) -> None:
        self.root = root
        self.report = report
        self.placement: dict[str, tuple[list[str], list[str]]] = {c: ([], []) for c in TIMED}

    def argv(self, command: str) -> list[str]:
        before, after = self.placement.get(command, ([], []))
        return [*PIPELINE, *before, command, *after]

    def call(self, command: str, *, must_pass: bool = True) -> Run:
        result = run(self.argv(command), self.root)
        if result.returncode == 0:
            return result
        if must_pass or "Traceback" in result.stderr or result.returncode not in (0, 1):
            text = f"`{shlex.join(result.argv)}` exited {result.returncode}:\n{result.tail()}"
            if must_pass:
                raise BenchError(text)
            self.report.note(text)
        return result

    def place(self, flags: list[str], label: str) -> None:
        """Put flags where each timed command accepts them; leave them out where none does."""
        if not flags:
            return
        for command in TIMED:
            before, after = self.placement[command]
            tried = []
            for extra_before, extra_after in (([], flags), (flags, [])):
                argv = [*PIPELINE, *before, *extra_before, command, *after, *extra_after]
                result = run([*argv, "--help"], self.root)
                if result.returncode == 0:
                    self.placement[command] = (
                        [*before, *extra_before],
                        [*after, *extra_after],
                    )
                    break
                if result.returncode != 2:
                    raise BenchError(f"`{shlex.join(argv)} --help` failed:\n{result.tail()}")
                tried.append(result.stderr.strip().splitlines()[-1:] or [""])
            else:
                why = tried[0][0] if tried else ""
                self.report.note(
                    f"pipeline {command} rejects {label} {shlex.join(flags)!r} (exit 2: "
                    f"{why}); timed without it"
                )


@contextmanager
def workspace(workdir: Path | None) -> Iterator[Path]:
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
            yield Path(tmp)
        return
    workdir = workdir.resolve()
    if workdir.exists() and any(workdir.iterdir()) and not (workdir / MARKER).exists():
        raise BenchError(f"{workdir}: not empty and not made by corpus_bench; pick another")
    workdir.mkdir(parents=True, exist_ok=True)
    clear(workdir, "project", "peers")
    (workdir / MARKER).write_text("made by benchmarks/corpus_bench.py; safe to delete\n")
    yield workdir


def build_project(
    root: Path, corpus: Path, files: list[Path], copies: int, langs: list[str]
) -> list[Path]:
    """``pipeline init`` in an empty folder, then the corpus copied into ``source/copy-K/``."""
    root.mkdir(parents=True)
    result = run([*PIPELINE, "init", *langs], root)
    if result.returncode != 0:
        raise BenchError(
            f"`{shlex.join(result.argv)}` exited {result.returncode}:\n{result.tail()}"
        )
    articles = []
    for k in range(1, copies + 1):
        for rel in files:
            target = Path("source", f"copy-{k}", rel)
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(corpus / rel, root / target)
            articles.append(target)
    return articles


def append_paragraph(path: Path, k: int) -> bytes:
    """Append a new paragraph to the article; return its original bytes."""
    original = path.read_bytes()
    eol = b"\r\n" if b"\r\n" in original else b"\n"
    text = original if original.endswith(eol) or not original else original + eol
    paragraph = (
        f"A paragraph added by the corpus benchmark, run {k}: it times how long one "
        "edited article takes to reach every language."
    ).encode()
    path.write_bytes(text + eol + paragraph + eol)
    return original


def bench_pipeline(
    pipeline: Pipeline, articles: list[Path], langs: list[str], repeat: int, report: Report
) -> None:
    root = pipeline.root
    print("pipeline:")
    for _ in range(repeat):
        clear(root, "locales", "output", CACHE)
        report.add(COLD_EXTRACT, "ours", pipeline.call("extract").seconds)
    report.show(COLD_EXTRACT, "ours")

    entries = fill_identity(root / "locales")
    print(f"  filled {entries} entries ({entries // max(len(langs), 1)} per language)")
    settle = pipeline.call("extract")  # writes the filled catalogs in the pipeline's layout
    print(f"  untimed extract after the fill: {written(settle)} file(s) rewritten")

    for _ in range(repeat):
        clear(root, "output", CACHE)
        report.add(COLD_MERGE, "ours", pipeline.call("merge").seconds)
    report.show(COLD_MERGE, "ours")
    rels = [Path(*article.parts[1:]) for article in articles]  # relative to source/
    same = count_identical(root / "source", root / "output", rels, langs)
    report.identical["ours"] = (same, len(rels) * len(langs))

    if (root / CACHE).exists():
        print("  untimed warm-up of the cache: extract, merge, check")
        pipeline.call("extract")
        pipeline.call("merge")
        pipeline.call("check", must_pass=False)
    check_codes = set()
    for step, command in ((NOOP_EXTRACT, "extract"), (NOOP_MERGE, "merge"), (NOOP_CHECK, "check")):
        for _ in range(repeat):
            result = pipeline.call(command, must_pass=command != "check")
            if "Traceback" in result.stderr:  # a crash is not a figure
                report.crashed.add((step, "ours"))
                continue
            report.add(step, "ours", result.seconds)
            count = written(result)
            if command == "check":
                check_codes.add(result.returncode)
            elif count:
                report.note(f"{step} wrote {count} file(s): not a no-op")
        if step in report.samples:
            report.show(step, "ours")
        else:
            print(f"  ours  {step}: crashed every run, no figure")
    if 1 in check_codes:
        print("  (check exited 1: a threshold or an error in the identity catalogs; timed anyway)")

    for k in range(repeat):
        article = articles[((2 * k + 1) * len(articles)) // (2 * repeat)]
        original = append_paragraph(root / article, k + 1)
        seconds = pipeline.call("extract").seconds + pipeline.call("merge").seconds
        report.add(CHANGED, "ours", seconds)
        (root / article).write_bytes(original)
        if k + 1 < repeat:  # settle, so the next run changes exactly one article again
            pipeline.call("extract")
            pipeline.call("merge")
    report.show(CHANGED, "ours")


def bench_mdpo(
    root: Path, peer: Path, files: list[Path], langs: list[str], *, repeat: int, report: Report
) -> None:
    if importlib.util.find_spec("mdpo") is None:
        print("mdpo: not installed (pip install mdpo)")
        return
    print(f"mdpo {importlib.metadata.version('mdpo')}:")
    rels = [str(Path(*rel.parts[1:])) for rel in files]  # relative to source/
    peer.mkdir(parents=True, exist_ok=True)
    job = peer / "job.json"
    job.write_text(
        json.dumps({"langs": langs, "files": rels, "source": "source", "out": str(peer)})
    )
    for step, script, folders in (
        (COLD_EXTRACT, MDPO_EXTRACT, ("locales", "output")),
        (COLD_MERGE, MDPO_REBUILD, ("output",)),
    ):
        if step == COLD_MERGE:
            fill_identity(peer / "locales")
        for _ in range(repeat):
            clear(peer, *folders)
            result = run([sys.executable, "-c", script, str(job)], root)
            if result.returncode != 0:
                report.note(f"mdpo {step} exited {result.returncode}:\n{result.tail()}")
                return
            report.add(step, "mdpo", result.seconds)
        failed = json.loads(result.stdout.strip().splitlines()[-1])
        if failed:
            report.failures.setdefault("mdpo", []).extend(
                f"{step}: {lang} {rel}: {why}" for lang, rel, why in failed
            )
            report.note(f"mdpo {step}: {len(failed)} file(s) failed, e.g. {failed[0]}")
        report.show(step, "mdpo")
    same = count_identical(root / "source", peer / "output", [Path(r) for r in rels], langs)
    report.identical["mdpo"] = (same, len(rels) * len(langs))


def tt_problem() -> str | None:
    """Why Translate Toolkit's Markdown converters cannot run here, or None."""
    if importlib.util.find_spec("translate") is None:
        return "not installed (pip install 'translate-toolkit[markdown]')"
    probe = run([sys.executable, "-c", "import translate.convert.md2po"], REPO)
    if probe.returncode != 0:
        last = probe.stderr.strip().splitlines()[-1:] or ["?"]
        return f"md2po cannot start ({last[0]}; pip install 'translate-toolkit[markdown]')"
    return None


def bench_tt(
    root: Path, peer: Path, files: list[Path], langs: list[str], *, repeat: int, report: Report
) -> None:
    problem = tt_problem()
    if problem:
        print(f"Translate Toolkit: {problem}")
        report.notes.append(f"Translate Toolkit: {problem}")
        return
    print(f"Translate Toolkit {importlib.metadata.version('translate-toolkit')}:")
    module = "translate.convert.{}"
    steps = (
        (COLD_EXTRACT, "md2po", ("locales", "output"), ["-i", "source", "-o", "{p}/locales/{l}"]),
        (
            COLD_MERGE,
            "po2md",
            ("output",),
            ["-i", "{p}/locales/{l}", "-t", "source", "-o", "{p}/output/{l}"],
        ),
    )
    for step, tool, folders, args in steps:
        if step == COLD_MERGE:
            fill_identity(peer / "locales")
        warnings: list[str] = []
        for _ in range(repeat):
            clear(peer, *folders)
            seconds = 0.0
            warnings = []
            for lang in langs:
                (peer / folders[0] / lang).mkdir(parents=True)  # TT makes one level only
                argv = [
                    sys.executable,
                    "-m",
                    module.format(tool),
                    "--progress=none",
                    *(arg.format(p=peer, l=lang) for arg in args),
                ]
                result = run(argv, root)
                if result.returncode != 0:
                    report.note(f"TT {tool} {lang} exited {result.returncode}:\n{result.tail()}")
                    return
                seconds += result.seconds
                warnings += [line for line in result.stderr.splitlines() if line.strip()]
            report.add(step, "TT", seconds)
        errors = [line for line in warnings if "ERROR" in line or "Traceback" in line]
        if warnings:
            print(f"  TT {tool}: {len(warnings)} stderr line(s), {len(errors)} error(s)")
            first = (errors or warnings)[0]
            print(f"    e.g. {first[:200]}")
        if errors:
            report.failures.setdefault("TT", []).extend(f"{step}: {line}" for line in errors)
        report.show(step, "TT")
    rels = [Path(*rel.parts[1:]) for rel in files]
    produced = sum(1 for lang in langs for rel in rels if (peer / "output" / lang / rel).is_file())
    if produced < len(rels) * len(langs):
        report.note(f"TT po2md wrote {produced} of {len(rels) * len(langs)} articles")
    report.identical["TT"] = (
        count_identical(root / "source", peer / "output", rels, langs),
        len(rels) * len(langs),
    )


def ratio(peer: float | None, ours: float | None) -> str:
    if peer is None or not ours:
        return "—"
    return f"{peer / ours:.2f}"


def seconds_text(report: Report, step: str, tool: str) -> str:
    value = report.median(step, tool)
    if value is None:
        return "crashed" if (step, tool) in report.crashed else "—"
    return f"{value:.2f}"


def print_table(report: Report) -> None:
    head = ("step", "ours s", "mdpo s", "mdpo/ours", "TT s", "TT/ours")
    rows = []
    for step in STEPS:
        ours = report.median(step, "ours")
        mdpo = report.median(step, "mdpo")
        tt = report.median(step, "TT")
        rows.append(
            (
                step,
                seconds_text(report, step, "ours"),
                seconds_text(report, step, "mdpo"),
                ratio(mdpo, ours),
                seconds_text(report, step, "TT"),
                ratio(tt, ours),
            )
        )
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))
    print("(median of the runs; ratio = peer / ours: above 1 means the pipeline is faster)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=1, help="copies of the corpus (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (default 3)")
    parser.add_argument("--langs", default="az,ka,ru", help="comma-separated (default az,ka,ru)")
    parser.add_argument("--workdir", type=Path, help="build here and keep it (default: a temp dir)")
    parser.add_argument("--pipeline-args", default="", help='extra pipeline flags, e.g. "-j 2"')
    parser.add_argument("--no-cache", action="store_true", help="pass --no-cache to the pipeline")
    parser.add_argument("--no-peers", action="store_true", help="time the pipeline only")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    langs = [lang for lang in re.split(r"[,\s]+", args.langs) if lang]
    if args.copies < 1 or args.repeat < 1 or not langs:
        parser.error("--copies and --repeat must be at least 1, --langs not empty")
    corpus = args.corpus.resolve()
    files = corpus_files(corpus) if corpus.is_dir() else []
    if not files:
        parser.error(f"{corpus}: no *.md or *.markdown files")

    report = Report()
    try:
        with workspace(args.workdir) as work:
            root, peers = work / "project", work / "peers"
            articles = build_project(root, corpus, files, args.copies, langs)
            size = sum((root / article).stat().st_size for article in articles)
            version = run([*PIPELINE, "--version"], root).stdout.strip()
            cores = os.cpu_count()
            print(
                f"corpus: {corpus} ({len(files)} files) × {args.copies} = {len(articles)} "
                f"articles, {size / 1e6:.2f} MB; {len(langs)} languages ({', '.join(langs)})"
            )
            print(f"machine: {cores} cores; Python {platform.python_version()}; {version}")
            print(f"work folder: {work}")

            pipeline = Pipeline(root, report)
            pipeline.place(shlex.split(args.pipeline_args), "--pipeline-args")
            if args.no_cache:
                pipeline.place(["--no-cache"], "the flag")
            for command in TIMED:
                print(f"  {command}: {shlex.join(pipeline.argv(command)[1:])}")
            bench_pipeline(pipeline, articles, langs, args.repeat, report)
            if not args.no_peers:
                bench_mdpo(root, peers / "mdpo", articles, langs, repeat=args.repeat, report=report)
                bench_tt(root, peers / "tt", articles, langs, repeat=args.repeat, report=report)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print()
    print(
        f"{len(articles)} articles, {size / 1e6:.2f} MB, {len(langs)} languages; "
        f"{cores} cores; --repeat {args.repeat}"
    )
    print_table(report)
    same = ", ".join(f"{tool} {n}/{total}" for tool, (n, total) in report.identical.items())
    print(f"identity rebuilds byte-identical to their source: {same}")
    for tool, lines in report.failures.items():
        print(f"{tool}: {len(lines)} failure(s); first: {lines[0]}")

    if args.json:
        figures = {
            "corpus": {
                "path": str(corpus),
                "files": len(files),
                "copies": args.copies,
                "articles": len(articles),
                "bytes": size,
                "languages": langs,
            },
            "machine": {"cpu_count": cores, "python": platform.python_version()},
            "pipeline": version,
            "commands": {command: pipeline.argv(command)[1:] for command in TIMED},
            "repeat": args.repeat,
            "steps": {
                step: {
                    tool: {"median": statistics.median(values), "samples": values}
                    for tool, values in tools.items()
                }
                for step, tools in report.samples.items()
            },
            "identical": {tool: list(pair) for tool, pair in report.identical.items()},
            "failures": report.failures,
            "notes": report.notes,
        }
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
