"""Shortened counterexamples (checker/shorten.py) and simulate's limits: --timeout, Ctrl-C."""

from __future__ import annotations

import signal
import time

import pytest
from harness import P1, ROOT, assert_golden, run_cli

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.shorten import Budget, shorten
from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.model.findings import replay
from numaspec.model.machine import Model
from numaspec.spec.pipeline import compile_spec

pytestmark = pytest.mark.usefixtures("at_root")
BUG = "tests/corpus/specs/pernode_bug{}.numa"
BUGS = {1: "1_fault_ignores_unmap", 2: "2_early_free", 3: "3_skip_node"}
SMALL = ["NODES=3", "PAGES=1", "FRAMES_PER_NODE=1"]


def _spec(bug: int, defines: list[str] = SMALL):  # type: ignore[no-untyped-def]
    return compile_spec(str(ROOT / BUG.format(BUGS[bug])), defines).spec


@pytest.mark.parametrize("bug", [1, 2, 3])
def test_simulate_reports_the_shortest_trace_bfs_finds(bug: int) -> None:
    spec = _spec(bug)
    walked = simulate(spec, SimulateOptions(steps=400, runs=3, seed=7, shorten=False))
    result = simulate(spec, SimulateOptions(steps=400, runs=3, seed=7))
    shortest = check(spec, CheckOptions(liveness=False)).finding
    assert walked.finding is not None and result.finding is not None and shortest is not None
    assert result.walk_length == len(walked.finding.trace.steps)
    assert len(result.finding.trace.steps) == len(shortest.trace.steps)
    assert result.finding.property == walked.finding.property
    replay(Model(spec), result.finding)


def test_without_time_shortening_keeps_the_walk_but_cuts_its_loops() -> None:
    spec = _spec(1)
    walked = simulate(spec, SimulateOptions(steps=400, runs=3, seed=7, shorten=False))
    assert walked.finding is not None
    cut = shorten(Model(spec), walked.finding, Budget(deadline=time.perf_counter() - 1))
    assert len(cut.trace.steps) <= len(walked.finding.trace.steps)
    assert len(set(cut.trace.states())) == len(cut.trace.states())  # no state twice


def test_a_step_violation_and_a_deadlock_are_shortened(compile_text) -> None:  # type: ignore[no-untyped-def]
    spec = compile_text("""
spec walk_far
type Count = 0 .. 20
var x : Count
var y : Count
action up() { require x < 20; x += 1 }
action down() { require x > 0; x -= 1 }
action noise() { y := (y + 1) % 5 }
action boom() { require x == 3; assert y != 4 else "boom" }
""").spec
    result = simulate(spec, SimulateOptions(steps=2000, runs=20, seed=1))
    assert result.finding is not None and result.finding.kind == "assert"
    assert result.walk_length is not None and result.walk_length > 7
    assert len(result.finding.trace.steps) == 7  # 3 × up and 4 × noise, in some order


def test_the_shortened_counterexample_is_printed_with_the_walks_length() -> None:
    run = run_cli(["simulate", BUG.format(BUGS[2]), *sum((["-D", d] for d in SMALL), []),
                   "--steps", "400", "--runs", "3", "--seed", "7"])
    assert run.status == 1
    assert_golden(run.out, "bug2_simulate_shortened.txt")
    assert "(shortened from the walk's " in run.out and "shortened in" in run.err


def test_timeout_stops_the_walks_with_partial_results() -> None:
    run = run_cli(["simulate", P1, "--steps", "100000000", "--timeout", "0.5"])
    assert run.status == 3
    assert "stopped at the timeout: partial results, 1 walk(s) begun" in run.out
    assert "no violation in" in run.out and "total" in run.out  # the cost table so far
    for bad in ("0", "-1", "nan", "x", "inf"):
        assert run_cli(["simulate", P1, "--timeout", bad]).status == 2


def test_ctrl_c_prints_the_partial_results() -> None:
    """Ctrl-C (SIGINT, as the terminal sends it, here from a timer) during the walks."""
    run_cli(["simulate", P1, "--steps", "10"])  # imports done: the signal comes while walking
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    # well after the spec is compiled; again every 2 s, as a user presses Ctrl-C again: one
    # interrupt that lands in a finaliser run by the garbage collector is ignored by Python
    # ("Exception ignored in ..."), and the 100-million-step walk then ran on in CI (9.8 GB)
    signal.setitimer(signal.ITIMER_REAL, 4, 2)
    try:
        run = run_cli(["simulate", P1, "--steps", "100000000"])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert run.status == 3
    assert "interrupted: partial results, 1 walk(s) begun" in run.out
    assert "no violation in" in run.out and "total" in run.out


def test_ctrl_c_during_the_walks_keeps_what_was_done() -> None:
    spec = compile_spec(str(ROOT / P1)).spec

    def interrupt(progress: object) -> None:
        raise KeyboardInterrupt

    result = simulate(spec, SimulateOptions(steps=5000), interrupt)
    assert result.stopped_by == "interrupted" and result.steps == 1000
    assert result.total.steps == 1000 and result.outcome.name == "LIMIT"
