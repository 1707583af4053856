"""Experiment 6, recorded workloads: the designs replay page-access traces of real
multi-threaded programs (docs/workloads.md; examples/workloads/ says how they were recorded).
Each trace is imported for each node count (threads round-robin over the nodes, the K
most-accessed pages kept) and the very same stream is replayed on every design, as in
experiment 2, but with the program's own sharing instead of a drawn one.  Two tables: what
each imported workload is (threads, pages, sharing) and what each design makes of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from numaspec.checker.evaluation.designs import (
    MITOSIS,
    NUMAPTE,
    PERNODE,
    ROOTPAGER,
    SINGLE,
    Design,
    Machine,
    compile_design,
)
from numaspec.checker.evaluation.driver import Driver
from numaspec.checker.evaluation.recorded.compact import ImportOptions, Workload, import_trace
from numaspec.checker.evaluation.recorded.tracefile import read_trace
from numaspec.checker.evaluation.tables import Cell, Table
from numaspec.model.outcome import Progress

DESIGNS = (PERNODE, ROOTPAGER, SINGLE, MITOSIS, NUMAPTE)
RECORDED = Path(__file__).resolve().parents[3] / "examples" / "workloads"


def recorded_traces() -> tuple[str, ...]:
    """The traces shipped in examples/workloads/ (none in an installed package)."""
    return tuple(str(p) for p in sorted(RECORDED.glob("*.csv.xz")))


@dataclass(frozen=True)
class TraceSetup:
    traces: tuple[str, ...] = ()  # trace files; () = the recorded ones
    node_counts: tuple[int, ...] = (2, 3)
    pages: int = 16  # K: the most-accessed pages kept

    @property
    def files(self) -> tuple[str, ...]:
        return self.traces or recorded_traces()


def trace_name(path: str) -> str:
    """`matmul` for examples/workloads/matmul.csv.xz."""
    return Path(path).name.split(".")[0]


def replay(design: Design, workload: Workload) -> Driver:
    """A driver that has run `workload` (its accesses, and its unmaps if any) on the default
    topology of `workload.nodes` nodes."""
    spec = compile_design(design, Machine(workload.nodes), workload.pages, workload.pages)
    driver = Driver(spec, design)
    for access in workload.stream:
        driver.access(access.node, access.page)
        if access.unmap:
            driver.global_unmap(access.node, access.page)
    return driver


WORKLOAD_COLUMNS = ["trace", "n", "threads", "virtual pages", "pages kept", "accesses",
                    "accesses kept", "writes (%)", "shared pages",
                    "accesses to shared pages (%)", "remote under first touch (%)"]
COLUMNS = ["trace", "n", "design", "accesses", "pagefaults", "faults per 1000 accesses",
           "messages", "fault cost per access", "data cost per access",
           "memory cost per access", "kernel-data cost per access"]


def run(designs: Sequence[Design], setup: TraceSetup,
        progress: Progress[str]) -> tuple[Table, Table]:
    """(the workloads, the designs on them).  Raises SpecError for a bad trace and
    EvaluationError for a design that cannot run one."""
    workloads = Table("trace_workloads", "Recorded workloads: what each imported trace is",
                      WORKLOAD_COLUMNS, note=_workload_note(setup))
    table = Table("traces", "Recorded workloads: pagefaults, messages and distance-weighted "
                  "cost per access", COLUMNS, note=NOTE)
    for path in setup.files:
        trace = read_trace(Path(path), trace_name(path))
        for nodes in setup.node_counts:
            workload = import_trace(trace, ImportOptions(nodes, "thread", setup.pages))
            workloads.add(*_workload_row(workload))
            for design in designs:
                progress(f"recorded workloads: {workload.name}, n = {nodes}, {design.key}")
                table.add(workload.name, nodes, design.label, *_measures(replay(design,
                                                                                workload)))
    return workloads, table


def _workload_row(workload: Workload) -> list[Cell]:
    s = workload.stats
    return [workload.name, workload.nodes, s.threads, s.virtual_pages, s.pages, s.records,
            s.accesses, 100 * s.writes / s.records, s.shared_pages,
            100 * s.shared_access_share, 100 * s.remote_share]


def _measures(driver: Driver) -> list[Cell]:
    fault = driver.phase("fault").costs
    count = max(driver.accesses, 1)
    fault_cost = (fault.access_cost + fault.message_cost) / count
    data_cost = driver.data_cost / count
    return [driver.accesses, fault.pagefaults, 1000 * fault.pagefaults / count,
            fault.messages, fault_cost, data_cost, fault_cost + data_cost,
            driver.phase("fault").kernel_data()[2] / count]


def _workload_note(setup: TraceSetup) -> str:
    return (f"Threads round-robin over the n nodes in the order they first access memory "
            f"(the main thread on node 0); the {setup.pages} most-accessed virtual pages "
            f"kept, the accesses to the others dropped (accesses - accesses kept). Shared "
            f"pages: kept pages accessed from more than one node. Remote under first touch: "
            f"accesses by a node other than the one that touched the page first, which is "
            f"where every design here places its frame.")


NOTE = ("Default topology (10 local / 20 remote). Every design replays the same stream; an "
        "access is one record of the trace (a run of one thread's accesses to one page). No "
        "trace has unmap records, so there are no global unmaps: a page faults once per node "
        "(per-node spaces) or once (one space, replicated tables), and the rest are hits. "
        "Fault cost: the pagefault steps (and numaPTE's replica creation, a pagefault), "
        "with their messages. Data cost: the distance from the accessing node to the "
        "page's frame. Writes cost what reads do: every design maps read-write on a fault.")
