"""Kernel authority, sigma0 ownership, accessed bits and TLB shootdowns of spec/lib/l4.numa,
through the driver spec tests/corpus/l4/authority.numa.

Values as in tests/model/test_l4.py: a Space is (node, slot), a mapping (space, page), rights
frozensets of r = 0, w = 1, x = 2.  App(n) = (n, 0), pager(n) = (n, 1).
"""

from __future__ import annotations

from typing import Any

import pytest
from harness import ROOT
from stepping import Run

from numaspec.model.cost import CostRecorder, Costs
from numaspec.model.machine import Model, StepViolation
from numaspec.spec.pipeline import compile_spec

DRIVER = ROOT / "tests" / "corpus" / "l4" / "authority.numa"
R, W, X = 0, 1, 2
RWX = frozenset({R, W, X})
APP0, APP1, PAGER0, PAGER1 = ((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 0)


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(compile_spec(str(DRIVER)).spec)


def mapped_app(model: Model) -> Run:
    """Pager 0 holds frame 0 and has mapped it into both application spaces."""
    return Run(model).do("take", n=0, m=0).do("map_own", n=0, dst=0, rs=RWX) \
        .do("map_own", n=0, dst=1, rs=RWX)


def test_unmapping_another_nodes_mapping_directly_is_a_violation(model: Model) -> None:
    run = mapped_app(model)
    with pytest.raises(StepViolation, match="no authority"):
        run.successors("unmap_app", n=0, m=1)
    with pytest.raises(StepViolation, match="no authority"):
        run.successors("unmap_pager", n=1, m=0, rs=RWX, flush=True)
    # the check engine reports it as a violation with a trace (exit status 1)
    assert run.successors("unmap_app", n=1, m=1)  # its own application mapping: allowed


def test_mapping_from_another_nodes_space_is_a_violation(model: Model) -> None:
    run = Run(model).do("take", n=0, m=0)
    with pytest.raises(StepViolation, match="no authority"):
        run.successors("map_other", n=1, m=0)


def test_the_owner_revokes_what_derives_from_its_mapping(model: Model) -> None:
    run = mapped_app(model).do("unmap_pager", n=0, m=0, rs=RWX, flush=False)
    pt = run.var("l4.pt")
    assert APP0 not in pt and APP1 not in pt and PAGER0 in pt


def test_sigma0_gives_a_frame_to_one_owner(model: Model) -> None:
    run = Run(model).do("take", n=0, m=0)
    assert run.var("l4.owner") == {0: (0, 1)}
    # pager 1 cannot get frame 0 from sigma0 as well: refused (the step is disabled)
    assert run.successors("take_again", n=1, m=0) == []
    # it gets it from pager 0 instead: a child of pager 0's mapping
    shared = run.do("map_own", n=0, dst=1, rs=RWX)
    assert shared.var("l4.mdb")[APP1] == PAGER0
    # an unmap does not give the frame back: still pager 0's
    assert run.do("unmap_pager", n=0, m=0, rs=RWX, flush=True).successors(
        "take_again", n=1, m=0) == []


def test_accessed_bits_are_returned_and_reset_as_l4_returns_them(model: Model) -> None:
    run = Run(model).do("take", n=0, m=0).do("map_own", n=0, dst=0, rs=frozenset({R, W}))
    run = run.do("use", n=0, r=W)  # a write: written and referenced
    assert run.var("l4.refbits") == {APP0: frozenset({R, W})}
    # Unmap with f = 0 revoking w from the subtree: the OR of the touched mappings' bits
    revoked = run.do("unmap_pager", n=0, m=0, rs=frozenset({W}), flush=False)
    assert revoked.var("l4.status") == {PAGER0: frozenset({R, W})}
    assert revoked.var("l4.refbits") == {}  # reset
    assert revoked.var("l4.pt")[APP0][1] == frozenset({R})
    # GetStatus reads and resets: a read since, then nothing
    again = revoked.do("use", n=0, r=R).do("status", n=0)
    assert again.var("l4.status") == {PAGER0: frozenset({R})}
    assert again.do("status", n=0).var("l4.status") == {}
    # an access the mapping does not allow would fault: disabled
    assert again.successors("use", n=0, r=W) == []


def costs_of(model: Model, run: Run, action: str, node: int, **args: Any) -> Costs:
    recorder = CostRecorder(model.spec)
    costed = Model(model.spec, hooks=recorder, read_hook=recorder.read)
    instance = costed.find_instance(action, args)[0]
    recorder.begin(node, False)
    costed.execute(run.state, instance)
    return recorder.current


def test_unmap_shoots_down_the_tlbs_of_the_other_nodes_the_spaces_are_active_on(
        model: Model) -> None:
    run = mapped_app(model)
    # app(1) is active on node 1: one IPI and its acknowledgement
    one = costs_of(model, run, "unmap_pager", 0, n=0, m=0, rs=RWX, flush=False)
    assert (one.messages, one.remote_messages, one.kernel_calls["l4.tlb_flush"]) == (2, 2, 1)
    assert one.message_cost == 2 * 20
    # only node 0's mappings: no IPI
    local = Run(model).do("take", n=0, m=0).do("map_own", n=0, dst=0, rs=RWX)
    none = costs_of(model, local, "unmap_pager", 0, n=0, m=0, rs=RWX, flush=True)
    assert none.messages == 0 and none.kernel_calls["l4.tlb_flush"] == 0
    # a thread of app(0) on node 1 makes app(0) active there too: again one IPI
    spread = local.do("spread")
    assert costs_of(model, spread, "unmap_pager", 0, n=0, m=0, rs=RWX,
                    flush=True).kernel_calls["l4.tlb_flush"] == 1


def test_the_tlb_view_lists_the_translations_of_active_spaces(model: Model) -> None:
    run = mapped_app(model)
    view = next(v for v in model.spec.views if v.name == "l4.tlb")
    fn = model.exprs.compile(view.expr)
    tlb = fn(run.state, [None] * max(view.locals_count, 1))
    assert set(tlb) == {(0, APP0), (1, APP1), (0, PAGER0)}
    after = run.do("unmap_pager", n=0, m=0, rs=RWX, flush=True)
    assert fn(after.state, [None] * max(view.locals_count, 1)) == {}
