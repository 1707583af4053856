"""Experiment 8, page-table replication against per-node spaces and one node-spanning space,
by sharing pattern (workloads.PATTERNS: private, read-shared, write-shared, migratory):
Mitosis (every node's page table holds every page, updated eagerly), numaPTE (replicas on the
nodes that touched the table), P1 and the single space, and Disco (replicas and migration of
the data pages themselves; designs.REPLICATION_DESIGNS), on the default topology, each on the
same stream of each pattern.

Figures per access: pagefaults, remote memory accesses of the fault and unmap steps (page
tables, MDB, the designs' tables), messages (shootdown IPIs and acknowledgements included)
and their distance-weighted cost.  The data accesses (the distance from the accessing node to
the frame) are shown apart: in the four designs that replicate translations they do not depend
on the design (first touch places the frame on the faulting node), while Disco's scans after a
fault replicate a read-shared page on its reader, so its data accesses are local and its
faults and unmaps dearer.  The driver's accesses are reads (no design is given a write
fault), so write-shared repeats read-shared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from numaspec.checker.evaluation.designs import Design, Machine
from numaspec.checker.evaluation.driver import Driver
from numaspec.checker.evaluation.experiments.insync import drive
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import PATTERNS, Layout, pattern_stream
from numaspec.model.outcome import Progress

CHECKED_UP_TO = 4  # node counts whose states are checked (a check costs ~n^3)
COST = "cost per access"
COLUMNS = ["n", "pattern", "design", "accesses", "writes", "pagefaults",
           "faults per 1000 accesses", "global unmaps", "remote accesses per access",
           "messages per access", COST, "data cost per access"]


@dataclass(frozen=True)
class ReplicationSetup:
    accesses: int = 2000
    unmap_probability: float = 0.02
    node_counts: tuple[int, ...] = (2, 4, 8, 16)


def run(designs: Sequence[Design], setup: ReplicationSetup, seed: int,
        progress: Progress[str]) -> Table:
    table = Table("replication", "Replication by sharing pattern: pagefaults, remote accesses, "
                  "messages and cost per access", COLUMNS, note=_note(setup))
    for nodes in setup.node_counts:
        layout = Layout(nodes)
        for pattern in PATTERNS:
            progress(f"replication: n = {nodes}, {pattern}")
            stream = pattern_stream(pattern, layout, setup.accesses, setup.unmap_probability,
                                    seed)
            writes = sum(a.write for a in stream)
            for design in designs:
                driver = drive(design, Machine(nodes), layout, stream, nodes <= CHECKED_UP_TO)
                table.add(nodes, pattern, design.label, driver.accesses, writes,
                          *_measures(driver))
    return table


def _measures(driver: Driver) -> list[int | float]:
    fault, unmap = driver.phase("fault").costs, driver.phase("unmap").costs
    count = driver.accesses
    return [fault.pagefaults, 1000 * fault.pagefaults / count, driver.global_unmaps,
            (fault.remote_accesses + unmap.remote_accesses) / count,
            (fault.messages + unmap.messages) / count,
            (fault.access_cost + fault.message_cost + unmap.access_cost
             + unmap.message_cost) / count, driver.data_cost / count]


def _note(setup: ReplicationSetup) -> str:
    return (f"Default topology (10 local / 20 remote); 2 private pages per node, 4 shared; "
            f"{setup.accesses:,} accesses per pattern, each followed with probability "
            f"{setup.unmap_probability:g} by a global unmap of the page by the accessing node. "
            "private: a uniformly chosen node reads its own pages; read-shared: a uniformly "
            "chosen node reads a shared page; write-shared: the same accesses as writes; "
            "migratory: the shared pages are used by one node for 25 accesses, then by "
            "another. Cost per access: the fault and unmap steps (accesses and messages, "
            "distance-weighted, 10 = one local access or message) per access; data cost: "
            "the distance to the page's frame, apart. States checked against the invariants "
            f"up to n = {CHECKED_UP_TO}.")
