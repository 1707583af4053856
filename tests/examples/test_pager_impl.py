"""Unit tests of the example pager implementation (examples/pager_impl), without numaspec."""

from __future__ import annotations

import pytest

from examples.pager_impl import (
    FACTORIES,
    EmptyQueue,
    OutOfFrames,
    System,
    WouldBlock,
    buggy_early_free,
    buggy_fault_ignores_unmap,
    buggy_skip_node,
    correct,
)


def test_fault_maps_lowest_free_local_frame() -> None:
    system = correct(nodes=2, pages=3, frames_per_node=2)
    system.fault(n=1, v=0)
    system.fault(n=1, v=2)
    state = system.observe()
    assert state["global_map"] == {0: 2, 2: 3}
    assert state["pt"] == {(1, 0): 2, (1, 2): 3}
    assert system.allocated() == {2, 3}
    with pytest.raises(OutOfFrames):
        system.fault(n=1, v=1)


def test_freed_frame_is_reused_lowest_first() -> None:
    system = correct(nodes=2, pages=2, frames_per_node=2)
    system.fault(n=0, v=0)
    system.fault(n=0, v=1)
    system.start_unmap(n=0, v=0)
    system.recv_req(m=1)
    system.recv_ack(n=0)
    assert system.allocated() == {1}
    system.fault(n=0, v=0)
    assert system.observe()["global_map"] == {0: 0, 1: 1}


def test_lazy_sync_maps_same_frame_on_other_nodes() -> None:
    system = correct()
    system.fault(n=1, v=0)
    system.fault(n=0, v=0)
    system.fault(n=2, v=0)
    state = system.observe()
    assert state["pt"] == {(0, 0): 1, (1, 0): 1, (2, 0): 1}
    assert state["global_map"] == {0: 1}
    assert system.allocated() == {1}


def test_full_global_unmap_on_three_nodes() -> None:
    system = correct()
    for n in range(3):
        system.fault(n=n, v=0)
    system.start_unmap(n=0, v=0)
    state = system.observe()
    assert state["req"] == {0: [], 1: [(0, 0)], 2: [(0, 0)]}
    assert state["unmapping"] == {0}
    assert state["acks"] == {0: 0}
    assert state["pt"] == {(1, 0): 0, (2, 0): 0}
    with pytest.raises(WouldBlock):
        system.fault(n=0, v=0)
    system.recv_req(m=1)
    system.recv_req(m=2)
    assert system.observe()["ack"] == {0: [0, 0], 1: [], 2: []}
    system.recv_ack(n=0)
    assert system.allocated() == {0}
    system.recv_ack(n=0)
    state = system.observe()
    assert state == {
        "global_map": {},
        "unmapping": set(),
        "acks": {0: 2},
        "req": {0: [], 1: [], 2: []},
        "ack": {0: [], 1: [], 2: []},
        "pt": {},
        "l4.allocated": set(),
    }
    assert system.allocated() == set()


def test_request_to_node_that_never_mapped_still_acks() -> None:
    system = correct(nodes=2)
    system.fault(n=0, v=1)
    system.start_unmap(n=0, v=1)
    system.recv_req(m=1)
    assert system.observe()["ack"] == {0: [1], 1: []}


def test_receive_on_empty_queue_raises() -> None:
    system = correct()
    with pytest.raises(EmptyQueue):
        system.recv_req(m=0)
    with pytest.raises(EmptyQueue):
        system.recv_ack(n=0)


def test_observe_returns_copies() -> None:
    system = correct()
    system.fault(n=0, v=0)
    state = system.observe()
    state["global_map"].clear()
    state["req"][1].append((9, 9))
    assert system.observe()["global_map"] == {0: 0}
    assert system.observe()["req"][1] == []


def test_bug_flags_and_factories() -> None:
    assert set(FACTORIES) == {
        "correct",
        "buggy_fault_ignores_unmap",
        "buggy_early_free",
        "buggy_skip_node",
    }
    assert correct().bugs == frozenset()
    assert buggy_early_free(nodes=4).nodes == 4
    with pytest.raises(ValueError):
        System(bugs={"no_such_bug"})


def test_bug_fault_ignores_unmap_leaves_stale_mapping() -> None:
    system = buggy_fault_ignores_unmap()
    system.fault(n=0, v=0)
    system.start_unmap(n=0, v=0)
    system.fault(n=0, v=0)  # the correct pager would block here
    for m in (1, 2):
        system.recv_req(m=m)
    system.recv_ack(n=0)
    system.recv_ack(n=0)
    state = system.observe()
    assert state["global_map"] == {}
    assert state["pt"] == {(0, 0): 0}  # node 0 still maps frame 0 ...
    assert not system.allocator.is_allocated(0)  # ... which is free


def test_bug_early_free_frees_frame_still_mapped() -> None:
    system = buggy_early_free()
    for n in range(3):
        system.fault(n=n, v=0)
    system.start_unmap(n=0, v=0)
    system.recv_req(m=1)
    system.recv_ack(n=0)
    state = system.observe()
    assert state["pt"] == {(2, 0): 0}  # node 2 still maps frame 0 ...
    assert not system.allocator.is_allocated(0)  # ... which is already free
    system.fault(n=0, v=1)  # and is handed out again for another page
    assert system.observe()["global_map"] == {0: 0, 1: 0}


def test_bug_skip_node_leaves_mapping_on_skipped_node() -> None:
    system = buggy_skip_node()
    for n in range(3):
        system.fault(n=n, v=0)
    system.start_unmap(n=0, v=0)
    state = system.observe()
    assert state["req"] == {0: [], 1: [(0, 0)], 2: []}
    assert state["acks"] == {0: 1}
    system.recv_req(m=1)
    system.recv_ack(n=0)
    state = system.observe()
    assert state["global_map"] == {}
    assert state["pt"] == {(2, 0): 0}  # node 2 was skipped and still maps the freed frame
    assert system.allocated() == set()


def test_bug_skip_node_with_two_nodes_never_finishes() -> None:
    system = buggy_skip_node(nodes=2)
    system.fault(n=1, v=0)
    system.start_unmap(n=1, v=0)
    state = system.observe()
    assert state["req"] == {0: [], 1: []}
    assert state["unmapping"] == {0}
    assert state["acks"] == {0: 1}
    with pytest.raises(EmptyQueue):
        system.recv_ack(n=1)
    assert system.observe()["unmapping"] == {0}
