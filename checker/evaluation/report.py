"""The evaluation report (docs/evaluation.md): each claim of the seed paper next to the value
measured by this run, the figures and the tables.  Every number is read from the result
tables; the text around it only says where it comes from."""

from __future__ import annotations

import os
from pathlib import Path

from numaspec.checker.evaluation import changes, history, questions
from numaspec.checker.evaluation.designs import DEFAULT_TOPOLOGY, PERNODE, ROOTPAGER, SINGLE
from numaspec.checker.evaluation.runner import Results
from numaspec.checker.evaluation.tables import Cell, Table, fmt


def write_report(results: Results, out: Path, report: Path, command: str) -> None:
    """Write the report to `report`; figures are linked relative to it (they are in `out`)."""
    link = Path(os.path.relpath(out.resolve(), report.resolve().parent))
    report.write_text(render(results, link, command))


def render(results: Results, link: Path, command: str) -> str:
    tables, figs = results.tables, results.figures
    parts = [_head(results, command),
             _section("1. Lazy synchronisation", _lazy_claims(tables),
                      figs["lazy"], [tables["lazy_sync"], tables["lazy_sync_all_n"]], link),
             _section("2. Sharing degree", _sharing_claims(results), figs["sharing"],
                      [tables["sharing"]], link),
             _section("3. Kernel-data locality", _locality_claims(tables["locality"]),
                      figs["locality"], [tables["locality"]], link),
             _section("4. Global unmap cost", _unmap_claims(tables["unmap"]), figs["unmap"],
                      [tables["unmap"]], link),
             _changes(results),
             _section("5. Verification cost", _verify_claims(tables["verification"]),
                      figs["verify"], [tables["verification"]], link, TIMED),
             _section("6. User-level against in-kernel synchronisation",
                      questions.sync_claims(tables["insync"], results.sync_crossovers),
                      figs["sync"], [tables["insync_crossover"]],
                      link, questions.SYNC_TEXT),
             _section("7. The global-unmap protocols side by side",
                      questions.protocol_claims(tables["protocols"]), figs["protocols"],
                      [tables["protocols_summary"]], link,
                      questions.PROTOCOLS_TEXT),
             _section("8. Replication by sharing pattern",
                      questions.replication_claims(tables["replication"]),
                      figs["replication"], [tables["replication"]], link,
                      questions.REPLICATION_TEXT),
             _traces_section(results, link),
             METHOD]
    return "\n\n".join(parts) + "\n"


def _head(results: Results, command: str) -> str:
    config = results.config
    return "\n".join([
        "# Evaluation: the seed paper's claims, measured",
        "",
        "The seed paper (Kupferschmied, Stoess, Bellosa, EuroSys 2009 poster) proposes "
        "per-node address spaces and pagers for NUMA machines on L4, makes claims about their "
        "cost and leaves questions open. This report answers them with numbers from the "
        "designs in `spec/examples/` (docs/designs.md): every figure comes from executing "
        "the specs in the model, with the cost accounting of `numaspec simulate` "
        "(docs/cli.md); none is computed from a formula. How the experiments drive the "
        "designs: see *Method* at the end.",
        "",
        "Regenerate every table and figure of this page (counts and costs are deterministic "
        "for the seed, times are not, and a time limit can fall at another size on another "
        f"machine; this run took {results.seconds:.0f} s; `numaspec evaluate --quick` runs "
        "every stage on small sizes, as CI does):",
        "",
        "```",
        command,
        "```",
        "",
        f"Seed {config.seed}; node counts {config.nodes[0]}..{config.nodes[1]} (sections 1 to 5)"
        f" and {config.wide_nodes[0]}..{config.wide_nodes[1]} (sections 6 to 8); topologies "
        f"{', '.join(config.topologies) or 'none'}. Cost unit: the ACPI SLIT distance, 10 "
        "for one local memory access or message; a remote one costs its distance (20 on "
        "the default topology)."])


