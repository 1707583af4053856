"""A failing `init` (an `assert`, a key out of range): a violation at step 0 with an empty
trace, exit status 1, in every engine.  It was a StepViolation traceback in `check`,
`simulate` and `fuzz`, and BMC and prove, whose symbolic `init` then had no initial state,
said "no violation" and "proved"."""

from __future__ import annotations

import pytest
from harness import run_cli

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.model.findings import Finding, replay
from numaspec.model.machine import Model

ASSERT = "spec init_fails\nvar x : bool\naction a() { x := not x }\ninit { assert x }\n"
RANGE = """\
spec init_range
topology { nodes 2 frames_per_node 1 }
type P = 0 .. 0
var m : Map[(Node, P), bool]
fun key(n: Node): (Node, P) = (n, 1)
action a() { m := {} }
init { m[key(node(0))] := true }
"""
ENGINES = {
    "bfs": lambda s: check(s, CheckOptions(vectorise=False)).finding,
    "bfs-vector": lambda s: check(s, CheckOptions()).finding,
    "dfs": lambda s: check(s, CheckOptions(engine="dfs", vectorise=False)).finding,
    "bmc": lambda s: bmc(s, BmcOptions(depth=3)).finding,
    "prove": lambda s: prove(s, ProveOptions(k=1)).finding,
    "simulate": lambda s: simulate(s, SimulateOptions(steps=5, runs=2)).finding,
}


@pytest.mark.parametrize(("text", "kind"), [(ASSERT, "assert"), (RANGE, "range")])
@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_reports_a_failing_init_at_step_0(compile_text, text, kind, engine):
    spec = compile_text(text).spec
    finding: Finding | None = ENGINES[engine](spec)
    assert finding is not None and finding.kind == kind
    assert finding.trace.steps == () and finding.failing is None
    assert finding.span is not None and finding.span.line in (4, 7)
    replay(Model(spec), finding)  # a real counterexample


@pytest.mark.parametrize("command", [["check"], ["check", "--engine", "bmc"], ["prove"],
                                     ["simulate"], ["fuzz", "--examples", "3"]])
def test_the_commands_exit_1_with_the_violation(tmp_path, command):
    path = tmp_path / "init_fails.numa"
    path.write_text(ASSERT)
    run = run_cli([*command, str(path)])
    assert run.status == 1, run.err
    assert "init fails" in run.out and "assertion failed" in run.out
    assert "Traceback" not in run.err
