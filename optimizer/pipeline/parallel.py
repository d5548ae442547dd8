"""Run many independent solves: in this process, on N local processes, or on a Dask cluster.

Multi-solve commands hand their tasks to `run_tasks` (sweep, compare with `--scheduler`) or to
`optimizer.pipeline.runner.VariantRunner` (members, shapley, which keep a persistent model per
process). A task is a picklable call `fn(*args)` of a module-level function; results come back
in task order whatever the backend, so output files are identical with 1 worker, N workers or a
cluster.

- `workers=1`, no scheduler: sequential, in this process (the default; warm starts carry over).
- `workers=N`: a process pool of N processes; tasks are sent in contiguous chunks so a
  neighbour walk stays a neighbour walk inside each process.
- `scheduler=ADDRESS`: a `dask.distributed.Client` connected to that scheduler (e.g.
  `tcp://10.0.0.5:8786`, or a `LocalCluster`'s address); dask is imported only then.

`on_result(i, result)` is called in the calling process as each task's result arrives (in the
order they finish), so a caller can write each result to disk at once: an interruption then
loses only the tasks in flight. On an interruption (Ctrl-C, SIGTERM) or an error, queued tasks
are cancelled and the worker processes are stopped before the exception propagates.

Workers keep expensive state (a compiled model) between tasks through `worker_cache`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

#: Per-process cache of expensive objects (e.g. a CoalitionSolver), keyed by the caller.
_CACHE: dict[Any, Any] = {}


def worker_cache(key: Any, make: Callable[[], Any]) -> Any:
    """The object cached under `key` in this process, made on first use."""
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the imported modules (a spawned worker re-imports Pyomo: ~1 s); pools are
    # started before any progress-bar thread exists (`started_pool`)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _ready() -> bool:
    return True


def _start_worker(initializer, initargs: tuple) -> None:
    """In each worker process: leave interruption to the parent, then run `initializer`.

    Workers are forked with the parent's handlers (`optimizer.cli.entry._terminate` raises
    KeyboardInterrupt), so a worker stopped by `stop_pool` would print a traceback. A Ctrl-C in
    a terminal reaches every process of the group: the parent alone acts on it and stops the
    workers, which SIGTERM then ends at once and silently.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer(*initargs)


def started_pool(
    workers: int, initializer=None, initargs: tuple = (), *, wait: bool = True
) -> ProcessPoolExecutor:
    """A process pool whose `workers` processes all exist (and, with `wait`, ran `initializer`)
    on return.

    Start it before any progress bar, so no process is forked while a display thread runs.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(initializer, initargs),
    )
    try:
        futures = [pool.submit(_ready) for _ in range(workers)]  # forks the workers now
        for future in futures if wait else ():
            future.result()
    except BaseException:
        stop_pool(pool)
        raise
    return pool


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and stop the worker processes now (an interruption, an error):
    waiting for the running tasks could take as long as the longest solve."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    # A worker stopped while it sent a result leaves half a message in the result pipe, and the
    # pool's manager thread waits for the rest for ever; the interpreter joins that thread at
    # exit, so an interrupted compare never ended (seen in the kill soak). With the workers gone,
    # closing this process's end of the pipe ends that wait: the manager reads EOF and stops.
    writer = getattr(results, "_writer", None)
    if manager is not None and manager.is_alive() and writer is not None:
        writer.close()
        manager.join(timeout=5)


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
    on_result: Callable[[int, Any], None] | None = None,
    chunks_per_worker: int = 4,
    pool: ProcessPoolExecutor | None = None,
) -> list:
    """`[fn(*args) for args in tasks]`, possibly in parallel.

    `on_done(n)` after n more tasks finish; `on_result(i, result)` for each finished task `i`.
    `pool`: a pool from `started_pool` to use (and leave running) instead of a new one.
    """
    tasks = list(tasks)
    if not tasks:
        return []
    results: list = [None] * len(tasks)

    def finished(start: int, values: list) -> None:
        for k, value in enumerate(values):
            results[start + k] = value
            if on_result:
                on_result(start + k, value)
        if on_done:
            on_done(len(values))

    if scheduler is not None:
        _run_dask(fn, tasks, scheduler, finished, chunks_per_worker)
        return results
    if workers <= 1 and pool is None:
        for i, args in enumerate(tasks):
            finished(i, [fn(*args)])
        return results
    workers = min(workers, usable_cpus(), len(tasks))
    chunks = _chunks(tasks, workers * chunks_per_worker)
    starts = [sum(len(c) for c in chunks[:i]) for i in range(len(chunks))]
    own = pool is None
    pool = pool or started_pool(workers)
    try:
        futures = {pool.submit(_run_chunk, fn, chunk): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            finished(starts[i], future.result())
    except BaseException:
        stop_pool(pool)
        raise
    if own:
        pool.shutdown(wait=True)
    return results


def _run_dask(fn, tasks, scheduler, finished, chunks_per_worker) -> None:
    from dask.distributed import Client, as_completed

    with Client(scheduler) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = _chunks(tasks, n_workers * chunks_per_worker)
        starts = [sum(len(c) for c in chunks[:i]) for i in range(len(chunks))]
        futures = [client.submit(_run_chunk, fn, chunk, pure=False) for chunk in chunks]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for future in as_completed(futures):
                i = index[future.key]
                finished(starts[i], future.result())
        except BaseException:
            client.cancel(futures)
            raise