def _section(title: str, claims: list[tuple[str, str]], figures: list[str],
             tables: list[Table], link: Path, text: str = questions.DETERMINISTIC) -> str:
    lines = [f"## {title}", "", text, "", "| the paper | measured |", "|---|---|"]
    lines += [f"| {claim} | {measured} |" for claim, measured in claims]
    for figure in figures:
        lines += ["", f"![{figure}]({(link / figure).as_posix()})"]
    for table in tables:
        lines += ["", f"**{table.title}** (`{table.name}.csv`)", "", table.markdown()]
    return "\n".join(lines)


def _lazy_claims(tables: dict[str, Table]) -> list[tuple[str, str]]:
    summary = tables["lazy_sync_all_n"]
    detail = tables["lazy_sync"]
    per_node = summary.column(PERNODE.label)
    single = summary.column(SINGLE.label)
    ns = summary.column("n")
    k_eq = all(row[f"pagefaults: {PERNODE.label}"] == row["k"] for row in detail.where())
    return [("\"*n* pagefaults will occur until a global mapping is established on *n* "
             "nodes\"", f"P1: {_list(per_node)} pagefaults for n = {_list(ns)}; "
             f"k pagefaults for k of {fmt(detail.rows[0][0])} nodes: "
             f"{'yes, for every k' if k_eq else 'no (see the table)'}; P2 the same "
             f"({_list(summary.column(ROOTPAGER.label))})"),
            ("one node-spanning space: 1 pagefault", f"{_list(single)} for n = {_list(ns)}")]


def _sharing_claims(results: Results) -> list[tuple[str, str]]:
    table = results.tables["sharing"]
    ratios = []
    counts = sorted({int(x) for x in table.column("n")})  # type: ignore[arg-type]
    for n in counts:
        at = {f: _ratio(table, n, f) for f in (0.0, 0.1, 0.5, 1.0)}
        ratios.append(f"n = {n}: {fmt(at[0.0])} at 0 %, {fmt(at[0.1])} at 10 %, "
                      f"{fmt(at[0.5])} at 50 %, {fmt(at[1.0])} at 100 % shared")
    unmap_ratios = "; ".join(
        f"n = {n}: {fmt(_ratio(table, n, 0.5, 'unmap cost per access'))}" for n in counts)
    unmaps = f". Unmap cost per access, P1 / single space, at 50 % shared: {unmap_ratios}"
    first = min(float(f) for f in table.column("shared fraction"))  # type: ignore[arg-type]
    return [("\"if parallel threads work mainly on local data, the actual number of "
             "pagefaults is comparable to using a single address space only\"",
             "pagefaults P1 / single space: " + "; ".join(ratios)),
            ("(open: where do the two designs cross?)",
             "P1's memory cost per access (data and pagefault handling, distance-weighted) "
             "exceeds the single space's from " + _crossings(results.cost_crossings, first)
             + unmaps + ". (A P1 fault also reads the pagers' tables on node 0: section 3, "
             "all data.)"),
            ("(the kernel data alone: the paper's locality argument)",
             "P1's page-table and MDB cost per access exceeds the single space's from "
             + _crossings(results.kernel_crossings, first))]


def _crossings(found: dict[int, float | None], first: float) -> str:
    return "; ".join(f"n = {n}: " + ("never" if c is None else f"{100 * c:.1f} % shared"
                                       + (" (never cheaper)" if c == first else ""))
                     for n, c in sorted(found.items()))


def _ratio(table: Table, nodes: int, fraction: float,
           column: str = "pagefaults") -> float | None:
    a = table.where(n=nodes, design=PERNODE.label, **{"shared fraction": fraction})
    b = table.where(n=nodes, design=SINGLE.label, **{"shared fraction": fraction})
    if not a or not b or not b[0][column]:
        return None
    return float(a[0][column]) / float(b[0][column])  # type: ignore[arg-type]


