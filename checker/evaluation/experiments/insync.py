"""Experiment 6, user-level against in-kernel synchronisation: P1 (per-node pagers: lazy
pagefaults and an IPC unmap protocol) against the kernel keeping the per-node spaces coherent,
by IPIs with acknowledgements (`inkernel_sync_ipi`) or by remote page-table writes with a
shootdown per node (`inkernel_sync_remote`), across remote-to-local distance ratios and node
counts.  Every design runs the same sharing stream (workloads.sharing_stream) on a uniform
topology of 10 local and round(10 * ratio) remote; the metric is the distance-weighted cost of
the fault and unmap steps per access (the data accesses cost the same in every design: first
touch places the frame on the faulting node in all three).

The designs never read distances, so a design's trajectory (its states, its counts) is the
same at every ratio: it is checked against the invariants at the first ratio (up to
`CHECKED_UP_TO` nodes) and the other ratios re-run it unchecked, with its counts compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from numaspec.checker.evaluation.designs import Design, Machine, compile_design
from numaspec.checker.evaluation.driver import Driver, EvaluationError
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import Access, Layout, sharing_stream
from numaspec.model.outcome import Progress

CHECKED_UP_TO = 4  # node counts whose states are checked (a check costs ~n^3)


@dataclass(frozen=True)
class SyncSetup:
    ratios: tuple[float, ...] = tuple(round(1.2 + 0.2 * i, 1) for i in range(10))
    accesses: int = 1000
    shared_fraction: float = 0.5
    unmap_probability: float = 0.02


COST = "cost per access"
RELATIVE = "cost / P1's"
COLUMNS = ["n", "remote/local ratio", "remote distance", "design", "pagefaults",
           "global unmaps", "messages", "remote accesses", "fault cost per access",
           "unmap cost per access", COST, RELATIVE]


def drive(design: Design, machine: Machine, layout: Layout, stream: Sequence[Access],
          check: bool) -> Driver:
    """A driver that has run `stream` (accesses and global unmaps) on `machine`."""
    spec = compile_design(design, machine, layout.pages, layout.frames_per_node)
    driver = Driver(spec, design, check_invariants=check)
    for access in stream:
        driver.access(access.node, access.page)
        if access.unmap:
            driver.global_unmap(access.node, access.page)
    return driver


def _measures(driver: Driver) -> list[int | float]:
    fault, unmap = driver.phase("fault").costs, driver.phase("unmap").costs
    count = driver.accesses
    fault_cost = (fault.access_cost + fault.message_cost) / count
    unmap_cost = (unmap.access_cost + unmap.message_cost) / count
    return [fault.pagefaults, driver.global_unmaps, fault.messages + unmap.messages,
            fault.remote_accesses + unmap.remote_accesses, fault_cost, unmap_cost,
            fault_cost + unmap_cost]


def run(designs: Sequence[Design], node_counts: Sequence[int], setup: SyncSetup, seed: int,
        progress: Progress[str]) -> Table:
    """The first design is the reference (P1): `cost / P1's` divides by its cost."""
    table = Table("insync", "User-level against in-kernel synchronisation: cost per access "
                  "by remote/local ratio and node count", COLUMNS, note=_note(setup))
    for nodes in node_counts:
        progress(f"user-level vs in-kernel sync: n = {nodes}")
        layout = Layout(nodes)
        stream = sharing_stream(layout, setup.shared_fraction, setup.accesses,
                                setup.unmap_probability, seed)
        counts: dict[str, list[int | float]] = {}
        for k, ratio in enumerate(setup.ratios):
            machine = Machine(nodes, ratio=ratio)
            reference = None
            for design in designs:
                measures = _measures(drive(design, machine, layout, stream,
                                           k == 0 and nodes <= CHECKED_UP_TO))
                _same_trajectory(design, counts.setdefault(design.label, measures[:4]),
                                 measures[:4])
                reference = measures[-1] if reference is None else reference
                table.add(nodes, ratio, machine.remote, design.label, *measures,
                          measures[-1] / reference)
    return table


def _same_trajectory(design: Design, first: list[int | float],
                     now: list[int | float]) -> None:
    if first != now:
        raise EvaluationError(f"{design.key}: its counts depend on the distances ({first} at "
                              f"the first ratio, {now} now): the unchecked runs would not "
                              "repeat the checked one")


def _note(setup: SyncSetup) -> str:
    ratios = ", ".join(f"{r:g}" for r in setup.ratios)
    return (f"Uniform topology, 10 local and round(10 x ratio) remote, ratios {ratios}. The "
            f"sharing-degree stream at shared fraction {setup.shared_fraction:g} (2 private "
            f"pages per node, 4 shared; {setup.accesses:,} accesses, each followed with "
            f"probability {setup.unmap_probability:g} by a global unmap by the reader), the "
            f"same for every design and ratio. Cost per access = (fault steps + unmap steps, "
            f"their accesses and messages, distance-weighted) / accesses; the data accesses "
            f"are left out (the same in every design). States checked against the invariants "
            f"up to n = {CHECKED_UP_TO}, at the first ratio (the other ratios repeat the "
            f"same trajectory: same counts, checked).")


Crossing = tuple[str, float | None]  # (who wins below the crossing, ratio) or (verdict, None)


def crossovers(table: Table, reference: str, other: str) -> dict[int, Crossing]:
    """For each n: where `other`'s cost per access crosses `reference`'s, by ratio (linear
    interpolation between the measured ratios): ("cheaper below", r) if `other` is cheaper
    below r and dearer above, ("dearer below", r) the reverse; without a crossing ("always
    cheaper" | "always dearer" | "equal", None)."""
    found: dict[int, Crossing] = {}
    for nodes in sorted({int(str(n)) for n in table.column("n")}):
        mine = table.where(n=nodes, design=other)
        base = table.where(n=nodes, design=reference)
        points = [(float(str(a["remote/local ratio"])),
                   float(str(a[COST])) - float(str(b[COST])))
                  for a, b in zip(mine, base, strict=True)]
        found[nodes] = crossing(points)
    return found


def crossing(points: list[tuple[float, float]]) -> Crossing:
    """Where the difference (other - reference) changes sign, first change only."""
    tolerance = 1e-9
    signs = [0 if abs(d) < tolerance else (1 if d > 0 else -1) for _, d in points]
    for (x0, d0), (x1, d1), s0, s1 in zip(points, points[1:], signs, signs[1:], strict=False):
        if s0 != 0 and s1 != s0:
            x = x1 if s1 == 0 else x0 + (x1 - x0) * d0 / (d0 - d1)
            return ("cheaper below" if s0 < 0 else "dearer below", x)
    if all(s == 0 for s in signs):
        return ("equal", None)
    return ("always cheaper" if min(signs) < 0 else "always dearer", None)


def describe(crossing: Crossing) -> str:
    verdict, ratio = crossing
    if ratio is None:
        return {"equal": "the same cost as P1 at every ratio",
                "always cheaper": "cheaper than P1 at every ratio",
                "always dearer": "dearer than P1 at every ratio"}[verdict]
    side = "cheaper" if verdict == "cheaper below" else "dearer"
    other = "dearer" if side == "cheaper" else "cheaper"
    return f"{side} than P1 below ratio {ratio:.2f}, {other} above"


def relative(table: Table, label: str, nodes: int, ratio: float) -> float | None:
    rows = table.where(n=nodes, design=label, **{"remote/local ratio": ratio})
    return float(str(rows[0][RELATIVE])) if rows else None


def summary(table: Table, crossovers: dict[str, dict[int, Crossing]]) -> Table:
    """Per n and in-kernel design: the crossing and the cost ratio at three ratios."""
    ratios = sorted({float(str(r)) for r in table.column("remote/local ratio")})
    shown = sorted({ratios[0], ratios[len(ratios) // 2], ratios[-1]})
    summary = Table("insync_crossover", "User-level against in-kernel synchronisation: where "
                    "the costs cross", ["n", "design", "against P1", "crossing ratio",
                                        *(f"cost / P1's at ratio {r:g}" for r in shown)],
                    note="Crossing ratio: where the design's cost per access equals P1's "
                         "(linear interpolation between the measured ratios; n/a: no "
                         "crossing in the measured range). All rows: `insync.csv`.")
    for label, by_n in crossovers.items():
        for nodes, crossing in sorted(by_n.items()):
            summary.add(nodes, label, describe(crossing), crossing[1],
                        *(relative(table, label, nodes, r) for r in shown))
    return summary
