"""`numaspec simulate`: determinism, counterexamples, costs, workloads, JSONL traces."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.cli.main import main
from numaspec.spec.pipeline import compile_spec

ROOT = Path(__file__).resolve().parent.parent.parent
P1 = "spec/examples/pernode.numa"
LEAKY = "tests/corpus/small/leaky_pager.numa"
GOLDEN = ROOT / "tests" / "golden"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(args)
    return status, capsys.readouterr().out


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_p1_100000_steps_hold_and_rerun_is_identical(capsys: pytest.CaptureFixture[str]) -> None:
    first = run_cli(["simulate", P1, "--steps", "100000", "--seed", "1"], capsys)
    second = run_cli(["simulate", P1, "--steps", "100000", "--seed", "1"], capsys)
    assert first[0] == 0 and "no violation in 100,000 steps" in first[1]
    assert "total" in first[1] and "kernel primitive calls" in first[1]
    assert first == second


def test_counterexample_text_is_golden(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli(["simulate", LEAKY, "--steps", "50", "--seed", "3"], capsys)
    assert status == 1
    golden = GOLDEN / "leaky_pager_simulate.txt"
    if os.environ.get("NUMASPEC_UPDATE_GOLDEN") == "1":
        golden.write_text(out)
    assert out == golden.read_text()


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


def test_trace_out_writes_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "walk.jsonl"
    status, _ = run_cli(["simulate", P1, "--steps", "40", "--seed", "5", "--trace-out",
                         str(out)], capsys)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert status == 0
    assert lines[0]["#meta"]["format"] == "numaspec-trace/1"
    assert "state" in lines[1] and len(lines) == 2 + 40
    assert {"action", "args", "post"} <= set(lines[2])


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", P1, "--topology", "nosuchmachine"]) == 2
    assert main(["simulate", P1, "-D", "PAGES=x"]) == 2
    assert main(["simulate", P1, "--workload", "nope"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["simulate", P1, "--steps", "0"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error[E404]" in err


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "tests" / "corpus" /
                                                         "topologies").glob("bad_*")))
def test_every_bad_topology_file_exits_2(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = f"tests/corpus/topologies/{name}"
    assert main(["simulate", P1, "--topology", path]) == 2
    assert main(["topology", path]) == 2
    err = capsys.readouterr().err
    assert "error[E40" in err or "error[E00" in err
    assert name in err and "Traceback" not in err


@pytest.mark.parametrize("define", ["PAGES=x", "PAGES=true", "PAGES=-1", "NODES=0",
                                    "NODES=1000", "FRAMES_PER_NODE=0", "l4.PAGES={}",
                                    "PAGES", "PAGES=(", "NOPE=1"])
def test_bad_defines_exit_2(define: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", P1, "-D", define, "--steps", "5"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].split("error[")[1][:4].startswith("E") and "Traceback" not in err
