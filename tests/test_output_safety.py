"""Nothing lost, nothing written where it does not belong (issue 12, and issue 17's verify).

- `--force` replaces only a burden result folder, never the current folder, an ancestor of it
  or the instance's folder; without it the refusal says whether the folder holds results or
  other files;
- output folders are claimed before solving: two runs never share one, an `--out` another live
  run holds is refused before solving;
- names (instance, coalition, scenario) become folder names only as slugs: nothing is written
  outside `--out` / `burden-results/` (also a property test over random names);
- `burden verify`: no manifest, files added, a no-plan result that disagrees with its status,
  unreadable shapes; whole compare and sweep folders;
- the exit code and the one line of each case of the issue's section 5 and 6;
- result folders readable by others (0755/0644 under umask 022).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_bad_corpus import run_burden

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
TEACH = INSTANCES / "teach-common-debt.yaml"
MEDIUM_CHOICE = INSTANCES / "medium-synthetic-choice.yaml"

TINY = """\
name: {name}
years: [2026, 2026]
defaults: {{pain: {{tax: [[null, 1.0]]}}}}
countries:
  AAA: {{gdp: 100, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 5}}
  BBB: {{gdp: 100, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 5}}
capabilities:
  air: {{targets: {{2026: 1}}, national: [{{origin: us, unit_cost: 1.0}}]}}
