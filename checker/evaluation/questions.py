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
# What each section measures and how to read it (shown above its table of claims).
SYNC_TEXT = DETERMINISTIC + " " + (
    "P1 (user-level: pagers, lazy pagefaults, IPC unmap) against the kernel keeping the "
    "per-node spaces coherent, by IPIs with acknowledgements (`inkernel_sync_ipi.numa`) or by "
    "remote page-table writes with a synchronous shootdown per node "
    "(`inkernel_sync_remote.numa`), on uniform topologies of 10 local and round(10 x ratio) "
    "remote, on the sharing-degree stream at shared fraction 0.5. The IPI variant has P1's "
    "steps, accesses and messages one for one, and the cost model charges a kernel IPI like a "
    "pager IPC (by distance only), so it costs what P1 costs (the table: a ratio of 1 "
    "everywhere); what would separate them "
    "(IPC's kernel entries, scheduling the pager) is not modelled. The remote-write variant "
    "sends fewer messages but writes every other node's page table remotely, one node after "
    "the other, so its cost grows faster with the ratio than P1's: below some ratio it can "
    "be the cheaper one (the tables: where, for each n). The plot: the cost ratio over "
    "(ratio, n), the black 1.0 line where the "
    "costs are equal, and each n's crossing.")
PROTOCOLS_TEXT = DETERMINISTIC + " " + (
    "Every protocol unmaps one page mapped on every node; the driver delivers every message "
    "and runs every follow step (remote writes, flushes, the flag's completion). Rounds are "
    "computed by the driver from the steps' receives and sends, the same way for every "
    "design (checker/evaluation/driver.py, `Rounds`): P1's request and acknowledgement are two "
    "rounds whatever n; the in-kernel remote writes, one shootdown per node in turn, 2(n - 1); "
    "the clustered object's request to the root, its fan-out to the reps and their "
    "acknowledgements, three (2n + 1 messages: the root's own rep is sent to and answers too). "
    "The batched design is shown with a batch of one page (its gain is for k pages per "
    "batch: 2(n - 1) messages instead of 2k(n - 1)). The unmap table of section 4 is "
    "unchanged.")
REPLICATION_TEXT = DETERMINISTIC + " " + (
    "Mitosis and numaPTE replicate the page table (translations, not data) on every node (on "
    "the nodes that touched it), so every fault and every unmap writes the replicas, remote "
    "for all but one node; P1 and the single space keep one table per node or one table. Disco "
    "replicates the data: the scan after a fault finds a page read by a second node and gives "
    "that node its own copy, so its faults cost more and its data accesses are local (the "
    "column apart). The "
    "patterns are streams of workloads.py (`pattern_stream`); write-shared repeats "
    "read-shared's accesses as writes, and the driver runs no write fault (Disco's collapse of "
    "the replicas before a write is checked, not measured), so its rows equal read-shared's. "
    "`migration.numa` drives threads, not (node, page) accesses, and is not in this "
    "comparison.")


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
