"""Limits hold while a search sets up and inside long steps.

`--timeout` and `--max-memory` were checked only between batches of states: the set-up of
70,001 action instances, or one invariant over a cube of 125 million combinations (once also
built in memory when the spec was compiled), ran far past them.

Each command runs in a process of its own, so that what is timed is the command: inside the
long test process, after a thousand other tests, one run once took 12.4 s, the same command
alone 4.8 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from harness import run_cli_process

HEADER = """spec wide
topology {
  nodes 2
  frames_per_node 1
}
var x : 0 .. 70000
var done : bool
"""
INSTANCES = HEADER + """action a(v: 0 .. 70000) {
  require not done
  x := v
  done := true
}
"""
CUBE = HEADER + """action a() {
  require not done
  done := true
}
invariant cube: forall i, j, k: 0 .. 499: i + j + k >= 0
"""


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "wide.numa"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(("text", "extra"), [
    (INSTANCES, []), (INSTANCES, ["--no-vectorise"]), (CUBE, ["--no-vectorise"]),
])
def test_timeout_holds_during_setup_and_long_steps(tmp_path: Path, text: str,
                                                   extra: list[str]) -> None:
    start = time.perf_counter()
    result = run_cli_process(["check", "--no-deadlock", "--timeout", "1", *extra,
                      _write(tmp_path, text)])
    elapsed = time.perf_counter() - start
    assert result.status == 3, result.out + result.err
    assert "--timeout 1 s" in result.out + result.err
    assert elapsed < 12, elapsed  # unbounded before (a minute and more); slack for load


def test_max_memory_holds_during_setup(tmp_path: Path) -> None:
    start = time.perf_counter()
    result = run_cli_process(["check", "--no-deadlock", "--max-memory", "1",
                              _write(tmp_path, INSTANCES)])
    assert result.status == 3, result.out + result.err
    assert "--max-memory 1 MB" in result.out
    assert time.perf_counter() - start < 12


INITIAL = HEADER.replace("var x : 0 .. 70000\n",
                         "var a : 0 .. 99\nvar b : 0 .. 99\nvar c : 0 .. 99\n") + """
init {
  choose p: 0 .. 99 { a := p }
  choose q: 0 .. 99 { b := q }
  choose r: 0 .. 99 { c := r }
}
action finish() {
  require not done
  done := true
}
"""


@pytest.mark.parametrize("extra", [[], ["--no-vectorise"]])
def test_max_states_holds_while_enumerating_initial_states(tmp_path: Path,
                                                           extra: list[str]) -> None:
    """A million initial states under --max-states 1000: once all were built (8 s) and all
    stored (a million states reported), now `init` stops at the 1,001st outcome."""
    start = time.perf_counter()
    result = run_cli_process(["check", "--no-deadlock", "--max-states", "1000", *extra,
                              _write(tmp_path, INITIAL)])
    assert result.status == 3, result.out + result.err
    assert "stopped by --max-states 1000 (`init` alone has more than 1000 outcomes)" in \
        result.out
    assert "distinct states: 0" in result.out
    assert time.perf_counter() - start < 8


def test_timeout_bounds_reading_and_compiling_the_spec(tmp_path: Path) -> None:
    """100,000 actions (1.8 MB): parsing takes about 7 s and building the model as long;
    `--timeout 2` once ran 20 s (the front end was not bounded and the model was built
    twice), now it stops while compiling, says so, and exits 3."""
    lines = ["spec many", "topology {", "  nodes 2", "  frames_per_node 1", "}",
             "var x : 0 .. 3", *(f"action a{i}(){{}}" for i in range(100_000))]
    path = tmp_path / "many.numa"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    result = run_cli_process(["check", "--timeout", "2", str(path)])
    assert result.status == 3, result.out + result.err
    assert "stopped by --timeout 2 s while reading and compiling the spec" in result.out
    assert time.perf_counter() - start < 10
