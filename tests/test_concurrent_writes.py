"""Worker processes of one run write into the same folders at the same time: every
write lands whole, and the shared staging folder is left clean."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from pipeline.files import STAGING, write_atomic


def _write_many(task: tuple[str, int]) -> int:
    folder, worker = task
    for number in range(60):
        path = Path(folder) / f"w{worker}-{number}.md"
        write_atomic(path, f"worker {worker}, file {number}\n" * 50, path.name)
    return worker


def test_writers_in_one_folder_never_trip_over_the_staging_folder(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        done = pool.map(_write_many, [(str(tmp_path), w) for w in range(4)])
    assert done == [0, 1, 2, 3]
    for worker in range(4):
        for number in range(60):
            text = (tmp_path / f"w{worker}-{number}.md").read_text("utf-8")
            assert text == f"worker {worker}, file {number}\n" * 50
    assert not (tmp_path / STAGING).exists()
