"""Nothing lost, nothing silent: interruption, manifests, verification, limits, determinism.

- a solve interrupted (SIGTERM, SIGINT, or an exception while writing) leaves no partial result
  folder and never damages an earlier one; a real subprocess is killed at random moments (a quick
  run here, a soak under `-m slow`);
- every result folder holds manifest.json (instance sha256 and document, versions, options,
  timings, start and end) and instance.yaml, and `burden verify` re-checks it;
- `burden verify` catches a plan that breaks a constraint, and a file changed after the solve;
- a time limit gives exit 4 and, for a MILP with a plan found, writes that plan and its gap;
- the same instance solved twice gives byte-identical CSVs, also across hash seeds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_bad_corpus import run_burden

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
TEACH = INSTANCES / "teach-common-debt.yaml"
CHOICE = INSTANCES / "teach-coalition-choice.yaml"
MEDIUM_CHOICE = INSTANCES / "medium-synthetic-choice.yaml"
SPEC_CSVS = ("countries.csv", "procurement.csv", "capabilities.csv")


def solve_to(instance: Path, out: Path, *extra: str) -> tuple[int, str]:
    return run_burden("solve", str(instance), "--out", str(out), "--no-report", *extra)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_complete(folder: Path) -> dict:
    """A published result folder: every file the manifest lists, unchanged, and verified."""
    from optimizer.verify import verify_folder

    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("summary.json", *SPEC_CSVS, "instance.yaml"):
        assert name in manifest["files"], name
    report = verify_folder(folder)
    assert report.ok, [str(v) for v in report.violations]
    return manifest


# -- manifests and verification -------------------------------------------------------------------
def test_manifest_records_how_the_folder_was_made(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = solve_to(CHOICE, out, "--mip-gap", "1e-7")
    assert code == 0, output
    assert "verified: all" in output
    manifest = assert_complete(out)
    import hashlib

    assert manifest["instance"]["sha256"] == hashlib.sha256(CHOICE.read_bytes()).hexdigest()
    assert manifest["instance"]["document"]["name"] == "teach-coalition-choice"
    assert set(manifest["versions"]) >= {"burden", "python", "pyomo", "highspy", "highs"}
    assert manifest["options"]["mip_gap"] == 1e-7
    assert manifest["options"]["highs"] == {"threads": 1, "random_seed": 0}
    assert set(manifest["timings"]) >= {"load", "solve", "write", "total"}
    assert manifest["started"] < manifest["finished"]
    assert manifest["coalition"] == "chosen" and manifest["command"] == "solve"
    # instance.yaml is the resolved document: it re-solves to the same plan
    again = tmp_path / "again"
    assert solve_to(out / "instance.yaml", again)[0] == 0
    for name in SPEC_CSVS:
        assert (out / name).read_bytes() == (again / name).read_bytes()
    summary = json.loads((out / "summary.json").read_text())
    numerics = summary["solver"]["numerics"]
    assert numerics["trouble"] is False and numerics["max_primal_infeasibility"] is not None


def test_verify_command_passes_and_catches_tampering(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert solve_to(TEACH, out)[0] == 0
    code, output = run_burden("verify", str(out))
    assert code == 0 and "verified: all" in output, output
    code, output = run_burden("verify", str(out), "--instance", str(TEACH))
    assert code == 0, output
    code, output = run_burden("verify", str(out), "--instance", str(CHOICE))
    assert code == 1 and "not the file this result was solved from" in output
    code, output = run_burden("verify", str(tmp_path / "nowhere"))
    assert code == 2 and "Traceback" not in output


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    import csv

    rows = list(csv.DictReader(path.open()))
    rows[row][column] = value
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("file", "column", "value", "family"),
    [
        ("countries.csv", "increase", "1e3", "1. spending identity"),
        ("countries.csv", "tax", "-5", "variables ≥ 0"),
        ("countries.csv", "common_debt", "1e4", "2. funding balance"),
        ("capabilities.csv", "delivered", "0", "10. capability target"),
        ("procurement.csv", "units", "0.001", "10. capability target"),
        ("countries.csv", "extra_debt", "77", "6. debt room"),
    ],
)
def test_verify_names_the_broken_family(tmp_path: Path, file, column, value, family) -> None:
    from optimizer.instance import load_instance
    from optimizer.verify import verify_folder

    out = tmp_path / "out"
    assert solve_to(TEACH, out)[0] == 0
    (out / "manifest.json").unlink()  # the hashes would flag any edit: check the constraints
    _edit_csv(out / file, 0, column, value)
    report = verify_folder(out, load_instance(TEACH))
    assert not report.ok
    assert family in {v.family for v in report.violations}, [str(v) for v in report.violations]


# -- interruption -----------------------------------------------------------------------------
def test_interrupt_while_writing_keeps_the_earlier_folder(tmp_path: Path, monkeypatch) -> None:
    import optimizer.pipeline.folder as write

    out = tmp_path / "out"
    assert solve_to(TEACH, out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    real = write.write_files

    def interrupted(result, folder, **kwargs):
        real(result, folder, **kwargs)
        raise KeyboardInterrupt  # Ctrl-C (or SIGTERM, through main's handler) mid-write

    monkeypatch.setattr(write, "write_files", interrupted)
    code, output = solve_to(TEACH, out, "--force")
    assert code == 130 and "interrupted" in output and "Traceback" not in output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert hidden(tmp_path) == []
    code, _ = solve_to(TEACH, tmp_path / "fresh")
    assert code == 130 and not (tmp_path / "fresh").exists() and hidden(tmp_path) == []


def test_an_explicit_out_is_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert solve_to(TEACH, out)[0] == 0
    manifest = (out / "manifest.json").read_bytes()
    code, output = solve_to(TEACH, out)
    assert code == 2 and "--force" in output
    assert (out / "manifest.json").read_bytes() == manifest
    assert solve_to(TEACH, out, "--force")[0] == 0
    assert (out / "manifest.json").read_bytes() != manifest
    assert hidden(tmp_path) == []


def _as_in_a_terminal() -> None:
    """In the child: SIGINT acts as Ctrl-C does in a terminal (a background job ignores it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _spawn(instance: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": str(random.randrange(1 << 16))}
    args = [sys.executable, "-m", "optimizer", "solve", str(instance), "--out", str(out), *extra]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_as_in_a_terminal)  # fmt: skip


def assert_no_traceback(stderr: str, how: int) -> None:
    """No traceback, except Python's own for a Ctrl-C that lands before `burden` starts (in the
    interpreter's start-up, before `optimizer.cli.script` holds the signals): KeyboardInterrupt
    only."""
    blocks = stderr.split("Traceback (most recent call last):")[1:]
    if how != signal.SIGINT:
        assert not blocks, stderr
    for block in blocks:
        raised = next(line for line in block.splitlines()[1:] if line and line[0] != " ")
        assert raised.startswith("KeyboardInterrupt"), stderr


def kill_once(
    tmp_path: Path, instance: Path, delay: float, how: int, earlier: Path | None
) -> dict[str, object]:
    """Start a solve onto `out` (replacing `earlier`'s copy with --force), signal it after
    `delay` seconds, and check what it leaves. Returns what happened."""
    out = tmp_path / "out"
    before = None
    if earlier is not None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(earlier, out)
        before = (out / "manifest.json").read_bytes()
    process = _spawn(instance, out, "--force", "--no-report")
    time.sleep(delay)
    process.send_signal(how)
    _stdout, stderr = process.communicate(timeout=300)
    text = stderr.decode("utf-8", "replace")
    assert_no_traceback(text, how)
    assert process.returncode in (0, 128 + how, -how), (process.returncode, text)
    if out.exists():  # never partial: the earlier folder or the new one, complete and verified
        manifest = assert_complete(out)
        replaced = before is None or (out / "manifest.json").read_bytes() != before
        outcome = "new" if replaced else "earlier"
        assert manifest["instance"]["name"]
    else:
        assert earlier is None, "the earlier folder was lost"
        outcome = "none"
    leftovers = hidden(tmp_path)
    if how != signal.SIGKILL:  # a catchable signal: the staging folder is removed on the way out
        assert leftovers == [], leftovers
    for name in leftovers:  # SIGKILL can strand a hidden staging folder, never a visible one
        if name.endswith(".burden-lock"):  # and its claim's lock file (unlocked: not blocking)
            (tmp_path / name).unlink()
            continue
        assert ".partial-" in name or ".old-" in name, name
        shutil.rmtree(tmp_path / name)
    return {"returncode": process.returncode, "outcome": outcome}


def test_an_interrupt_while_highs_starts_waits_for_highs_to_stop(monkeypatch) -> None:
    """A signal handled while the helper thread starts (inside `Thread.start`) once left HiGHS
    running in it: the process then exited under a running solve and the C++ runtime aborted
    ("terminate called without an active exception", exit code -6, seen in CI on SIGTERM). The
    interrupt must propagate only once HiGHS has stopped; signals are now held until the
    helper has started, and this simulates one handled inside `start` all the same."""
    import threading

    from optimizer.derive import derive
    from optimizer.instance import load_instance
    from optimizer.model import build_model
    from optimizer.options import SolveOptions
    from optimizer.solver.highs import solve_model

    inst = load_instance(MEDIUM_CHOICE)
    pool = tuple(c for c in inst.choice.candidates if c not in set(inst.choice.forbidden))
    model = build_model(inst, derive(inst), pool, choice=True)  # a MILP: HiGHS runs ~0.5 s
    real_start, helpers = threading.Thread.start, []

    def start(self):
        real_start(self)
        if not helpers:
            helpers.append(self)
            raise KeyboardInterrupt  # as a handler raising while start() waits

    monkeypatch.setattr(threading.Thread, "start", start)
    with pytest.raises(KeyboardInterrupt):
        solve_model(model, inst.objective, SolveOptions(), consume=True)
    assert helpers and not helpers[0].is_alive()  # HiGHS had stopped when the interrupt left


_SIGNAL_IN_AN_IMPORT = '''
import os, signal, sys
from optimizer.cli import entry

@entry.app.command("signalled")
def signalled(where: str) -> None:
    """SIGTERM handled where an import can be when it lands."""
    if where == "exec":  # inside a string exec: a dataclass or a namedtuple being built
        exec("import os, signal\\nos.kill(os.getpid(), signal.SIGTERM)\\nfor _ in range(10**7): pass")
    try:  # inside C code that turns the interrupt into its own error (numpy's init does)
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10**7):
            pass
    except KeyboardInterrupt:
        raise ImportError("initialization failed") from None

sys.argv = ["burden", "signalled", sys.argv[1]]
entry.main()
'''


@pytest.mark.parametrize("where", ["exec", "wrapped"])
def test_a_signal_during_an_import_exits_as_that_signal(tmp_path: Path, where: str) -> None:
    """SIGTERM in the first second (while modules import) exited as killed by SIGINT (-2, under
    `python -m`: CPython's flag for a KeyboardInterrupt that left a string exec) or with exit 1
    and "error: ImportError" (an interrupt C code wrapped); both are interrupts: 143."""
    (tmp_path / "signalled_burden.py").write_text(_SIGNAL_IN_AN_IMPORT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "signalled_burden", where], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 128 + signal.SIGTERM, (done.returncode, done.stderr)
    assert "interrupted: no partial result folder was left" in done.stderr
    assert "error" not in done.stderr


_SIGNAL_WHILE_THE_CLI_IMPORTS = """
import os, signal, sys

SIGNUM = getattr(signal, sys.argv[1])

class SignalOnImport:  # the signal lands while the command line's modules import
    def find_spec(self, name, path=None, target=None):
        if name == "optimizer.cli.common":
            os.kill(os.getpid(), SIGNUM)
        return None

sys.meta_path.insert(0, SignalOnImport())
sys.argv = ["burden", "validate", "instances/teach-common-debt.yaml"]
from optimizer.cli import script
script()
"""


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_a_signal_before_the_command_line_has_loaded_is_an_interrupt(how: str) -> None:
    """Ctrl-C in the first 0.3-0.4 s (the command line's imports) printed Python's traceback,
    and SIGTERM killed the process outright: `script` holds them until the handlers exist."""
    done = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_THE_CLI_IMPORTS, how], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=_as_in_a_terminal)  # fmt: skip
    assert done.returncode == 128 + getattr(signal, how), (done.returncode, done.stderr)
    assert "interrupted: no partial result folder was left" in done.stderr
    assert "Traceback" not in done.stderr
    assert "valid" not in done.stdout  # the command itself never ran


