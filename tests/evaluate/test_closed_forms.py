"""The closed forms of the seed paper and of the designs, measured by the evaluation's driver
on small configurations (docs/seed.md): k pagefaults for k nodes per node, 1 in one space;
2(n-1) messages per IPC global unmap; no remote kernel-data access in the per-node design."""

from __future__ import annotations

import pytest

from numaspec.checker.evaluation.designs import PERNODE, ROOTPAGER, SINGLE, Machine
from numaspec.checker.evaluation.experiments.lazy import faults_by_k
from numaspec.checker.evaluation.experiments.sharing import SharingSetup, run_stream
from numaspec.checker.evaluation.experiments.unmap import unmap_costs
from numaspec.checker.evaluation.workloads import Layout


@pytest.mark.parametrize("nodes", [2, 3, 4])
def test_k_pagefaults_for_k_nodes_per_node_and_one_in_a_single_space(nodes: int) -> None:
    for design in (PERNODE, ROOTPAGER):
        assert [faults for _, faults, _ in faults_by_k(design, nodes)] == \
            list(range(1, nodes + 1))
    assert [faults for _, faults, _ in faults_by_k(SINGLE, nodes)] == [1] * nodes


@pytest.mark.parametrize("nodes", [2, 3, 4])
def test_ipc_global_unmap_sends_two_messages_per_other_node(nodes: int) -> None:
    total = unmap_costs(PERNODE, Machine(nodes))  # summed over the n initiators
    assert total.messages == nodes * 2 * (nodes - 1)
    assert total.remote_messages == total.messages  # every request and ack crosses nodes
    assert total.kernel_calls["l4.unmap"] == nodes * nodes  # every node unmaps its mapping


@pytest.mark.parametrize("nodes", [2, 3, 4])
def test_root_pager_and_single_space_unmap_with_one_kernel_call(nodes: int) -> None:
    root = unmap_costs(ROOTPAGER, Machine(nodes))
    # request and reply, plus a TLB-shootdown IPI and its ack to every node but the root's
    assert root.messages == nodes * (2 + 2 * (nodes - 1))
    assert root.kernel_calls["l4.unmap"] == nodes
    assert root.kernel_calls["l4.tlb_flush"] == nodes * (nodes - 1)
    single = unmap_costs(SINGLE, Machine(nodes))
    # the one space is active on every node: n - 1 IPIs and n - 1 acks per unmap
    assert single.messages == nodes * 2 * (nodes - 1) and single.kernel_calls["l4.unmap"] == nodes
    assert single.remote_messages == single.messages
    assert single.kernel_calls["l4.tlb_flush"] == nodes * (nodes - 1)


@pytest.mark.parametrize("machine", [Machine(3), Machine.named("opteron4")],
                         ids=["default3", "opteron4"])
def test_per_node_design_never_touches_remote_kernel_data(machine: Machine) -> None:
    setup = SharingSetup(accesses=300, unmap_probability=0.1)
    layout = Layout(machine.nodes, setup.private, setup.shared)
    driver = run_stream(PERNODE, machine, layout, 0.5, setup, seed=3)
    faults, unmaps = driver.phase("fault"), driver.phase("unmap")
    assert faults.costs.pagefaults > machine.nodes and driver.global_unmaps > 5
    assert faults.kernel_data()[0] > 0 and faults.kernel_data()[1] == 0
    assert unmaps.kernel_data()[0] > 0 and unmaps.kernel_data()[1] == 0
    every, _, cost = faults.kernel_data()
    assert cost == 10 * every  # all local: distance 10 each


def test_single_space_faults_from_other_nodes_reach_remote_kernel_data() -> None:
    setup = SharingSetup(accesses=300, unmap_probability=0.1)
    driver = run_stream(SINGLE, Machine(3), Layout(3), 0.5, setup, seed=3)
    every, remote, _ = driver.phase("fault").kernel_data()
    assert 0 < remote < every  # node 0's faults are local, the others' remote


def test_same_stream_gives_fewer_faults_in_a_single_space_once_pages_are_shared() -> None:
    setup = SharingSetup(accesses=300, unmap_probability=0.05)
    layout = Layout(3)
    faults = {(d.key, f): run_stream(d, Machine(3), layout, f, setup, seed=1)
              .phase("fault").costs.pagefaults for d in (PERNODE, SINGLE) for f in (0.0, 1.0)}
    assert faults[("pernode", 0.0)] == faults[("single_as", 0.0)]  # private pages only
    assert faults[("pernode", 1.0)] > faults[("single_as", 1.0)]
