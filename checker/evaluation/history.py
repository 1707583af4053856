"""Sections 2, 3 and 5 of the evaluation before the kernel with caller authority and TLB
shootdowns, and how this run's figures compare (changes.py does sections 1 and 4).

The previous figures are constants copied from docs/evaluation.md of the run with seed 0
before that change: history, which the current kernel cannot recompute."""

from __future__ import annotations

from numaspec.checker.evaluation.designs import PERNODE, ROOTPAGER, SINGLE
from numaspec.checker.evaluation.tables import Table, fmt

# Section 2: unmap cost per access, P1 / single space, at 50 % shared, by n.
PREVIOUS_UNMAP_RATIO_AT_HALF = {2: 1.8, 5: 3.01, 8: 4.1}
# Section 2: the shared fraction from which P1's memory cost (all data) and its kernel-data
# cost per access exceed the single space's, by n.
PREVIOUS_COST_CROSSING = {2: 0.0, 5: 0.004, 8: 0.008}
PREVIOUS_KERNEL_CROSSING = {2: 0.55, 5: 0.169, 8: 0.142}
TOPOLOGIES = ("uniform2", "uniform4", "opteron4", "xeon2", "magnycours8")
# Section 3: remote share of fault kernel data (%), and remote accesses per fault (all data).
PREVIOUS_REMOTE_SHARE = {
    SINGLE.label: dict(zip(TOPOLOGIES, (50.4, 71.9, 71.9, 50.4, 85.4), strict=True)),
    ROOTPAGER.label: dict(zip(TOPOLOGIES, (28.6, 38.8, 38.8, 28.6, 43.3), strict=True)),
}
PREVIOUS_REMOTE_PER_FAULT = {
    PERNODE.label: dict(zip(TOPOLOGIES, (4.57, 4.87, 4.87, 4.57, 4.59), strict=True)),
    SINGLE.label: dict(zip(TOPOLOGIES, (7.57, 10.8, 10.8, 7.57, 12.8), strict=True)),
}
# Section 5: P1's k-induction seconds by n (P1's states are the same under either kernel).
PREVIOUS_INDUCTION_SECONDS = {2: 0.917, 3: 2.46, 4: 6.56, 5: 14.8, 6: 30.2, 7: 61.2, 8: 107.8}

Row = tuple[str, float, float | None]  # (what, before, now: None where this run has none)


def side_by_side(rows: list[Row], unit: str = "") -> str:
    """`what before → now` for each row."""
    def now(value: float | None) -> str:
        return "n/a" if value is None else f"{fmt(value)}{unit}"
    return ", ".join(f"{what} {fmt(before)}{unit} → {now(after)}" for what, before, after in rows)


def sharing_lines(table: Table, cost: dict[int, float | None],
                  kernel: dict[int, float | None]) -> list[str]:
    """Section 2's conclusions before and now: unmap cost per access, the crossing points."""
    def ratio(n: int) -> float | None:
        mine, theirs = (table.where(n=n, design=d, **{"shared fraction": 0.5})
                        for d in (PERNODE.label, SINGLE.label))
        column = "unmap cost per access"
        if not mine or not theirs or not theirs[0][column]:
            return None
        return float(mine[0][column]) / float(theirs[0][column])  # type: ignore[arg-type]

    def crossing(found: dict[int, float | None], previous: dict[int, float]) -> list[Row]:
        return [(f"n = {n}:", 100 * before,
                 None if found.get(n) is None else 100 * found[n])  # type: ignore[operator]
                for n, before in previous.items()]

    unmap = [(f"n = {n}:", before, ratio(n)) for n, before in PREVIOUS_UNMAP_RATIO_AT_HALF.items()]
    return [
        "- **Sharing (section 2): the single space's unmaps now pay shootdowns.** P1's unmap "
        "cost per access relative to the single space's, at 50 % shared: "
        + side_by_side(unmap) + ".",
        "- **Where P1's memory cost per access exceeds the single space's** (shared fraction): "
        + side_by_side(crossing(cost, PREVIOUS_COST_CROSSING), " %") + "; kernel data alone: "
        + side_by_side(crossing(kernel, PREVIOUS_KERNEL_CROSSING), " %") + ".",
    ]


def locality_lines(table: Table) -> list[str]:
    """Section 3's conclusions before and now: remote shares, remote accesses per fault."""
    def rows(design: str, column: str, previous: dict[str, float]) -> list[Row]:
        found = {str(r["topology"]): float(r[column])  # type: ignore[arg-type]
                 for r in table.where(design=design)}
        return [(topology, before, found.get(topology)) for topology, before in previous.items()]

    share = "remote share of fault kernel data (%)"
    every = "remote accesses per fault (all data)"
    return [
        "- **Kernel-data locality (section 3)**, remote share of fault kernel data: single "
        "space " + side_by_side(rows(SINGLE.label, share, PREVIOUS_REMOTE_SHARE[SINGLE.label]),
                                " %")
        + "; P2 " + side_by_side(rows(ROOTPAGER.label, share,
                                      PREVIOUS_REMOTE_SHARE[ROOTPAGER.label]), " %") + ".",
        "- **Remote accesses per fault, all data**: P1 "
        + side_by_side(rows(PERNODE.label, every, PREVIOUS_REMOTE_PER_FAULT[PERNODE.label]))
        + "; single space "
        + side_by_side(rows(SINGLE.label, every, PREVIOUS_REMOTE_PER_FAULT[SINGLE.label]))
        + ".",
    ]


def verification_lines(table: Table) -> list[str]:
    """Section 5: P1's states do not change with the kernel; the k-induction time does."""
    def seconds(n: int) -> float | None:
        found = table.where(n=n)
        value = found[0]["k-induction seconds"] if found else None
        return None if value is None else float(value)  # type: ignore[arg-type]

    timed = [(f"n = {n}:", before, seconds(n)) for n, before in PREVIOUS_INDUCTION_SECONDS.items()]
    return ["- **Verification (section 5)**: P1's state counts are the previous kernel's (its "
            "spaces are each active on one node). k-induction seconds (machine- and "
            "load-dependent): " + side_by_side(timed, " s") + "."]
