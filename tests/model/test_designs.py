"""The designs of spec/examples/ (docs/designs.md): no violation on a long random walk, a
witness for every `reachable` on that walk, and each design's distinctive cost profile.

One 10,000-step walk per spec (seed pinned) is simulated once per module and shared by the
tests; its costs are per action, with remote accesses also counted per variable (the kernel's
page tables and MDB vs. the pagers' tables).
"""

from __future__ import annotations

from collections import Counter

import pytest
from harness import ROOT

from numaspec.checker.simulate import SimulateOptions, SimulationResult, simulate
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec

EXAMPLES = ROOT / "spec" / "examples"
SPECS = sorted(p.stem for p in EXAMPLES.glob("*.numa"))
STEPS = 10_000
SEED = 7
KERNEL_DATA = ("l4.pt", "l4.mdb")  # the kernel's page tables and mapping database

_walks: dict[str, tuple[ir.Spec, SimulationResult]] = {}


def walk(name: str) -> tuple[ir.Spec, SimulationResult]:
    """The compiled spec and its 10,000-step walk (computed once per test session)."""
    if name not in _walks:
        spec = compile_spec(str(EXAMPLES / f"{name}.numa")).spec
        _walks[name] = spec, simulate(spec, SimulateOptions(steps=STEPS, seed=SEED))
    return _walks[name]


def steps_by_node(name: str) -> Counter[tuple[str, int]]:
    """Steps of the walk of `name` by (action, executing node)."""
    spec, result = walk(name)
    trace = result.last_trace
    assert trace is not None
    model = Model(spec)
    nodes: Counter[tuple[str, int]] = Counter()
    before = trace.initial
    for step in trace.steps:
        node = model.node_of(before, step.instance)
        nodes[(model.action_name(step.instance), node)] += 1  # type: ignore[index]
        before = step.state
    return nodes


def remote_kernel(result: SimulationResult, action: str | None = None) -> int:
    """Remote accesses to the kernel's page tables and MDB (by one action, or in total)."""
    costs = result.total if action is None else result.costs[action]
    return sum(costs.remote_by_variable[var] for var in KERNEL_DATA)


# ----------------------------------------------------------------- every design

@pytest.mark.parametrize("name", SPECS)
def test_walk_finds_no_violation(name: str) -> None:
    _, result = walk(name)
    assert result.finding is None, result.finding and result.finding.message
    assert result.steps == STEPS


@pytest.mark.parametrize("name", SPECS)
def test_every_reachable_has_a_witness_on_the_walk(name: str) -> None:
    spec, result = walk(name)
    assert spec.reachables, "a design needs reachable witnesses"
    trace = result.last_trace
    assert trace is not None
    model = Model(spec)
    missing = [p.name for p in spec.reachables
               if not any(model.holds(p, state) for state in trace.states())]
    assert missing == []


# ------------------------------------------------------------ cost profiles

def test_pernode_kernel_data_is_local_and_unmap_costs_messages() -> None:
    _, result = walk("pernode")
    assert remote_kernel(result) == 0  # every space's page table is on the node it is used on
    nodes = 3
    start, req = result.costs["start_unmap"], result.costs["recv_req"]
    assert start.messages == (nodes - 1) * start.steps  # one request per other pager
    assert req.messages == req.steps  # one acknowledgement each
    assert result.total.kernel_calls["l4.unmap"] == start.steps + req.steps


def test_rootpager_one_unmap_and_two_messages_per_global_unmap() -> None:
    _, result = walk("pernode_rootpager")
    start, root = result.costs["start_unmap"], result.costs["root_unmap"]
    assert root.steps > 100
    # one kernel unmap (by the root pager) per global unmap, however many nodes map the page
    assert result.total.kernel_calls["l4.unmap"] == root.steps
    # a request and a reply, no messages between the node pagers; the root's unmap adds a
    # TLB-shootdown IPI and ack per other node whose spaces held the page
    assert start.messages == start.steps
    ipis = root.kernel_calls["l4.tlb_flush"]
    assert ipis > 0 and root.messages == root.steps + 2 * ipis
    # the recursive revocation walks the MDB entries of the other nodes' spaces
    assert remote_kernel(result, "root_unmap") > 0
    # each node's pager maps from its own space, on its node: of the thread's fault only the
    # MDB ancestry check reaches the root mapping; the root pager's maps into the pagers'
    # spaces are the remote work
    assert 0 < remote_kernel(result, "fault") < remote_kernel(result, "root_fault_handler")


