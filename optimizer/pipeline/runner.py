"""Many sub-coalition solves: neighbour walks on one persistent model per process.

A *walk* is a list of variants solved one after the other on the same `CoalitionSolver`: the
first cold (the HiGHS basis cleared), each next one warm from its predecessor's basis. Walks are
built so that consecutive variants are neighbours (one member in or out, as in a Gray code), the
order in which a warm start pays off (docs/performance.md).

`--workers N` hands walks to N processes, each building its solver once (process initializer).
Because every walk starts cold and the walks do not depend on N, the numbers are the same with
any number of workers (the tests check it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from optimizer.instance.resolved import Instance
from optimizer.pipeline.parallel import started_pool, stop_pool
from optimizer.pipeline.variants import CoalitionSolver
from optimizer.results.evaluation import Evaluation
from optimizer.solver.highs import SolveOptions


@dataclass(frozen=True)
class Variant:
    """One sub-coalition to solve, with the instance's targets scaled by `target_scale`."""

    members: tuple[str, ...]
    target_scale: float = 1.0


@dataclass(frozen=True)
class SolverSpec:
    """What a process needs to build its `CoalitionSolver` (picklable)."""

    instance: Instance
    pool: tuple[str, ...]
    options: SolveOptions = field(default_factory=SolveOptions)
    hard_target_penalty: float | None = None

    def build(self) -> CoalitionSolver:
        return CoalitionSolver(
            self.instance,
            self.pool,
            self.options,
            hard_target_penalty=self.hard_target_penalty,
        )


def solve_walk(
    solver: CoalitionSolver, walk: Sequence[Variant], *, penalise_infeasible: bool = False
) -> list[Evaluation]:
    """Solve a walk: the first variant cold, the others warm from their predecessor."""
    if not solver.rebuild:
        solver.session.h.clearSolver()
    out = []
    for variant in walk:
        value = solver.solve(variant.members, target_scale=variant.target_scale)
        penalised = False
        numbers = value
        if value.status == "infeasible" and penalise_infeasible:
            numbers = solver.solve(
                variant.members, target_scale=variant.target_scale, penalised=True
            )
            penalised = numbers.status == "optimal"
        out.append(
            Evaluation(
                members=value.members,
                target_scale=variant.target_scale,
                status=value.status,
                objective=numbers.objective,
                total_pain=numbers.total_pain,
                shortfall_cost=numbers.shortfall_cost,
                pain_by_member=dict(numbers.pain_by_member),
                penalised=penalised,
                seconds=value.seconds + (numbers.seconds if penalised else 0.0),
                pain_by_outsider=dict(getattr(numbers, "pain_by_outsider", {}) or {}),
            )
        )
    return out


# -- worker processes ----------------------------------------------------------------------------
_WORKER_SOLVER: CoalitionSolver | None = None


def _init_worker(spec: SolverSpec) -> None:
    global _WORKER_SOLVER
    _WORKER_SOLVER = spec.build()


def _walk_in_worker(walk: list[Variant], penalise_infeasible: bool) -> list[Evaluation]:
    assert _WORKER_SOLVER is not None, "worker not initialised"
    return solve_walk(_WORKER_SOLVER, walk, penalise_infeasible=penalise_infeasible)


def _walk_on_cluster(
    spec: SolverSpec, walk: list[Variant], penalise_infeasible: bool
) -> list[Evaluation]:
    """A walk on a Dask worker: the worker builds its solver for `spec` once and keeps it."""
    from optimizer.pipeline.parallel import worker_cache

    key = (
        "variant-solver",
        spec.instance.sha256 or spec.instance.name,
        spec.pool,
        spec.hard_target_penalty,
        spec.options,
    )
    solver = worker_cache(key, spec.build)
    return solve_walk(solver, walk, penalise_infeasible=penalise_infeasible)


