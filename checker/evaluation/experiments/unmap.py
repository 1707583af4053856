"""Experiment 4, global unmap cost: the IPC protocol (P1) vs the root pager (P2) vs one
node-spanning space, in messages (TLB-shootdown IPIs included), kernel calls and
distance-weighted cost, for n = 2..8 on the default topology and on each preset (the paper's
open question: can unmap be made cheaper?); also P1's corrected variants and the kernel's MDB
locks (checker/evaluation/designs.py, UNMAP_DESIGNS).

A page is first read by every node (each per-node space maps it); then one node unmaps it
globally and every message is delivered.  The figures are the mean over the n initiators
(on a non-uniform topology the cost depends on who initiates)."""

from __future__ import annotations

from collections.abc import Sequence

from numaspec.checker.evaluation.designs import Design, Machine, compile_design
from numaspec.checker.evaluation.driver import KERNEL_DATA, Driver
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import touch_in_turn
from numaspec.model.cost import Costs
from numaspec.model.outcome import Progress

PAGES = 2

COLUMNS = ["topology", "n", "design", "steps", "messages", "cross-node messages",
           "TLB shootdown IPIs", "l4.unmap calls", "kernel calls", "remote kernel-data accesses",
           "access cost", "message cost", "distance-weighted cost"]


def unmap_costs(design: Design, machine: Machine) -> Costs:
    """The summed costs of one global unmap of a page mapped on every node, once per
    initiator 0..n-1 (divide by n for the mean)."""
    driver = Driver(compile_design(design, machine, PAGES, 1), design)
    for access in touch_in_turn(machine.nodes):
        driver.access(access.node, access.page)
    mapped, total = driver.state, Costs()
    for initiator in range(machine.nodes):
        driver.state, driver.phases = mapped, {}
        driver.global_unmap(initiator, 0)
        total.add(driver.phase("unmap").costs)
    return total


def run(designs: Sequence[Design], machines: Sequence[Machine], progress: Progress[str]) -> Table:
    table = Table("unmap", "Global unmap cost (mean over the initiating node)", COLUMNS,
                  note="The page is mapped on every node before the unmap. Distance-weighted "
                       "cost = access cost + message cost (10 = one local access or message); "
                       "kernel calls counts every L4 primitive the steps call; a TLB "
                       "shootdown IPI and its acknowledgement are two cross-node messages "
                       "(in the message columns) and one `l4.tlb_flush` kernel call.")
    for machine in machines:
        progress(f"global unmap: {machine.name}")
        for design in designs:
            total, n = unmap_costs(design, machine), machine.nodes
            remote = sum(total.remote_by_variable[var] for var in KERNEL_DATA)
            table.add(machine.name, n, design.label, *(value / n for value in (
                total.steps, total.messages, total.remote_messages,
                total.kernel_calls["l4.tlb_flush"], total.kernel_calls["l4.unmap"],
                sum(total.kernel_calls.values()), remote,
                total.access_cost, total.message_cost, total.access_cost + total.message_cost)))
    return table