coalitions:
{coalitions}
scenarios:
{scenarios}
"""
# Two countries, one year: one unit of `air` at 1.0 bought from tax (pain weight 1): the
# optimum is 1.0 for any coalition; the model is solved in milliseconds.


def tiny(path: Path, name: str = "tiny", coalitions=("both",), scenarios=("s",)) -> Path:
    """A tiny instance at `path` with the given names (JSON-quoted: any text is valid YAML)."""
    lines = "\n".join(f"  {json.dumps(c)}: [AAA, BBB]" for c in coalitions)
    scen = "\n".join(f"  {json.dumps(s)}: {{}}" for s in scenarios)
    path.write_text(
        TINY.format(name=json.dumps(name), coalitions=lines, scenarios=scen), encoding="utf-8"
    )
    return path


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


# -- --force ------------------------------------------------------------------------------------------
def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path) -> None:
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("years of work")
    code, output = run_burden("solve", str(TEACH), "--out", str(thesis), "--no-report")
    assert code == 2 and "holds other files" in output and "--force" not in output, output
    code, output = run_burden("solve", str(TEACH), "--out", str(thesis), "--force")
    assert code == 2 and "replaces only a burden result folder" in output, output
    assert [p.name for p in thesis.iterdir()] == ["chapter1.tex"]
    assert (thesis / "chapter1.tex").read_text() == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]  # no stray staging or lock


def test_a_result_folder_is_named_as_such_and_replaced_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_burden("solve", str(TEACH), "--out", str(out), "--no-report")[0] == 0
    code, output = run_burden("solve", str(TEACH), "--out", str(out), "--no-report")
    assert code == 2 and "already holds results" in output and "--force" in output
    (out / "notes.txt").write_text("mine")  # a user's file inside a result: not ours to delete
    code, output = run_burden("solve", str(TEACH), "--out", str(out), "--no-report", "--force")
    assert code == 2 and "notes.txt" in output and (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    assert run_burden("solve", str(TEACH), "--out", str(out), "--no-report", "--force")[0] == 0


def test_out_dot_force_never_touches_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    instance = tiny(work / "tiny.yaml")
    monkeypatch.chdir(work)
    before = {p.name: p.read_bytes() for p in work.iterdir()}
    for out in (".", str(work), ".."):
        code, output = run_burden("solve", "tiny.yaml", "--out", out, "--force", "--no-report")
        assert code == 2 and "current folder" in output and "Traceback" not in output, output
        assert len(output.strip().splitlines()) == 1, output
    assert {p.name: p.read_bytes() for p in work.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # no `..old-*` left
    assert instance.is_file()


def test_force_never_replaces_the_instance_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_burden("solve", str(TEACH), "--out", str(out), "--no-report")[0] == 0
    instance = tiny(out / "mine.yaml")  # a result folder now holding the instance file
    code, output = run_burden("solve", str(instance), "--out", str(out), "--force")
    assert code == 2 and "instance file" in output, output
    assert instance.is_file()


# -- claiming output folders ------------------------------------------------------------------------
HOLD = """\
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def another_run(tmp_path: Path):
    """Hold the claim of a folder in another live process, as a running `burden` does."""
    from optimizer.results.paths import lock_path

    processes = []

    def hold(folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_path(folder))],
                                   stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert process.stdout.readline().strip() == "held"
        processes.append(process)

    yield hold
    for process in processes:
        process.kill()
        process.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_claimed_folder_is_skipped_or_refused_before_solving(
    tmp_path: Path, monkeypatch, another_run
) -> None:
    import optimizer.pipeline.one as run

    monkeypatch.chdir(tmp_path)
    base = tmp_path / "burden-results" / "teach-common-debt-all"
    another_run(base)
    code, output = run_burden("solve", str(TEACH), "--no-report")
    assert code == 0 and "results: burden-results/teach-common-debt-all-2" in output, output
    assert not base.exists()  # the other run's folder was left alone
    explicit = tmp_path / "explicit"
    another_run(explicit)
    solved = []
    monkeypatch.setattr(run, "solve_coalition", lambda *a, **k: solved.append(a))
    code, output = run_burden("solve", str(TEACH), "--out", str(explicit), "--no-report")
    assert code == 2 and "another burden run" in output and not solved, output
    assert not explicit.exists()
    # the claims of this process were released when each command ended
    assert not list((tmp_path / "burden-results").glob(".teach-common-debt-all-2*"))


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
@pytest.mark.parametrize("command", [
    ("compare", str(TEACH), "--no-report"),
    ("sweep", str(TEACH), "--param", "spending_floor_pct_gdp", "--values", "2,3"),
])  # fmt: skip
def test_an_out_claimed_by_another_run_refuses_compare_and_sweep(
    tmp_path: Path, another_run, command
) -> None:
    out = tmp_path / "out"
    another_run(out)
    code, output = run_burden(*command, "--out", str(out))
    assert code == 2 and "another burden run" in _one_error_line(output)
    assert not out.exists() and not (tmp_path / ".out.sweep").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_two_concurrent_solves_take_two_folders(tmp_path: Path) -> None:
    """The issue's reproduction: two `burden solve` at once, default output folder."""
    args = [sys.executable, "-m", "optimizer", "solve", str(TEACH), "--no-report"]
    runs = [subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]  # fmt: skip
    outputs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    said = sorted(line for out, _ in outputs for line in out.splitlines() if "results:" in line)
    assert said == ["results: burden-results/teach-common-debt-all",
                    "results: burden-results/teach-common-debt-all-2"], said  # fmt: skip
    results = tmp_path / "burden-results"
    assert sorted(p.name for p in results.iterdir()) == [
        "teach-common-debt-all", "teach-common-debt-all-2"]  # fmt: skip
    for folder in results.iterdir():
        assert run_burden("verify", str(folder))[0] == 0


# -- names are slugs ------------------------------------------------------------------------------
NASTY = ["../../escape", "/tmp/abs", "..", ".", "comparison.csv", "manifest.json", "CON",
         "nul.txt", "a\x00b", "x" * 300, "a/b", "a_b", "A_B", " ", "ü/..\\", "é" * 100,
         ".hidden", "trailing.", "\n"]  # fmt: skip


