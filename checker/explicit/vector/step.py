"""Steps and predicates over a whole batch of states at once.

Each action is traced once (record.py) into NumPy programs (program.py): one
*guard* per instance, its leading `require`s with its arguments folded in, and one *body* per
outcome serving every instance, its arguments read from parameter columns.  A step of a
batch runs each instance's guard on the whole batch, stacks the states that pass (or fail
while evaluating the guard) with their instance's arguments, and runs the bodies once on the
stack.  Batches hold one state per row (layout.py); programs read them transposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from numaspec.checker.explicit.vector.invariants import Invariants, Selected, mask
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.program import Program
from numaspec.checker.explicit.vector.record import ActionTracer
from numaspec.checker.symbolic.encode.expr import ExprEncoder
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.terms import TermLogic
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir


@dataclass
class Steps:
    """Successors of a batch: for each, the batch row it comes from, the instance (number in
    `Model.instances`), the outcome and the successor row (`after`); and the (row, instance)
    pairs whose step fails."""

    rows: np.ndarray
    via: np.ndarray
    outcome: np.ndarray
    after: np.ndarray
    failing_rows: np.ndarray
    failing_via: np.ndarray


@dataclass
class _Body:
    program: Program  # outputs: ok, fails, *the values of `changed`
    changed: list[int]


@dataclass
class _CompiledAction:
    instances: list[int]  # their numbers in Model.instances
    guards: list[Program | None]  # per instance; None: never enabled
    arguments: np.ndarray  # per instance, the values of the parameter columns
    bodies: list[_Body]


class _Stacked(Selected):
    """What a body program reads: the state columns of the stacked rows (each gathered when
    first read), then the parameter columns."""

    def __init__(self, columns: np.ndarray, rows: np.ndarray, arguments: np.ndarray,
                 width: int):
        super().__init__(columns, rows)
        self.arguments = arguments
        self.width = width  # the layout's columns (the batch may have padding after them)
        self.shape = (self.width + arguments.shape[1], len(rows))

    def __getitem__(self, column: int) -> np.ndarray:
        if column >= self.width:
            return self.arguments[:, column - self.width]
        return super().__getitem__(column)


class VectorStepper:
    """Evaluates the instances of a spec (in `Model.instances` order) and its predicates on
    batches of rows.  Everything is traced (by one `TermLogic`, dropped once compiled) and
    compiled at construction; raises Unsupported if the spec has a construct the encoders
    cannot translate."""

    def __init__(self, model: Model, layout: Layout):
        self.model, self.layout, self.spec = model, layout, model.spec
        terms = TermLogic()
        tracer = ActionTracer(self.spec, layout, terms)
        self.actions = [self._compile(tracer, a) for a in range(len(self.spec.actions))]
        written = [set().union(*(b.changed for b in self.actions[i.action].bodies))
                   for i in model.instances]
        self.invariants = Invariants([self._holds(terms, p) for p in self.spec.invariants],
                                     written, self._program, terms)
        self.predicates = {id(p): self._program([self._holds(terms, p)]) for p in
                           (*self.spec.reachables, *self.spec.finals)}

    # ------------------------------------------------------------ compiling
    def _compile(self, tracer: ActionTracer, number: int) -> _CompiledAction:
        action = self.spec.actions[number]
        instances = [i for i in self.model.instances if i.action == number]
        try:
            guards = [tracer.guard(action, i.args) for i in instances]
            arguments = np.array([tracer.arguments(action, i.args) for i in instances],
                                 dtype=np.int64).reshape(len(instances), -1)
            runs = tracer.runs(action) if any(g is not False for g in guards) else []
        except Unsupported as err:
            raise err.located(action.span) from None
        return _CompiledAction(
            [i.number for i in instances],
            [None if g is False else self._program([g]) for g in guards],
            arguments.astype(self.layout.program_dtype),
            [_Body(self._program(outputs), changed) for outputs, changed in runs])

    def _program(self, outputs: list[Any]) -> Program:
        return Program(outputs, "program", self.layout.program_dtype)

    def _holds(self, terms: TermLogic, prop: ir.Property) -> Any:
        """The predicate is true and evaluates without error, as a leaf `terms` traced."""
        enc = ExprEncoder(terms, self.spec.topology, self.layout.traced(terms))
        value = enc.expr(prop.expr)
        return terms.conj([value, terms.neg(terms.disj(f.cond for f in enc.failures))])

    # ---------------------------------------------------------------- steps
    def columns(self, batch: np.ndarray) -> np.ndarray:
        """The batch (one row per state) as programs read it: one row per column, in
        their integer type."""
        # C order: each column one contiguous row (astype of the transposed view would
        # keep the batch's layout, and every column read would be strided)
        return np.ascontiguousarray(batch.T, dtype=self.layout.program_dtype)

    def steps(self, batch: np.ndarray) -> tuple[list[Steps], list[int]]:
        """Every action on every state of `batch`, and how many successors each action
        (by number) produced."""
        columns = self.columns(batch)
        found, fired = [], []
        for action in self.actions:
            step = self._action(batch, columns, action)
            fired.append(0 if step is None else len(step.rows))
            if step is not None:
                found.append(step)
        return found, fired

    def _action(self, batch: np.ndarray, columns: np.ndarray,
                action: _CompiledAction) -> Steps | None:
        rows, owners = self._candidates(columns, action)
        if rows is None:
            return None
        via = np.array(action.instances, dtype=np.int64)[owners]
        stacked = _Stacked(columns, rows, action.arguments[owners], self.layout.width)
        failing = np.zeros(len(rows), dtype=bool)
        parts: list[tuple[np.ndarray, int, np.ndarray]] = []
        for k, body in enumerate(action.bodies):
            ok, fails, *values = body.program(stacked)
            fails = mask(fails, len(rows))
            failing |= fails
            moved = np.flatnonzero(mask(ok, len(rows)) & ~fails)
            if moved.size:
                parts.append((moved, k, self._successors(batch, rows[moved], body, values,
                                                         moved)))
        bad = np.flatnonzero(failing)
        if not parts and not bad.size:
            return None
        moved_all = np.concatenate([m for m, _, _ in parts]) if parts else np.empty(0, np.intp)
        return Steps(rows[moved_all], via[moved_all],
                     np.concatenate([np.full(len(m), k, np.int32) for m, k, _ in parts])
                     if parts else np.empty(0, np.int32),
                     np.concatenate([s for _, _, s in parts]) if parts else self.layout.empty(),
                     rows[bad], via[bad])

    def _successors(self, batch: np.ndarray, parents: np.ndarray, body: _Body,
                    values: list[Any], moved: np.ndarray) -> np.ndarray:
        """The parents' rows with the columns the body writes replaced (written column by
        column into a contiguous block first: much faster than strided column stores)."""
        successors = np.take(batch, parents, axis=0)  # twice as fast as batch[parents]
        if body.changed:
            block = np.empty((len(body.changed), len(moved)), dtype=batch.dtype)
            for i, value in enumerate(values):
                block[i] = value[moved] if isinstance(value, np.ndarray) else value
            successors[:, body.changed] = block.T
        return successors

    def _candidates(self, columns: np.ndarray,
                    action: _CompiledAction) -> tuple[np.ndarray | None, np.ndarray]:
        """The stacked rows the instances' guards let through, and the instance (position
        in the action) of each."""
        states = columns.shape[1]
        rows, owners = [], []
        for position, guard in enumerate(action.guards):
            if guard is None:
                continue
            live = np.flatnonzero(mask(guard(columns)[0], states))
            if live.size:
                rows.append(live)
                owners.append(np.full(live.size, position, dtype=np.intp))
        if not rows:
            return None, np.empty(0, np.intp)
        return np.concatenate(rows), np.concatenate(owners)

    def successors(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every successor of the states of `batch` (failing steps left out): the state
        each comes from, and the successors (one per row)."""
        steps, _ = self.steps(batch)
        if not steps:
            return np.empty(0, np.intp), self.layout.empty()
        return (np.concatenate([s.rows for s in steps]),
                np.concatenate([s.after for s in steps]))

    # ----------------------------------------------------------- predicates
    def holds(self, prop: ir.Property, columns: np.ndarray) -> np.ndarray:
        """Rows where the predicate is true and evaluates without error."""
        return mask(self.predicates[id(prop)](columns)[0], columns.shape[1])

    def violating(self, columns: np.ndarray, via: np.ndarray | None = None) -> np.ndarray:
        """States violating an invariant; `via`: the instance that led to each, if every
        invariant held before (only the invariants it may affect are evaluated)."""
        return self.invariants.violating(columns, via)


def ranked(steps: list[Steps], count: int, layout: Layout) -> tuple[np.ndarray, ...]:
    """All successors by (row, instance, outcome), the order in which the interpreter
    discovers them: their rows in the batch, instances, outcomes, sort keys
    (row * count + instance) and successor rows."""
    if not steps:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, empty, layout.empty()
    rows = np.concatenate([s.rows for s in steps]).astype(np.int64)
    via = np.concatenate([s.via for s in steps])
    outcome = np.concatenate([s.outcome for s in steps])
    keys = rows * count + via
    order = np.lexsort((outcome, keys))
    after = np.concatenate([s.after for s in steps])[order]
    return rows[order], via[order], outcome[order], keys[order], after
