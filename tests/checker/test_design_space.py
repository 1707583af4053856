"""The designs around the seed (docs/designs.md): the in-kernel synchronisation of the
per-node spaces (IPIs, remote page-table writes), the faster global unmaps (batched, a shared
flag plus IPIs), Mitosis' and numaPTE's page-table replication, Barrelfish's mark/sweep
revocation, the clustered object (Tornado/K42) and Disco hold under `check` at 3 nodes with pinned
state counts, liveness included; the revocation's seeded bug (plain acknowledgements,
tests/corpus/revoke/) is caught by every engine with its shortest counterexample, and so are
the clustered object's (a rep that registers on install, tests/corpus/clustered/) and Disco's
(a write before the replicas are dropped, tests/corpus/disco/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import ROOT

from numaspec.checker.explicit import check
from numaspec.checker.fuzz import FuzzOptions, fuzz
from numaspec.checker.results import CheckOptions
from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.model.outcome import Outcome
from numaspec.spec.pipeline import compile_spec

EXAMPLES = ROOT / "spec" / "examples"
CORPUS = ROOT / "tests" / "corpus"
PLAIN_ACK = CORPUS / "revoke" / "barrelfish_plain_ack.numa"
ON_INSTALL = CORPUS / "clustered" / "clustered_register_on_install.numa"
EARLY_WRITE = CORPUS / "disco" / "disco_early_write.numa"
# symmetry-reduced distinct states at the defaults (3 nodes; 2 pages, 1 frame per node)
STATES = {"inkernel_sync_ipi": 2_102, "inkernel_sync_remote": 277, "unmap_batched": 2_511,
          "unmap_flag": 787, "barrelfish_revoke": 133, "mitosis": 312, "numapte": 468,
          "clustered": 36_681, "disco": 5_937}


@dataclass(frozen=True)
class CorpusBug:
    path: Path
    invariant: str  # the one it violates first
    actions: tuple[str, ...]  # the shortest counterexample's actions

    @property
    def steps(self) -> int:
        return len(self.actions)


BUGS = {
    # create, copy 0->1, receive it, copy 1->2, copy_ack to 0, revoke by 0, MARK at 1 and 2:
    # every monitor marked with the copy to 2 still in flight
    "plain_ack": CorpusBug(PLAIN_ACK, "all_marked_none_in_flight", (
        "create", "copy", "recv_copy", "copy", "recv_copy_ack", "revoke", "recv_ctl",
        "recv_ctl")),
    # miss by 0, the root fills it (not recording rep 0), unmap by 1: the root's fan-out
    # reaches no rep and frees the frame while the fill to rep 0 is on its way
    "register_on_install": CorpusBug(ON_INSTALL, "unmap_complete", (
        "miss", "root_fill", "unmap", "root_unmap")),
    # faults by 0 and 1, scans, a replica on 1, a write fault by 0 and the collapse done at once
    "early_write": CorpusBug(EARLY_WRITE, "write_one_copy", (
        "fault", "fault", "scan", "scan", "replicate", "write_fault", "collapse_done")),
}


@pytest.mark.parametrize("name", sorted(STATES))
def test_design_holds_at_three_nodes(name: str) -> None:
    result = check(compile_spec(str(EXAMPLES / f"{name}.numa")).spec, CheckOptions(liveness=True))
    assert result.finding is None and result.outcome is Outcome.OK
    assert result.stats.distinct_states == STATES[name]


@pytest.mark.parametrize("vectorise", [False, True])
@pytest.mark.parametrize("name", sorted(BUGS))
def test_check_finds_the_shortest_counterexample(name: str, vectorise: bool) -> None:
    bug = BUGS[name]
    spec = compile_spec(str(bug.path)).spec
    finding = check(spec, CheckOptions(vectorise=vectorise)).finding
    assert finding is not None and finding.property == bug.invariant
    assert tuple(spec.actions[step.instance.action].name
                 for step in finding.trace.steps) == bug.actions


@pytest.mark.slow  # 25 to 75 s each
@pytest.mark.parametrize("name", sorted(BUGS))
def test_bmc_finds_the_bug_at_its_depth_and_not_before(name: str) -> None:
    bug = BUGS[name]
    spec = compile_spec(str(bug.path)).spec
    found = bmc(spec, BmcOptions(depth=bug.steps)).finding
    assert found is not None and found.property == bug.invariant
    assert len(found.trace.steps) == bug.steps
    assert bmc(spec, BmcOptions(depth=bug.steps - 1)).finding is None


@pytest.mark.parametrize(("name", "steps", "runs", "seed"), [
    ("plain_ack", 200, 20, 0), ("register_on_install", 200, 20, 0), ("early_write", 2000, 5, 1)])
def test_simulate_finds_the_bug(name: str, steps: int, runs: int, seed: int) -> None:
    bug = BUGS[name]
    walked = simulate(compile_spec(str(bug.path)).spec,
                      SimulateOptions(steps=steps, runs=runs, seed=seed))
    assert walked.finding is not None and walked.finding.property == bug.invariant


@pytest.mark.slow
def test_fuzz_shrinks_the_plain_ack_bug_to_the_shortest() -> None:
    bug = BUGS["plain_ack"]
    fuzzed = fuzz(compile_spec(str(bug.path)).spec, FuzzOptions(seed=0))
    assert fuzzed.finding is not None and fuzzed.finding.property == bug.invariant
    assert len(fuzzed.finding.trace.steps) == bug.steps


def test_fuzz_finds_the_register_on_install_bug() -> None:
    bug = BUGS["register_on_install"]  # shrunk to 5 steps, not 4: one `miss` stays
    fuzzed = fuzz(compile_spec(str(bug.path)).spec, FuzzOptions(seed=0))
    assert fuzzed.finding is not None and fuzzed.finding.property == bug.invariant


def differences(bug: Path, design: str) -> tuple[list[str], list[str]]:
    """The lines (stripped) of the design that the corpus bug lacks, and those it adds."""
    ours = bug.read_text().splitlines()
    theirs = (EXAMPLES / f"{design}.numa").read_text().splitlines()
    return ([line.strip() for line in theirs if line not in ours],
            [line.strip() for line in ours if line not in theirs])


def test_the_bug_is_the_missing_wait() -> None:
    removed, _ = differences(PLAIN_ACK, "barrelfish_revoke")
    assert [line for line in removed if "require" in line] == ["require m not in in_flight"]


def test_the_clustered_bug_is_where_the_rep_is_recorded() -> None:
    removed, added = differences(ON_INSTALL, "clustered")
    assert "filled += {(n, v)}" in removed  # no longer where the root sends the fill ...
    assert [line for line in added if line.startswith("filled")] == [
        "filled += {(n, v)}  // BUG: the rep registers on install; the root's snapshot may miss it"]
    # ... and the lemma that states the rule is left out; no other statement differs
    assert [line for line in removed if line.startswith(("require", "send", "l4.", "delete"))] == []


def test_the_early_write_is_the_missing_wait_for_the_drops() -> None:
    removed, _ = differences(EARLY_WRITE, "disco")
    assert [line for line in removed if "require" in line] == [
        "require forall m: Node: not to_drop(m, v)"]


# the designs whose lemmas make every invariant 1-inductive (the node counts: docs/designs.md)
PROVED = ["inkernel_sync_ipi", "inkernel_sync_remote", "unmap_flag", "mitosis", "numapte",
          "clustered", "disco"]


@pytest.mark.parametrize("name", PROVED)
def test_prove_with_the_lemmas(name: str) -> None:
    spec = compile_spec(str(EXAMPLES / f"{name}.numa"), ["NODES=2"]).spec
    result = prove(spec, ProveOptions())
    assert result.verdict == "proved", result.cti
