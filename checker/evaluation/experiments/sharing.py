"""Experiment 2, sharing degree: pagefaults and distance-weighted cost per access as the
fraction of accesses to shared pages goes from 0 to 1 (seed paper: "if parallel threads work
mainly on local data, the actual number of pagefaults is comparable to using a single address
space only").  Every design sees the same access stream (workloads.sharing_stream), with
global unmaps that free pages so that faults keep happening in the steady state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from numaspec.checker.evaluation.designs import Design, Machine, compile_design
from numaspec.checker.evaluation.driver import Driver
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import Layout, sharing_stream
from numaspec.model.outcome import Progress


@dataclass(frozen=True)
class SharingSetup:
    accesses: int = 5000
    unmap_probability: float = 0.02  # a page lives ~50 accesses to it before it is freed
    fractions: tuple[float, ...] = tuple(i / 10 for i in range(11))
    private: int = 2
    shared: int = 4


def run_stream(design: Design, machine: Machine, layout: Layout, fraction: float,
               setup: SharingSetup, seed: int) -> Driver:
    """A driver that has run the stream for `fraction` on `machine`."""
    spec = compile_design(design, machine, layout.pages, layout.frames_per_node)
    driver = Driver(spec, design)
    for access in sharing_stream(layout, fraction, setup.accesses, setup.unmap_probability,
                                 seed):
        driver.access(access.node, access.page)
        if access.unmap:
            driver.global_unmap(access.node, access.page)
    return driver


COLUMNS = ["n", "shared fraction", "design", "accesses", "pagefaults", "faults per 1000 accesses",
           "global unmaps", "messages", "fault cost per access", "data cost per access",
           "memory cost per access", "kernel-data cost per access", "unmap cost per access"]
MEMORY = "memory cost per access"
KERNEL = "kernel-data cost per access"


def run(designs: Sequence[Design], node_counts: Sequence[int], setup: SharingSetup, seed: int,
        progress: Progress[str]) -> Table:
    table = Table("sharing", "Sharing degree: pagefaults and distance-weighted cost per access",
                  COLUMNS, note=_note(setup))
    for nodes in node_counts:
        layout = Layout(nodes, setup.private, setup.shared)
        for fraction in setup.fractions:
            progress(f"sharing degree: n = {nodes}, shared fraction {fraction:.1f}")
            for design in designs:
                driver = run_stream(design, Machine(nodes), layout, fraction, setup, seed)
                table.add(nodes, fraction, design.label, *_measures(driver))
    return table


def _measures(driver: Driver) -> list[int | float]:
    fault, unmap = driver.phase("fault").costs, driver.phase("unmap").costs
    count = driver.accesses
    fault_cost = (fault.access_cost + fault.message_cost) / count
    data_cost = driver.data_cost / count
    kernel = driver.phase("fault").kernel_data()[2] / count
    return [count, fault.pagefaults, 1000 * fault.pagefaults / count, driver.global_unmaps,
            fault.messages + unmap.messages, fault_cost, data_cost, fault_cost + data_cost,
            kernel, (unmap.access_cost + unmap.message_cost) / count]


def _note(setup: SharingSetup) -> str:
    return (f"Default topology (10 local / 20 remote). {setup.private} private pages per node "
            f"and {setup.shared} shared pages; {setup.accesses:,} accesses by uniformly chosen "
            f"nodes, each followed with probability {setup.unmap_probability} by a global "
            f"unmap of the page by the reader. Costs are distance-weighted (10 = one local "
            f"access or message). Fault cost: the pagefault steps. Data cost: the distance from "
            f"the reader to the page's frame (the same in both designs: first touch places "
            f"the frame on the faulting node in both). Memory cost = fault cost + data cost. "
            f"Kernel-data cost: the part of the fault cost spent on page tables and MDB "
            f"entries. "
            f"Unmap cost: the unmap steps and the messages of the protocol, shown apart "
            f"(experiment 4 measures it).")


def crossings(table: Table, first: str, second: str, measure: str) -> dict[int, float | None]:
    """For each n, the shared fraction from which `measure` of design `first` exceeds that of
    `second` (linear interpolation between the measured fractions; the first fraction if it
    exceeds it there already; None: it never does)."""
    found: dict[int, float | None] = {}
    for nodes in sorted({int(n) for n in table.column("n")}):  # type: ignore[arg-type]
        a = table.where(n=nodes, design=first)
        b = table.where(n=nodes, design=second)
        found[nodes] = _first_crossing(
            [(float(x["shared fraction"]), float(x[measure]) - float(y[measure]))  # type: ignore[arg-type]
             for x, y in zip(a, b, strict=True)])
    return found


def _first_crossing(points: list[tuple[float, float]]) -> float | None:
    if points and points[0][1] > 0:
        return points[0][0]  # ahead from the first fraction on
    for (x0, d0), (x1, d1) in zip(points, points[1:], strict=False):
        if d0 < 0 <= d1 or (d0 == 0 and d1 > 0):
            return x0 + (x1 - x0) * (-d0) / (d1 - d0) if d1 != d0 else x0
    return None
