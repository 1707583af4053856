"""The quotient graph built with the vectorised stepper (see quotient/graph.py for what it is).

liveness.py's VectorGraph, with nodes identified by canonical fingerprints (the normal form of
canon.py, through hash.py's `Fingerprinter`: the safety search's own) instead of plain ones.
A successor seen before as it is (its plain fingerprint) is not canonicalised again: a table
maps plain fingerprints to canonical ones, filled by the safety search.  The group element
that maps a step's target onto its node's representative is read off the two rows' normal
forms (`Fingerprinter.mapping`), only for the steps the fairness analysis asks about; no
image of the whole group is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numaspec.checker.explicit.quotient.graph import Quotient
from numaspec.checker.explicit.vector.hash import Fingerprinter, FingerprintIndex
from numaspec.checker.explicit.vector.liveness import CHUNK, VectorGraph, evaluate_leads_to
from numaspec.checker.explicit.vector.step import VectorStepper, ranked
from numaspec.model.machine import State
from numaspec.spec.ir import nodes as ir


class VectorQuotient(VectorGraph, Quotient):
    """One node per orbit; rows are the representatives."""

    def __init__(self, stepper: VectorStepper, group: list[tuple[int, ...]],
                 hashes: Fingerprinter, max_states: int | None, check: Callable[[], None],
                 known: FingerprintIndex | None = None):
        """`group`: the elements as GroupTables numbers them; `hashes`: a Fingerprinter
        with the normal form; `known`: plain -> canonical fingerprints (as int64) computed
        before (by the safety search: VectorSearch.canonical_of), extended here."""
        self.known = FingerprintIndex() if known is None else known
        self.key_parts: list[np.ndarray] = []
        self.number_group(group)
        super().__init__(stepper, max_states, check, hashes)
        self.node_keys = np.concatenate(self.key_parts)

    def number_group(self, group: list[tuple[int, ...]]) -> None:
        """Index the group's elements by their code (a node permutation read as a number in
        base NODES), so that _mapping finds an element's number by bisection."""
        nodes = len(group[0])
        self.powers = np.int64(nodes) ** np.arange(nodes, dtype=np.int64)
        codes = np.array(group, dtype=np.int64) @ self.powers
        self.order = np.argsort(codes)
        self.codes = codes[self.order]

    def _keys(self, batch: np.ndarray) -> np.ndarray:
        plain = self.hashes.plain(batch)
        found, values = self.known.lookup(plain)
        canonical = values.view(np.uint64)
        unknown = np.flatnonzero(~found)
        if unknown.size:
            fresh, first = np.unique(plain[unknown], return_index=True)
            computed, _ = self.hashes.fingerprints(batch[unknown[first]], fresh, self.check)
            self.known.add(fresh, computed.view(np.int64))
            canonical[unknown] = computed[np.searchsorted(fresh, plain[unknown])]
        return canonical

    def _number(self, plain: np.ndarray, start: int) -> np.ndarray:
        fresh = super()._number(plain, start)
        self.key_parts.append(plain[fresh])
        return fresh

    def state(self, number: int) -> State:
        return self.layout.state(self.rows[number])

    def keys(self, states: Sequence[State]) -> np.ndarray:
        if not states:
            return np.empty(0, dtype=np.uint64)
        return self._keys(np.stack([self.layout.row(s) for s in states]))

    def concrete_edges(self, nodes: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, ...]:
        parts = []
        for offset in range(0, len(nodes), CHUNK):
            self.check()
            chunk = nodes[offset:offset + CHUNK]
            steps, _ = self.stepper.steps(self.rows[chunk])
            rows, via, _, _, after = ranked(steps, len(self.model.instances), self.layout)
            src, dst = chunk[rows], self.index.find(self._keys(after))
            mapping = np.full(len(dst), -1, dtype=np.int64)
            same = np.flatnonzero(label[src] == label[dst])
            mapping[same] = self._mapping(after[same], self.rows[dst[same]])
            parts.append((src, via, dst, mapping))
        return tuple(np.concatenate([p[k] for p in parts]) if parts else
                     np.empty(0, np.int64) for k in range(4))

    def _mapping(self, after: np.ndarray, reps: np.ndarray) -> np.ndarray:
        """For each row of `after`, the number of a group element that maps it onto the
        row of `reps`."""
        out = np.empty(len(after), dtype=np.int64)
        for offset in range(0, len(after), CHUNK):
            self.check()
            part = slice(offset, offset + CHUNK)
            code = self.hashes.mapping(after[part], reps[part]) @ self.powers
            at = np.searchsorted(self.codes, code)
            assert (self.codes[np.minimum(at, len(self.codes) - 1)] == code).all(), \
                "a mapping outside the group"
            out[part] = self.order[at]
        return out

    def evaluate(self, prop: ir.LeadsTo, values: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
        return evaluate_leads_to(self, prop, values)