@pytest.mark.parametrize("name", NASTY)
def test_a_slug_is_one_safe_path_component(name: str) -> None:
    from optimizer.slugs import MAX_SLUG_BYTES, WINDOWS_RESERVED, safe_slug

    slug = safe_slug(name)
    assert slug and "/" not in slug and "\\" not in slug and ".." not in slug
    assert not slug.startswith(".") and not slug.endswith((".", " "))
    assert all(ch.isprintable() for ch in slug)
    assert len(slug.encode()) <= MAX_SLUG_BYTES
    assert slug.split(".")[0].lower() not in WINDOWS_RESERVED
    assert not slug.endswith((".csv", ".json"))
    assert safe_slug(name) == slug  # a function of the name alone


def test_slugs_are_unique_within_a_run() -> None:
    from optimizer.slugs import unique_slugs

    slugs = unique_slugs(NASTY)
    assert len({s.lower() for s in slugs.values()}) == len(NASTY)
    assert unique_slugs(["all", "eu"]) == {"all": "all", "eu": "eu"}  # safe names unchanged


def test_solve_with_path_names_stays_in_burden_results(tmp_path: Path, monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    instance = tiny(work / "i.yaml", "../../../escape", ["../up", "/abs"], ["../../s"])
    for coalition in ("../up", "/abs"):
        code, output = run_burden("solve", str(instance), "--coalition", coalition,
                                  "--scenario", "../../s", "--no-report")  # fmt: skip
        assert code == 0, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    folders = sorted((work / "burden-results").iterdir())
    assert len(folders) == 2 and all(f.is_dir() for f in folders)
    manifest = json.loads((folders[0] / "manifest.json").read_text())
    assert manifest["instance"]["name"] == "../../../escape"  # the original name is recorded
    assert manifest["coalition"] in ("../up", "/abs")


@pytest.mark.parametrize("bad", ["a\x00b", "tab\there", "line\nbreak", "\x1f"])
def test_ids_with_control_characters_are_rejected(tmp_path: Path, bad: str) -> None:
    """They would reach file names, spreadsheet sheets and plot labels (openpyxl refuses them
    after the solves): rejected by validation, naming the id."""
    instance = tiny(tmp_path / "i.yaml", coalitions=["ok", bad])
    code, output = run_burden("validate", str(instance))
    assert code == 2 and "control character" in output and "coalitions." in output, output


@pytest.mark.parametrize(
    ("pair", "second"), [(("eu", "EU"), "EU"), (("Air-Lift", "air-lift"), "air-lift"),
                         (("x", "Chosen"), "Chosen")]  # `chosen`: coalition choice's folder
)  # fmt: skip
def test_names_that_would_share_a_folder_are_rejected(tmp_path: Path, pair, second) -> None:
    """On macOS and Windows `eu` and `EU` are one folder: the second is named as the error."""
    instance = tiny(tmp_path / "i.yaml", coalitions=list(pair))
    code, output = run_burden("validate", str(instance))
    assert code == 2 and f"coalitions.{second}: " in output, output
    assert "would share its result folder" in output


def test_a_long_name_solves(tmp_path: Path) -> None:
    instance = tiny(tmp_path / "i.yaml", "n" * 300, ["c" * 300])
    code, output = run_burden("solve", str(instance), "--out", str(tmp_path / "o"), "--no-report")
    assert code == 0, output
    monkey = tmp_path / "w"
    monkey.mkdir()
    process = subprocess.run([sys.executable, "-m", "optimizer", "solve", str(instance),
                              "--no-report"], cwd=monkey, capture_output=True, text=True)  # fmt: skip
    assert process.returncode == 0, process.stderr
    (folder,) = (monkey / "burden-results").iterdir()
    assert len(folder.name.encode()) <= 200


def test_compare_with_file_like_coalition_names(tmp_path: Path) -> None:
    names = ["..", "comparison.csv", "manifest.json", "../up", "a/b", "a_b"]
    instance = tiny(tmp_path / "i.yaml", coalitions=names)
    out = tmp_path / "work" / "cmp"
    code, output = run_burden("compare", str(instance), "--out", str(out), "--no-report")
    assert code == 0 and "verified: all" in output, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i.yaml", "work"]
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["cmp"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["folders"]) == set(names)
    for name, slug in manifest["folders"].items():
        summary = json.loads((out / slug / "summary.json").read_text())
        assert summary["coalition"] == name
    table = (out / "comparison.csv").read_text()
    assert table.count("\n") == len(names) + 1
    code, output = run_burden("verify", str(out))
    assert code == 0, output


# -- burden verify ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("solved") / "out"
    assert run_burden("solve", str(TEACH), "--out", str(out), "--no-report")[0] == 0
    return out


def _copy(solved: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(solved, tmp_path / "copy"))


def _rehash(folder: Path) -> None:
    """Rewrite manifest.json's hashes for the files as they are now (a careful forger)."""
    from optimizer.results.manifest import write_manifest

    manifest = json.loads((folder / "manifest.json").read_text())
    kept = {k: v for k, v in manifest.items() if k not in ("files", "finished")}
    kept["instance"] = {**kept["instance"], "document": None}  # instance.yaml stays as it is
    write_manifest(folder, kept)


def test_verify_without_a_manifest_cannot_vouch(solved: Path, tmp_path: Path) -> None:
    folder = _copy(solved, tmp_path)
    (folder / "manifest.json").unlink()
    code, output = run_burden("verify", str(folder))
    assert code == 1 and "cannot vouch for this folder" in output, output
    lines = (folder / "countries.csv").read_text().splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[3], "999", 1)  # an edited plan, unhashed
    (folder / "countries.csv").write_text("\n".join(lines) + "\n")
    code, output = run_burden("verify", str(folder))
    assert code == 1 and "verification FAILED" in output


