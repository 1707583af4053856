"""The report's sections on the seed paper's open questions (docs/evaluation.md, sections 6 to
8): user-level against in-kernel synchronisation, the global-unmap protocols side by side,
and page-table replication by sharing pattern.  Every number is read from the result tables
(and the crossings computed from them); the text only says where it comes from."""

from __future__ import annotations

from numaspec.checker.evaluation.designs import PERNODE, SINGLE
from numaspec.checker.evaluation.experiments.insync import COST, Crossing, describe, relative
from numaspec.checker.evaluation.experiments.protocols import SUMMARY_NODES
from numaspec.checker.evaluation.tables import Table, fmt

DETERMINISTIC = ("Deterministic: every figure of this section (counts, and costs for the "
                 "seed); none is a time.")


def sync_claims(table: Table,
                crossovers: dict[str, dict[int, Crossing]]) -> list[tuple[str, str]]:
    claims = []
    for label, by_n in crossovers.items():
        lines = "; ".join(f"n = {n}: {describe(c)}" for n, c in sorted(by_n.items()))
        claims.append((f"(open) user-level sync (P1) or the kernel: {label}?", lines))
    ratios = sorted({float(str(r)) for r in table.column("remote/local ratio")})
    counts = sorted({int(str(n)) for n in table.column("n")})
    spread = ", ".join(f"n = {n}: {fmt(relative(table, label, n, ratios[0]))} at ratio "
                       f"{ratios[0]:g}, {fmt(relative(table, label, n, ratios[-1]))} at "
                       f"{ratios[-1]:g}" for label in crossovers for n in (counts[0], counts[-1]))
    claims.append(("(cost per access relative to P1, the smallest and largest n)", spread))
    return claims


def protocol_claims(table: Table) -> list[tuple[str, str]]:
    labels = list(dict.fromkeys(str(d) for d in table.column("design")))
    counts = [n for n in SUMMARY_NODES if table.where(n=n)]

    def at(label: str, column: str) -> str:
        return ", ".join(fmt(table.where(n=n, design=label)[0][column]) for n in counts)

    ns = ", ".join(str(n) for n in counts)
    messages = "; ".join(f"{label}: {at(label, 'messages')}" for label in labels)
    rounds = "; ".join(f"{label}: {at(label, 'rounds')}" for label in labels)
    cost = "; ".join(f"{label}: {at(label, 'distance-weighted cost')}" for label in labels)
    return [(f"\"Can we improve the performance of unmap operations?\" messages per global "
             f"unmap, n = {ns}", messages),
            (f"rounds (longest causal chain of messages), n = {ns}", rounds),
            (f"distance-weighted cost, n = {ns}", cost)]


def replication_claims(table: Table) -> list[tuple[str, str]]:
    top = max(int(str(n)) for n in table.column("n"))
    labels = list(dict.fromkeys(str(d) for d in table.column("design")))
    claims = []
    for pattern in dict.fromkeys(str(p) for p in table.column("pattern")):
        rows = {label: table.where(n=top, pattern=pattern, design=label)[0] for label in labels}
        best = min(labels, key=lambda label: float(str(rows[label][COST])))
        figures = "; ".join(f"{label}: {fmt(rows[label]['pagefaults'])} faults, "
                            f"{fmt(rows[label]['remote accesses per access'])} remote, "
                            f"{fmt(rows[label]['messages per access'])} messages, cost "
                            f"{fmt(rows[label][COST])}" for label in labels)
        claims.append((f"{pattern}, n = {top} (per access; cheapest: {best})", figures))
    claims.append(("(what the per-node design buys against replication)",
                   _p1_against_replicas(table, labels)))
    return claims


def _p1_against_replicas(table: Table, labels: list[str]) -> str:
    others = [label for label in labels if label not in (PERNODE.label, SINGLE.label)]
    parts = []
    for n in sorted({int(str(x)) for x in table.column("n")}):
        rows = table.where(n=n, pattern="read-shared")
        cost = {str(r["design"]): float(str(r[COST])) for r in rows}
        parts.append(f"n = {n}: " + ", ".join(
            f"{label.split(':')[0]} / P1 {fmt(cost[label] / cost[PERNODE.label])}"
            for label in others))
    return "read-shared cost per access, replication over P1: " + "; ".join(parts)
