"""Breadth-first search over whole levels at once: the explicit checker's fast engine.

Each BFS level is a matrix of rows (layout.py), expanded in chunks: every action
instance is evaluated on all rows of a chunk with NumPy (step.py), successors are
fingerprinted in bulk (hash.py) and the new ones are kept for the next level.

The search is the interpreted breadth-first search (search.py) in a different order of work
but not of results: successors are ranked by (parent row, instance, outcome), exactly the order
in which the interpreted search discovers them, so both number the states alike, report the
same first violation, the same counterexample and the same deadlock.  Counterexamples are
rebuilt by re-executing the model along the stored parent links, as in search.py.
"""

from __future__ import annotations

from array import array

import numpy as np

from numaspec.checker.explicit.group import TABLE_LIMIT, GroupStructure
from numaspec.checker.explicit.search import SafetySearch
from numaspec.checker.explicit.symmetry import Symmetry, checked_structure, too_large
from numaspec.checker.explicit.vector.canon import TooLarge
from numaspec.checker.explicit.vector.hash import (
    Fingerprinter,
    FingerprintIndex,
    FingerprintSet,
)
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.step import Steps, VectorStepper, ranked
from numaspec.checker.results import CheckOptions, Stats
from numaspec.model.findings import Finding, Step, Trace, invariant_finding, step_finding
from numaspec.model.machine import Model, State, StepViolation
from numaspec.model.outcome import LimitReached, Progress
from numaspec.spec.ir import nodes as ir

CHUNK = 16384  # rows expanded together: large enough to amortise the per-instance overhead