def _locality_claims(table: Table) -> list[tuple[str, str]]:
    share = "remote share of fault kernel data (%)"

    def spread(label: str, column: str = share, unit: str = " %") -> str:
        rows = table.where(design=label)
        return ", ".join(f"{r['topology']} {fmt(r[column])}{unit}" for r in rows) or "n/a"

    every = "remote accesses per fault (all data)"
    return [("per-node spaces: page tables and MDB entries on the node that uses them "
             "(no remote kernel-data access)", f"P1, remote share of kernel-data accesses: "
             f"{spread(PERNODE.label)}. But a P1 fault still makes remote accesses to the "
             f"pagers' tables and sigma0's (on node 0), per fault: "
             f"{spread(PERNODE.label, every, '')}; single space: "
             f"{spread(SINGLE.label, every, '')}"),
            ("one node-spanning space: most kernel-data accesses remote",
             f"single space: {spread(SINGLE.label)}"),
            ("(root-pager unmap, not in the paper)", f"P2: {spread(ROOTPAGER.label)}")]


def _unmap_claims(table: Table) -> list[tuple[str, str]]:
    rows = {d.label: [r for r in table.where(design=d.label)
                      if str(r["topology"]).startswith(DEFAULT_TOPOLOGY)]
            for d in (PERNODE, ROOTPAGER, SINGLE)}

    def series(label: str, column: str) -> str:
        return _list([r[column] for r in rows[label]])

    ns = _list([r["n"] for r in rows[PERNODE.label]])
    cheaper = [r["n"] for r, q in zip(rows[ROOTPAGER.label], rows[PERNODE.label], strict=True)
               if float(r["distance-weighted cost"]) < float(q["distance-weighted cost"])]  # type: ignore[arg-type]
    return [("\"If a pager on one node wants to globally unmap a page, it must notify all "
             "other pagers ... making the unmap-operation more expensive\"",
             f"messages per global unmap for n = {ns}: P1 {series(PERNODE.label, 'messages')}"
             f"; single space {series(SINGLE.label, 'messages')} (TLB-shootdown IPIs and "
             f"acks: {series(SINGLE.label, 'TLB shootdown IPIs')} IPIs). Distance-weighted cost: "
             f"P1 {series(PERNODE.label, 'distance-weighted cost')}; single space "
             f"{series(SINGLE.label, 'distance-weighted cost')}"),
            ("\"Either by means of an IPC-based protocol or by the root pager\" -- can unmap "
             "be made cheaper?",
             f"root pager (P2): messages {series(ROOTPAGER.label, 'messages')} (of which "
             f"{series(ROOTPAGER.label, 'TLB shootdown IPIs')} IPIs, each with an ack), l4.unmap "
             f"calls {series(ROOTPAGER.label, 'l4.unmap calls')} (P1: "
             f"{series(PERNODE.label, 'l4.unmap calls')}); distance-weighted cost "
             f"{series(ROOTPAGER.label, 'distance-weighted cost')}: cheaper than P1 for n = "
             f"{_list(cheaper) or 'none'} (default topology)")]


def _changes(results: Results) -> str:
    """Section 4a: what the kernel with authority and shootdowns changed, in every section
    (changes.py: sections 1 and 4; history.py: 2, 3 and 5)."""
    tables = results.tables
    table = tables["unmap_before_after"]
    later = [*history.sharing_lines(tables["sharing"], results.cost_crossings,
                                    results.kernel_crossings),
             *history.locality_lines(tables["locality"]),
             *history.verification_lines(tables["verification"])]
    lines = ["## 4a. What changed with an honest kernel", "",
             "The kernel model now acts for a caller (a pager maps from and unmaps its own "
             "space only), gives a frame to one owner, and shoots down the TLBs of the other "
             "nodes a space is active on when it unmaps (docs/designs.md, \"How the designs "
             "relate to the reference P1\"). P2's node pagers now have their own spaces on "
             "their nodes. P1, whose spaces are each active on one node only, costs what it "
             "cost. The conclusions that moved:", "",
             *changes.conclusions(tables["unmap"], tables["lazy_sync"]), "",
             "The other sections, before → now (the previous run's figures, then this "
             "run's):", "", *later, "",
             f"**{table.title}** (`{table.name}.csv`)", "", table.markdown()]
    return "\n".join(lines)


