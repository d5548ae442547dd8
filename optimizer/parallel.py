"""Run many independent solves: in this process, on N local processes, or on a Dask cluster.

Every multi-solve command (compare, members, shapley, sweep) hands its tasks to `run_tasks`.
A task is a picklable call `fn(*args)` of a module-level function; results come back in task
order whatever the backend, so output files are identical with 1 worker, N workers or a cluster.

- `workers=1`, no scheduler: sequential, in this process (the default; warm starts carry over).
- `workers=N`: a `ProcessPoolExecutor` of N processes; tasks are sent in contiguous chunks so a
  neighbour walk stays a neighbour walk inside each process.
- `scheduler=ADDRESS`: a `dask.distributed.Client` connected to that scheduler (e.g.
  `tcp://10.0.0.5:8786`, or a `LocalCluster`'s address); dask is imported only then.

Workers keep expensive state (a compiled model) between tasks through `worker_cache`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: Per-process cache of expensive objects (e.g. a CoalitionSolver), keyed by the caller.
_CACHE: dict[Any, Any] = {}


def worker_cache(key: Any, make: Callable[[], Any]) -> Any:
    """The object cached under `key` in this process, made on first use."""
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def _run_chunk(fn: Callable, chunk: Sequence[tuple]) -> list:
    return [fn(*args) for args in chunk]


def _chunks(tasks: Sequence[tuple], n: int) -> list[Sequence[tuple]]:
    """Split into at most n contiguous chunks of near-equal size (keeps neighbour walks)."""
    n = max(1, min(n, len(tasks)))
    size, extra = divmod(len(tasks), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(tasks[start:end])
        start = end
    return [c for c in out if len(c)]


def run_tasks(
    fn: Callable,
    tasks: Iterable[tuple],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    on_done: Callable[[int], None] | None = None,
    chunks_per_worker: int = 4,
) -> list:
    """`[fn(*args) for args in tasks]`, possibly in parallel; `on_done(n)` after n more finish."""
    tasks = list(tasks)
    if not tasks:
        return []
    if scheduler is not None:
        return _run_dask(fn, tasks, scheduler, on_done, chunks_per_worker)
    if workers <= 1:
        results = []
        for args in tasks:
            results.append(fn(*args))
            if on_done:
                on_done(1)
        return results
    workers = min(workers, os.cpu_count() or workers, len(tasks))
    chunks = _chunks(tasks, workers * chunks_per_worker)
    results: list = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_run_chunk, fn, chunk): i for i, chunk in enumerate(chunks)}
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if on_done:
                on_done(len(chunks[i]))
    return [r for chunk in results for r in chunk]


def _run_dask(fn, tasks, scheduler, on_done, chunks_per_worker) -> list:
    from dask.distributed import Client, as_completed

    with Client(scheduler) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = _chunks(tasks, n_workers * chunks_per_worker)
        futures = [client.submit(_run_chunk, fn, chunk, pure=False) for chunk in chunks]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list = [None] * len(chunks)
        for future in as_completed(futures):
            i = index[future.key]
            results[i] = future.result()
            if on_done:
                on_done(len(chunks[i]))
    return [r for chunk in results for r in chunk]
