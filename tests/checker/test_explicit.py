"""`numaspec check`: verdicts, shortest counterexamples, liveness lassos, limits, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import P1, ROOT, assert_golden, run_cli

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.spec.pipeline import compile_spec

SMALL = "tests/corpus/small"
pytestmark = pytest.mark.usefixtures("at_root")


def verdict(path: str, *defines: str, **options: object) -> tuple[str, str | None, int]:
    result = check(compile_spec(path, list(defines)).spec, CheckOptions(**options))  # type: ignore[arg-type]
    finding = result.finding
    return result.verdict, finding.kind if finding else None, \
        len(finding.trace.steps) if finding else result.stats.distinct_states


@pytest.mark.parametrize(("name", "expected"), [
    ("live_fair", ("holds", None)),
    ("live_unfair", ("violated", "liveness")),          # no fairness: stutter forever
    ("live_intermittent", ("violated", "liveness")),    # weak fairness, enabled on and off
    ("live_stutter", ("violated", "liveness")),         # rejoining paths into a stuck state
    ("leaky_pager", ("violated", "invariant")),
])
def test_small_specs(name: str, expected: tuple[str, str | None]) -> None:
    for engine in ("bfs", "dfs"):
        assert verdict(f"{SMALL}/{name}.numa", engine=engine)[:2] == expected


def test_intermittent_lasso_loops_on_the_work_cycle() -> None:
    result = check(compile_spec(f"{SMALL}/live_intermittent.numa").spec, CheckOptions())
    trace = result.finding.trace  # type: ignore[union-attr]
    assert trace.loop == 1 and len(trace.steps) == 3
    assert trace.states()[trace.loop] == trace.states()[-1]


def test_p1_state_counts_with_and_without_symmetry() -> None:
    assert verdict(P1, "NODES=2", "PAGES=2", symmetry=False) == ("holds", None, 250)
    assert verdict(P1, "NODES=2", "PAGES=2") == ("holds", None, 127)
    assert verdict(P1, "NODES=3", "PAGES=1", symmetry=False) == ("holds", None, 128)
    assert verdict(P1, "NODES=3", "PAGES=1") == ("holds", None, 27)


def test_bfs_counterexample_is_shortest_and_dfs_finds_one() -> None:
    bfs = verdict(f"{SMALL}/leaky_pager.numa")
    dfs = verdict(f"{SMALL}/leaky_pager.numa", engine="dfs")
    assert bfs == ("violated", "invariant", 2) and dfs[:2] == ("violated", "invariant")
    assert dfs[2] >= 2


def test_limits_end_with_exit_3_and_statistics() -> None:
    run = run_cli(["check", P1, "--no-symmetry", "--max-states", "1000"])
    status, out = run.status, run.out
    assert status == 3 and "stopped by --max-states 1000" in out and "distinct states" in out
    timeout = run_cli(["check", P1, "--no-symmetry", "--timeout", "0.01"])
    assert timeout.status == 3
    memory = run_cli(["check", P1, "--no-symmetry", "--max-memory", "10"])
    assert memory.status == 3
    assert "stopped by --max-memory 10 MB" in timeout.out + memory.out


def test_interrupt_ends_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    from numaspec.checker.explicit import search

    def interrupt(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(search.SafetySearch, "check_limits", interrupt)
    run = run_cli(["check", P1, "--no-symmetry"])
    assert run.status == 3
    assert "stopped by interrupted" in run.out


def test_json_and_itf_outputs(tmp_path: Path) -> None:
    itf = tmp_path / "cex.itf.json"
    run = run_cli(["check", f"{SMALL}/leaky_pager.numa", "--json", "--trace-out", str(itf)])
    assert run.status == 1
    result = json.loads(run.out)
    assert result["verdict"] == "violated" and result["violation"]["property"] == \
        "no_stale_frame"
    document = json.loads(itf.read_text())
    assert document["vars"] == ["pt", "allocated"] and len(document["states"]) == 3
    assert document["states"][1]["#meta"]["action"] == "fault"


def test_lasso_text_is_golden() -> None:
    run = run_cli(["check", f"{SMALL}/live_intermittent.numa"])
    assert run.status == 1
    out = run.out
    text = out[: out.index("distinct states")]  # statistics contain timings
    assert_golden(text, "live_intermittent_check.txt")


def test_asymmetric_spec_with_symmetry_is_refused(tmp_path: Path) -> None:
    text = (ROOT / P1).read_text().replace("  require not maps(n, v)\n",
                                           "  require not maps(n, v) and int(n) < 2\n")
    path = tmp_path / "asymmetric.numa"
    path.write_text(text)
    run = run_cli(["check", str(path), "-D", "NODES=3", "-D", "PAGES=1"])
    assert run.status == 2
    assert "error[E405]" in run.err


def test_the_summary_names_what_an_option_left_unchecked() -> None:
    """`--no-liveness` and `--no-deadlock` must not be reported as a leads_to or deadlock
    freedom that holds."""
    spec = str(ROOT / "spec/examples/pernode.numa")
    full = run_cli(["check", spec]).out.splitlines()[1]
    assert full == ("all properties hold: 20 invariant(s), 1 leads_to, 2 reachable "
                    "witness(es), no deadlock, no assert or run-time error")
    partial = run_cli(["check", spec, "--no-liveness", "--no-deadlock"]).out.splitlines()[1]
    assert partial == ("the properties checked hold: 20 invariant(s), 1 leads_to not checked "
                       "(--no-liveness), 2 reachable witness(es), deadlock not checked "
                       "(--no-deadlock), no assert or run-time error")
