"""`prove --workers` gives one process's verdict; simulate and fuzz swarms find a seeded
bug and name a seed that finds it again in one process."""

from __future__ import annotations

from typing import Any

import pytest
from harness import P1, ROOT

from numaspec.checker.fuzz import FuzzOptions, fuzz
from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.spec.pipeline import compile_spec

pytestmark = pytest.mark.cluster
BUG2 = str(ROOT / "tests" / "corpus" / "specs" / "pernode_bug2_early_free.numa")


@pytest.mark.parametrize("by_action", [False, True])
def test_prove_on_workers_proves_what_one_process_proves(session: Any,
                                                         by_action: bool) -> None:
    from numaspec.checker.distributed.prove import prove_distributed

    spec = compile_spec(str(ROOT / P1), ["NODES=2"]).spec
    alone = prove(spec, ProveOptions())
    spread = prove_distributed(spec, ProveOptions(), session, by_action)
    assert (spread.verdict, sorted(spread.proved)) == (alone.verdict, sorted(alone.proved))


def test_prove_on_workers_finds_a_counterexample_to_induction(session: Any) -> None:
    from numaspec.checker.distributed.prove import prove_distributed

    spec = compile_spec(BUG2, ["NODES=2"]).spec
    spread = prove_distributed(spec, ProveOptions(), session)
    alone = prove(spec, ProveOptions())
    assert alone.verdict in ("cti", "violated")
    assert spread.verdict in ("cti", "violated")


def test_a_simulate_swarm_finds_the_bug_and_its_seed_reproduces_it(session: Any) -> None:
    from numaspec.checker.distributed.swarm import simulate_swarm

    spec = compile_spec(BUG2).spec
    options = SimulateOptions(steps=200, runs=40, seed=5, shorten=False)
    swarm = simulate_swarm(spec, options, session)
    found = swarm.result
    assert swarm.seeds == [5, 6]
    assert found.finding is not None and found.seed in swarm.seeds
    again = simulate(spec, SimulateOptions(steps=200, runs=found.runs, seed=found.seed,
                                           shorten=False))
    assert again.finding is not None
    assert again.finding.trace == found.finding.trace
    assert found.steps >= again.steps and set(found.costs) == {a.name for a in spec.actions}


def test_a_fuzz_swarm_finds_the_bug_and_merges_coverage(session: Any) -> None:
    from numaspec.checker.distributed.swarm import fuzz_swarm

    spec = compile_spec(BUG2).spec
    swarm = fuzz_swarm(spec, FuzzOptions(examples=400, seed=3), session)
    found = swarm.result
    assert found.finding is not None and found.seed in (3, 4)
    again = fuzz(spec, FuzzOptions(examples=swarm.share, seed=found.seed))
    assert again.finding is not None and again.finding.property == found.finding.property
    assert found.covered
