"""Limits hold while a search sets up and inside long steps; wide actions do not crash.

`--timeout` was checked only between batches of states: the set-up of 70,001 action
instances, or one invariant over a cube of 8 million combinations (once also built in
memory when the spec was compiled), ran far past it.  More than 65,535 outcomes of one
`choose` overflowed the 2-byte outcome numbers of the interpreted search (OverflowError).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from harness import run_cli

HEADER = """spec wide
topology {
  nodes 2
  frames_per_node 1
}
var x : 0 .. 70000
var done : bool
"""
CHOOSE = HEADER + """action a() {
  require not done
  choose v: 0 .. 65540 {
    x := v
    done := true
  }
}
invariant below: x < 65538
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
invariant cube: forall i, j, k: 0 .. 199: i + j + k >= 0
"""


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "wide.numa"
    path.write_text(text)
    return str(path)


def test_choose_with_more_than_65535_outcomes(tmp_path: Path) -> None:
    result = run_cli(["check", "--no-deadlock", _write(tmp_path, CHOOSE)])
    assert "Traceback" not in result.err
    assert result.status == 1, result.out + result.err  # x := 65538 breaks `below`
    assert "x := 65538" in result.out


@pytest.mark.parametrize(("text", "extra"), [
    (INSTANCES, []), (INSTANCES, ["--no-vectorise"]), (CUBE, ["--no-vectorise"]), (CUBE, []),
])
def test_timeout_holds_during_setup_and_long_steps(tmp_path: Path, text: str,
                                                   extra: list[str]) -> None:
    start = time.perf_counter()
    result = run_cli(["check", "--no-deadlock", "--timeout", "1", *extra,
                      _write(tmp_path, text)])
    elapsed = time.perf_counter() - start
    assert result.status == 3, result.out + result.err
    assert "--timeout 1 s" in result.out + result.err
    assert elapsed < 4.5, elapsed