def _verify_claims(table: Table) -> list[tuple[str, str]]:
    def done(column: str, verdict: str) -> str:
        return ", ".join(f"n = {r['n']}: {fmt(r[column])}" for r in table.where()
                         if r[verdict] == "holds") or "none"

    kind = [r for r in table.where() if r["k-induction seconds"] is not None]
    return [("(not in the paper) explicit-state verification of P1 against n",
             f"distinct states {done('distinct states (symmetry-reduced)', 'safety verdict')}"
             f"; seconds with liveness {done('seconds with liveness', 'verdict with liveness')}"
             ),
            ("(not in the paper) k-induction time against n",
             "; ".join(f"n = {r['n']}: {fmt(r['k-induction seconds'])} s" for r in kind)
             or "no proof within the limit")]


def _traces_section(results: Results, link: Path) -> str:
    """Section 9: the designs on the recorded traces (experiments/traces.py)."""
    tables = results.tables
    return _section("9. Recorded workloads", _traces_claims(tables["traces"],
                                                            tables["trace_workloads"]),
                    results.figures["traces"], [tables["trace_workloads"], tables["traces"]],
                    link)


def _traces_claims(table: Table, workloads: Table) -> list[tuple[str, str]]:
    def per_design(row: dict[str, Cell], column: str) -> str:
        return ", ".join(f"{_short(r['design'])} {fmt(r[column])}"
                         for r in table.where(trace=row["trace"], n=row["n"]))

    runs = workloads.where()
    if not runs:
        return [("\"What is the impact on realistic workloads?\"", "no recorded trace found "
                 "(examples/workloads/ is in a checkout, not in an installed package)")]
    shares = "; ".join(f"{r['trace']}, n = {r['n']}: {fmt(r['accesses to shared pages (%)'])}"
                       f" % to shared pages, {fmt(r['remote under first touch (%)'])} % "
                       f"remote" for r in runs)
    faults = "; ".join(f"{r['trace']}, n = {r['n']}: {per_design(r, 'pagefaults')}"
                       for r in runs)
    costs = "; ".join(f"{r['trace']}, n = {r['n']}: fault cost "
                      f"{per_design(r, 'fault cost per access')}; data cost "
                      f"{per_design(r, 'data cost per access')}" for r in runs)
    return [("\"What is the impact on realistic workloads?\" (the sharing of two recorded "
             "programs)", shares),
            ("pagefaults (P1 faults once per node and page, a single space once per page)",
             faults),
            ("cost per access: pagefault handling against data placement", costs)]


def _short(label: Cell) -> str:
    """A design's label without its explanation: `P1` for "..., IPC unmap (P1)"."""
    text = str(label)
    return text[text.rindex("(") + 1:-1] if text.endswith(")") else text


def _list(cells: list[Cell]) -> str:
    return ", ".join(fmt(c) for c in cells)


TIMED = ("Deterministic: the verdicts and the state counts. Not deterministic: every time "
         "(seconds depend on the machine and its load), and so where a time limit falls.")