def test_verify_reports_files_not_in_the_manifest(solved: Path, tmp_path: Path) -> None:
    folder = _copy(solved, tmp_path)
    (folder / "extra.csv").write_text("a,b\n1,2\n")
    code, output = run_burden("verify", str(folder))
    assert code == 1 and "extra.csv" in output and "not in the manifest" in output, output


def test_an_infeasible_summary_must_agree_with_its_files(solved: Path, tmp_path: Path) -> None:
    folder = _copy(solved, tmp_path)
    summary = json.loads((folder / "summary.json").read_text())
    summary.update(status="infeasible", objective=None, total_pain=None)
    (folder / "summary.json").write_text(json.dumps(summary))
    for name in ("countries.csv", "procurement.csv"):  # emptied: the header only
        path = folder / name
        path.write_text(path.read_text().splitlines()[0] + "\n")
    _rehash(folder)
    code, output = run_burden("verify", str(folder))
    assert code == 1 and "without the diagnosis" in output, output


def test_an_infeasible_claim_is_solved_again(solved: Path, tmp_path: Path) -> None:
    """A forged `infeasible` result with everything a real one has (message, diagnosis, no
    plan, hashes): only solving again shows that the instance has a plan."""
    folder = _copy(solved, tmp_path)
    summary = json.loads((folder / "summary.json").read_text())
    summary.update(status="infeasible", objective=None, total_pain=None,
                   message="no plan meets every constraint", infeasibility={"lines": []})  # fmt: skip
    (folder / "summary.json").write_text(json.dumps(summary))
    for name in ("countries.csv", "procurement.csv"):
        path = folder / name
        path.write_text(path.read_text().splitlines()[0] + "\n")
    _rehash(folder)
    code, output = run_burden("verify", str(folder))
    assert code == 1 and "solved again the instance has a plan" in output, output