class VariantRunner:
    """Run walks of variants in this process (workers=1) or in `workers` processes.

    Use as a context manager so that worker processes are shut down.
    """

    def __init__(self, spec: SolverSpec, workers: int = 1, scheduler: str | None = None):
        if workers < 1:
            raise ValueError("workers must be ≥ 1")
        self.spec = spec
        self.workers = workers
        self.scheduler = scheduler
        self._solver: CoalitionSolver | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._client = None

    def __enter__(self) -> VariantRunner:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(interrupted=exc_type is not None)

    def close(self, *, interrupted: bool = False) -> None:
        """Shut the workers down; `interrupted`: stop them now rather than let walks finish."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._pool is not None:
            if interrupted:
                stop_pool(self._pool)
            else:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self) -> None:
        """Build the solver(s) now (before a progress bar starts its thread)."""
        if self.scheduler is not None:
            if self._client is None:
                from dask.distributed import Client

                self._client = Client(self.scheduler)
            return
        if self.workers == 1:
            if self._solver is None:
                self._solver = self.spec.build()
            return
        if self._pool is None:
            self._pool = started_pool(self.workers, _init_worker, (self.spec,))

    @property
    def solver(self) -> CoalitionSolver:
        """The in-process solver (workers=1)."""
        self.start()
        assert self._solver is not None
        return self._solver

    def run_walks(
        self,
        walks: Sequence[Sequence[Variant]],
        *,
        penalise_infeasible: bool = False,
        advance: Callable[[int], None] | None = None,
    ) -> list[list[Evaluation]]:
        """Solve every walk; results in the order of `walks` (and of the variants in each)."""
        self.start()
        advance = advance or (lambda n: None)
        if self._client is not None:
            return self._run_on_cluster(walks, penalise_infeasible, advance)
        if self.workers == 1:
            results = []
            for walk in walks:
                results.append(
                    solve_walk(self.solver, walk, penalise_infeasible=penalise_infeasible)
                )
                advance(len(walk))
            return results
        assert self._pool is not None
        futures: dict[Future, int] = {
            self._pool.submit(_walk_in_worker, list(walk), penalise_infeasible): i
            for i, walk in enumerate(walks)
            if walk
        }
        out: list[list[Evaluation]] = [[] for _ in walks]
        for future in as_completed(futures):
            i = futures[future]
            out[i] = future.result()
            advance(len(walks[i]))
        return out

    def _run_on_cluster(self, walks, penalise_infeasible: bool, advance) -> list[list[Evaluation]]:
        """Each walk a task on the Dask cluster; results in the order of `walks`."""
        from dask.distributed import as_completed as dask_completed

        spec = self._client.scatter(self.spec, broadcast=True)
        futures = [
            self._client.submit(_walk_on_cluster, spec, list(walk), penalise_infeasible, pure=False)
            for walk in walks
        ]
        index = {future.key: i for i, future in enumerate(futures)}
        out: list[list[Evaluation]] = [[] for _ in walks]
        for future in dask_completed(futures):
            i = index[future.key]
            out[i] = future.result()
            advance(len(walks[i]))
        return out

    def run(
        self,
        variants: Sequence[Variant],
        *,
        penalise_infeasible: bool = False,
        advance: Callable[[int], None] | None = None,
    ) -> list[Evaluation]:
        """Solve `variants` (already in neighbour order) cut into walks; results in order."""
        walks = split_walks(variants)
        results = self.run_walks(walks, penalise_infeasible=penalise_infeasible, advance=advance)
        return [e for walk in results for e in walk]


def walk_length(total: int) -> int:
    """Variants per walk: independent of the number of workers (so results are too)."""
    return max(8, min(64, math.ceil(total / 8)))


def split_walks(variants: Sequence[Variant]) -> list[list[Variant]]:
    """Cut an ordered list of variants into consecutive walks of `walk_length` variants."""
    size = walk_length(len(variants))
    return [list(variants[i : i + size]) for i in range(0, len(variants), size)]


def gray_masks(n: int) -> list[int]:
    """Every non-empty subset of n members as a bit mask, in Gray-code order (one bit per step)."""
    return [i ^ (i >> 1) for i in range(1, 1 << n)]


def mask_members(mask: int, members: Sequence[str]) -> tuple[str, ...]:
    """The members whose bit is set (bit j is members[j])."""
    return tuple(c for j, c in enumerate(members) if mask >> j & 1)


class ProgressHandle:
    """`advance(n=1, description=None)` and `set_total(total)` for a rich progress bar.

    The bar starts on the first call, not before: worker processes are forked when the first
    solves are submitted, before any display thread exists. Without a console: no display.
    """

    def __init__(self, console: Console | None, description: str, total: float | None):
        self.console = console
        self.description = description
        self.total = total
        self.completed = 0
        self._progress: Progress | None = None
        self._task = None

    def _start(self) -> None:
        if self._progress is not None or self.console is None:
            return
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("solves ·"),
            TimeElapsedColumn(),
            TextColumn("· left"),
            TimeRemainingColumn(),
        )
        self._progress = Progress(*columns, console=self.console, transient=False)
        self._progress.start()
        self._task = self._progress.add_task(
            self.description, total=self.total, completed=self.completed
        )

    def __call__(self, n: int = 1, description: str | None = None) -> None:
        self._start()
        self.completed += n
        if description is not None:
            self.description = description
        if self._progress is not None:
            self._progress.update(self._task, advance=n, description=self.description)

    def set_total(self, total: float | None) -> None:
        self.total = total
        if self._progress is not None:
            self._progress.update(self._task, total=total)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def progress_bar(
    console: Console | None, description: str, total: float | None
) -> Iterator[ProgressHandle]:
    """A rich progress bar with the time left (see `ProgressHandle`); stopped on exit."""
    handle = ProgressHandle(console, description, total)
    try:
        yield handle
    finally:
        handle.stop()
