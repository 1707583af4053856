"""`numaspec evaluate` end to end on a small configuration: every table and figure written,
the report links them, the same seed gives the same tables; bad arguments exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT, run_cli

from numaspec.checker.evaluation.experiments.sharing import SharingSetup
from numaspec.checker.evaluation.experiments.traces import TraceSetup
from numaspec.checker.evaluation.report import write_report
from numaspec.checker.evaluation.runner import EvalConfig, evaluate

TABLES = ["lazy_sync", "lazy_sync_all_n", "sharing", "locality", "unmap", "verification",
          "trace_workloads", "traces"]
FIGURES = ["lazy_sync", "sharing_faults", "sharing_cost", "sharing_kernel", "locality",
           "unmap_messages", "unmap_cost", "unmap_presets", "verification_states",
           "verification_time", "traces_faults", "traces_fault_cost"]
TINY = TraceSetup((str(ROOT / "tests" / "corpus" / "workloads" / "tiny.csv"),), (2,), 4)
SMALL = EvalConfig(topologies=("uniform2", "opteron4"), nodes=(2, 3), seed=5,
                   verify_timeout=20,
                   sharing=SharingSetup(accesses=150, fractions=(0.0, 0.5, 1.0)), traces=TINY)


@pytest.mark.slow  # the whole evaluation on a small configuration: ~15 s
def test_writes_every_table_and_figure_and_the_report(tmp_path: Path) -> None:
    lines: list[str] = []
    results = evaluate(SMALL, tmp_path / "out", lines.append)
    for name in TABLES:
        assert (tmp_path / "out" / f"{name}.md").read_text().startswith("## ")
        assert (tmp_path / "out" / f"{name}.csv").read_text().count("\n") >= 2
    for name in FIGURES:
        assert (tmp_path / "out" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert any(line.startswith("[6/6]") for line in lines)  # progress for every stage
    write_report(results, tmp_path / "out", tmp_path / "report.md", "numaspec evaluate ...")
    report = (tmp_path / "report.md").read_text()
    for name in FIGURES:
        assert f"](out/{name}.png)" in report
    assert report.count("| the paper | measured |") == 6
    verification = results.tables["verification"]
    assert verification.column("safety verdict") == ["holds", "holds"]
    proofs = verification.column("k-induction seconds")
    assert len(proofs) == 2 and all(isinstance(s, float) and s > 0 for s in proofs)


@pytest.mark.slow  # the whole evaluation on a small configuration: ~15 s
def test_same_seed_same_tables(tmp_path: Path) -> None:
    config = EvalConfig(topologies=("uniform2",), nodes=(2, 2), seed=1, verify_timeout=5,
                        sharing=SharingSetup(accesses=100, fractions=(0.0, 1.0)), traces=TINY)
    first = evaluate(config, tmp_path / "a", lambda _: None)
    second = evaluate(config, tmp_path / "b", lambda _: None)
    for name in ("sharing", "locality", "unmap", "lazy_sync", "traces"):
        assert first.tables[name].rows == second.tables[name].rows


@pytest.mark.parametrize("args", [["--nodes", "1..4"], ["--nodes", "5..3"], ["--nodes", "x"],
                                  ["--topology", "nosuchpreset"], ["--topology", "ONE"]])
def test_bad_arguments_exit_2(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text('{"distance": [[10]]}')
    args = [str(tmp_path / "one.json") if a == "ONE" else a for a in args]
    run = run_cli(["evaluate", "--out", str(tmp_path), *args])
    assert run.status == 2  # returned or raised as SystemExit (argparse's errors)
    assert "error" in run.err
