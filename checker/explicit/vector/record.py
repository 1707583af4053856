"""Tracing an action into the terms of its vectorised programs.

The SMT engine's encoders (checker/symbolic/encode/) translate an action into symbolic values
built from leaves.  Run on recorded leaves (checker/symbolic/terms.py) whose state parts read the
columns of a batch, they record what the action computes, once, as a term DAG that
program.py turns into NumPy code.

An action's parameters are *columns* too, placed after the state's: one program serves all
instances of the action, run on the states each instance may move from, stacked, with that
instance's arguments in the parameter columns.  `choose` is enumerated: the body is traced
once per combination of chosen values, each trace an outcome of the action.
"""

from __future__ import annotations

from typing import Any

from numaspec.checker.explicit.vector.layout import Layout, SymState, build_columns, columns_of
from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.stmt import StmtEncoder
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.terms import TermLogic
from numaspec.checker.symbolic.values import Sym
from numaspec.model.machine import leading_requires
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import default_value

MAX_OUTCOMES = 4096  # combinations of `choose` values one action may enumerate
Run = tuple[list[Any], list[int]]  # outputs (ok, fails, *changed values), changed columns


class EnumeratingEncoder(StmtEncoder):
    """A statement encoder whose `choose` values are constants picked by `picks` (one index
    per `choose` binding, in execution order); `sizes` records each binding's domain size."""

    def __init__(self, terms: TermLogic, spec: ir.Spec, state: SymState, picks: list[int]):
        super().__init__(terms, spec, state, "")
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
        if self.picks[position] > 0:
            # Where the path does not reach this `choose` (an `if` branch not taken), every
            # value gives the first value's successor: one transition, as the model counts.
            self.ok = self.logic.conj([self.ok, self.pc])
        return S.const(domain[self.picks[position]], typ)


def next_picks(picks: list[int], sizes: list[int]) -> list[int] | None:
    """The next combination of `choose` values after `picks` (odometer), or None."""
    for position in reversed(range(len(sizes))):
        if picks[position] + 1 < sizes[position]:
            return picks[:position] + [picks[position] + 1]
    return None


class ActionTracer:
    """Traces the actions of a spec over the columns of `layout`, recorded by `terms`."""

    def __init__(self, spec: ir.Spec, layout: Layout, terms: TermLogic):
        self.spec, self.layout, self.terms = spec, layout, terms
        self.inputs = layout.leaves(layout.traced(terms), terms)

    def parameters(self, action: ir.Action) -> list[Sym]:
        """The action's parameters as symbolic values reading the parameter columns."""
        ids = iter(range(self.layout.width, self.layout.width + 10**9))
        return [build_columns(p.type, ids, terms=self.terms) for p in action.params]

    def arguments(self, action: ir.Action, args: tuple[Any, ...]) -> list[int]:
        """The parameter-column values of one instance."""
        return [int(x) for p, value in zip(action.params, args, strict=True)
                for x in columns_of(S.const(value, p.type), p.type)]

    def guard(self, action: ir.Action, args: tuple[Any, ...]) -> Any:
        """Where the instance may be enabled or fail: its leading `require`s (or its channel
        being non-empty), with its arguments folded in."""
        enc = self._encoder(action, [S.const(v, p.type) for p, v in
                                     zip(action.params, args, strict=True)], [])
        if action.receive is not None:
            enc.receive(action.receive)
        else:
            for cond in leading_requires(action.body)[0]:
                enc.require(enc.value(cond))
        return self.terms.disj([enc.ok, *(f.cond for f in enc.failures)])

    def runs(self, action: ir.Action) -> list[Run]:
        """The outputs of each outcome of the action with symbolic parameters."""
        params = self.parameters(action)
        found: list[Run] = []
        picks: list[int] = []
        for _ in range(MAX_OUTCOMES):
            enc = self._encoder(action, params, picks)
            if action.receive is not None:
                enc.receive(action.receive)
            enc.run(action.body)
            after = self.layout.leaves(enc.state, self.terms)
            changed = [j for j, (old, new) in enumerate(zip(self.inputs, after, strict=True))
                       if new is not old]
            fails = self.terms.disj(f.cond for f in enc.failures)
            if enc.ok is not False or fails is not False:
                found.append(([enc.ok, fails, *(after[j] for j in changed)], changed))
            following = next_picks(enc.picks, enc.sizes)
            if following is None:
                return found
            picks = following
        raise Unsupported(f"{action.name} chooses among more than {MAX_OUTCOMES} "
                          "combinations of values", action.span)

    def _encoder(self, action: ir.Action, params: list[Sym],
                 picks: list[int]) -> EnumeratingEncoder:
        enc = EnumeratingEncoder(self.terms, self.spec, self.layout.traced(self.terms), picks)
        for param, value in zip(action.params, params, strict=True):
            enc.locals[param.slot] = value
        return enc
