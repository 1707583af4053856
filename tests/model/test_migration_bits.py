"""spec/examples/migration.numa reads the accessed bits through the kernel: a thread's access
sets the bit of its node's mapping, GetStatus (a scan) and Unmap (a global unmap) return and
reset them, and the policy moves a page used by one remote node alone to that node.

Values as in tests/model/test_l4.py: a Space is (node, slot), a mapping (space, page), rights
frozensets of r = 0; node 0 has frames 0..2, node 1 frames 3..5.
"""

from __future__ import annotations

import pytest
from harness import ROOT
from stepping import Run

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.model.machine import Model
from numaspec.spec.pipeline import compile_spec

SPEC = ROOT / "spec" / "examples" / "migration.numa"
R = frozenset({0})
ON0, ON1 = ((0, 0), 0), ((1, 0), 0)  # data page 0 in node 0's and node 1's space


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(compile_spec(str(SPEC)).spec)


def remote_user(model: Model) -> Run:
    """Thread 0 touches page 0 on node 0 (its frame is node 0's), migrates to node 1 and
    reads the page there twice."""
    return Run(model).do("create", t=0, n=0).do("fault", t=0, v=0) \
        .do("leave", t=0, dest=1).do("arrive_at", n=1).do("fault", t=0, v=0) \
        .do("use", t=0, v=0).do("use", t=0, v=0)


def test_bits_are_set_by_access_and_returned_and_reset_by_status_and_unmap(
        model: Model) -> None:
    run = remote_user(model)
    assert run.var("global_map") == {0: 1}
    assert run.var("l4.refbits") == {ON1: R}  # node 0's mapping was never used
    # the frame's node scans: its own GetStatus returns nothing
    run = run.do("start_scan", n=0, v=0)
    assert run.var("l4.status") == {} and run.var("l4.refbits") == {ON1: R}
    # node 1's pager's GetStatus returns the referenced bit and resets it
    run = run.do("recv_scan", m=1)
    assert run.var("l4.status") == {ON1: R} and run.var("l4.refbits") == {}
    # one remote user: the page moves to node 1 by a global unmap
    run = run.do("recv_scan_reply", n=0)
    assert run.var("move_to") == {0: 1} and run.var("unmapping") == {0}
    # a read before node 1's pager unmaps: Unmap returns the bit and resets it
    run = run.do("use", t=0, v=0).do("recv_req", m=1)
    assert run.var("l4.status") == {ON1: R} and run.var("l4.refbits") == {}
    # the last acknowledgement gives the page a frame of node 1 (frame 3 is the UTCB's)
    run = run.do("recv_ack", n=0)
    assert run.var("global_map") == {0: 4} and run.var("move_to") == {}
    assert 1 not in run.var("l4.allocated")
    assert run.do("fault", t=0, v=0).var("l4.pt")[ON1][0] == 4


def test_a_page_used_by_two_nodes_or_its_own_stays(model: Model) -> None:
    # thread 1 on node 0 reads the page too: two users, no move
    both = remote_user(model).do("create", t=1, n=0).do("use", t=1, v=0) \
        .do("start_scan", n=0, v=0).do("recv_scan", m=1).do("recv_scan_reply", n=0)
    assert both.var("move_to") == {} and both.var("unmapping") == frozenset()
    assert both.var("scans") == {}
    # a second scan finds no bits: GetStatus reset them
    again = both.do("start_scan", n=0, v=0).do("recv_scan", m=1)
    assert again.var("l4.status") == {}


def test_the_design_holds_with_its_pinned_state_count() -> None:
    result = check(compile_spec(str(SPEC)).spec, CheckOptions())
    assert result.finding is None and result.verdict == "holds"
    assert result.stats.distinct_states == 53_897  # symmetry-reduced, 2 nodes
