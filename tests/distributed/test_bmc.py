"""`check --engine bmc --workers`: each depth's queries on a 2-worker cluster give one
process's verdict, kind, property, counterexample length and depth."""

from __future__ import annotations

from typing import Any

import pytest
from harness import P1, ROOT, run_cli

from numaspec.checker.results import CheckResult
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.spec.pipeline import compile_spec

pytestmark = pytest.mark.cluster

CASES = [("tests/corpus/specs/pernode_bug1_fault_ignores_unmap.numa", "NODES=2"),
         ("tests/corpus/specs/pernode_bug2_early_free.numa", "NODES=3"),
         ("tests/corpus/specs/pernode_bug3_skip_node.numa", "NODES=2"),  # a deadlock
         ("spec/examples/pernode.numa", "NODES=3")]


def summary(result: CheckResult) -> tuple[Any, ...]:
    found = result.finding
    return (result.verdict, found and found.kind, found and found.property,
            found and len(found.trace.steps), result.stats.depth, result.proved_by)


@pytest.mark.parametrize(("spec", "nodes"), CASES)
@pytest.mark.parametrize("induction", [False, True])
def test_bmc_on_a_cluster_gives_the_one_process_verdict(spec: str, nodes: str, induction: bool,
                                                        session: Any) -> None:
    from numaspec.checker.distributed.bmc import bmc_distributed

    compiled = compile_spec(str(ROOT / spec), [nodes, "PAGES=1"]).spec
    options = BmcOptions(depth=6, induction=induction)
    assert summary(bmc_distributed(compiled, options, session)) == \
        summary(bmc(compiled, options))


def test_the_bmc_command_prints_a_shortest_counterexample(at_root: None) -> None:
    run = run_cli(["check", "tests/corpus/specs/pernode_bug2_early_free.numa", "-D",
                   "NODES=3", "-D", "PAGES=1", "--engine", "bmc", "--depth", "6",
                   "--workers", "2"])
    assert run.status == 1, run.err
    assert "violation (invariant), 4 steps:" in run.out
    assert "bmc: depth 3 clean" in run.err


def test_the_bmc_command_holds_on_p1(at_root: None) -> None:
    run = run_cli(["check", P1, "-D", "NODES=2", "--engine", "bmc", "--depth", "4",
                   "--no-symmetry", "--workers", "2"])
    assert run.status == 0, run.err
