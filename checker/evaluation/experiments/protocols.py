"""Experiment 7, the global-unmap protocols side by side for n = 2..16 on the default topology
(10 local / 20 remote): P1's IPC protocol, the root pager (P2), P1 with batched unmaps and with
a shared flag plus IPIs, Barrelfish's mark/sweep revocation, one node-spanning space, the
two in-kernel variants and the clustered object (designs.PROTOCOL_DESIGNS).  A page is first
mapped on every node; then one node unmaps it globally and the driver delivers every message
and runs every follow step.

Messages include the TLB-shootdown IPIs and their acknowledgements (the kernel's
`l4.tlb_flush`, two messages each).  Rounds: the longest causal chain of messages of the unmap
(driver.Rounds: a message sent after receiving a round-k message is in round k + 1; a
synchronous shootdown takes two rounds), computed from the steps' receives and sends, the
same way for every design.  Figures: the mean over the n initiators (rounds: the maximum)."""

from __future__ import annotations

from collections.abc import Sequence

from numaspec.checker.evaluation.designs import Design, Machine, compile_design
from numaspec.checker.evaluation.driver import Driver
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import touch_in_turn
from numaspec.model.cost import Costs
from numaspec.model.outcome import Progress

SUMMARY_NODES = (2, 4, 8, 16)  # the node counts of the summary table
CHECKED_UP_TO = 8  # node counts whose states are checked against the invariants
COLUMNS = ["n", "design", "messages", "TLB shootdown IPIs", "rounds", "steps",
           "remote accesses", "distance-weighted cost"]


def unmap_rounds(design: Design, machine: Machine, check: bool = True) -> tuple[Costs, int]:
    """The summed costs of one global unmap of a page mapped on every node, once per
    initiator 0..n-1, and the most rounds any of them took."""
    driver = Driver(compile_design(design, machine, 2, 1), design, check_invariants=check)
    for access in touch_in_turn(machine.nodes):
        driver.access(access.node, access.page)
    mapped, total, rounds = driver.state, Costs(), 0
    for initiator in range(machine.nodes):
        driver.state, driver.phases = mapped, {}
        driver.global_unmap(initiator, 0)
        total.add(driver.phase("unmap").costs)
        rounds = max(rounds, driver.rounds.highest)
    return total, rounds


def run(designs: Sequence[Design], node_counts: Sequence[int], progress: Progress[str]) -> Table:
    table = Table("protocols", "Global-unmap protocols: messages, rounds and cost per global "
                  "unmap (mean over the initiating node)", COLUMNS,
                  note="Default topology (10 local / 20 remote); the page is mapped on every "
                       "node before the unmap. Messages: the protocol's and the TLB-shootdown "
                       "IPIs and acknowledgements (two per `l4.tlb_flush`). Rounds: the longest "
                       "causal chain of messages (a shootdown is two rounds), the maximum over "
                       "the initiators. Remote accesses: memory accesses of the unmap's steps "
                       "to data on another node (the shared flag, remote page tables). "
                       "Distance-weighted cost = access cost + message cost (10 = one local "
                       f"access or message). States checked against the invariants up to n = "
                       f"{CHECKED_UP_TO}.")
    for nodes in node_counts:
        progress(f"unmap protocols: n = {nodes}")
        for design in designs:
            total, rounds = unmap_rounds(design, Machine(nodes), nodes <= CHECKED_UP_TO)
            table.add(nodes, design.label, total.messages / nodes,
                      total.kernel_calls["l4.tlb_flush"] / nodes, rounds,
                      total.steps / nodes, total.remote_accesses / nodes,
                      (total.access_cost + total.message_cost) / nodes)
    return table


def summary(table: Table) -> Table:
    """The rows at the node counts of SUMMARY_NODES that the table has."""
    shown = [n for n in SUMMARY_NODES if n in table.column("n")]
    summary = Table("protocols_summary", f"Global-unmap protocols at n = "
                    f"{', '.join(str(n) for n in shown)}", table.columns,
                    note=table.note + " All n: `protocols.csv`.")
    for row in table.rows:
        if row[0] in shown:
            summary.add(*row)
    return summary
