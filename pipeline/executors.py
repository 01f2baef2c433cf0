"""Where jobs run: in this process, in a pool of processes, or on a Dask cluster.

A job is a module-level function of one task, returning a value; both must pickle. Every
runner returns the results in the order of the tasks, whatever order they finished in,
so a command's output never depends on the scheduling. ``shared`` is data every job of
one ``map`` reads (a language's translation pool): sent once per worker process (or
scattered once to a cluster), not once per task. The only home of ``distributed``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from pipeline.errors import PipelineError

T = TypeVar("T")
R = TypeVar("R")

SERIAL_BELOW = 16
"""Fewer tasks than this run in this process: starting workers costs more than they save."""

CHUNK = 8
"""Tasks sent to a worker at a time (fewer round trips; still balanced at 100 tasks)."""

SCHEDULER_VARIABLE = "PIPELINE_SCHEDULER"
"""Environment variable naming a Dask scheduler (``tcp://host:8786``), like ``--scheduler``."""

_SHARED: Any = None


def shared() -> Any:
    """The ``shared`` value of the ``map`` the current job belongs to."""
    return _SHARED


def _install(value: Any) -> None:
    global _SHARED  # noqa: PLW0603 -- a worker process's copy of the run's shared data
    _SHARED = value


def _call_with(job: Callable[[T], R], value: Any, task: T) -> R:
    _install(value)
    return job(task)


class Runner(Protocol):
    """Runs ``job`` over ``tasks``; results in task order. ``progress`` is called with
    each task's index as its result arrives, in the scheduling process."""

    def map(
        self,
        job: Callable[[T], R],
        tasks: Sequence[T],
        *,
        shared: Any = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[R]: ...


class Serial:
    """Every job in this process, one after another (``-j 1``)."""

    workers = 1

    def map(
        self,
        job: Callable[[T], R],
        tasks: Sequence[T],
        *,
        shared: Any = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[R]:
        """Run the jobs here, in order."""
        _install(shared)
        results = []
        for number, task in enumerate(tasks):
            results.append(job(task))
            if progress:
                progress(number)
        _install(None)
        return results


class Processes:
    """A pool of worker processes on this machine (``-j N``, default: one per core).

    A new pool is started per ``map``, so each worker is given that map's ``shared``
    data once, when it starts; on Linux workers are forked, with the modules loaded.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map(
        self,
        job: Callable[[T], R],
        tasks: Sequence[T],
        *,
        shared: Any = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[R]:
        """Run the jobs in worker processes (here when there are too few to pay off)."""
        if self.workers <= 1 or len(tasks) < SERIAL_BELOW:
            return Serial().map(job, tasks, shared=shared, progress=progress)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        workers = min(self.workers, len(tasks))
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_install, initargs=(shared,)
        ) as pool:
            chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
            futures = [pool.submit(_run_chunk, job, chunk) for chunk in chunks]
            results: list[R] = []
            for future in futures:
                done = future.result()
                if progress:
                    for number in range(len(results), len(results) + len(done)):
                        progress(number)
                results.extend(done)
        return results


def _run_chunk(job: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [job(task) for task in chunk]


class Cluster:
    """A Dask cluster (``--scheduler tcp://host:8786``); workers need this package."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client  # noqa: PLC0415 -- optional: the [dask] extra
        except ImportError:
            raise PipelineError(
                "a Dask scheduler was given, but the 'distributed' package is not installed",
                hint="pip install 'article-l10n-pipeline[dask]', or run without --scheduler",
            ) from None
        try:
            self.client = Client(address, timeout=10, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise PipelineError(
                f"cannot reach the Dask scheduler at {address}: {exc}",
                hint=f"start one (dask scheduler), or unset --scheduler / {SCHEDULER_VARIABLE}",
            ) from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(
        self,
        job: Callable[[T], R],
        tasks: Sequence[T],
        *,
        shared: Any = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[R]:
        """Run the jobs on the cluster; ``shared`` is scattered to every worker once."""
        if not tasks:
            return []
        value = self.client.scatter(shared, broadcast=True) if shared is not None else None
        futures = self.client.map(
            _call_with, [job] * len(tasks), [value] * len(tasks), tasks, pure=False
        )
        results: list[R] = []
        for future in futures:
            results.append(future.result())
            if progress:
                progress(len(results) - 1)
        return results

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self.client.close()


def cores() -> int:
    """Processors this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Closing(AbstractContextManager["Runner"]):
    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def __enter__(self) -> Runner:
        return self.runner

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.runner, Cluster):
            self.runner.close()


def runner(jobs: int | None = None, scheduler: str | None = None) -> _Closing:
    """The runner for ``-j/--jobs`` and ``--scheduler`` (or ``PIPELINE_SCHEDULER``), as a
    context manager. ``jobs`` None: one process per core; 1: in this process."""
    address = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    if address:
        return _Closing(Cluster(address))
    count = cores() if jobs is None else jobs
    return _Closing(Serial() if count <= 1 else Processes(count))
