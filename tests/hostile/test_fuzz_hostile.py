"""Hostile `fuzz` runs: several distinct failures, several initial states, honest example
counts, nothing written into the working directory, implementations that exit, raise or do
not fit the adapter contract, and Ctrl-C (partial results)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from harness import cli_command, run_cli

HEAD = "topology {\n  nodes 1\n  frames_per_node 1\n}\n"
TWO_BUGS = "spec two_bugs\n" + HEAD + """var x : 0 .. 9
var y : 0 .. 9
action a() {
  require x < 9
  x += 1
}
action b() {
  require y < 9
  assert y < 3
  y += 1
}
invariant x_small: x <= 3
"""
# The bug is reachable only from the second initial state (x = 1).
INITS = "spec inits\n" + HEAD + """var x : 0 .. 9
init {
  choose v: 0 .. 1 { x := v }
}
action a() {
  require x == 1
  x := 5
}
action skip() {
  x := x
}
invariant small: x <= 4
"""
COUNTER = "spec counter\n" + HEAD + """var x : 0 .. 5
action inc() {
  require x < 3
  x += 1
}
"""
IMPLS = """import os, sys, time

class Counter:
    def __init__(self):
        self.x = 0
    def inc(self):
        if self.x >= 3:
            raise ValueError("full")
        self.x += 1
    def observe(self):
        return {"x": self.x}

class Exits(Counter):
    def inc(self):
        if self.x == 1:
            sys.exit(0)
        super().inc()

class Slow(Counter):
    def __init__(self):
        super().__init__()
        open(os.environ["STARTED"], "w").close()
        time.sleep(0.01)

class NotDict(Counter):
    def observe(self):
        return [self.x]

class NoMethod:
    def observe(self):
        return {}

def needs(size):
    return Counter()
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the specs and an implementation module of its own name."""
    for name, text in {"two.numa": TWO_BUGS, "inits.numa": INITS,
                       "counter.numa": COUNTER}.items():
        (tmp_path / name).write_text(text)
    (tmp_path / f"impls_{tmp_path.name}.py").write_text(IMPLS)
    broken = (tmp_path / "broken_module").with_suffix(".py")
    broken.write_text("raise RuntimeError('no hardware here')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def _impl(work: Path, factory: str) -> str:
    return f"impls_{work.name}:{factory}"


def test_two_distinct_failures_give_one_shrunk_counterexample(work: Path) -> None:
    run = run_cli(["fuzz", "two.numa", "--examples", "300", "--seed", "0"])
    assert run.status == 1 and "found and shrunk to" in run.out, run.err[-2000:]
    assert "Traceback" not in run.err and "ExceptionGroup" not in run.err


def test_a_bug_reachable_only_from_another_initial_state_is_found(work: Path) -> None:
    run = run_cli(["fuzz", "inits.numa", "--examples", "200", "--seed", "0"])
    assert run.status == 1 and "invariant found and shrunk to 1 step(s)" in run.out


def test_the_example_count_leaves_out_shrinking(work: Path) -> None:
    run = run_cli(["fuzz", "counter.numa", "--examples", "20", "--no-deadlock"])
    assert run.status == 0 and "no violation in 20 examples" in run.out
    found = run_cli(["fuzz", "counter.numa", "--examples", "20"])  # a deadlock after 3 steps
    assert found.status == 1
    assert re.search(r"examples: 1, steps: 3,", found.out), found.out


def test_nothing_is_written_to_the_working_directory(work: Path) -> None:
    before = set(os.listdir(work))
    assert run_cli(["fuzz", "counter.numa", "--examples", "30"]).status == 1
    assert set(os.listdir(work)) - {"__pycache__"} == before
    kept = run_cli(["fuzz", "counter.numa", "--examples", "30", "--database", "db"])
    assert kept.status == 1 and (work / "db").is_dir()  # asked for: kept there


def test_an_implementation_that_exits_in_a_step_diverges(work: Path) -> None:
    run = run_cli(["fuzz", "counter.numa", "--no-deadlock", "--examples", "50",
                   "--impl", _impl(work, "Exits")])
    assert run.status == 1, run.out + run.err  # it exited 0 with no output
    assert "divergence found" in run.out and "inc() raised SystemExit" in run.out


@pytest.mark.parametrize(("factory", "message"), [
    ("NotDict", "observe() returned list, not a dict"),
    ("NoMethod", "the implementation has no method inc"),
    ("needs", "the factory raised TypeError"),
])
def test_an_implementation_of_the_wrong_shape_is_bad_input(work: Path, factory: str,
                                                           message: str) -> None:
    run = run_cli(["fuzz", "counter.numa", "--impl", _impl(work, factory)])
    assert run.status == 2 and "error[E006]" in run.err and message in run.err
    assert "Traceback" not in run.err


def test_a_module_that_fails_to_import_is_bad_input(work: Path) -> None:
    run = run_cli(["fuzz", "counter.numa", "--impl", "broken_module:factory"])
    assert run.status == 2 and "error[E006]" in run.err and "no hardware here" in run.err


def test_ctrl_c_in_fuzz_reports_the_examples_run(work: Path) -> None:
    started = work / "started"
    process = subprocess.Popen(
        cli_command(["fuzz", "counter.numa", "--no-deadlock", "--examples", "1000000",
                     "--impl", _impl(work, "Slow")]), cwd=work, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "STARTED": str(started),
                                                "PYTHONPATH": str(work)})
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 3, out + err
    assert re.search(r"interrupted: no violation in the [\d,]+ examples run \(incomplete\)",
                     out), out + err
    assert "actions covered: inc" in out