class VectorSearch(SafetySearch):
    def __init__(self, model: Model, options: CheckOptions, stepper: VectorStepper,
                 progress: Progress[Stats] | None = None):
        self.structure: GroupStructure | None = None
        super().__init__(model, options, progress)
        self.layout: Layout = stepper.layout
        self.stepper = stepper
        try:
            self.fingerprinter = Fingerprinter(self.layout, None, self.structure,
                                               self.check_limits)
        except TooLarge:
            assert self.structure is not None
            raise too_large(f"{self.structure.size:,} (its blocks' tables would exceed "
                            f"{TABLE_LIMIT:,} entries)") from None
        self.store = FingerprintSet()
        self.exact = FingerprintSet()  # under symmetry: plain fingerprints canonicalised
        # set by the caller to keep plain -> canonical fingerprints (as int64) for the
        # liveness quotient, which then canonicalises nothing twice (vector/quotient.py)
        self.canonical_of: FingerprintIndex | None = None
        self.plain = array("Q")  # each stored state's own (not canonical) fingerprint
        self._action_of = np.array([i.action for i in model.instances], dtype=np.int64)

    def _symmetry(self, spec: ir.Spec) -> Symmetry:
        """Only the group's structure (canon.py normalises without listing the group)."""
        self.structure = checked_structure(spec)
        return Symmetry(spec, [tuple(range(spec.topology.nodes))], self.structure.size)

    # ------------------------------------------------------------------ search
    def _search(self) -> Finding | None:
        found, frontier, indices = self._start()
        depth = 0
        while found is None and len(frontier):
            self.stats.depth = depth
            found, frontier, indices = self._level(frontier, indices)
            depth += 1
        return found

    def _start(self) -> tuple[Finding | None, np.ndarray, np.ndarray]:
        rows = np.stack([self.layout.row(s) for s in self.initial])
        canonical, plain = self.fingerprinter.fingerprints(rows)
        keep = np.flatnonzero(self._first_seen(canonical))
        no_outcome = np.zeros(len(keep), dtype=np.int32)
        self._register(keep, np.full(len(keep), -1), keep, no_outcome, plain)
        rows = rows[keep]
        bad = self._witness_and_judge(rows)
        if bad.any():
            return self._invariant(int(np.argmax(bad))), rows, keep
        return None, rows, np.arange(len(keep))

    def _level(self, frontier: np.ndarray,
               indices: np.ndarray) -> tuple[Finding | None, np.ndarray, np.ndarray]:
        parts, part_indices = [], []
        for start in range(0, len(frontier), CHUNK):
            self.check_limits()
            found, rows, new = self._expand(frontier[start:start + CHUNK],
                                            indices[start:start + CHUNK])
            if found is not None:
                return found, frontier, indices
            parts.append(rows)
            part_indices.append(new)
        empty = self.layout.empty()
        return (None, np.concatenate(parts) if parts else empty,
                np.concatenate(part_indices) if part_indices else np.empty(0, np.intp))

    def _expand(self, chunk: np.ndarray,
                indices: np.ndarray) -> tuple[Finding | None, np.ndarray, np.ndarray]:
        """Expand `chunk` (stored as `indices`): the finding that ends the search, or the new
        successor rows and their indices, in discovery order."""
        self.expanded += len(chunk)
        steps, failure = self._steps(chunk)
        self._note_deadlocks(chunk, indices, steps)
        rows, via, outcome, keys, after = ranked(steps, len(self.model.instances), self.layout)
        stop_at = len(keys)  # successors ranked before the first failing step
        if failure is not None:
            stop_at = int(np.searchsorted(keys, failure[0] * len(self.model.instances)
                                          + failure[1]))
        new, plain = self._new_states(after[:stop_at])
        successors = after[new]
        bad = self._witness_and_judge(successors, via[new])
        # The interpreter stops at the first violating state, or on registering the state
        # that reaches --max-states (before judging it): cut where it would have stopped.
        cut = int(np.argmax(bad)) + 1 if bad.any() else None
        room = self._room()
        limited = room is not None and len(new) >= room and (cut is None or cut >= room)
        if limited:
            cut = room
        if cut is not None:
            new = new[:cut]
            stop_at = int(np.searchsorted(keys, keys[new[-1]], side="right"))
        self._count(via[:stop_at], stop_at if cut is None else int(new[-1]) + 1)
        first = len(self.parent)
        self._register(new, indices[rows[new]], via[new], outcome[new], plain)
        if limited:
            raise LimitReached(f"--max-states {self.options.max_states}")
        if cut is not None:
            return self._invariant(len(self.parent) - 1), successors, new
        if failure is not None:
            return self._failure(indices, *failure), successors, new
        return None, successors, np.arange(first, first + len(new))

    def _room(self) -> int | None:
        """How many more states --max-states lets the search store (None: no limit)."""
        if self.options.max_states is None:
            return None
        return max(self.options.max_states - self.stats.distinct_states, 0)

    def _steps(self, chunk: np.ndarray) -> tuple[list[Steps], tuple[int, int] | None]:
        """The steps of every action on the chunk, and the first (row, instance) that
        fails, if any."""
        steps, _ = self.stepper.steps(chunk)
        failures = [(int(r), int(v)) for s in steps
                    for r, v in zip(s.failing_rows, s.failing_via, strict=True)]
        return steps, min(failures) if failures else None

    def _count(self, via: np.ndarray, transitions: int) -> None:
        """Statistics as the interpreter keeps them: it counts an instance's successors
        when it has run it, and each transition when it looks at its target."""
        self.stats.transitions += transitions
        fired = np.bincount(self._action_of[via], minlength=len(self.model.spec.actions))
        for action, count in zip(self.model.spec.actions, fired.tolist(), strict=True):
            if count:
                self.stats.coverage[action.name] += count

    def _new_states(self, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions in `after` of the first successor of each new state (or orbit),
        ascending, and the plain fingerprints of all of `after`.

        Under symmetry, a successor seen before as it is (the same plain fingerprint) is
        no new orbit: only the others are canonicalised, which costs one image each per
        permutation."""
        plain = self.fingerprinter.plain(after)
        if self.fingerprinter.size == 1:
            return np.flatnonzero(self._first_seen(plain)), plain
        _, first = np.unique(plain, return_index=True)
        first.sort()
        unseen = first[self.exact.add_new(plain[first])]
        canonical, _ = self.fingerprinter.fingerprints(after[unseen], plain[unseen],
                                                       self.check_limits)
        if self.canonical_of is not None:
            self.canonical_of.add(plain[unseen], canonical.view(np.int64))
        return unseen[self._first_seen(canonical)], plain

    def _first_seen(self, canonical: np.ndarray) -> np.ndarray:
        """Where a fingerprint occurs for the first time, in this batch and ever."""
        _, first = np.unique(canonical, return_index=True)
        first.sort()
        fresh = np.zeros(len(canonical), dtype=bool)
        fresh[first[self.store.add_new(canonical[first])]] = True
        return fresh

    def _register(self, new: np.ndarray, parents: np.ndarray, via: np.ndarray,
                  outcome: np.ndarray, plain: np.ndarray) -> None:
        # through bytes: a list of Python ints per level cost more than the hashing
        self.parent.frombytes(parents.astype(np.int32).tobytes())
        self.via.frombytes(via.astype(np.int32).tobytes())
        self.outcome.frombytes(outcome.astype(np.uint16).tobytes())
        self.plain.frombytes(plain[new].astype(np.uint64).tobytes())
        self.stats.distinct_states += len(new)

    # ----------------------------------------------------------- properties
    def _witness_and_judge(self, rows: np.ndarray,
                           via: np.ndarray | None = None) -> np.ndarray:
        """Note the `reachable`s the new rows witness; the rows violating an invariant."""
        columns = self.stepper.columns(rows)
        if self.unwitnessed and len(rows):
            self.unwitnessed = [p for p in self.unwitnessed
                                if not self.stepper.holds(p, columns).any()]
        return self.stepper.violating(columns, via)

    def _invariant(self, index: int) -> Finding:
        trace = self.trace_to(index)
        violated = self.model.violated_invariant(trace.last)
        assert violated is not None, "the vectorised and the interpreted invariants disagree"
        return invariant_finding(*violated, trace)

    def _failure(self, indices: np.ndarray, row: int, number: int) -> Finding:
        trace = self.trace_to(int(indices[row]))
        try:
            self.model.execute(trace.last, self.model.instances[number])
        except StepViolation as err:
            return step_finding(err, trace)
        raise AssertionError("the vectorised step fails but the model's does not")

    def _note_deadlocks(self, chunk: np.ndarray, indices: np.ndarray,
                        steps: list[Steps]) -> None:
        if self.deadlock is not None or not self.options.deadlock:
            return
        stuck = np.ones(len(chunk), dtype=bool)
        for step in steps:
            stuck[step.rows] = False
        if not stuck.any():
            return
        columns = self.stepper.columns(chunk)
        for prop in self.model.spec.finals:
            stuck &= ~self.stepper.holds(prop, columns)
        if stuck.any():
            self.deadlock = self._deadlock(self.layout.state(chunk[np.argmax(stuck)]),
                                           int(indices[np.argmax(stuck)]))

    # ---------------------------------------------------------------- traces
    def trace_to(self, index: int) -> Trace:
        """The run to the state stored at `index`: at each step, the outcome of the stored
        instance whose fingerprint is the one stored."""
        path = []
        while self.parent[index] != -1:
            path.append(index)
            index = self.parent[index]
        state = self.initial[self.via[index]]
        initial, steps = state, []
        for at in reversed(path):
            instance = self.model.instances[self.via[at]]
            outcomes = self.model.execute(state, instance)
            state = next(s for s in outcomes if self._plain(s) == self.plain[at])
            steps.append(Step(instance, state))
        return Trace(initial, tuple(steps))

    def _plain(self, state: State) -> int:
        return int(self.fingerprinter.plain(self.layout.row(state)[None])[0])

    def _store_bytes(self) -> int:
        return self.store.nbytes + self.exact.nbytes + sum(a.itemsize * len(a) for a in (
            self.parent, self.via, self.outcome, self.plain))
