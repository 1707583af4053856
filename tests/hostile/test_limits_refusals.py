"""What no limit can bound is refused up front with a clear message (exit 2).

An action of 10^8 instances was enumerated when the model was built (gigabytes, before
--max-memory could apply); `prove --k 1000000` and `--depth 1000000` unrolled a formula of a
million steps before any per-query solver timeout applied.
"""

from __future__ import annotations

from pathlib import Path

from harness import run_cli

SPEC = """spec wide
topology {
  nodes 2
  frames_per_node 1
}
var x : 0 .. 3
action a(v: 0 .. 99999999) {
  x := 0
}
"""


def test_action_with_10_to_the_8_instances_is_refused_in_every_command(tmp_path: Path) -> None:
    path = tmp_path / "wide.numa"
    path.write_text(SPEC)
    for argv in (["parse"], ["check"], ["simulate", "--steps", "1"], ["prove"]):
        result = run_cli([*argv, str(path)])
        assert result.status == 2, result.out + result.err
        assert "wide.numa:7:8: error[E311]: action `a` has more than 1,000,000 instances" \
            in result.err


def test_absurd_unrolling_depths_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "small.numa"
    path.write_text(SPEC.replace("99999999", "1"))
    result = run_cli(["prove", "--k", "1000000", str(path)])
    assert result.status == 2
    assert "error[E004]: --k must be between 1 and 1,000, not 1,000,000" in result.err
    result = run_cli(["check", "--engine", "bmc", "--depth", "1000000", str(path)])
    assert result.status == 2
    assert "error[E004]: --depth must be between 0 and 1,000" in result.err
