"""Many solves give the same answers in-process, on local processes and on a Dask cluster."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from optimizer.instance import load_instance
from optimizer.pipeline.parallel import run_tasks, worker_cache
from optimizer.pipeline.variants import CoalitionSolver

INSTANCE = Path(__file__).resolve().parent.parent / "instances" / "medium-synthetic-choice.yaml"


def objective_of(path: str, members: tuple[str, ...]) -> tuple[str, float | None]:
    """A task: one sub-coalition on the worker's cached persistent model."""

    def make() -> CoalitionSolver:
        instance = load_instance(path)
        return CoalitionSolver(instance, instance.coalitions["all"])

    value = worker_cache(("solver", path), make).solve(members)
    return value.status, value.objective


def _tasks(n: int) -> list[tuple]:
    pool = load_instance(INSTANCE).coalitions["all"]
    drops = itertools.islice(itertools.combinations(pool, 2), n)
    return [(str(INSTANCE), tuple(c for c in pool if c not in drop)) for drop in drops]


def same(a: list, b: list) -> bool:
    """Equal statuses, objectives equal to 1e-9: warm starts from other variants may move the
    last digits (different optimal bases), never the optimum."""
    return all(
        sa == sb and (oa is ob or abs(oa - ob) <= 1e-9 * max(1.0, abs(oa)))
        for (sa, oa), (sb, ob) in zip(a, b, strict=True)
    )


def test_processes_match_sequential() -> None:
    tasks = _tasks(6)
    done = []
    sequential = run_tasks(objective_of, tasks, on_done=done.append)
    assert sum(done) == len(tasks)
    assert same(run_tasks(objective_of, tasks, workers=2), sequential)
    assert any(status == "optimal" for status, _ in sequential)


def test_dask_local_cluster_matches_sequential() -> None:
    distributed = pytest.importorskip("dask.distributed")
    tasks = _tasks(4)
    sequential = run_tasks(objective_of, tasks)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_cluster = run_tasks(objective_of, tasks, scheduler=cluster.scheduler_address)
    assert same(on_cluster, sequential)


def test_members_on_a_dask_cluster_match_local(tmp_path) -> None:
    """`burden members --scheduler ADDRESS` gives the same members.csv as a local run."""
    distributed = pytest.importorskip("dask.distributed")
    import pandas as pd
    from typer.testing import CliRunner

    from optimizer.cli import app

    args = ["members", str(INSTANCE), "--coalition", "core"]
    local = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = CliRunner().invoke(
            app,
            [*args, "--out", str(tmp_path / "cluster"), "--scheduler", cluster.scheduler_address],
        )
    assert remote.exit_code == 0, remote.output
    a = pd.read_csv(tmp_path / "local" / "members.csv")
    b = pd.read_csv(tmp_path / "cluster" / "members.csv")
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0
    assert a["status"].tolist() == b["status"].tolist()
    pd.testing.assert_series_equal(a["objective_without"], b["objective_without"], rtol=1e-9)


def test_compare_sweep_shapley_on_a_dask_cluster_write_what_a_local_run_writes(tmp_path) -> None:
    """`compare` and `sweep` with `--scheduler`: the cluster solves, this process writes each
    folder (with its manifest) as it arrives; the CSVs equal a local run's byte for byte.
    `shapley` on the cluster gives the local run's allocation."""
    distributed = pytest.importorskip("dask.distributed")
    from typer.testing import CliRunner

    from optimizer.cli import app

    teach = Path(__file__).resolve().parent.parent / "instances"
    jobs = {
        "compare": ["compare", str(teach / "teach-coalition-choice.yaml"), "--no-report"],
        "sweep": ["sweep", str(teach / "teach-pain-curve.yaml"), "--param",
                  "spending_floor_pct_gdp.2028", "--values", "2,3,4"],
    }  # fmt: skip
    for name, args in jobs.items():
        local = CliRunner().invoke(app, [*args, "--out", str(tmp_path / f"{name}-local")])
        assert local.exit_code == 0, local.output
    shapley = ["shapley", str(INSTANCE), "--coalition", "core"]
    local = CliRunner().invoke(app, [*shapley, "--out", str(tmp_path / "shapley-local")])
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        for name, args in [*jobs.items(), ("shapley", shapley)]:
            out = tmp_path / f"{name}-cluster"
            remote = CliRunner().invoke(
                app, [*args, "--out", str(out), "--scheduler", cluster.scheduler_address]
            )
            assert remote.exit_code == 0, remote.output
    import pandas as pd

    a, b = (pd.read_csv(tmp_path / f"shapley-{w}" / "shapley.csv") for w in ("local", "cluster"))
    assert a["member"].tolist() == b["member"].tolist() and len(a) > 2
    pd.testing.assert_series_equal(a["shapley_savings"], b["shapley_savings"], rtol=1e-9)
    for name in jobs:
        local, remote = tmp_path / f"{name}-local", tmp_path / f"{name}-cluster"
        csvs = sorted(p.relative_to(local) for p in local.rglob("*.csv"))
        assert csvs == sorted(p.relative_to(remote) for p in remote.rglob("*.csv"))
        assert len(csvs) > 3
        for path in csvs:
            assert (local / path).read_bytes() == (remote / path).read_bytes(), (name, path)
        for folder in [remote, *(p for p in remote.iterdir() if p.is_dir())]:
            assert (folder / "manifest.json").is_file(), folder


_HALF_A_RESULT = """
import os, struct, time
from optimizer.pipeline.parallel import started_pool, stop_pool

pool = started_pool(1)
pool.submit(time.sleep, 60)  # the worker busy, as with a solve
time.sleep(0.2)
# what a worker stopped while it sent a result leaves in the result pipe: a length, then only
# the start of the message
os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
time.sleep(0.2)
stop_pool(pool)
print("stopped", flush=True)
"""


def test_a_pool_stopped_with_half_a_result_in_its_pipe_lets_the_process_end(tmp_path) -> None:
    """An interrupted compare once never ended: a worker stopped mid-send left the pool's manager
    thread waiting for the rest of the message, and the interpreter joins it at exit."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    try:
        done = subprocess.run([sys.executable, "-c", _HALF_A_RESULT], env=env, timeout=60,
                              capture_output=True, text=True)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("the process did not end after stop_pool")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "stopped\n"
