"""`numaspec trace`: traces of the other commands, P1's action names, hidden actions, the
divergence report, witnesses, limits, constants from the header, logs of an implementation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import P1, run_cli
from impl_log import log_run

from numaspec.model.findings import replay
from numaspec.model.machine import Model
from numaspec.spec.pipeline import compile_spec
from numaspec.traces.formats.load import load_trace

BUG1 = "tests/corpus/specs/pernode_bug1_fault_ignores_unmap.numa"
LIVE = "tests/corpus/small/live_intermittent.numa"
LEAKY = "tests/corpus/small/leaky_pager.numa"
pytestmark = pytest.mark.usefixtures("at_root")


def trace(*args: str) -> tuple[int, str]:
    run = run_cli(["trace", *args])
    assert "Traceback" not in run.err
    return run.status, run.out


def trace_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    status, out = trace(*args, "--json")
    return status, json.loads(out)


def _without_receives(source: Path, target: Path) -> int:
    kept = [line for line in source.read_text().splitlines()
            if '"action":"recv_' not in line]
    target.write_text("\n".join(kept) + "\n")
    return len(source.read_text().splitlines()) - len(kept)


# ------------------------------------------------- what `numaspec trace` must do end to end
def test_simulate_10000_steps_conforms_also_with_hidden_receives(
        tmp_path: Path) -> None:
    walk, visible = tmp_path / "walk.jsonl", tmp_path / "visible.jsonl"
    assert run_cli(["simulate", P1, "--steps", "10000", "--seed", "4", "--trace-out",
                     str(walk)]).status == 0
    status, result = trace_json(P1, str(walk))
    assert status == 0 and result["verdict"] == "conforms" and result["events"] == 10_000
    deleted = _without_receives(walk, visible)
    assert deleted > 1000
    status, result = trace_json(P1, str(visible), "--hidden", "recv_req,recv_ack")
    assert status == 0, result["divergence"]
    assert result["events"] == 10_000 - deleted
    assert 0 < result["hidden_steps"] <= deleted and result["largest_frontier"] > 1
    status, result = trace_json(P1, str(visible))
    assert status == 1 and result["verdict"] == "diverges"


def test_p1_action_names_are_a_contract(tmp_path: Path) -> None:
    log = tmp_path / "p1.jsonl"
    log.write_text("\n".join(json.dumps(e) for e in [
        {"action": "fault", "args": {"n": 1, "v": 0}},
        {"action": "fault", "args": {"n": 2, "v": 0}},
        {"action": "start_unmap", "args": {"n": 1, "v": 0}},
        {"action": "recv_req", "args": {"m": 2}},
        {"action": "recv_req", "args": {"m": 0}},
        {"action": "recv_ack", "args": {"n": 1}},
        {"action": "recv_ack", "args": {"n": 1}},
        {"state": {"global_map": {"#map": []}, "unmapping": {"#set": []}, "pt": {"#map": []}}},
    ]) + "\n")
    status, out = trace(P1, str(log))
    assert status == 0 and "conforms" in out and "events matched: 7" in out


@pytest.mark.parametrize("suffix", [".itf.json", ".jsonl"])
def test_check_counterexamples_conform(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"cex{suffix}"
    assert run_cli(["check", BUG1, "--trace-out", str(out)]).status == 1
    status, result = trace_json(BUG1, str(out))
    assert status == 0 and result["events"] > 0


def test_check_lasso_conforms(tmp_path: Path) -> None:
    out = tmp_path / "lasso.itf.json"
    assert run_cli(["check", LIVE, "--trace-out", str(out)]).status == 1
    assert "loop" in json.loads(out.read_text())
    assert trace(LIVE, str(out))[0] == 0


@pytest.mark.parametrize("suffix", [".itf.json", ".jsonl"])
def test_fuzz_counterexamples_conform(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"fuzz{suffix}"
    assert run_cli(["fuzz", LEAKY, "--examples", "100", "--seed", "1", "--trace-out",
                     str(out)]).status == 1
    assert trace(LEAKY, str(out))[0] == 0


def test_simulate_with_constants_from_the_header(tmp_path: Path) -> None:
    walk = tmp_path / "walk.jsonl"
    assert run_cli(["simulate", P1, "-D", "PAGES=3", "--topology", "uniform4", "--steps", "300",
                     "--trace-out", str(walk)]).status == 0
    status, out = trace(P1, str(walk))
    assert status == 0
    assert "topology from the trace: 4 nodes" in out and "PAGES=3" in out
    # the command line wins over the header: page 2 does not exist with PAGES=2
    assert trace(P1, str(walk), "-D", "PAGES=2")[0] == 2


# --------------------------------------------------------------------- the report
def test_divergence_names_the_require_and_its_values(
        tmp_path: Path) -> None:
    log = tmp_path / "d.jsonl"
    log.write_text('{"action":"fault","args":{"n":1,"v":0},"node":1}\n'
                   '{"action":"start_unmap","args":{"n":1,"v":0},"node":1}\n'
                   '{"action":"fault","args":{"n":1,"v":0},"node":1}\n')
    status, out = trace(P1, str(log))
    assert status == 1
    assert "does not conform at line 3" in out
    assert "matched prefix: the first 2 event(s) match (up to line 2)" in out
    assert ("fault(n=1, v=0) is disabled: `require v not in unmapping` is false "
            "(spec/examples/pernode.numa:49:3): v = 0, unmapping = {0}") in out


def test_divergence_names_the_observed_difference(tmp_path: Path) -> None:
    log = tmp_path / "d.jsonl"
    log.write_text('{"action":"fault","args":{"n":1,"v":0},"post":{"global_map":'
                   '{"#map":[[0,2]]}}}\n')
    status, result = trace_json(P1, str(log))
    assert status == 1
    reason = result["divergence"]["candidates"][0]["reasons"][0]
    assert reason["kind"] == "post"
    assert "global_map: the spec has {0 -> 1}, the trace says {0 -> 2}" in reason["message"]


def test_divergence_with_node_and_empty_channel(tmp_path: Path) -> None:
    log = tmp_path / "d.jsonl"
    log.write_text('{"action":"fault","args":{"n":1,"v":0},"node":2}\n')
    assert "runs on node 1, the event says node 2" in trace(P1, str(log))[1]
    log.write_text('{"action":"recv_req","args":{"m":1}}\n')
    assert "channel req[1] is empty" in trace(P1, str(log))[1]


def test_many_candidates_are_summarised(tmp_path: Path) -> None:
    log = tmp_path / "d.jsonl"
    log.write_text('{"action":"fault","args":{"v":0}}\n{"action":"fault","args":{"v":1}}\n'
                   '{"action":"start_unmap","args":{"v":0}}\n'
                   '{"action":"start_unmap","args":{"v":0}}\n')
    status, out = trace(P1, str(log), "--hidden", "recv_req,recv_ack",
                        "--max-hidden", "2")
    assert status == 1 and "candidate(s): start_unmap(" in out
    assert "(and 2 more instance(s) of the event)" in out


def test_partial_arguments_and_observations_narrow_the_frontier(
        tmp_path: Path) -> None:
    log = tmp_path / "p.jsonl"
    log.write_text('{"action":"fault","args":{"v":0}}\n'
                   '{"state":{"global_map":{"#map":[[0,2]]}}}\n'
                   '{"action":"fault","args":{"n":2,"v":0}}\n')
    status, result = trace_json(P1, str(log))
    assert status == 1 and result["divergence"]["line"] == 3  # node 2 maps page 0 already
    assert result["largest_frontier"] == 3


# ----------------------------------------------------------------------- witness
def test_witness_replays_and_conforms(tmp_path: Path) -> None:
    walk, visible = tmp_path / "walk.jsonl", tmp_path / "visible.jsonl"
    witness = tmp_path / "w.itf.json"
    assert run_cli(["simulate", P1, "--steps", "300", "--seed", "2", "--trace-out",
                     str(walk)]).status == 0
    deleted = _without_receives(walk, visible)
    assert run_cli(["trace", P1, str(visible), "--hidden", "recv_req,recv_ack", "--witness",
                     str(witness)]).status == 0
    model = Model(compile_spec(P1).spec)
    loaded = load_trace(model, str(witness))
    from numaspec.model.findings import Finding

    replay(model, Finding("divergence", None, "", None, loaded))  # every step re-executes
    states = json.loads(witness.read_text())["states"]
    hidden = sum(1 for s in states if s["#meta"].get("hidden"))
    assert len(loaded.steps) == 300 - deleted + hidden and hidden > 0
    assert trace(P1, str(witness))[0] == 0


def test_witness_of_a_divergence_is_the_matched_prefix(
        tmp_path: Path) -> None:
    log, witness = tmp_path / "d.jsonl", tmp_path / "w.itf.json"
    log.write_text('{"action":"fault","args":{"n":1,"v":0}}\n'
                   '{"action":"fault","args":{"n":1,"v":0}}\n')
    assert trace(P1, str(log), "--witness", str(witness))[0] == 1
    assert len(json.loads(witness.read_text())["states"]) == 2


# ------------------------------------------------------------------------ limits
def test_frontier_limit_is_exit_3(tmp_path: Path) -> None:
    log = tmp_path / "p.jsonl"
    log.write_text('{"action":"fault","args":{"v":0}}\n' * 1 +
                   '{"action":"fault","args":{"v":1}}\n')
    status, result = trace_json(P1, str(log), "--max-frontier", "2")
    assert status == 3 and result["verdict"] == "limit" and result["limit_line"] == 1


def test_bad_arguments(tmp_path: Path) -> None:
    log = tmp_path / "p.jsonl"
    log.write_text("")
    assert trace(P1, str(log), "--max-hidden", "3")[0] == 2
    assert trace(P1, str(tmp_path / "missing.jsonl"))[0] == 2
    assert trace(P1, str(log), "--witness", str(tmp_path / "no" / "w.json"))[0] == 2
    assert trace(P1, str(log))[0] == 0  # an empty log is the empty behaviour


# ------------------------------------------------------ logs of an implementation
def test_logs_of_the_correct_implementation_conform(
        tmp_path: Path) -> None:
    for seed in range(3):
        log_run("correct", 300, seed, tmp_path / "log.jsonl")
        assert trace(P1, str(tmp_path / "log.jsonl"))[0] == 0


@pytest.mark.parametrize("bug, reason", [
    ("buggy_fault_ignores_unmap", "`require v not in unmapping` is false"),
    ("buggy_early_free", "l4.allocated: the spec has"),
    ("buggy_skip_node", "acks: the spec has"),
])
def test_logs_of_a_buggy_implementation_diverge(bug: str, reason: str, tmp_path: Path) -> None:
    log_run(bug, 300, 1, tmp_path / "log.jsonl")
    status, out = trace(P1, str(tmp_path / "log.jsonl"))
    assert status == 1 and reason in out
