"""`check --workers`: the corpus on a 2-worker cluster gives one process's results.

Safety: the verdict, the property and the length of the counterexample, or the distinct
states (or orbits), depth, transitions and coverage of a search that holds, equal those of
the one-process search, and the pinned shortest lengths of tests/checker/test_corpus.py
hold.  Liveness (on the graph the partitions recorded): the verdict, the property, which
graph (the quotient under symmetry) and its size equal one process's, on the corpus specs
with `leads_to` and the quotient corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from harness import EXPECTED, P1, ROOT, run_cli

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.spec.pipeline import compile_spec

pytestmark = pytest.mark.cluster

SHORTEST = {"pernode_bug1_fault_ignores_unmap": {"2n1p1f": 5, "3n1p1f": 7, "2n2p2f": 5},
            "pernode_bug2_early_free": {"3n1p1f": 4, "3n2p1f": 4},
            "pernode_bug3_skip_node": {"3n1p1f": 4, "3n2p1f": 4}}
CASES = [(spec, config) for spec, entry in EXPECTED["specs"].items()
         for config in entry["verdicts"] if config != "3n2p1f" or "bug" in spec]


def summary(result: CheckResult) -> tuple[Any, ...]:
    """What must agree.  With a violation, the distinct states are not compared: one process
    stops at the violating state, the cluster at the end of its level."""
    found = result.finding
    if found is not None:
        return result.verdict, found.kind, found.property, len(found.trace.steps)
    return result.verdict, result.stats.distinct_states, result.stats.depth


@pytest.mark.parametrize(("spec", "config"), CASES)
def test_a_cluster_search_gives_the_one_process_results(spec: str, config: str,
                                                        session: Any) -> None:
    from numaspec.checker.distributed.check import check_distributed

    compiled = compile_spec(str(ROOT / spec), EXPECTED["configurations"][config]["defines"])
    for symmetry in ([False, True] if compiled.spec.symmetric else [False]):
        options = CheckOptions(symmetry=symmetry, liveness=False)
        alone = check(compiled.spec, options)
        spread = check_distributed(compiled.spec, options, session)
        assert summary(spread) == summary(alone), f"symmetry={symmetry}"
        if spread.finding is None:
            assert spread.stats.transitions == alone.stats.transitions
            assert spread.stats.coverage == alone.stats.coverage
        name = Path(spec).stem
        if config in SHORTEST.get(name, {}):
            assert spread.finding is not None
            assert len(spread.finding.trace.steps) == SHORTEST[name][config]


LIVE = [(spec, config) for spec, config in CASES if config != "3n2p1f"] + \
    [(f"tests/corpus/quotient/{name}.numa", None) for name in ("paired", "rotate", "spread")]


def liveness_summary(result: CheckResult) -> tuple[Any, ...]:
    found = result.finding
    return (result.verdict, found and found.kind, found and found.property,
            result.stats.liveness_graph, result.stats.liveness_states)


@pytest.mark.parametrize(("spec", "config"), LIVE)
def test_liveness_on_a_cluster_is_decided_as_in_one_process(spec: str, config: str | None,
                                                            session: Any) -> None:
    from numaspec.checker.distributed.check import check_distributed

    defines = [] if config is None else EXPECTED["configurations"][config]["defines"]
    compiled = compile_spec(str(ROOT / spec), defines)
    for symmetry in ([False, True] if compiled.spec.symmetric else [False]):
        options = CheckOptions(symmetry=symmetry)
        alone = check(compiled.spec, options)
        spread = check_distributed(compiled.spec, options, session)
        assert liveness_summary(spread) == liveness_summary(alone), f"symmetry={symmetry}"


def test_a_quotient_lasso_from_a_cluster_is_pinned(session: Any) -> None:
    from numaspec.checker.distributed.check import check_distributed

    spec = compile_spec(str(ROOT / "tests/corpus/quotient/rotate.numa")).spec
    result = check_distributed(spec, CheckOptions(), session)
    assert liveness_summary(result) == ("violated", "liveness", "token_done", "quotient", 3)
    assert result.finding is not None and result.finding.trace.loop is not None


def test_the_command_prints_a_replayed_shortest_counterexample(at_root: None) -> None:
    run = run_cli(["check", "tests/corpus/specs/pernode_bug2_early_free.numa", "--workers",
                   "2", "--no-liveness"])
    assert run.status == 1, run.err
    assert "violation (invariant), 4 steps:" in run.out


def test_liveness_after_a_distributed_search_is_on_the_quotient(at_root: None) -> None:
    run = run_cli(["check", P1, "-D", "NODES=3", "--workers", "2"])
    assert run.status == 0, run.err
    assert "all properties hold" in run.out
    assert "liveness: quotient graph of 2,102 orbits" in run.out, run.out


def test_dfs_is_refused_with_e062(at_root: None) -> None:
    run = run_cli(["check", P1, "--engine", "dfs", "--workers", "2"])
    assert run.status == 2 and "E062" in run.err
