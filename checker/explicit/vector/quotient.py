"""The quotient graph built with the vectorised stepper (see quotient/graph.py for what it is).

liveness.py's VectorGraph, with nodes identified by canonical fingerprints (hash.py's
`Fingerprinter.fingerprints`, whatever canonical form it computes) instead of plain ones.  A
successor seen before as it is (its plain fingerprint) is not canonicalised again: a table
maps plain fingerprints to canonical ones.  The group element that maps a step's target onto
its node's representative is found by comparing the target's images (`Fingerprinter.image`)
with the representative, only for the steps the fairness analysis asks about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numaspec.checker.explicit.quotient.graph import Quotient
from numaspec.checker.explicit.vector.hash import FingerprintIndex
from numaspec.checker.explicit.vector.liveness import CHUNK, VectorGraph, evaluate_leads_to
from numaspec.checker.explicit.vector.step import VectorStepper, ranked
from numaspec.model.machine import State
from numaspec.spec.ir import nodes as ir


class VectorQuotient(VectorGraph, Quotient):
    """One node per orbit; rows are the representatives."""

    def __init__(self, stepper: VectorStepper, group: list[tuple[int, ...]],
                 max_states: int | None, check: Callable[[], None],
                 known: FingerprintIndex | None = None):
        """`known`: plain -> canonical fingerprints (as int64) computed before (by the
        safety search: VectorSearch.canonical_of), extended here."""
        self.known = FingerprintIndex() if known is None else known
        self.key_parts: list[np.ndarray] = []
        super().__init__(stepper, max_states, check, group)
        self.node_keys = np.concatenate(self.key_parts)

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
        """For each row of `after`, the group element that maps it onto the row of `reps`."""
        target = self.hashes.plain(reps)
        out = np.full(len(after), -1, dtype=np.int64)
        pending = np.flatnonzero(self.hashes.plain(after) != target)
        out[self.hashes.plain(after) == target] = 0
        for number in range(self.hashes.size - 1):
            if not pending.size:
                break
            if number % 16 == 15:
                self.check()
            hit = self.hashes.plain(self.hashes.image(after[pending], number)) == target[pending]
            out[pending[hit]] = number + 1
            pending = pending[~hit]
        assert not pending.size, "a state outside the orbit of its representative"
        return out

    def evaluate(self, prop: ir.LeadsTo, values: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
        return evaluate_leads_to(self, prop, values)
