"""Steps and predicates over a whole batch of states at once.

The SMT engine's encoders (checker/smt/encode_*.py) translate an action into symbolic values
built from leaves.  Run on recorded leaves (checker/smt/terms.py), they trace each action
instance once into a straight-line NumPy program (vector_program.py) that evaluates the
instance on every state of a batch.  An instance's arguments are constants, so its program
folds to what the instance actually touches.  `choose` is enumerated: the body is traced once
per combination of chosen values, each trace an outcome.

Each instance has a guard program, its leading `require`s (or its channel being non-empty);
only the rows that pass it (or fail while evaluating it) run the outcome programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from numaspec.checker.explicit.vector_layout import Layout, SymState
from numaspec.checker.explicit.vector_invariants import Invariants, Selected
from numaspec.checker.explicit.vector_program import Program
from numaspec.checker.smt import logic as L
from numaspec.checker.smt import symbolic as S
from numaspec.checker.smt.encode_expr import ExprEncoder, SmtUnsupported
from numaspec.checker.smt.encode_stmt import StmtEncoder
from numaspec.checker.smt.logic import Leaf
from numaspec.checker.smt.symbolic import Sym, Unsupported
from numaspec.checker.smt.terms import tracing
from numaspec.model.machine import Model, leading_requires
from numaspec.model.values import default_value
from numaspec.spec import ir
from numaspec.spec import ir_types as t

MAX_OUTCOMES = 4096  # combinations of `choose` values one instance may enumerate


def mask(leaf: Any, rows: int) -> np.ndarray:
    """A boolean output (an array or a constant) as an array of `rows` entries."""
    if isinstance(leaf, np.ndarray):
        return leaf
    return np.full(rows, bool(leaf))


class _EnumeratingEncoder(StmtEncoder):
    """A statement encoder whose `choose` values are constants picked by `picks` (one index
    per `choose` binding, in execution order); `sizes` records each binding's domain size."""

    def __init__(self, spec: ir.Spec, state: SymState, picks: list[int]):
        super().__init__(spec, state, "")
        self.picks, self.sizes = picks, []  # type: tuple[list[int], list[int]]

    def fresh(self, typ: t.Type, name: str) -> Sym:
        domain = S.elements(typ)
        position = len(self.sizes)
        self.sizes.append(len(domain))
        if position == len(self.picks):
            self.picks.append(0)
        if not domain:
            self.require(False)
            return S.const(default_value(typ), typ)
        return S.const(domain[self.picks[position]], typ)


def _next_picks(picks: list[int], sizes: list[int]) -> list[int] | None:
    """The next combination of `choose` values after `picks` (odometer), or None."""
    for position in reversed(range(len(sizes))):
        if picks[position] + 1 < sizes[position]:
            return picks[:position] + [picks[position] + 1]
    return None


@dataclass
class InstanceStep:
    """What one instance does from a batch: `rows` (batch row of each successor) with
    `outcome` numbers and the successor rows `after`; `failing`: rows where it fails."""

    rows: np.ndarray
    outcome: np.ndarray
    after: np.ndarray
    failing: np.ndarray


@dataclass
class _Outcome:
    """One run of an instance's body: outputs (ok, fails, *changed column values)."""

    program: Program
    changed: list[int]  # the columns the run may write, in the order of its outputs


@dataclass
class _CompiledInstance:
    guard: Program | None  # None: the instance is never enabled
    outcomes: list[_Outcome]


Traced = tuple[list[Any], list[tuple[list[Any], list[int]]]]  # guard, (outputs, changed)s


