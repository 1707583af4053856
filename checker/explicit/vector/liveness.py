"""`leads_to` on the full state graph, built and analysed with NumPy.

The same decision procedure as liveness.py (read its docstring), on the same graph: every
reachable state without symmetry reduction, numbered in breadth-first order with the
interpreter's discovery order, its edges in instance order.  The graph is built a level at a
time by the vectorised stepper; states are kept as rows and edges as arrays.  Premises and
conclusions are evaluated on all states at once; stutter states, fair components and the
states that can reach them are found with array operations around liveness.py's Tarjan
(which fixes the order of each component's members).  The lasso is then built by
liveness.py's own code on a view of the graph that decodes only the states it touches, so
both engines print the same counterexample.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from numaspec.checker.explicit.liveness import LeadsToCheck, fair_instances, sccs
from numaspec.checker.explicit.vector.hash import Fingerprinter, FingerprintIndex
from numaspec.checker.explicit.vector.step import VectorStepper, ranked
from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.expr import ExprEncoder
from numaspec.checker.symbolic.terms import TermLogic
from numaspec.model.findings import Finding, Step
from numaspec.model.machine import State
from numaspec.model.outcome import LimitReached
from numaspec.spec.ir import nodes as ir

CHUNK = 16384


class VectorGraph:
    """Every reachable state (rows, in breadth-first order) and its edges (arrays sorted by
    source, instance and outcome, duplicates dropped), with first-discovery parent links."""

    def __init__(self, stepper: VectorStepper, max_states: int | None,
                 check: Callable[[], None], hashes: Fingerprinter | None = None):
        """`hashes`: the fingerprinter whose canonical fingerprints identify the nodes (the
        quotient graph, quotient.py); None: every state is a node."""
        self.model, self.stepper, self.layout = stepper.model, stepper, stepper.layout
        self.hashes = Fingerprinter(self.layout, None) if hashes is None else hashes
        self.check = check
        self.index = FingerprintIndex()
        initial = np.stack([self.layout.row(s) for s in self.model.initial_states()])
        fresh = self._number(self._keys(initial), 0)
        self.size = len(fresh)
        levels, parents, vias = [initial[fresh]], [np.full(self.size, -1)], [np.full(self.size, -1)]
        self.sources, self.instances, self.targets = [], [], []  # type: ignore[var-annotated]
        start = 0
        while len(levels[-1]):
            new, parent, via = self._level(levels[-1], start, max_states, check)
            start += len(levels[-1])
            levels.append(new)
            parents.append(parent)
            vias.append(via)
        self.rows = np.concatenate(levels)
        self.parent, self.parent_via = np.concatenate(parents), np.concatenate(vias)
        self._edges()

    def _keys(self, batch: np.ndarray) -> np.ndarray:
        """The fingerprints that identify nodes: here the plain ones."""
        return self.hashes.plain(batch)

    def _number(self, plain: np.ndarray, start: int) -> np.ndarray:
        """Positions of the first occurrence of each fingerprint not seen before, ascending;
        they are numbered from `start` in that order."""
        _, first = np.unique(plain, return_index=True)
        first.sort()
        return first[self.index.add_numbered(plain[first], start)]

    def _level(self, level: np.ndarray, start: int, max_states: int | None,
               check: Callable[[], None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows_out, parents, vias = [], [], []
        for offset in range(0, len(level), CHUNK):
            check()
            steps, _ = self.stepper.steps(level[offset:offset + CHUNK])
            rows, via, _, _, after = ranked(steps, len(self.model.instances), self.layout)
            plain = self._keys(after)
            fresh = self._number(plain, self.size)
            self.size += len(fresh)
            if max_states is not None and self.size > max_states:
                raise LimitReached(f"--max-states {max_states}")
            source = start + offset + rows
            self.sources.append(source)
            self.instances.append(via)
            self.targets.append(self.index.find(plain))
            rows_out.append(after[fresh])
            parents.append(source[fresh])
            vias.append(via[fresh])
        if not rows_out:
            empty = np.empty(0, np.int64)
            return self.layout.empty(), empty, empty
        return np.concatenate(rows_out), np.concatenate(parents), np.concatenate(vias)

    def _edges(self) -> None:
        def joined(parts: list[np.ndarray]) -> np.ndarray:
            return np.concatenate(parts) if parts else np.empty(0, np.int64)

        src, via, dst = joined(self.sources), joined(self.instances), joined(self.targets)
        for parts in (self.sources, self.instances, self.targets):
            parts.clear()  # the arrays below replace them
        # the interpreter keeps an instance's equal outcomes once, in first-seen order
        key = (src * len(self.model.instances) + via) * max(self.size, 1) + dst
        _, first = np.unique(key, return_index=True)
        keep = np.sort(first)
        self.src, self.via, self.dst = src[keep], via[keep], dst[keep]
        self.offsets = np.searchsorted(self.src, np.arange(self.size + 1))


class _GraphView:
    """What liveness.py's lasso code reads of a StateGraph, over a VectorGraph."""

    def __init__(self, graph: VectorGraph):
        self.graph, self.model = graph, graph.model
        self.states = _States(graph)
        self.edges = _Edges(graph)
        self.index = _Index(graph)

    def prefix(self, target: int) -> tuple[State, list[Step]]:
        path = []
        graph = self.graph
        while graph.parent[target] != -1:
            instance = int(graph.parent_via[target])
            path.append(Step(self.model.instances[instance], self.states[target]))
            target = int(graph.parent[target])
        return self.states[target], path[::-1]


