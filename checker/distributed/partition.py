"""One worker's part of a distributed breadth-first search (search.py drives them).

Partition p of P owns the states whose canonical fingerprint f has f % P == p: it stores
their fingerprints (a FingerprintSet, as the one-process search does), and for each its
parent's global number, the instance that led to it and its plain fingerprint, which is
all a counterexample is rebuilt from.  A state's global number is local * P + p.

A level has two tasks per partition.  `expand` steps the partition's frontier with the
vectorised stepper (checker/explicit/vector/step.py) and cuts the successors into P
`Batch`es by owner: NumPy arrays, rows of small integers, never Python states.  Under
symmetry the canonical fingerprint is computed here, by the sender, because it names the
owner; successors whose plain fingerprint this worker has sent before are dropped first (the
one-process search's filter, per worker).  `absorb` takes the batches sent to the
partition, keeps the states it has not stored, judges them (invariants, `reachable`s) and
makes them the next frontier.

The partition lives in the worker process, in a `PartitionPlugin` registered for the run
(`distributed.WorkerPlugin`'s contract: `setup(worker)` once per worker); the tasks find it
through `distributed.get_worker().plugins`.
"""

from __future__ import annotations

import time
from array import array
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from distributed import WorkerPlugin, get_worker

from numaspec.checker.distributed.graph import GraphPart, GraphRecorder
from numaspec.checker.explicit.symmetry import checked_structure
from numaspec.checker.explicit.vector.hash import Fingerprinter, FingerprintSet
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.step import VectorStepper, ranked
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir

CHUNK = 16384  # rows stepped together, as in the one-process search


@dataclass
class Batch:
    """States sent to one partition: rows, and per row the parent's global number, the
    instance (or, for an initial state, its number), the plain and canonical fingerprints."""

    rows: np.ndarray
    parents: np.ndarray
    via: np.ndarray
    plain: np.ndarray
    canonical: np.ndarray

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.rows, self.parents, self.via, self.plain,
                                      self.canonical))


@dataclass
class Expansion:
    """A partition's level: a batch per partition and what the coordinator adds up."""

    batches: list[Batch]
    expanded: int = 0
    transitions: int = 0
    fired: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per action
    failure: tuple[int, int] | None = None  # (global number, instance) of a failing step
    deadlock: int | None = None  # global number of a deadlocked state
    seconds: float = 0.0  # spent expanding

    def summary(self) -> Expansion:
        """This expansion without its batches (what the coordinator fetches)."""
        return Expansion([], self.expanded, self.transitions, self.fired, self.failure,
                         self.deadlock, self.seconds)


@dataclass
class Absorbed:
    """What `absorb` tells the coordinator."""

    new: int
    violating: int | None  # global number of a new state violating an invariant
    witnessed: list[int]  # the `reachable`s (positions in spec.reachables) now witnessed
    store_bytes: int
    received_bytes: int
    seconds: float = 0.0  # spent absorbing


