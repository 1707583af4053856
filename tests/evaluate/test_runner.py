"""`numaspec evaluate` end to end on a small configuration: every table and figure written,
the report links them, the same seed gives the same tables; bad arguments exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT, run_cli

from numaspec.checker.evaluation.experiments.insync import SyncSetup
from numaspec.checker.evaluation.experiments.sharing import SharingSetup
from numaspec.checker.evaluation.experiments.traces import TraceSetup
from numaspec.checker.evaluation.report import write_report
from numaspec.checker.evaluation.runner import EvalConfig, evaluate, quick_config

TABLES = ["lazy_sync", "lazy_sync_all_n", "sharing", "locality", "unmap", "verification",
          "insync", "insync_crossover", "protocols", "protocols_summary", "replication",
          "trace_workloads", "traces"]
FIGURES = ["lazy_sync", "sharing_faults", "sharing_cost", "sharing_kernel", "locality",
           "unmap_messages", "unmap_cost", "unmap_presets", "verification_states",
           "verification_time", "sync_crossover", "protocol_rounds", "protocol_cost",
           "replication", "traces_faults", "traces_fault_cost"]
TINY = TraceSetup((str(ROOT / "tests" / "corpus" / "workloads" / "tiny.csv"),), (2,), 4)
SMALL = EvalConfig(topologies=("uniform2", "opteron4"), nodes=(2, 3), seed=5,
                   verify_timeout=20,
                   sharing=SharingSetup(accesses=150, fractions=(0.0, 0.5, 1.0)),
                   wide_nodes=(2, 3), sync=SyncSetup(ratios=(1.2, 3.0), accesses=150),
                   replication_accesses=150, traces=TINY)


@pytest.mark.slow  # the whole evaluation on a small configuration: ~15 s
def test_writes_every_table_and_figure_and_the_report(tmp_path: Path) -> None:
    lines: list[str] = []
    results = evaluate(SMALL, tmp_path / "out", lines.append)
    for name in TABLES:
        assert (tmp_path / "out" / f"{name}.md").read_text().startswith("## ")
        assert (tmp_path / "out" / f"{name}.csv").read_text().count("\n") >= 2
    for name in FIGURES:
        assert (tmp_path / "out" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert any(line.startswith("[9/9]") for line in lines)  # progress for every stage
    write_report(results, tmp_path / "out", tmp_path / "report.md", "numaspec evaluate ...")
    report = (tmp_path / "report.md").read_text()
    for name in FIGURES:
        assert f"](out/{name}.png)" in report
    assert report.count("| the paper | measured |") == 9
    assert report.count("Deterministic: ") == 9  # every section says what is deterministic
    verification = results.tables["verification"]
    assert verification.column("safety verdict") == ["holds", "holds"]
    proofs = verification.column("k-induction seconds")
    assert len(proofs) == 2 and all(isinstance(s, float) and s > 0 for s in proofs)


@pytest.mark.slow  # the whole evaluation on a small configuration: ~15 s
def test_same_seed_same_tables_in_one_process_or_two(tmp_path: Path) -> None:
    config = EvalConfig(topologies=("uniform2",), nodes=(2, 2), seed=1, verify_timeout=5,
                        sharing=SharingSetup(accesses=100, fractions=(0.0, 1.0)),
                        wide_nodes=(2, 2), sync=SyncSetup(ratios=(1.2, 3.0), accesses=100),
                        replication_accesses=100, traces=TINY)
    first = evaluate(config, tmp_path / "a", lambda _: None)
    lines: list[str] = []
    second = evaluate(config, tmp_path / "b", lines.append, jobs=2)
    for name in ("sharing", "locality", "unmap", "lazy_sync", "insync", "protocols",
                 "replication", "traces"):
        assert first.tables[name].rows == second.tables[name].rows
    assert list(second.tables) == list(first.tables)  # the stage order, not the finish order
    assert (first.sync_crossovers, first.cost_crossings) == (second.sync_crossovers,
                                                             second.cost_crossings)
    assert sum(line.endswith(" s)") and ": done (" in line for line in lines) == 9


@pytest.mark.parametrize("args", [["--nodes", "1..4"], ["--nodes", "5..3"], ["--nodes", "x"],
                                  ["--topology", "nosuchpreset"], ["--topology", "ONE"],
                                  ["--wide-nodes", "1..4"]])
def test_bad_arguments_exit_2(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text('{"distance": [[10]]}')
    args = [str(tmp_path / "one.json") if a == "ONE" else a for a in args]
    run = run_cli(["evaluate", "--out", str(tmp_path), *args])
    assert run.status == 2  # returned or raised as SystemExit (argparse's errors)
    assert "error" in run.err


@pytest.mark.slow  # `numaspec evaluate --quick`, as CI runs it: ~40 s
def test_quick_writes_every_table_figure_and_the_report(tmp_path: Path) -> None:
    run = run_cli(["evaluate", "--quick", "--out", str(tmp_path / "out"), "--report",
                   str(tmp_path / "report.md")])
    assert run.status == 0, run.err
    for name in TABLES:
        assert (tmp_path / "out" / f"{name}.csv").read_text().count("\n") >= 2
    for name in FIGURES:
        assert (tmp_path / "out" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    report = (tmp_path / "report.md").read_text()
    assert "numaspec evaluate --quick --out" in report
    assert "node counts 2..3 (sections 1 to 5) and 2..4" in report
    assert report.count("| the paper | measured |") == 9


def test_quick_config_is_small() -> None:
    config = quick_config()
    assert config.node_counts == [2, 3] and config.wide_node_counts == [2, 3, 4]
    assert config.sync_node_counts == [2, 4] and config.replication_node_counts == (2, 4)
    assert len(config.sync.ratios) == 3 and config.verify_timeout == 10
    full = EvalConfig()
    assert full.sync_node_counts == [2, 4, 6, 8, 10, 12, 14, 16]
    assert full.replication_node_counts == (2, 4, 8, 16) and len(full.sync.ratios) == 10