class _States:
    def __init__(self, graph: VectorGraph):
        self.graph = graph

    def __getitem__(self, number: int) -> State:
        return self.graph.layout.state(self.graph.rows[number])

    def __len__(self) -> int:
        return self.graph.size


class _Edges:
    def __init__(self, graph: VectorGraph):
        self.graph = graph

    def __getitem__(self, number: int) -> list[tuple[int, int]]:
        g = self.graph
        lo, hi = g.offsets[number], g.offsets[number + 1]
        return list(zip(g.via[lo:hi].tolist(), g.dst[lo:hi].tolist(), strict=True))

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        return (self[n] for n in range(self.graph.size))


class _Index:
    def __init__(self, graph: VectorGraph):
        self.graph = graph

    def __getitem__(self, state: State) -> int:
        row = self.graph.layout.row(state)[None]
        return int(self.graph.index.find(self.graph._keys(row))[0])


class VectorLeadsTo(LeadsToCheck):
    """One `leads_to` property decided on a VectorGraph (see LeadsToCheck)."""

    def __init__(self, graph: VectorGraph, prop: ir.LeadsTo, fair: set[int]):
        # LeadsToCheck's lasso code reads the graph through `self.graph`
        self.graph = _GraphView(graph)  # type: ignore[assignment]
        self.vector, self.prop, self.fair = graph, prop, fair

    def _check(self, env: list[Any], values: tuple[Any, ...]) -> Finding | None:
        premise, conclusion = self._evaluate(values)
        bad = ~conclusion
        inside = np.flatnonzero(bad)
        accepting = self._accepting_states(inside, bad)
        if not accepting:
            return None
        doomed = self._doomed(accepting.mask, bad)
        starts = inside[doomed[inside] & premise[inside]]
        if not starts.size:
            return None
        return self._lasso(int(starts[0]), accepting, bad, values)  # type: ignore[arg-type]

    def _evaluate(self, values: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray]:
        return evaluate_leads_to(self.vector, self.prop, values)

    def _accepting_states(self, inside: np.ndarray, bad: np.ndarray) -> _Accepting:
        """Stutter states and the members of fair components, as liveness.py finds them."""
        g = self.vector
        fair = np.isin(g.via, sorted(self.fair))
        stutter = bad.copy()
        stutter[g.src[fair]] = False
        inner = bad[g.src] & bad[g.dst]

        def succ(n: int) -> list[int]:
            targets = g.dst[g.offsets[n]:g.offsets[n + 1]]
            return targets[bad[targets]].tolist()

        components = sccs(inside.tolist(), succ)
        label = np.full(g.size, -1, dtype=np.int64)
        for number, component in enumerate(components):
            label[component] = number
        internal = inner & (label[g.src] == label[g.dst])
        count = len(components)
        ok = np.bincount(label[g.src[internal]], minlength=count) > 0
        sizes = np.bincount(label[inside], minlength=count)
        for instance in sorted(self.fair):
            enabled = np.zeros(g.size, dtype=bool)
            enabled[g.src[g.via == instance]] = True
            everywhere = np.bincount(label[inside], weights=enabled[inside],
                                     minlength=count) == sizes
            taken = np.bincount(label[g.src[internal & (g.via == instance)]],
                                minlength=count) > 0
            ok &= ~everywhere | taken
        members = bad & (label >= 0) & (ok[np.maximum(label, 0)] if count else False)
        return _Accepting(stutter | members, stutter, label, components)

    def _doomed(self, accepting: np.ndarray, bad: np.ndarray) -> np.ndarray:
        """Bad states with a path of bad states to an accepting one."""
        g = self.vector
        return doomed(g.src, g.dst, g.size, accepting, bad)


