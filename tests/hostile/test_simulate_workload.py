"""A workload that gives an instance a negative weight is bad input (E410, exit 2), located at
the weight, not a traceback in the middle of a walk."""

from pathlib import Path

from harness import run_cli

SPEC = """spec neg
topology { nodes 2 frames_per_node 1 }
var x : 0 .. 3
action inc(n: Node) on n { require x < 3; x += 1 }
action reset() { require x == 3; x := 0 }
invariant small: x <= 3
workload w { weight inc(n) = 1 - int(n) * 2 }
"""


def test_a_negative_weight_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "neg.numa"
    path.write_text(SPEC)
    run = run_cli(["simulate", str(path), "--workload", "w", "--steps", "50", "--seed", "3"])
    assert run.status == 2 and "Traceback" not in run.err
    assert f"{path}:7:14: error[E410]: workload w gives inc(n=1) the negative weight -1" \
        in run.err
    assert "^^^" in run.err