def test_a_real_infeasible_result_verifies(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = run_burden("solve", str(ROOT / "tests/infeasible/floor-vs-funding.yaml"),
                         "--out", str(out), "--no-report")  # fmt: skip
    assert code == 3
    code, output = run_burden("verify", str(out))
    assert code == 0 and "no plan to check" in output and "solved again: infeasible" in output


def _set_json(path: Path, key: str, value) -> None:
    data = json.loads(path.read_text())
    data[key] = value
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda f: _set_json(f / "manifest.json", "files", ["summary.json"]), "manifest.json"),
        (lambda f: _set_json(f / "summary.json", "instance", "teach"), "summary.json"),
        (lambda f: _set_json(f / "summary.json", "members", "DEU"), "summary.json"),
        (
            lambda f: (f / "countries.csv").write_bytes(b"country,year\n\xe9t\xe9,2026\n"),
            "countries.csv",
        ),
        (lambda f: (f / "manifest.json").write_text("[1, 2"), "manifest.json"),
        (lambda f: (f / "capabilities.csv").write_text("a,b\n1,2,3\n"), "capabilities.csv"),
    ],
)
def test_every_unreadable_shape_exits_2_naming_the_file(solved, tmp_path, damage, named) -> None:
    folder = _copy(solved, tmp_path)
    damage(folder)
    code, output = run_burden("verify", str(folder))
    assert code == 2 and named in output and "Traceback" not in output, output
    assert "Error:" not in output  # no bare exception name as the message


def test_a_text_in_a_number_cell_exits_2(solved: Path, tmp_path: Path) -> None:
    folder = _copy(solved, tmp_path)
    lines = (folder / "countries.csv").read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = "abc"
    lines[1] = ",".join(cells)
    (folder / "countries.csv").write_text("\n".join(lines) + "\n")
    (folder / "manifest.json").unlink()
    code, output = run_burden("verify", str(folder))
    assert code == 2 and "abc" in output and "Traceback" not in output, output


