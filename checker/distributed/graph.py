"""Liveness after a distributed search: the state graph gathered partition by partition.

While the search runs, each partition (partition.py) records its part of the graph in a
`GraphRecorder`: the rows of the states it stores with their canonical fingerprints (in its
local order), and every transition its expansions take, as (source's global number,
instance, target's fingerprint).  Under symmetry the target's canonical fingerprint is known
to the sender only (it canonicalised the target, or dropped it as sent before): the sender
keeps plain -> canonical for what it sent and resolves its transitions itself when asked.

Once the safety search holds, the numaspec process fetches the parts one partition after the
other and numbers the nodes (partition by partition, each in its local order: a node's
parent, from the search's level-synchronous first discovery, is a node one level shallower,
so the parent links are breadth-first ones).  The graph is then the one-process one and is
decided by the one-process code: `GatheredGraph` is vector/liveness.py's VectorGraph (every
state, without symmetry) and `GatheredQuotient` vector/quotient.py's VectorQuotient (one node
per orbit, keyed by the search's canonical form), neither built by stepping again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from numaspec.checker.explicit.vector.hash import Fingerprinter, FingerprintIndex
from numaspec.checker.explicit.vector.liveness import VectorGraph
from numaspec.checker.explicit.vector.quotient import VectorQuotient
from numaspec.checker.explicit.vector.step import VectorStepper


@dataclass
class GraphPart:
    """One partition's part of the graph: its stored states (rows, canonical fingerprints,
    parents' global numbers, the instance or initial number that led to each) and the
    transitions its expansions took (sources' global numbers, instances, targets'
    canonical fingerprints)."""

    rows: np.ndarray
    keys: np.ndarray
    parent: np.ndarray
    via: np.ndarray
    src: np.ndarray
    edge_via: np.ndarray
    dst: np.ndarray


class GraphRecorder:
    """A partition's record of its part of the graph (`symmetric`: targets are recorded by
    plain fingerprint and resolved to canonical ones at the end)."""

    def __init__(self, symmetric: bool):
        self.rows: list[np.ndarray] = []
        self.keys: list[np.ndarray] = []
        self.src: list[np.ndarray] = []
        self.via: list[np.ndarray] = []
        self.dst: list[np.ndarray] = []
        # plain -> position in `canonical` (not the canonical fingerprint itself: the
        # index takes a negative number for an empty slot when it grows)
        self.canonical_of = FingerprintIndex() if symmetric else None
        self.canonical: list[np.ndarray] = []
        self.resolved = 0

    def stepped(self, sources: np.ndarray, via: np.ndarray, plain: np.ndarray,
                fresh_plain: np.ndarray, fresh_canonical: np.ndarray) -> None:
        """Transitions sources -> plain by `via`; `fresh_*`: the targets canonicalised now
        (distinct plain fingerprints this partition never sent before)."""
        self.src.append(sources)
        self.via.append(via.astype(np.int64))
        self.dst.append(plain)
        if self.canonical_of is not None:
            self.canonical_of.add_numbered(fresh_plain, self.resolved)
            self.canonical.append(fresh_canonical)
            self.resolved += len(fresh_plain)

    def stored(self, rows: np.ndarray, canonical: np.ndarray) -> None:
        """States stored by the partition, in its local order."""
        self.rows.append(rows)
        self.keys.append(canonical)

    def part(self, parent: np.ndarray, via: np.ndarray, empty_rows: np.ndarray) -> GraphPart:
        dst = _joined(self.dst, np.uint64)
        if self.canonical_of is not None:
            at = self.canonical_of.find(dst)
            assert not (at < 0).any(), "a target never canonicalised"
            dst = _joined(self.canonical, np.uint64)[at]
        rows = np.concatenate(self.rows) if self.rows else empty_rows
        return GraphPart(rows, _joined(self.keys, np.uint64), parent, via,
                         _joined(self.src, np.int64), _joined(self.via, np.int64), dst)


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)


def _assemble(graph: VectorGraph, parts: list[GraphPart]) -> np.ndarray:
    """Fill `graph`'s nodes, parent links and edges from `parts` (partition p's, in
    order); the node keys, by node."""
    count = len(parts)
    base = np.concatenate([[0], np.cumsum([len(p.keys) for p in parts])]).astype(np.int64)

    def dense(number: np.ndarray) -> np.ndarray:
        return base[number % count] + number // count

    keys = np.concatenate([p.keys for p in parts])
    graph.size = len(keys)
    graph.rows = np.concatenate([p.rows for p in parts])
    parent, via = np.concatenate([p.parent for p in parts]), np.concatenate([p.via for p in parts])
    initial = parent < 0
    graph.parent = np.where(initial, -1, dense(np.maximum(parent, 0)))
    graph.parent_via = np.where(initial, -1, via)
    graph.index = FingerprintIndex()
    graph.index.add(keys, np.arange(graph.size, dtype=np.int64))
    src = dense(np.concatenate([p.src for p in parts]))
    edge_via = np.concatenate([p.edge_via for p in parts])
    dst = graph.index.find(np.concatenate([p.dst for p in parts]))
    assert not (dst < 0).any(), "a transition to a state no partition stored"
    order = np.lexsort((edge_via, src))  # stable: each source's edges in instance order
    graph.sources, graph.instances, graph.targets = [src[order]], [edge_via[order]], [dst[order]]
    graph._edges()
    return keys


class GatheredGraph(VectorGraph):
    """VectorGraph's full graph from the parts of a search without symmetry."""

    def __init__(self, stepper: VectorStepper, parts: list[GraphPart],
                 check: Callable[[], None]):  # noqa: D107 - VectorGraph's search not run
        self.model, self.stepper, self.layout = stepper.model, stepper, stepper.layout
        self.hashes, self.check = Fingerprinter(self.layout, None), check
        _assemble(self, parts)


class GatheredQuotient(VectorQuotient):
    """VectorQuotient's quotient graph from the parts of a search under symmetry: nodes are
    keyed by the search's canonical form (`canonical`, the partitions' Fingerprinter, with
    the normal form), which also names the element that maps a step's target onto its
    node's representative; `group` numbers the elements as the fairness analysis does."""

    def __init__(self, stepper: VectorStepper, parts: list[GraphPart],
                 check: Callable[[], None], canonical: Fingerprinter,
                 group: list[tuple[int, ...]]):
        self.model, self.stepper, self.layout = stepper.model, stepper, stepper.layout
        self.hashes, self.check = canonical, check
        self.known = FingerprintIndex()
        self.number_group(group)
        self.node_keys = _assemble(self, parts)
