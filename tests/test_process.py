"""`burden` leaves without the interpreter's teardown (`optimizer.process.exit_now`), and loses
nothing on the way: atexit handlers run, buffered output is flushed, the exit status is kept,
and a thread still running is waited for."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_EXITING = """
import atexit, sys, threading, time
from pathlib import Path
from optimizer.process import exit_now

out = Path(sys.argv[1])
atexit.register(lambda: (out / "atexit").write_text("ran"))
sys.stdout.write("buffered, no newline")  # a pipe: block-buffered until flushed
if sys.argv[2] == "thread":  # a non-daemon thread still working: the exit waits for it
    threading.Thread(target=lambda: (time.sleep(0.5), (out / "thread").write_text("done"))).start()
exit_now(eval(sys.argv[3]))
"""


def _exit_with(tmp_path: Path, thread: str, code: str) -> subprocess.CompletedProcess:
    script = tmp_path / "exiting.py"
    script.write_text(_EXITING, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(script), str(tmp_path), thread, code], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


@pytest.mark.parametrize(("code", "status"), [("0", 0), ("None", 0), ("143", 143), ("3", 3)])
def test_exit_now_keeps_the_status_output_and_atexit(tmp_path: Path, code: str, status) -> None:
    done = _exit_with(tmp_path, "none", code)
    assert done.returncode == status, done.stderr
    assert done.stdout == "buffered, no newline"
    assert (tmp_path / "atexit").read_text() == "ran"


def test_exit_now_with_a_message_prints_it_and_exits_1(tmp_path: Path) -> None:
    done = _exit_with(tmp_path, "none", "'bad input'")
    assert done.returncode == 1
    assert done.stderr.strip() == "bad input"
    assert (tmp_path / "atexit").read_text() == "ran"


def test_exit_now_waits_for_a_running_thread(tmp_path: Path) -> None:
    done = _exit_with(tmp_path, "thread", "5")
    assert done.returncode == 5, done.stderr
    assert (tmp_path / "thread").read_text() == "done"  # os._exit would have cut it off
    assert (tmp_path / "atexit").read_text() == "ran"


def test_the_burden_command_exits_through_script() -> None:
    """The installed `burden` and `python -m optimizer` call `script` (teardown skipped);
    tests call `main`, which raises SystemExit."""
    (entry,) = [e for e in importlib.metadata.entry_points(group="console_scripts")
                if e.name == "burden"]  # fmt: skip
    assert entry.value == "optimizer.cli:script"
    main_module = (ROOT / "optimizer" / "__main__.py").read_text(encoding="utf-8")
    assert "script()" in main_module
    done = subprocess.run([sys.executable, "-m", "optimizer", "validate", "nope.yaml"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2, done.stderr  # EXIT_INVALID, through exit_now
    assert "nope.yaml" in done.stdout + done.stderr
