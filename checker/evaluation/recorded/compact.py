"""From a trace to a workload (docs/workloads.md, "Importing"): threads (or CPUs) assigned to
nodes, virtual pages compacted into the model's page indices 0..K-1, and the statistics of
both.

Compaction keeps the K most-accessed virtual pages (ties: the page touched first) and drops
every access to another page; the kept pages are numbered in the order of their first
access.  What was dropped is counted in the statistics, never hidden.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal, assert_never

from numaspec.checker.evaluation.recorded.tracefile import Record, Trace
from numaspec.checker.evaluation.workloads import Access

Policy = Literal["thread", "cpu", "node"]
POLICIES: tuple[Policy, ...] = ("thread", "cpu", "node")


@dataclass(frozen=True)
class ImportOptions:
    """`assign`: "thread" (threads round-robin over the nodes, in the order they first
    access memory), "cpu" (each record by its CPU: `cpu_map`, else CPU mod `nodes`) or
    "node" (the trace's own `node` column).  `pages`: K, the model's page count."""

    nodes: int = 2
    assign: Policy = "thread"
    pages: int = 16
    cpu_map: dict[int, int] | None = None


@dataclass(frozen=True)
class Stats:
    records: int  # accesses in the trace
    writes: int
    threads: int
    virtual_pages: int  # distinct pages the trace touches
    pages: int  # kept (at most K)
    accesses: int  # kept: the workload's length
    dropped: int  # accesses to pages not kept
    shared_pages: int  # kept pages touched by more than one node
    shared_access_share: float  # of the kept accesses, those to shared pages
    shared_access_share_all: float  # the same over every page of the trace
    remote_share: float  # of the kept accesses, those by a node other than the page's first
    accesses_by_node: tuple[int, ...]
    threads_by_node: tuple[int, ...]


@dataclass(frozen=True)
class Workload:
    """An access stream for `nodes` nodes and `pages` pages, and where it came from."""

    name: str
    nodes: int
    pages: int
    assign: Policy
    stream: list[Access]
    stats: Stats
    page_map: tuple[int, ...] = ()  # the virtual page of each page index
    thread_nodes: dict[int, int] = field(default_factory=dict)  # thread -> node, by threads


def import_trace(trace: Trace, options: ImportOptions) -> Workload:
    """The workload of `trace` under `options`.  Raises SpecError (E545) when the trace does
    not fit the assignment: no `cpu` or `node` column, a CPU the map lacks, a node too
    large."""
    nodes = _nodes(trace, options)
    kept = _kept_pages(trace.records, options.pages)
    stream = [Access(node, kept[r.page], write=r.write)
              for r, node in zip(trace.records, nodes, strict=True) if r.page in kept]
    thread_nodes = _thread_nodes(trace.records, nodes)
    stats = _stats(trace.records, nodes, kept, stream, thread_nodes, options.nodes)
    return Workload(trace.name, options.nodes, max(len(kept), 1), options.assign, stream,
                    stats, tuple(sorted(kept, key=kept.__getitem__)), thread_nodes)


def _nodes(trace: Trace, options: ImportOptions) -> list[int]:
    """The node of each record."""
    match options.assign:
        case "thread":
            order: dict[int, int] = {}
            return [order.setdefault(r.thread, len(order)) % options.nodes
                    for r in trace.records]
        case "cpu":
            return [_cpu_node(trace, r, options) for r in trace.records]
        case "node":
            return [_own_node(trace, r, options.nodes) for r in trace.records]
        case unknown:
            assert_never(unknown)


def _cpu_node(trace: Trace, record: Record, options: ImportOptions) -> int:
    if record.cpu is None:
        raise trace.error("E545", "--assign cpu needs a `cpu` column")
    if options.cpu_map is None:
        return record.cpu % options.nodes
    if record.cpu not in options.cpu_map:
        raise trace.error("E545", f"CPU {record.cpu} is not in --cpu-map", record.line,
                          "cpu")
    return options.cpu_map[record.cpu]


def _own_node(trace: Trace, record: Record, nodes: int) -> int:
    if record.node is None:
        raise trace.error("E545", "--assign node needs a `node` column")
    if record.node >= nodes:
        raise trace.error("E545", f"node {record.node} is not one of the {nodes} nodes "
                          f"(--nodes {nodes})", record.line, "node")
    return record.node


def _kept_pages(records: list[Record], limit: int) -> dict[int, int]:
    """virtual page -> page index, for the `limit` most-accessed pages."""
    counts = Counter(r.page for r in records)
    first: dict[int, int] = {}
    for index, r in enumerate(records):
        first.setdefault(r.page, index)
    ranked = sorted(counts, key=lambda page: (-counts[page], first[page]))[:limit]
    return {page: index for index, page in enumerate(sorted(ranked, key=first.__getitem__))}


def _thread_nodes(records: list[Record], nodes: list[int]) -> dict[int, int]:
    """thread -> node, when every thread stays on one node (else empty)."""
    seen: dict[int, int] = {}
    for r, node in zip(records, nodes, strict=True):
        if seen.setdefault(r.thread, node) != node:
            return {}
    return seen


def _stats(records: list[Record], nodes: list[int], kept: dict[int, int],
           stream: list[Access], thread_nodes: dict[int, int], node_count: int) -> Stats:
    touched: defaultdict[int, set[int]] = defaultdict(set)
    for r, node in zip(records, nodes, strict=True):
        touched[r.page].add(node)
    shared = {page for page, by in touched.items() if len(by) > 1}
    shared_indices = {kept[page] for page in shared if page in kept}
    kept_shared = sum(1 for a in stream if a.page in shared_indices)
    all_shared = sum(1 for r in records if r.page in shared)
    first: dict[int, int] = {}
    remote = sum(1 for a in stream if first.setdefault(a.page, a.node) != a.node)
    by_node = Counter(a.node for a in stream)
    threads = Counter(thread_nodes.values())
    return Stats(len(records), sum(r.write for r in records),
                 len({r.thread for r in records}), len(touched), len(kept), len(stream),
                 len(records) - len(stream), sum(1 for p in kept if p in shared),
                 kept_shared / len(stream) if stream else 0.0, all_shared / len(records),
                 remote / len(stream) if stream else 0.0,
                 tuple(by_node[n] for n in range(node_count)),
                 tuple(threads[n] for n in range(node_count)))
