"""P1 on a one-node machine (what a laptop, a VM or a CI runner reports): a global unmap with
no other node completes at once (docs/designs.md, "P1 on one node").  Before, the lemma
`unmap_pending` was violated at depth 1 and the unmap never completed."""

from __future__ import annotations

from harness import P1, ROOT, run_cli_process

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.spec.pipeline import compile_spec


def test_p1_holds_on_one_node_in_both_engines() -> None:
    spec = compile_spec(str(ROOT / P1), ["NODES=1", "PAGES=2"]).spec
    for vectorise in (True, False):
        result = check(spec, CheckOptions(vectorise=vectorise))
        assert result.verdict == "holds", (vectorise, result.finding)
        assert result.stats.distinct_states == 12
        assert result.stats.coverage["start_unmap"] > 0  # the unmap ran, and completed


def test_p1_on_the_one_node_topology_file() -> None:
    single = ROOT / "tests" / "corpus" / "topologies" / "single_node.txt"
    result = run_cli_process(["check", "--topology", str(single), P1])
    assert result.status == 0, result.out + result.err
    assert "Traceback" not in result.err
    assert "1 nodes" in result.out
