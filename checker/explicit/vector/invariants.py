"""The invariants of a spec on batches of new states, checked only where a step may have
changed them.

A new state's parent satisfies every invariant (the search stops at the first violation), so
an invariant that reads no column the step to the new state may write keeps its value and
need not be evaluated again: the interpreted search skips such invariants the same way
(`Model.violated_invariant` with a parent).  New states are grouped by the set of invariants
their step may affect, and each group is checked by one program for that set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from numaspec.checker.explicit.vector.program import Program
from numaspec.checker.symbolic.terms import Term, TermLogic

ProgramOf = Callable[[list[Any]], Program]


class Invariants:
    """`holds[i]`: invariant i as a traced leaf; `written[n]`: the columns instance n may
    write; `terms`: the `TermLogic` that traced them.  A program is built for every group
    at construction."""

    def __init__(self, holds: list[Any], written: list[set[int]], program: ProgramOf,
                 terms: TermLogic):
        self.holds, self.program = holds, program
        reads = [columns_read(h) for h in holds]
        self.affected = [tuple(i for i, r in enumerate(reads) if r & w) for w in written]
        self.programs: dict[tuple[int, ...], Program] = {}
        self.every = tuple(range(len(holds)))
        self._program_for(self.every, terms)
        for group in set(self.affected):
            self._program_for(group, terms)

    def _program_for(self, group: tuple[int, ...], terms: TermLogic) -> Program:
        found = self.programs.get(group)
        if found is None:
            holds = terms.conj([self.holds[i] for i in group])
            found = self.programs[group] = self.program([terms.neg(holds)])
        return found

    def violating(self, columns: np.ndarray, via: np.ndarray | None = None) -> np.ndarray:
        """States of `columns` (one per column of the batch) that violate an invariant;
        `via`: the instance each was reached by (None: check every invariant)."""
        states = columns.shape[1]
        if via is None:
            return mask(self.programs[self.every](columns)[0], states)
        bad = np.zeros(states, dtype=bool)
        groups: dict[tuple[int, ...], list[int]] = {}
        for number in np.unique(via).tolist():
            groups.setdefault(self.affected[number], []).append(number)
        for group, numbers in groups.items():
            if not group:
                continue
            rows = np.flatnonzero(np.isin(via, numbers))
            if len(rows) == states:  # every state: no selection to make (or pay for)
                bad |= mask(self.programs[group](columns)[0], states)
                continue
            selected = Selected(columns, rows)
            bad[rows] = mask(self.programs[group](selected)[0], len(rows))
        return bad


class Selected:
    """The columns of some states of a batch, each selected when a program first reads it
    (a program reads a few of the columns)."""

    def __init__(self, columns: Any, states: np.ndarray):
        self.columns, self.states = columns, states
        self.shape = (len(columns), len(states))
        self.read: dict[int, np.ndarray] = {}

    def __getitem__(self, column: int) -> np.ndarray:
        found = self.read.get(column)
        if found is None:
            found = self.read[column] = self.columns[column][self.states]
        return found


def columns_read(leaf: Any) -> set[int]:
    """The columns a traced leaf reads."""
    out: set[int] = set()
    seen: set[int] = set()
    stack = [leaf] if isinstance(leaf, Term) else []
    while stack:
        term = stack.pop()
        if id(term) in seen:
            continue
        seen.add(id(term))
        if term.op in ("col", "colb"):
            out.add(term.args[0])
        else:
            stack += [a for a in term.args if isinstance(a, Term)]
    return out


def mask(value: Any, states: int) -> np.ndarray:
    return value if isinstance(value, np.ndarray) else np.full(states, bool(value))
