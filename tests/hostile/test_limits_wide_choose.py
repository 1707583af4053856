"""More than 65,535 outcomes of one `choose` overflowed the 2-byte outcome numbers of the
explicit search (an OverflowError traceback)."""

from __future__ import annotations

from pathlib import Path

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


def test_choose_with_more_than_65535_outcomes(tmp_path: Path) -> None:
    result = run_cli(["check", "--no-deadlock", _write(tmp_path)])
    assert "Traceback" not in result.err
    assert result.status == 1, result.out + result.err  # x := 65538 breaks `below`
    assert "x := 65538" in result.out


def _write(tmp_path: Path) -> str:
    path = tmp_path / "wide.numa"
    path.write_text(CHOOSE)
    return str(path)
