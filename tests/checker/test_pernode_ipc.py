"""P1 at pagefault-IPC granularity (spec/examples/pernode_ipc.numa) and its ABA bug
(tests/corpus/ipc/pernode_ipc_aba.numa): the reply that does not revalidate the frame maps a
freed frame after 10 steps on 3 nodes; every engine catches it."""

from __future__ import annotations

import pytest
from harness import ROOT

from numaspec.checker.explicit import check
from numaspec.checker.fuzz import FuzzOptions, fuzz
from numaspec.checker.results import CheckOptions
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.model.outcome import Outcome
from numaspec.spec.pipeline import compile_spec

IPC = ROOT / "spec" / "examples" / "pernode_ipc.numa"
ABA = ROOT / "tests" / "corpus" / "ipc" / "pernode_ipc_aba.numa"
ABA_STEPS = 10  # fault, fault, lookup, start_unmap, recv_req x2, recv_ack x2, lookup, answer


def test_with_the_revalidation_every_property_holds() -> None:
    result = check(compile_spec(str(IPC)).spec, CheckOptions(liveness=True))
    assert result.finding is None and result.outcome is Outcome.OK
    assert result.stats.distinct_states == 1_033  # symmetry-reduced, 3 nodes, 1 page


@pytest.mark.parametrize("vectorise", [False, True])
def test_check_finds_the_shortest_aba_counterexample(vectorise: bool) -> None:
    result = check(compile_spec(str(ABA)).spec, CheckOptions(vectorise=vectorise))
    finding = result.finding
    assert finding is not None and finding.property == "no_stale_frame"
    assert len(finding.trace.steps) == ABA_STEPS


@pytest.mark.slow
def test_fuzz_finds_the_aba_bug_within_its_default_budget() -> None:
    result = fuzz(compile_spec(str(ABA)).spec, FuzzOptions(seed=0))
    assert result.finding is not None and result.finding.property == "no_stale_frame"


@pytest.mark.slow
def test_bmc_finds_the_aba_bug_at_depth_10() -> None:
    spec = compile_spec(str(ABA)).spec
    result = bmc(spec, BmcOptions(depth=ABA_STEPS))
    assert result.finding is not None and result.finding.property == "no_stale_frame"
    assert len(result.finding.trace.steps) == ABA_STEPS
