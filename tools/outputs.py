"""Regenerate every command's outputs into a folder, or compare two such folders.

The redesign of issue 13 must leave every output unchanged: run `python tools/outputs.py run
OUT` before and after, then `python tools/outputs.py diff OLD NEW`. Clock fields (seconds,
timestamps), absolute paths and files that record when they were written (xlsx, png) are
ignored; every other byte must match.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCKS = {"seconds", "started", "finished", "timings", "stage_seconds", "tie_break_seconds",
          "created", "written", "elapsed", "wall_seconds"}  # fmt: skip
#: Manifest entries (file -> sha256) of files compared themselves, or holding a clock; the
#: instance's own sha256 too: its copy `instance.yaml` is compared as text after `RENAMED`.
HASHED_ELSEWHERE = (".json", ".xlsx", ".png", ".md", ".html", ".svg", ".stdout", ".yaml")
#: Files whose bytes hold a clock or a renderer's version (compared by name only).
OPAQUE = {".xlsx", ".png", ".pdf"}


def _commands(out: Path) -> list[tuple[str, list[str]]]:
    inst = ROOT / "instances"
    runs: list[tuple[str, list[str]]] = [
        ("nato-2035", ["compare", str(inst / "nato-2035.yaml")]),
        ("hague-2035", ["compare", str(inst / "hague-2035.yaml")]),
        ("hague-members", ["members", str(inst / "hague-2035.yaml")]),
        ("hague-sweep", ["sweep", str(inst / "hague-2035.yaml"), "--coalition", "europe_canada",
                         "--param", "spending_floor_pct_gdp.2035", "--values", "2.0:3.5:0.5",
                         "--set", "countries.DEU.floor_pct_gdp=null"]),
        ("medium-shapley", ["shapley", str(inst / "medium-synthetic.yaml")]),
    ]  # fmt: skip
    for path in sorted(inst.glob("*.yaml")):
        if path.stem.startswith(("teach-", "medium-", "brussels-")):
            runs.append((f"solve-{path.stem}", ["solve", str(path)]))
            runs.append((f"compare-{path.stem}", ["compare", str(path)]))
    return runs


def run(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, args in _commands(out):
        cmd = [sys.executable, "-m", "optimizer", *args, "--out", str(out / name)]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        (out / f"{name}.stdout").write_text(done.stdout + f"\nexit {done.returncode}\n")
        print(f"{name}: exit {done.returncode}", flush=True)
        failed += done.returncode not in (0, 3)
    for name in ("validate", "explain"):
        for path in sorted((ROOT / "instances").glob("teach-*.yaml")):
            done = subprocess.run([sys.executable, "-m", "optimizer", name, str(path)],
                                  capture_output=True, text=True, cwd=ROOT)  # fmt: skip
            (out / f"{name}-{path.stem}.stdout").write_text(
                done.stdout + done.stderr + f"\nexit {done.returncode}\n"
            )
    return failed


def _clean(value, root: str):
    if isinstance(value, dict):
        return {k: _clean(v, root) for k, v in value.items()
                if k not in CLOCKS and k != "sha256"
                and not (k.endswith(HASHED_ELSEWHERE) and isinstance(v, str))}  # fmt: skip
    if isinstance(value, list):
        return [_clean(v, root) for v in value]
    if isinstance(value, str):
        return value.replace(root, "OUT")
    return value


#: Paths renamed by the redesign (issue 13) that instance headers and manifests quote.
RENAMED = {"optimizer/realdata/": "burden_data/"}


#: The checkout a run came from (argv and the instance's path name it): two checkouts compare.
CHECKOUT = re.compile(r"/[^\s\"']+/(?=optimizer/__main__\.py|instances/)")


def _text(path: Path, root: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = CHECKOUT.sub("ROOT/", text)
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    if path.suffix == ".json":
        return json.dumps(_clean(json.loads(text), str(root)), indent=1, sort_keys=True)
    text = text.replace(str(root), "OUT")
    # durations printed in reports and on the terminal
    return re.sub(r"\d+(\.\d+)? ?(s|ms|seconds)\b", "<t>", text)


def diff(old: Path, new: Path) -> int:
    names = {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
    other = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    bad = 0
    for name in sorted(names ^ other):
        print(f"only in {'old' if name in names else 'new'}: {name}")
        bad += 1
    for name in sorted(names & other):
        if name.suffix in OPAQUE:
            continue
        if _text(old / name, old) != _text(new / name, new):
            print(f"differs: {name}")
            bad += 1
    print(f"{len(names & other)} files compared, {bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    verb, *paths = sys.argv[1:]
    sys.exit(run(Path(paths[0])) if verb == "run" else diff(Path(paths[0]), Path(paths[1])))