def doomed(src: np.ndarray, dst: np.ndarray, size: int, accepting: np.ndarray,
           bad: np.ndarray) -> np.ndarray:
    """The nodes of the graph of edges src -> dst (`size` nodes) from which a path through
    `bad` nodes reaches an `accepting` one (a backward breadth-first search on arrays)."""
    inner = np.flatnonzero(bad[src] & bad[dst])
    order = inner[np.argsort(dst[inner], kind="stable")]
    preds, ends = src[order], np.searchsorted(dst[order], np.arange(size + 1))
    seen = accepting.copy()
    frontier = np.flatnonzero(seen)
    while frontier.size:
        lengths = ends[frontier + 1] - ends[frontier]
        at = np.repeat(ends[frontier] - np.cumsum(lengths) + lengths, lengths) + \
            np.arange(lengths.sum())
        found = np.unique(preds[at])
        frontier = found[~seen[found]]
        seen[frontier] = True
    return seen


def evaluate_leads_to(graph: VectorGraph, prop: ir.LeadsTo,
                      values: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The premise and the conclusion of `prop`, with the bindings at `values`, in every
    state (node) of `graph`."""
    terms = TermLogic()
    leaves = []
    for expr in (prop.premise, prop.conclusion):
        enc = ExprEncoder(terms, graph.model.spec.topology, graph.layout.traced(terms))
        for binding, value in zip(prop.bindings, values, strict=True):
            enc.locals[binding.local.slot] = S.const(value, binding.local.type)
        leaves.append(terms.conj([enc.expr(expr),
                                  terms.neg(terms.disj(f.cond for f in enc.failures))]))
    program = graph.stepper._program(leaves)
    out = [np.empty(graph.size, dtype=bool), np.empty(graph.size, dtype=bool)]
    for start in range(0, graph.size, CHUNK):
        part = graph.stepper.columns(graph.rows[start:start + CHUNK])
        for k, value in enumerate(program(part)):
            out[k][start:start + CHUNK] = value
    return out[0], out[1]


class _Accepting:
    """Accepting states as liveness.py's dict: state -> its component (or [state])."""

    def __init__(self, mask: np.ndarray, stutter: np.ndarray, label: np.ndarray,
                 components: list[list[int]]):
        self.mask, self.stutter, self.label, self.components = mask, stutter, label, components

    def __bool__(self) -> bool:
        return bool(self.mask.any())

    def __contains__(self, number: int) -> bool:
        return bool(self.mask[number])

    def __getitem__(self, number: int) -> list[int]:
        if self.stutter[number]:
            return [number]
        return self.components[int(self.label[number])]


def check_liveness_vectorised(stepper: VectorStepper, max_states: int | None,
                              check: Callable[[], None]) -> tuple[Finding | None, int]:
    """The first violated leads_to property (or None) and the size of the graph built."""
    graph = VectorGraph(stepper, max_states, check)
    fair = fair_instances(stepper.model)
    for prop in stepper.model.spec.liveness:
        found = VectorLeadsTo(graph, prop, fair).run()
        if found is not None:
            return found, graph.size
    return None, graph.size
