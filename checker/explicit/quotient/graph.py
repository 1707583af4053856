"""The quotient graph: one node per orbit of reachable states, and what the analysis asks of it.

A node stands for the orbit of its representative, the first state of the orbit that the
breadth-first search met (so nodes are numbered as the safety search numbers orbits).  An edge
(u, instance, v) says that the representative of u has a successor by `instance` in the orbit
of v.  The fairness analysis (fair.py) needs more than the edges: for each concrete step from a
representative, the group element that maps its target onto the target's representative
(`concrete_edges`), and the lifting of lassos (lasso.py) needs the orbit key of any state
(`keys`).  `InterpretedQuotient` builds the graph with the model; the vectorised one is
checker/explicit/vector/quotient.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numaspec.checker.explicit.symmetry import Symmetry
from numaspec.model.machine import Model, State
from numaspec.model.outcome import LimitReached
from numaspec.spec.ir import nodes as ir


class Quotient:
    """What every quotient graph provides: `size` nodes, edges as arrays sorted by source
    (`src`, `via`, `dst`, with `offsets[n]:offsets[n + 1]` the edges of node n), first-discovery
    parent links, and each node's orbit key."""

    model: Model
    size: int
    src: np.ndarray
    via: np.ndarray
    dst: np.ndarray
    offsets: np.ndarray
    parent: np.ndarray
    parent_via: np.ndarray
    node_keys: np.ndarray  # uint64 orbit keys, by node

    def state(self, number: int) -> State:
        """The representative of node `number`."""
        raise NotImplementedError

    def keys(self, states: Sequence[State]) -> np.ndarray:
        """The orbit keys (uint64) of `states`: equal exactly for states of one orbit."""
        raise NotImplementedError

    def concrete_edges(self, nodes: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, ...]:
        """Every step from the representatives of `nodes`: (source node, instance, target
        node, group element g with g(target) == the target node's representative), g only
        where `label` gives source and target the same label (-1 elsewhere)."""
        raise NotImplementedError

    def evaluate(self, prop: ir.LeadsTo, values: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
        """The premise and the conclusion of `prop` (bindings at `values`) in every node."""
        raise NotImplementedError

    @property
    def states(self) -> _States:
        return _States(self)

    def finish_edges(self, src: np.ndarray, via: np.ndarray, dst: np.ndarray) -> None:
        """Keep each (source, instance, target node) once, in first-seen order."""
        count = len(self.model.instances)
        key = (src * count + via) * max(self.size, 1) + dst
        _, first = np.unique(key, return_index=True)
        keep = np.sort(first)
        self.src, self.via, self.dst = src[keep], via[keep], dst[keep]
        self.offsets = np.searchsorted(self.src, np.arange(self.size + 1))


class _States:
    """Representatives by node number (what LeadsToCheck.run reads of a graph)."""

    def __init__(self, graph: Quotient):
        self.graph = graph

    def __getitem__(self, number: int) -> State:
        return self.graph.state(number)

    def __len__(self) -> int:
        return self.graph.size


class InterpretedQuotient(Quotient):
    """The quotient built by executing the model state by state (keys: Symmetry's
    fingerprints)."""

    def __init__(self, model: Model, symmetry: Symmetry, max_states: int | None,
                 check: Callable[[], None]):
        self.model, self.symmetry = model, symmetry
        self.reps: list[State] = []
        self.index: dict[int, int] = {}
        parent: list[int] = []
        parent_via: list[int] = []
        src: list[int] = []
        via: list[int] = []
        dst: list[int] = []
        for state in model.initial_states():
            self._add(state, parent, parent_via, -1, -1)
        cursor = 0
        while cursor < len(self.reps):
            if max_states is not None and len(self.reps) > max_states:
                raise LimitReached(f"--max-states {max_states}")
            if cursor % 1024 == 0:
                check()
            for instance, nxt in model.successors(self.reps[cursor]):
                src.append(cursor)
                via.append(instance.number)
                dst.append(self._add(nxt, parent, parent_via, cursor, instance.number))
            cursor += 1
        self.size = len(self.reps)
        self.parent, self.parent_via = np.array(parent), np.array(parent_via)
        self.node_keys = self._fingerprints(self.reps)
        self.finish_edges(*(np.array(a, dtype=np.int64) for a in (src, via, dst)))

    def _add(self, state: State, parent: list[int], parent_via: list[int], source: int,
             instance: int) -> int:
        key = self.symmetry.fingerprint(state)
        number = self.index.get(key)
        if number is None:
            number = self.index[key] = len(self.reps)
            self.reps.append(state)
            parent.append(source)
            parent_via.append(instance)
        return number

    def _fingerprints(self, states: Sequence[State]) -> np.ndarray:
        return np.array([self.symmetry.fingerprint(s) & (2**64 - 1) for s in states],
                        dtype=np.uint64)

    def state(self, number: int) -> State:
        return self.reps[number]

    def keys(self, states: Sequence[State]) -> np.ndarray:
        return self._fingerprints(states)

    def concrete_edges(self, nodes: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, ...]:
        out: list[tuple[int, int, int, int]] = []
        for node in nodes.tolist():
            for instance, nxt in self.model.successors(self.reps[node]):
                target = self.index[self.symmetry.fingerprint(nxt)]
                mapping = self._mapping(nxt, target) if label[node] == label[target] else -1
                out.append((node, instance.number, target, mapping))
        arrays = np.array(out, dtype=np.int64).reshape(-1, 4).T
        return tuple(arrays)

    def _mapping(self, state: State, target: int) -> int:
        rep = self.reps[target]
        if state == rep:
            return 0
        for number in range(self.symmetry.size - 1):
            if self.symmetry.image(state, number) == rep:
                return number + 1
        raise AssertionError("a state outside the orbit of its representative")

    def evaluate(self, prop: ir.LeadsTo, values: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
        exprs = self.model.exprs
        env: list[Any] = [None] * max(prop.locals_count, 1)
        for binding, value in zip(prop.bindings, values, strict=True):
            env[binding.local.slot] = value
        premise, conclusion = exprs.compile(prop.premise), exprs.compile(prop.conclusion)
        return (np.array([bool(premise(s, env)) for s in self.reps], dtype=bool),
                np.array([bool(conclusion(s, env)) for s in self.reps], dtype=bool))