def test_verify_a_whole_compare_folder(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    assert run_burden("compare", str(TEACH), "--out", str(out), "--no-report")[0] == 0
    code, output = run_burden("verify", str(out))
    assert code == 0 and "compare folder: 2 result folder(s)" in output, output
    # a row of comparison.csv that no longer repeats its folder's summary.json
    path = out / "comparison.csv"
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = str(float(cells[3]) + 1)  # objective
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    _rehash(out)
    code, output = run_burden("verify", str(out))
    assert code == 1 and "comparison.csv" in output and "objective" in output, output
    # a coalition folder's plan broken (its own manifest rehashed too)
    sub = out / "all"
    summary = json.loads((sub / "summary.json").read_text())
    summary["members"] = summary["members"][:1]
    (sub / "summary.json").write_text(json.dumps(summary))
    _rehash(sub)
    _rehash(out)
    code, output = run_burden("verify", str(out))
    assert code == 1 and "all/" in output, output


def test_verify_a_whole_sweep_folder(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    args = ("sweep", str(TEACH), "--param", "spending_floor_pct_gdp", "--values", "2,2.5",
            "--out", str(out))  # fmt: skip
    assert run_burden(*args)[0] == 0
    code, output = run_burden("verify", str(out))
    assert code == 0 and "sweep folder: 2 result folder(s)" in output, output
    (out / "01-2" / "countries.csv").write_text("country,year\n")
    code, output = run_burden("verify", str(out))
    assert code == 1 and "01-2/" in output, output


def test_verify_a_members_folder(tmp_path: Path) -> None:
    out = tmp_path / "members"
    code, output = run_burden("members", str(TEACH), "--coalition", "all", "--out", str(out))
    assert code == 0, output
    code, output = run_burden("verify", str(out))
    assert code == 0 and "members folder" in output, output
    (out / "members.csv").write_text("member\n")
    code, output = run_burden("verify", str(out))
    assert code == 1 and "members.csv" in output, output


def test_burden_results_that_is_a_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "burden-results").write_text("not a folder")
    code, output = run_burden("solve", str(TEACH), "--no-report")
    assert code == 2 and "burden-results" in _one_error_line(output)


# -- section 5: one clear line, the documented code ------------------------------------------------
def test_compare_when_every_coalition_hits_the_time_limit(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ("compare", str(MEDIUM_CHOICE), "--coalitions", "chosen,core", "--time-limit", "0",
            "--out", str(out), "--no-report")  # fmt: skip
    code, output = run_burden(*args)
    assert code == 0 and "Traceback" not in output and "Error" not in output, output
    import csv

    rows = list(csv.DictReader((out / "comparison.csv").open()))
    assert [(r["coalition"], r["status"]) for r in rows] == [
        ("chosen", "time_limit"), ("core", "time_limit")]  # fmt: skip
    assert "time_limit" in (out / "comparison.md").read_text()
    code, output = run_burden(*args, "--resume")
    assert code == 0 and "already complete" in output


def _one_error_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


def test_compare_with_a_coalition_twice(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    code, output = run_burden("compare", str(TEACH), "--coalitions", "all,all", "--out", str(out))
    assert code == 2 and "listed more than once" in _one_error_line(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no stranded .sweep


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_as_the_instance() -> None:
    code, output = run_burden("validate", "/dev/zero")
    assert code == 2 and "not a regular file" in output, output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_as_the_instance(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    process = subprocess.run([sys.executable, "-m", "optimizer", "solve", str(fifo)],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert process.returncode == 2 and "not a regular file" in process.stderr


@pytest.mark.parametrize("kind", ["file", "dangling symlink"])
def test_something_at_the_default_output_path(tmp_path: Path, monkeypatch, kind: str) -> None:
    monkeypatch.chdir(tmp_path)
    results = tmp_path / "burden-results"
    results.mkdir()
    blocker = results / "teach-common-debt-all"
    if kind == "file":
        blocker.write_text("not yours")
    else:
        blocker.symlink_to(tmp_path / "nowhere")
    code, output = run_burden("solve", str(TEACH), "--no-report")
    assert code == 0 and "results: burden-results/teach-common-debt-all-2" in output, output
    assert os.path.lexists(blocker) and not (tmp_path / "nowhere").exists()
    # explicitly: refused in one line
    code, output = run_burden("solve", str(TEACH), "--out", str(blocker), "--force")
    assert code == 2 and "is not a folder" in _one_error_line(output)


@pytest.mark.parametrize("address", ["garbage", "tcp://127.0.0.1:1", "bogus://x:1"])
def test_a_scheduler_that_cannot_be_reached(tmp_path: Path, address: str) -> None:
    started = time.perf_counter()
    code, output = run_burden("compare", str(TEACH), "--scheduler", address,
                              "--out", str(tmp_path / "cmp"))  # fmt: skip
    assert code == 2 and "--scheduler" in _one_error_line(output)
    assert time.perf_counter() - started < 10
    assert not (tmp_path / "cmp").exists()


# -- section 6 ------------------------------------------------------------------------------------
def test_yaml_12_floats_are_numbers(tmp_path: Path) -> None:
    from optimizer.instance import load_instance

    plain = tiny(tmp_path / "plain.yaml")
    text = plain.read_text()
    exponent = tmp_path / "exp.yaml"
    exponent.write_text(
        text.replace("gdp: 100,", "gdp: 1e2,").replace("unit_cost: 1.0", "unit_cost: 1E0")
    )
    assert "1e2" in exponent.read_text()
    a, b = load_instance(plain), load_instance(exponent)
    assert a.countries == b.countries and a.capabilities == b.capabilities
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(text.replace("gdp: 100,", 'gdp: "1e2",', 1))
    code, output = run_burden("validate", str(quoted))
    assert code == 2 and "without quotes" in output  # quoted really is text
    from optimizer.instance.overrides import parse_assignment

    assert parse_assignment("countries.AAA.gdp=1e2") == ("countries.AAA.gdp", 100.0)
    assert parse_assignment("name='1e2'") == ("name", "1e2")


def test_resume_refuses_a_changed_no_report(tmp_path: Path, monkeypatch) -> None:
    import optimizer.pipeline.coalitions as coalitions

    real, calls = coalitions.solve_one, []

    def interrupted_at_the_second(instance, name, *args):
        calls.append(name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(instance, name, *args)

    monkeypatch.setattr(coalitions, "solve_one", interrupted_at_the_second)
    out = tmp_path / "cmp"
    args = ("compare", str(TEACH), "--out", str(out), "--workers", "1")  # the patch: here
    assert run_burden(*args, "--no-report")[0] == 130
    code, output = run_burden(*args, "--resume")  # the report now asked for: not the same run
    assert code == 2 and "different sweep" in output and "--no-report" in output, output
    monkeypatch.setattr(coalitions, "solve_one", real)
    assert run_burden(*args, "--no-report", "--resume")[0] == 0


@pytest.mark.parametrize("gap", ["1", "1.5", "nan"])
def test_a_mip_gap_of_one_or_more_is_refused(gap: str) -> None:
    code, output = run_burden("solve", str(TEACH), "--mip-gap", gap, "--out", "/nonexistent/x")
    assert code == 2 and "--mip-gap" in _one_error_line(output)


# -- permissions (issue 17) -------------------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_result_folders_are_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "out"
        assert run_burden("solve", str(TEACH), "--out", str(out), "--no-report")[0] == 0
        cmp = tmp_path / "cmp"
        assert run_burden("compare", str(TEACH), "--out", str(cmp), "--no-report")[0] == 0
    finally:
        os.umask(old)
    for root in (out, cmp):
        paths = [root, *root.rglob("*")]
        for path in paths:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


# -- property: random names never write outside the intended folder ---------------------------------
def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


#: Separators, dots, characters Windows forbids, non-ASCII (control characters are rejected by
#: validation: `test_ids_with_control_characters_are_rejected`).
_NAME_CHARS = "ab./\\ :*?<>|é€-_~C"
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

names = st.text(alphabet=_NAME_CHARS, min_size=1, max_size=12)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance_name=names, coalitions=st.lists(names, min_size=2, max_size=2, unique=True),
       scenario=names)  # fmt: skip
@example(instance_name="../../up", coalitions=["..", "comparison.csv"], scenario="/abs")
@example(instance_name="CON", coalitions=["manifest.json", "a/b"], scenario=".")
def test_random_names_write_only_into_the_intended_folder(instance_name, coalitions, scenario):
    import tempfile
    from unittest import mock

    import optimizer.report.plots as plots

    def placeholder(fig, path):  # the figures take seconds and are not what is tested here
        plots.plt.close(fig)
        Path(path).write_bytes(b"")
        return path

    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(plots, "_save", placeholder):
        root = Path(tmp) / "root"  # its parent holds nothing else: what appears there is ours
        root.mkdir()
        instance = tiny(root / "i.yaml", instance_name, coalitions, [scenario])
        work = root / "work"
        work.mkdir()
        explicit = root / "explicit"
        parent_before = set(os.listdir(root.parent))
        here = os.getcwd()
        os.chdir(work)
        try:
            codes = [
                run_burden("solve", str(instance), "--coalition", coalitions[0],
                           "--scenario", scenario, "--no-report")[0],
                run_burden("compare", str(instance), "--no-report")[0],
                run_burden("compare", str(instance), "--no-report", "--out", str(explicit))[0],
                run_burden("sweep", str(instance), "--coalition", coalitions[1], "--param",
                           "countries.AAA.gdp", "--values", "100,1e2")[0],
            ]  # fmt: skip
        finally:
            os.chdir(here)
        valid = run_burden("validate", str(instance))[0] == 0
        # nothing beside the instance, the work folder and the explicit --out
        assert sorted(os.listdir(root)) == sorted(
            ["i.yaml", "work"] + (["explicit"] if explicit.exists() else [])
        )
        assert set(os.listdir(work)) <= {"burden-results"}
        assert set(os.listdir(root.parent)) - parent_before == set()
        if valid:  # every command ran to its end and wrote its folder in burden-results
            assert codes == [0, 0, 0, 0], codes
            written = os.listdir(work / "burden-results")
            assert len(written) == 3 and not any(n.startswith(".") for n in written), written
            for folder in (work / "burden-results").iterdir():
                assert run_burden("verify", str(folder))[0] == 0, folder
        else:
            assert codes == [2, 2, 2, 2], codes