def test_sigterm_at_a_random_moment_leaves_only_complete_folders(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier"
    assert solve_to(TEACH, earlier)[0] == 0
    work = tmp_path / "work"
    work.mkdir()
    kill_once(work, MEDIUM_CHOICE, random.uniform(1.5, 4.0), signal.SIGTERM, earlier)


@pytest.mark.slow
def test_soak_kills_at_random_moments(tmp_path: Path) -> None:
    """Kill solves at random moments (SIGTERM, SIGINT, SIGKILL), 60 times."""
    earlier = tmp_path / "earlier"
    assert solve_to(MEDIUM_CHOICE, earlier)[0] == 0
    started = time.perf_counter()
    process = _spawn(MEDIUM_CHOICE, tmp_path / "timing", "--no-report")
    process.communicate(timeout=600)
    full = time.perf_counter() - started  # a whole run, import to exit
    rng = random.Random(7)
    tally: dict[str, int] = {}
    for i in range(60):
        how = (signal.SIGTERM, signal.SIGINT, signal.SIGKILL)[i % 3]
        work = tmp_path / f"run{i}"
        work.mkdir()
        seen = kill_once(work, MEDIUM_CHOICE, rng.uniform(0.0, full * 1.1), how, earlier)
        key = f"{signal.Signals(how).name}:{seen['outcome']}"
        tally[key] = tally.get(key, 0) + 1
        shutil.rmtree(work)
    print(f"soak: a whole run takes {full:.1f} s; outcomes {dict(sorted(tally.items()))}")


# -- sweeps: compare --resume ---------------------------------------------------------------------
def test_interrupted_compare_resumes_to_the_same_folder(tmp_path: Path, monkeypatch) -> None:
    import optimizer.pipeline.coalitions as coalitions

    real, calls = coalitions.solve_one, []

    def interrupted_at_the_second(instance, name, *args):
        calls.append(name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(instance, name, *args)

    # in this process (--workers 1), so that the patch and `calls` are seen
    monkeypatch.setattr(coalitions, "solve_one", interrupted_at_the_second)
    out = tmp_path / "cmp"
    args = ("compare", str(CHOICE), "--coalitions", "all,founders", "--out", str(out),
            "--no-report", "--workers", "1")  # fmt: skip
    code, output = run_burden(*args)
    assert code == 130 and "--resume" in output, output
    assert not out.exists() and hidden(tmp_path) == [".cmp.sweep"]
    assert sorted(p.name for p in (tmp_path / ".cmp.sweep").iterdir()) == ["all", "sweep.json"]
    code, output = run_burden(*args)  # neither --resume nor --force: refused, nothing lost
    assert code == 2 and "--resume" in output and (tmp_path / ".cmp.sweep" / "all").is_dir()
    code, output = run_burden(*args, "--resume")
    assert code == 0 and "resuming: 1 of 2" in output, output
    assert calls[2:] == ["founders"]  # `all` was not solved again
    assert hidden(tmp_path) == [] and "verified: all" in output
    code, output = run_burden(*args, "--resume")  # finished already: nothing to do
    assert code == 0 and "already complete" in output and len(calls) == 3
    monkeypatch.setattr(coalitions, "solve_one", real)
    fresh = tmp_path / "fresh"
    assert run_burden(*args[:4], "--out", str(fresh), "--no-report")[0] == 0
    for path in sorted(fresh.rglob("*.csv")):
        assert path.read_bytes() == (out / path.relative_to(fresh)).read_bytes(), path.name
    for name in ("all", "founders", "."):
        assert (out / name / "manifest.json").is_file()
    assert_complete(out / "founders")


def test_sigterm_during_a_sweep_on_workers_then_resume(tmp_path: Path) -> None:
    """`burden sweep --workers 2` killed by SIGTERM once its first point is written: it exits
    at once with no traceback, its worker processes are gone, nothing visible is partial, and
    `--resume` finishes with the same sweep.csv as a run never interrupted."""
    values = ",".join(str(v) for v in (2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5))
    base = [sys.executable, "-m", "optimizer", "sweep", str(INSTANCES / "teach-pain-curve.yaml"),
            "--param", "spending_floor_pct_gdp.2028", "--values", values, "--workers", "2"]  # fmt: skip
    out, work = tmp_path / "sw", tmp_path / ".sw.sweep"
    process = subprocess.Popen([*base, "--out", str(out)], stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if work.is_dir() and any(p.is_dir() and p.name[0] != "." for p in work.iterdir()):
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    text = err.decode("utf-8", "replace")
    assert_no_traceback(text, signal.SIGTERM)
    if process.returncode == 0:  # finished before the signal: nothing to resume
        pytest.skip("the sweep finished before the signal")
    assert process.returncode == 128 + signal.SIGTERM, text
    assert "--resume" in text
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no worker left running in the session
        os.killpg(process.pid, 0)
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [".sw.sweep"]
    kept = [p for p in work.iterdir() if p.is_dir() and p.name[0] != "."]
    for folder in kept:
        assert_complete(folder)
    resumed = subprocess.run([*base, "--out", str(out), "--resume"], capture_output=True,
                             text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {len(kept)} of 12" in resumed.stderr and not work.exists()
    fresh = subprocess.run([*base[:-2], "--out", str(tmp_path / "fresh")], capture_output=True,
                           timeout=300)  # fmt: skip
    assert fresh.returncode == 0
    assert (out / "sweep.csv").read_bytes() == (tmp_path / "fresh" / "sweep.csv").read_bytes()


def test_resume_refuses_another_sweep(tmp_path: Path) -> None:
    from optimizer.results.sweep_folder import SweepError, SweepFolder

    SweepFolder(tmp_path / "out", {"items": ["a"]}, resume=False)
    with pytest.raises(SweepError, match="different sweep"):
        SweepFolder(tmp_path / "out", {"items": ["b"]}, resume=True)
    SweepFolder(tmp_path / "out", {"items": ["b"]}, resume=False, force=True)  # start over


@pytest.mark.slow
def test_soak_kills_compare_then_resumes(tmp_path: Path) -> None:
    """Kill `burden compare` at random moments, 20 times; `--resume` always finishes the job
    with every coalition folder complete, and nothing visible is ever partial."""
    rng = random.Random(11)
    base = [sys.executable, "-m", "optimizer", "compare", str(MEDIUM_CHOICE), "--no-report"]
    started = time.perf_counter()
    subprocess.run([*base, "--out", str(tmp_path / "timing")], capture_output=True, timeout=600)
    full = time.perf_counter() - started  # a whole run, import to exit
    tally: dict[str, int] = {}
    for i in range(20):
        work = tmp_path / f"run{i}"
        work.mkdir()
        out = work / "cmp"
        how = (signal.SIGTERM, signal.SIGINT)[i % 2]
        process = subprocess.Popen([*base, "--out", str(out)], stderr=subprocess.PIPE,
                                   preexec_fn=_as_in_a_terminal)  # fmt: skip
        time.sleep(rng.uniform(0.0, full))
        process.send_signal(how)
        _out, err = process.communicate(timeout=600)
        text = err.decode("utf-8", "replace")
        assert_no_traceback(text, how)
        assert process.returncode in (0, 128 + how, -how), (process.returncode, text)
        assert [p.name for p in work.iterdir() if not p.name.startswith(".")] in ([], ["cmp"])
        sweep = work / ".cmp.sweep"
        kept = [p.name for p in sweep.iterdir() if p.is_dir()] if sweep.is_dir() else []
        finished = out.exists()
        resumed = subprocess.run([*base, "--out", str(out), "--resume"], capture_output=True,
                                 text=True, timeout=600)  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr
        assert hidden(work) == []
        for name in ("all", "chosen"):
            assert_complete(out / name)
        key = "finished before the kill" if finished else f"resumed, {len(kept)} of 6 kept"
        tally[key] = tally.get(key, 0) + 1
        shutil.rmtree(work)
    print(f"compare soak: a whole run takes {full:.1f} s; {dict(sorted(tally.items()))}")


# -- solver limits --------------------------------------------------------------------------------
def test_time_limit_exits_4(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = solve_to(MEDIUM_CHOICE, out, "--time-limit", "0")
    assert code == 4, output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "time_limit" and summary["objective"] is None
    assert "verified" in output
    assert_complete(out)


def test_stopped_milp_writes_its_best_plan_and_gap(tmp_path: Path, monkeypatch) -> None:
    """A MILP stopped by a limit after finding a plan (forced here: stop at the first improving
    solution) writes that plan, its objective and its gap; the plan meets every constraint."""
    from optimizer.solver.highs import _Run

    real = _Run.minimise

    def first_plan_only(self, objective):
        if self.c.integer_cols:
            self.h.setOptionValue("mip_max_improving_sols", 1)
        return real(self, objective)

    monkeypatch.setattr(_Run, "minimise", first_plan_only)
    out = tmp_path / "out"
    code, output = solve_to(CHOICE, out)
    assert code == 4, output
    summary = json.loads((out / "summary.json").read_text())
    best = summary["best_found"]
    assert summary["status"] == "time_limit" and summary["objective"] is None
    assert best["mip_gap"] > 0 and best["objective"] >= best["dual_bound"]
    assert summary["members"] and (out / "countries.csv").read_text().count("\n") > 1
    assert "best plan found" in output and "verified: all" in output
    assert_complete(out)


def test_numerical_trouble_is_reported(tmp_path: Path, monkeypatch) -> None:
    from optimizer.solver.highs import _Run

    real = _Run.numerics

    def troubled(self):
        numerics = real(self)
        numerics.update(max_primal_infeasibility=3e-4, max_dual_infeasibility=2e-5, trouble=True)
        return numerics

    monkeypatch.setattr(_Run, "numerics", troubled)
    out = tmp_path / "out"
    code, output = solve_to(TEACH, out)
    assert code == 0, output
    assert "less accurate than usual" in output
    assert "may miss a limit or target by up to 0.0003" in output
    assert "marginal pains may be off by up to 2e-05" in output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["solver"]["numerics"]["trouble"] is True
    assert "max primal infeasibility 0.0003" in summary["message"]


HUGE = """\
name: huge
years: [2026, 2026]
defaults: {pain: {tax: [[null, 1.0]]}}
countries:
  AAA: {gdp: 100, defence_pct_gdp: 1.0, cost_factor: 2}
capabilities:
  air: {targets: {2026: 1}, shortfall_penalty: 5, national: [{origin: us, unit_cost: 1.0e+15}]}
coalitions: {all: "*"}
"""


def test_a_model_highs_rejects_ends_in_status_error(tmp_path: Path) -> None:
    """1e15 passes validation (with a warning); priced at 2e15 it is too large for HiGHS."""
    path = tmp_path / "huge.yaml"
    path.write_text(HUGE)
    out = tmp_path / "out"
    code, output = solve_to(path, out)
    assert code == 1 and "Traceback" not in output
    assert "absurd magnitude" in output and "HiGHS rejected the model" in output
    assert json.loads((out / "summary.json").read_text())["status"] == "error"


# -- determinism ------------------------------------------------------------------------------
def test_same_instance_gives_identical_csvs(tmp_path: Path) -> None:
    """Solved here and in a subprocess with another hash seed (set and dict orders differ)."""
    first, third = tmp_path / "a", tmp_path / "c"
    assert solve_to(MEDIUM_CHOICE, first)[0] == 0
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    args = [sys.executable, "-m", "optimizer", "solve", str(MEDIUM_CHOICE), "--out", str(third),
            "--no-report"]  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in first.glob("*.csv"))
    assert set(SPEC_CSVS) <= set(names)
    for name in names:
        assert (first / name).read_bytes() == (third / name).read_bytes(), name


def _slow_lp(n_rows: int = 1000, seed: int = 0):
    """A random covering LP that takes HiGHS seconds (about 1 s at 600 rows, more at 1000)."""
    import highspy
    import numpy as np

    rng = np.random.default_rng(seed)
    n_cols, per_col = 3 * n_rows, 8
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    index = np.concatenate([rng.choice(n_rows, per_col, replace=False) for _ in range(n_cols)])
    h.passModel(
        n_cols, n_rows, n_cols * per_col, 1, 1, 0.0, rng.uniform(1, 2, n_cols),
        np.zeros(n_cols), np.full(n_cols, highspy.kHighsInf), np.ones(n_rows),
        np.full(n_rows, highspy.kHighsInf),
        np.arange(0, n_cols * per_col + 1, per_col, dtype=np.int32), index.astype(np.int32),
        rng.uniform(0.1, 1.0, n_cols * per_col), np.zeros(n_cols, dtype=np.int32),
    )  # fmt: skip
    return h


def test_a_signal_stops_a_long_highs_run() -> None:
    """Ctrl-C during a long HiGHS run acts at once: HiGHS is cancelled (status interrupted,
    not optimal) and KeyboardInterrupt propagates; the interrupt callback is removed after."""
    import threading

    import highspy

    from optimizer.solver.highs import run_highs

    h = _slow_lp()
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        run_highs(h)
    timer.join()
    assert h.getModelStatus() == highspy.HighsModelStatus.kInterrupt
    assert not h.HandleUserInterrupt
    small = _slow_lp(100)  # and an uninterrupted run gives HiGHS's own status
    assert run_highs(small) == highspy.HighsStatus.kOk
    assert small.getModelStatus() == highspy.HighsModelStatus.kOptimal