class Partition:
    """Partition `part` of `parts` of the search of `spec` (`symmetry`: reduce by the
    spec's `symmetric Node`, checked as in one process, with its canonical form: canon.py's
    normal form; `graph`: record the part of the state graph liveness needs, graph.py)."""

    def __init__(self, spec: ir.Spec, symmetry: bool, part: int, parts: int, deadlock: bool,
                 graph: bool = False):
        self.model = Model(spec)
        self.stepper = VectorStepper(self.model, Layout(spec))
        self.layout = self.stepper.layout
        structure = checked_structure(spec) if symmetry and spec.symmetric else None
        self.fingerprinter = Fingerprinter(self.layout, None, structure)
        self.part, self.parts, self.deadlock = part, parts, deadlock
        self.graph = GraphRecorder(structure is not None) if graph else None
        self.store, self.sent = FingerprintSet(), FingerprintSet()
        self.parent, self.via, self.plain = array("q"), array("q"), array("Q")
        self.frontier, self.numbers = self.layout.empty(), np.empty(0, np.int64)
        self.action_of = np.array([i.action for i in self.model.instances], dtype=np.int64)

    # ---------------------------------------------------------------- expand
    def expand(self) -> Expansion:
        """Step the frontier; stops early at a failing step (the level is the last)."""
        began = time.perf_counter()
        result = Expansion([], fired=np.zeros(len(self.model.spec.actions), np.int64))
        parts: list[list[Batch]] = [[] for _ in range(self.parts)]
        for start in range(0, len(self.frontier), CHUNK):
            rows = self.frontier[start:start + CHUNK]
            for target, batch in enumerate(self._chunk(rows, self.numbers[start:start + CHUNK],
                                                       result)):
                parts[target].append(batch)
            if result.failure is not None:
                break
        result.batches = [_concatenate(p, self.layout) for p in parts]
        result.seconds = time.perf_counter() - began
        return result

    def _chunk(self, rows: np.ndarray, numbers: np.ndarray, result: Expansion) -> list[Batch]:
        steps, _ = self.stepper.steps(rows)
        result.expanded += len(rows)
        failures = [(int(numbers[r]), int(v)) for s in steps
                    for r, v in zip(s.failing_rows, s.failing_via, strict=True)]
        if failures:
            result.failure = min(failures)
        if self.deadlock and result.deadlock is None:
            result.deadlock = self._deadlocked(rows, numbers, steps)
        parent, via, _, keys, after = ranked(steps, len(self.model.instances), self.layout)
        result.transitions += len(keys)
        result.fired += np.bincount(self.action_of[via], minlength=len(result.fired))
        plain = self.fingerprinter.plain(after)
        _, first = np.unique(plain, return_index=True)
        first.sort()
        fresh = first[self.sent.add_new(plain[first])]
        canonical = plain[fresh] if self.fingerprinter.size == 1 else \
            self.fingerprinter.fingerprints(after[fresh], plain[fresh])[0]
        if self.graph is not None:
            self.graph.stepped(numbers[parent], via, plain, plain[fresh], canonical)
        owner = (canonical % np.uint64(self.parts)).astype(np.int64)
        out = []
        for target in range(self.parts):
            mine = fresh[owner == target]
            out.append(Batch(after[mine], numbers[parent[mine]], via[mine], plain[mine],
                             canonical[owner == target]))
        return out

    def _deadlocked(self, rows: np.ndarray, numbers: np.ndarray, steps: list[Any]) -> int | None:
        stuck = np.ones(len(rows), dtype=bool)
        for step in steps:
            stuck[step.rows] = False
        if not stuck.any():
            return None
        columns = self.stepper.columns(rows)
        for prop in self.model.spec.finals:
            stuck &= ~self.stepper.holds(prop, columns)
        return int(numbers[np.argmax(stuck)]) if stuck.any() else None

    # ---------------------------------------------------------------- absorb
    def absorb(self, unwitnessed: list[int], *batches: Batch) -> Absorbed:
        """Keep the states of `batches` not stored yet, in the order sent; judge them."""
        started = time.perf_counter()
        batch = _join(list(batches), self.layout)
        _, first = np.unique(batch.canonical, return_index=True)
        first.sort()
        new = first[self.store.add_new(batch.canonical[first])]
        start = len(self.parent)
        # through bytes: a list of Python ints per level costs more than the hashing
        self.parent.frombytes(batch.parents[new].astype(np.int64).tobytes())
        self.via.frombytes(batch.via[new].astype(np.int64).tobytes())
        self.plain.frombytes(batch.plain[new].astype(np.uint64).tobytes())
        self.frontier = batch.rows[new]
        if self.graph is not None:
            self.graph.stored(self.frontier, batch.canonical[new])
        self.numbers = (start + np.arange(len(new), dtype=np.int64)) * self.parts + self.part
        initial = bool(len(new)) and int(batch.parents[new[0]]) == -1
        columns = self.stepper.columns(self.frontier)
        reachables = self.model.spec.reachables
        witnessed = [k for k in unwitnessed
                     if len(new) and self.stepper.holds(reachables[k], columns).any()]
        bad = self.stepper.violating(columns, None if initial else batch.via[new])
        violating = int(self.numbers[np.argmax(bad)]) if bad.any() else None
        # batches[part] comes from this worker's own expansion: it never crossed a wire
        remote = sum(b.nbytes for k, b in enumerate(batches) if k != self.part or initial)
        return Absorbed(len(new), violating, witnessed, self.store_bytes(), remote,
                        time.perf_counter() - started)

    def record(self, number: int) -> tuple[int, int, int]:
        """(parent's global number, instance, plain fingerprint) of the state `number`."""
        local = number // self.parts
        return self.parent[local], self.via[local], self.plain[local]

    def graph_part(self) -> GraphPart:
        """The partition's part of the state graph (recorded when built with `graph`)."""
        assert self.graph is not None, "the partition did not record the graph"
        return self.graph.part(np.frombuffer(self.parent, np.int64),
                               np.frombuffer(self.via, np.int64), self.layout.empty())

    def store_bytes(self) -> int:
        return self.store.nbytes + self.sent.nbytes + sum(
            a.itemsize * len(a) for a in (self.parent, self.via, self.plain))