METHOD = """## Method

- **Designs.** `pernode.numa` (P1: per-node spaces, global unmap by IPC between the pagers),
  `pernode_rootpager.numa` (P2: global unmap by the root pager; each node's pager in its own
  space on its node) and `single_as.numa` (one node-spanning space homed on node 0, with a
  pager thread of it on every node), each with a view `pt()` (what each node maps).
  Experiment 2 compares P1 with the single space, the others all three; experiment 4 also
  P1's corrected variants (`pernode_initiator.numa`: the ack counter on the initiator;
  `pernode_ipc.numa`: pagefaults as IPC) and the kernel's MDB locks (`-D MDB_LOCK=1`: one
  global lock on sigma0's node, Pistachio; `-D MDB_LOCK=2`: a lock per frame on its node,
  Fiasco). Experiments 6 to 8 add the in-kernel variants (`inkernel_sync_ipi.numa`,
  `inkernel_sync_remote.numa`), the faster unmaps (`unmap_batched.numa`, `unmap_flag.numa`),
  Barrelfish's revocation (`barrelfish_revoke.numa`), the clustered object
  (`clustered.numa`, Tornado/K42), page-table replication (`mitosis.numa`, `numapte.numa`)
  and Disco's page replication and migration (`disco.numa`); each is one `Design(...)` in
  `checker/evaluation/designs.py`, naming its unmap action, the steps that continue an
  operation without a message (`follow`) and, for Barrelfish, the actions that give a node
  the capability (`create`, `copy`).
- **Kernel** (`spec/lib/l4.numa`). Primitives act for the caller (`here()`, the executing
  node): a pager maps from and unmaps its own space. An unmap shoots down the TLBs of the
  other nodes its spaces are active on, within the step: an IPI and an acknowledgement each,
  charged as two cross-node messages and an `l4.tlb_flush` kernel call.
- **Driving a design** (`checker/evaluation/driver.py`). The specs have pagefault actions, not
  memory accesses. An access by node n to page v executes the design's `@pagefault` action
  for (n, v) if the design's view says node n does not map v, and is a hit otherwise. A global
  unmap executes the design's unmap action (`start_unmap`, `unmap`) and then delivers every
  message of the protocol (the enabled `receive` actions) until none is left; so does a
  pagefault (P2's forwarded pager faults, `pernode_ipc`'s fault and reply IPCs). Every step is
  charged by the model's `CostRecorder`, as `numaspec simulate` charges it, and every state is
  checked against the spec's invariants (experiments 6 and 8 up to n = 4, experiment 7 up to
  n = 8: a check of these designs' invariants costs about n^3 per state, and beyond those
  sizes it would take most of the run; experiment 6 checks the first ratio's run and
  re-runs the same trajectory at the other ratios, comparing the counts).
- **Costs.** An action `on n` that reads or writes data placed on node m costs the distance
  d(n, m); a message from n to m costs d(n, m) (docs/cli.md, "costs"). The kernel's page
  tables and MDB entries (`l4.pt`, `l4.mdb`) are placed on the home node of their address
  space, the pagers' tables on node 0. "Data cost" is the distance from the reading node to the
  frame of the page, which the specs do not model (the same in every design here).
- **Access streams** (`checker/evaluation/workloads.py`). A spec's `workload` weighs the enabled
  actions of a random walk and cannot express an access that hits, so the streams are
  generated from the seed and handed unchanged to every design. Experiment 2: each node has 2
  private pages and all share 4 pages; a uniformly chosen node reads a shared page with the
  given probability, else one of its private pages, and after a read frees the page (a global
  unmap) with probability 0.02, so that faults continue in the steady state.
- **Recorded workloads** (experiment 6, docs/workloads.md). Page-access traces of two
  pthreads programs recorded with valgrind (examples/workloads/), imported with threads
  round robin over the nodes and the 16 most-accessed pages kept
  (`checker/evaluation/recorded/`); every design replays the same stream. Mitosis' and
  numaPTE's replica updates are run after each fault until none is enabled.
- **Not modelled.** Hardware page-table walks on TLB misses (with one node-spanning space they
  would be remote too), the latency of IPC beyond its distance
  weight, contention. Distances weigh a message like one memory access at that distance: a
  real cross-node IPC costs far more, so the message columns are given separately.
"""