class VectorStepper:
    """Evaluates the instances of a spec (in `Model.instances` order) and its predicates on
    batches of rows.  Every instance and predicate is traced once, at construction, into
    NumPy programs; raises SmtUnsupported if the spec has a construct the encoders cannot
    translate."""

    def __init__(self, model: Model, layout: Layout):
        self.model, self.layout, self.spec = model, layout, model.spec
        self.instances = [(self.spec.actions[i.action], i.args) for i in model.instances]
        self.guards = [leading_requires(a.body)[0] for a in self.spec.actions]
        with tracing():
            self.compiled = [self._build(*self._trace(n)) for n in range(len(self.instances))]
            written = [set().union(*(o.changed for o in c.outcomes)) for c in self.compiled]
            self.invariants = Invariants([self._holds(p) for p in self.spec.invariants],
                                         written, self._program)
            self.predicates = {id(p): self._program([self._holds(p)]) for p in
                               (*self.spec.reachables, *self.spec.finals)}

    # ------------------------------------------------------------ compiling
    def _trace(self, number: int) -> Traced:
        action, _ = self.instances[number]
        enc = self._encoder(number, [])
        if action.receive is not None:
            enc.receive(action.receive)
        else:
            for cond in self.guards[self.model.instances[number].action]:
                enc.require(enc.value(cond))
        live = L.disj([enc.ok, *(f.cond for f in enc.failures)])
        if live is False:
            return [], []
        return [live], self._outcomes(number)

    def _program(self, outputs: list[Any], name: str = "program") -> Program:
        return Program(outputs, name, self.layout.program_dtype)

    def _build(self, guard: list[Any],
               runs: list[tuple[list[Any], list[int]]]) -> _CompiledInstance:
        if not guard:
            return _CompiledInstance(None, [])
        return _CompiledInstance(self._program(guard), [
            _Outcome(self._program(outputs), changed) for outputs, changed in runs])

    def _outcomes(self, number: int) -> list[tuple[list[Any], list[int]]]:
        action, _ = self.instances[number]
        outcomes: list[tuple[list[Any], list[int]]] = []
        picks: list[int] = []
        inputs = self.layout.leaves(self.layout.traced())
        for _ in range(MAX_OUTCOMES):
            enc = self._encoder(number, picks)
            if action.receive is not None:
                enc.receive(action.receive)
            enc.run(action.body)
            after = self.layout.leaves(enc.state)
            changed = [j for j, (old, new) in enumerate(zip(inputs, after, strict=True))
                       if new is not old]
            fails = L.disj(f.cond for f in enc.failures)
            if enc.ok is not False or fails is not False:
                outcomes.append(([enc.ok, fails, *(after[j] for j in changed)], changed))
            following = _next_picks(enc.picks, enc.sizes)
            if following is None:
                return outcomes
            picks = following
        raise SmtUnsupported(f"{action.name} chooses among more than {MAX_OUTCOMES} "
                             "combinations of values", action.span)

    def _encoder(self, number: int, picks: list[int]) -> _EnumeratingEncoder:
        action, args = self.instances[number]
        enc = _EnumeratingEncoder(self.spec, self.layout.traced(), picks)
        try:
            for param, value in zip(action.params, args, strict=True):
                enc.locals[param.slot] = S.const(value, param.type)
        except Unsupported as err:
            raise SmtUnsupported(str(err), action.span) from None
        return enc

    def _holds(self, prop: ir.Property) -> Any:
        """The predicate is true and evaluates without error, as a traced leaf."""
        enc = ExprEncoder(self.spec.topology, self.layout.traced())
        value = enc.expr(prop.expr)
        return L.conj([value, L.neg(L.disj(f.cond for f in enc.failures))])

    # ---------------------------------------------------------------- steps
    def columns(self, batch: np.ndarray) -> np.ndarray:
        """The batch (columns x states) as programs read it: in their integer type."""
        return batch.astype(self.layout.program_dtype)

    def step(self, batch: np.ndarray, columns: np.ndarray, number: int) -> InstanceStep | None:
        """Instance `number` on every row of `batch` (`columns`: the same, as columns);
        None if it is disabled on all of them."""
        compiled = self.compiled[number]
        if compiled.guard is None:
            return None
        live = mask(compiled.guard(columns)[0], batch.shape[1])
        if not live.any():
            return None
        candidates = np.flatnonzero(live)
        sub = Selected(columns, candidates)
        failing = np.zeros(len(candidates), dtype=bool)
        rows, outcome, after = [], [], []
        for k, run in enumerate(compiled.outcomes):
            ok, fails, *values = run.program(sub)
            fails = mask(fails, len(candidates))
            failing |= fails
            moved = np.flatnonzero(mask(ok, len(candidates)) & ~fails)
            if not moved.size:
                continue
            successors = batch[:, candidates[moved]]
            for j, value in zip(run.changed, values, strict=True):
                successors[j] = value[moved] if isinstance(value, np.ndarray) else value
            rows.append(candidates[moved])
            outcome.append(np.full(moved.size, k, dtype=np.int32))
            after.append(successors)
        if not rows and not failing.any():
            return None
        empty = np.empty((self.layout.width, 0), dtype=self.layout.dtype)
        return InstanceStep(np.concatenate(rows) if rows else np.empty(0, np.intp),
                            np.concatenate(outcome) if outcome else np.empty(0, np.int32),
                            np.concatenate(after, axis=1) if after else empty,
                            candidates[np.flatnonzero(failing)])

    def successors(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every successor of the states of `batch` (failing steps left out): the state
        each comes from, and the successors (columns x successors)."""
        columns = self.columns(batch)
        steps = [s for n in range(len(self.compiled)) if (s := self.step(batch, columns, n))]
        if not steps:
            return np.empty(0, np.intp), np.empty((self.layout.width, 0), self.layout.dtype)
        return (np.concatenate([s.rows for s in steps]),
                np.concatenate([s.after for s in steps], axis=1))

    # ----------------------------------------------------------- predicates
    def holds(self, prop: ir.Property, columns: np.ndarray) -> np.ndarray:
        """Rows where the predicate is true and evaluates without error."""
        return mask(self.predicates[id(prop)](columns)[0], columns.shape[1])

    def violating(self, columns: np.ndarray, via: np.ndarray | None = None) -> np.ndarray:
        """States violating an invariant; `via`: the instance that led to each, if every
        invariant held before (only the invariants it may affect are evaluated)."""
        return self.invariants.violating(columns, via)


def supported(model: Model, layout: Layout) -> tuple[VectorStepper | None, Any]:
    """A stepper for the model, or (None, why not) when the spec cannot be vectorised."""
    try:
        return VectorStepper(model, layout), None
    except SmtUnsupported as err:
        return None, err