def test_single_as_faults_once_per_page_and_page_table_is_remote() -> None:
    _, result = walk("single_as")
    nodes = steps_by_node("single_as")
    fault, unmap = result.costs["fault"], result.costs["unmap"]
    # a fault maps the page for every node: one pagefault per page (per first touch)
    assert fault.pagefaults == result.total.kernel_calls["l4.alloc"] == fault.steps
    # unmap is one kernel call, no protocol between pagers; the TLB shootdown sends an IPI
    # and gets an ack from each of the other two nodes the space is active on
    assert fault.messages == 0
    assert unmap.messages == 2 * 2 * unmap.steps == 2 * unmap.kernel_calls["l4.tlb_flush"]
    assert result.total.kernel_calls["l4.unmap"] == unmap.steps
    # threads on nodes 1 and 2 reach the page table on node 0 remotely; node 0 locally
    assert nodes[("fault", 1)] > 0 and nodes[("fault", 2)] > 0
    assert remote_kernel(result, "fault") > 0 and remote_kernel(result, "unmap") > 0
    assert nodes[("fault", 0)] > 0 and result.costs["fault"].local_accesses > 0


def test_node_local_replicas_are_unmapped_locally_without_messages() -> None:
    _, result = walk("node_local")
    local = result.costs["local_unmap"]
    assert local.steps > 100
    assert local.messages == 0
    assert result.costs["local_unmap"].kernel_calls["l4.unmap"] == local.steps
    # every node's kernel data and replica table are on that node
    assert remote_kernel(result) == 0
    assert result.total.remote_by_variable["replica"] == 0
    start = result.costs["start_unmap"]
    assert start.messages == 2 * start.steps  # P1's protocol for global pages (3 nodes)


def test_migration_moves_utcbs_and_faults_in_the_new_space() -> None:
    _, result = walk("migration")
    nodes = steps_by_node("migration")
    leave, arrive, fault = (result.costs[a] for a in ("leave", "arrive_at", "fault"))
    assert leave.steps > 100 and fault.pagefaults > 100
    # each pager changes only its own space: the source tears the UTCB down, the destination
    # sets a new one up; no unchecked primitive but P1's sigma0 mappings of data pages
    for call in ("l4.unmap", "l4.release"):
        assert leave.kernel_calls[call] == leave.steps
    for call in ("l4.alloc", "l4.sigma0_map", "l4.migrate"):
        assert arrive.kernel_calls[call] == arrive.steps
    assert leave.messages == leave.steps  # the thread handed to the destination's pager
    assert not any(c.startswith("l4.unchecked") and c != "l4.unchecked_sigma0_map"
                   for c in result.total.kernel_calls)
    # every kernel access is to the executing node's own space: no remote page table or MDB
    assert remote_kernel(result) == 0
    assert nodes[("fault", 0)] > 0 and nodes[("fault", 1)] > 0


def test_migration_moves_pages_by_the_accessed_bits_the_kernel_returns() -> None:
    _, result = walk("migration")
    scan, reply = result.costs["start_scan"], result.costs["recv_scan"]
    # every pager reads the bits of its own space only, through L4's GetStatus
    assert scan.kernel_calls["l4.get_status"] == scan.steps > 100
    assert reply.kernel_calls["l4.get_status"] == reply.steps
    # a page used by one remote node alone moves there: a global unmap, then a new frame
    moves = result.costs["recv_scan_reply"].kernel_calls["l4.unmap"]
    assert moves > 10 and result.costs["recv_ack"].kernel_calls["l4.alloc"] <= moves
