"""`numaspec simulate`: determinism, counterexamples, costs, workloads, JSONL traces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import P1, ROOT, assert_golden, run_cli

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.spec.pipeline import compile_spec

LEAKY = "tests/corpus/small/leaky_pager.numa"
pytestmark = pytest.mark.usefixtures("at_root")


def run_status_out(args: list[str]) -> tuple[int, str]:
    run = run_cli(args)
    return run.status, run.out


def test_p1_100000_steps_hold_and_rerun_is_identical() -> None:
    first = run_status_out(["simulate", P1, "--steps", "100000", "--seed", "1"])
    second = run_status_out(["simulate", P1, "--steps", "100000", "--seed", "1"])
    assert first[0] == 0 and "no violation in 100,000 steps" in first[1]
    assert "total" in first[1] and "kernel primitive calls" in first[1]
    assert first == second


def test_counterexample_text_is_golden() -> None:
    status, out = run_status_out(["simulate", LEAKY, "--steps", "50", "--seed", "3"])
    assert status == 1
    assert_golden(out, "leaky_pager_simulate.txt")


def test_per_node_design_never_touches_remote_kernel_data() -> None:
    spec = compile_spec(str(ROOT / P1)).spec
    result = simulate(spec, SimulateOptions(steps=5000, seed=4))
    remote = result.total.remote_by_variable
    assert result.total.steps == 5000 and result.finding is None
    assert remote["l4.pt"] == 0 and remote["l4.mdb"] == 0
    assert result.costs["fault"].pagefaults == result.costs["fault"].steps > 0
    # one request and one acknowledgement per other node for each global unmap
    unmaps = result.costs["start_unmap"].steps
    assert result.costs["start_unmap"].messages == 2 * unmaps
    assert result.costs["recv_req"].remote_messages == result.costs["recv_req"].steps


def test_workload_weights_steer_the_walk(tmp_path: Path) -> None:
    text = (ROOT / P1).read_text() + "\nworkload no_unmaps { weight start_unmap(n, v) = 0 }\n"
    path = tmp_path / "p1_no_unmaps.numa"  # imports only the standard library's l4
    path.write_text(text)
    spec = compile_spec(str(path)).spec
    result = simulate(spec, SimulateOptions(steps=300, seed=1, workload="no_unmaps"))
    assert result.costs["start_unmap"].steps == 0 and result.finding is None
    mostly = simulate(spec, SimulateOptions(steps=3000, seed=1, workload="mostly_private"))
    plain = simulate(spec, SimulateOptions(steps=3000, seed=1))
    assert mostly.total.steps == plain.total.steps == 3000
    assert mostly.costs["fault"].steps != plain.costs["fault"].steps


def test_trace_out_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "walk.jsonl"
    status, _ = run_status_out(["simulate", P1, "--steps", "40", "--seed", "5", "--trace-out",
                                str(out)])
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert status == 0
    assert lines[0]["#meta"]["format"] == "numaspec-trace/1"
    assert "state" in lines[1] and len(lines) == 2 + 40
    assert {"action", "args", "post"} <= set(lines[2])


def test_bad_arguments_exit_2() -> None:
    runs = [run_cli(["simulate", P1, "--topology", "nosuchmachine"]),
            run_cli(["simulate", P1, "-D", "PAGES=x"]),
            run_cli(["simulate", P1, "--workload", "nope"])]
    assert [run.status for run in runs] == [2, 2, 2]
    argparse = run_cli(["simulate", P1, "--steps", "0"])
    assert argparse.exited and argparse.status == 2
    err = "".join(run.err for run in [*runs, argparse])
    assert "Traceback" not in err and "error[E404]" in err


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "tests" / "corpus" /
                                                         "topologies").glob("bad_*")))
def test_every_bad_topology_file_exits_2(name: str) -> None:
    path = f"tests/corpus/topologies/{name}"
    simulated, described = run_cli(["simulate", P1, "--topology", path]), \
        run_cli(["topology", path])
    assert simulated.status == 2
    assert described.status == 2
    err = simulated.err + described.err
    assert "error[E40" in err or "error[E00" in err
    assert name in err and "Traceback" not in err


@pytest.mark.parametrize("define", ["PAGES=x", "PAGES=true", "PAGES=-1", "NODES=0",
                                    "NODES=1000", "FRAMES_PER_NODE=0", "l4.PAGES={}",
                                    "PAGES", "PAGES=(", "NOPE=1"])
def test_bad_defines_exit_2(define: str) -> None:
    run = run_cli(["simulate", P1, "-D", define, "--steps", "5"])
    assert run.status == 2
    err = run.err
    assert err.splitlines()[0].split("error[")[1][:4].startswith("E") and "Traceback" not in err
