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
