"""Experiment 1, lazy synchronisation: pagefaults until one global mapping exists on k of n
nodes.  Nodes 0, 1, ..., k-1 read one page in turn (the first read is the first touch); the
paper says the per-node design takes k pagefaults where one node-spanning space takes 1."""

from __future__ import annotations

from collections.abc import Sequence

from numaspec.checker.evaluation.designs import Design, Machine, compile_design
from numaspec.checker.evaluation.driver import Driver
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import touch_in_turn
from numaspec.model.outcome import Progress

PAGES = 2  # the page read is page 0; the spec's default page count


def faults_by_k(design: Design, nodes: int) -> list[tuple[int, int, int]]:
    """(k, pagefaults, distance-weighted fault cost) after nodes 0..k-1 have read page 0,
    for k = 1..nodes, on the default topology of `nodes` nodes."""
    driver = Driver(compile_design(design, Machine(nodes), PAGES, 1), design)
    found = []
    for k, access in enumerate(touch_in_turn(nodes), start=1):
        driver.access(access.node, access.page)
        costs = driver.phase("fault").costs
        found.append((k, costs.pagefaults, costs.access_cost))
    return found


def run(designs: Sequence[Design], node_counts: Sequence[int],
        progress: Progress[str]) -> tuple[Table, Table]:
    """The k-of-n table for the largest node count, and the k = n row for every count."""
    top = max(node_counts)
    columns = ["n", "k"] + [f"pagefaults: {d.label}" for d in designs] \
        + [f"fault cost: {d.label}" for d in designs]
    detail = Table("lazy_sync", f"Lazy synchronisation: pagefaults until page 0 is mapped on "
                   f"k of n = {top} nodes", columns,
                   note="Nodes 0..k-1 read the page in turn (node 0 touches it first). "
                        "Fault cost: the distance-weighted accesses of the pagefault steps "
                        "(10 = one local access), cumulative.")
    summary = Table("lazy_sync_all_n", "Lazy synchronisation: pagefaults until page 0 is "
                    "mapped on all n nodes", ["n"] + [d.label for d in designs])
    for nodes in node_counts:
        progress(f"lazy synchronisation: n = {nodes}")
        runs = [faults_by_k(design, nodes) for design in designs]
        summary.add(nodes, *(run[-1][1] for run in runs))
        if nodes == top:
            for k in range(1, nodes + 1):
                detail.add(nodes, k, *(run[k - 1][1] for run in runs),
                           *(run[k - 1][2] for run in runs))
    return detail, summary