def _concatenate(batches: list[Batch], layout: Layout) -> Batch:
    if not batches:
        return _empty(layout)
    return Batch(np.concatenate([b.rows for b in batches]),
                 np.concatenate([b.parents for b in batches]),
                 np.concatenate([b.via for b in batches]),
                 np.concatenate([b.plain for b in batches]),
                 np.concatenate([b.canonical for b in batches]))


def _join(batches: list[Batch], layout: Layout) -> Batch:
    return _concatenate([b for b in batches if len(b.rows)], layout)


def _empty(layout: Layout) -> Batch:
    none = np.empty(0, np.int64)
    return Batch(layout.empty(), none, none, none.astype(np.uint64), none.astype(np.uint64))


class PartitionPlugin(WorkerPlugin):  # type: ignore[misc]
    """The partition of one run on one worker (Dask calls `setup` with the worker; the
    partition is built by the first task, which knows its number)."""

    def __init__(self, name: str, spec: ir.Spec, symmetry: bool, parts: int, deadlock: bool,
                 graph: bool = False):
        self.name, self.spec, self.symmetry = name, spec, symmetry
        self.parts, self.deadlock, self.graph = parts, deadlock, graph
        self.partition: Partition | None = None

    def setup(self, worker: Any) -> None:
        self.partition = None

    def teardown(self, worker: Any) -> None:
        self.partition = None  # the run is over: free the store

    def build(self, part: int) -> None:
        self.partition = Partition(self.spec, self.symmetry, part, self.parts, self.deadlock,
                                   self.graph)


def _plugin(name: str) -> PartitionPlugin:
    plugin = get_worker().plugins[name]
    assert isinstance(plugin, PartitionPlugin)
    return plugin


def _partition(name: str) -> Partition:
    partition = _plugin(name).partition
    assert partition is not None, "the partition was not built"
    return partition


def build_task(name: str, part: int) -> None:
    _plugin(name).build(part)


def expand_task(name: str) -> Expansion:
    return _partition(name).expand()


def batch_of(expansion: Expansion, target: int) -> Batch:
    return expansion.batches[target]


def summary_of(expansion: Expansion) -> Expansion:
    return expansion.summary()


def absorb_task(name: str, unwitnessed: list[int], *batches: Batch) -> Absorbed:
    return _partition(name).absorb(unwitnessed, *batches)


def record_task(name: str, number: int) -> tuple[int, int, int]:
    return _partition(name).record(number)


def graph_task(name: str) -> GraphPart:
    return _partition(name).graph_part()
