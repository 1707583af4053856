"""A spec as a symbolic transition system: states, initial condition, one step, properties.

A state at step k is one symbolic value per variable made of fresh constants named `var@k`
(indexed channels have every index present).  One step: an action selector `action@k`
picks one action; its parameters and `choose` values are fresh constants of that step; the
next state is the action's symbolic execution.  Steps that fail (assert, run-time error,
overflow, range) are no transitions; `failure` says some instance would fail.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import z3

from numaspec.checker.smt.z3_logic import Z3Logic
from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.context import Failure
from numaspec.checker.symbolic.encode.expr import ExprEncoder
from numaspec.checker.symbolic.encode.stmt import StmtEncoder
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Leaf, known
from numaspec.checker.symbolic.values import SMap, Sym
from numaspec.checker.symbolic.width import width_for
from numaspec.spec.ir import nodes as ir

State = dict[str, Sym]


@dataclass
class ActionStep:
    """One action instance encoded from one state: enabled (`ok`), failures, next state."""

    logic: Z3Logic
    action: ir.Action
    args: tuple[Any, ...]
    ok: Leaf
    failures: list[Failure]
    next: State
    bound: list[z3.ExprRef]  # its own constants: symbolic parameters, `choose` values
    requires: list[tuple[ir.Require, Leaf, Leaf, Leaf]]  # (stmt, path, ok before, cond)
    branches: list[tuple[ir.If, Leaf, Leaf]]  # (stmt, reaches then, reaches else)

    @property
    def fails(self) -> Leaf:
        return self.logic.disj(f.cond for f in self.failures)

    @property
    def moves(self) -> Leaf:
        """Enabled and not failing: a transition."""
        return self.logic.conj([self.ok, self.logic.neg(self.fails)])


class SymbolicSystem:
    """The Z3 encoding of `spec`: its terms are built by `logic`, whose bit width holds every
    integer of this spec (each system has its own, so specs can be encoded side by side).
    The variables in `constants` are their initial values in every state (for variables no
    step writes, checker/symbolic/unwritten.py; others would make it unsound)."""

    def __init__(self, spec: ir.Spec, constants: frozenset[str] = frozenset()):
        self.spec = spec
        self.constants = constants
        self.logic = Z3Logic(width_for(spec))
        self._instances = self.instances()

    # --------------------------------------------------------------- states
    def state(self, label: str) -> State:
        state: State = {}
        for var in self.spec.variables:
            if var.name in self.constants:
                state[var.name] = S.const(var.initial, var.type)
                continue
            try:
                sym = S.fresh(self.logic, var.type, f"{var.name}@{label}")
            except Unsupported as err:
                raise Unsupported(f"variable {var.name}: {err}", var.span) from None
            if var.channel is not None and var.channel.index is not None:
                sym = SMap({k: (True, v) for k, (_, v) in sym.entries.items()})
            state[var.name] = sym
        return state

    def type_ok(self, state: State) -> Leaf:
        return self.logic.conj(S.in_domain(self.logic, state[v.name], v.type)
                               for v in self.spec.variables)

    def equal(self, a: State, b: State) -> Leaf:
        return self.logic.conj(S.equal(self.logic, a[v.name], b[v.name], v.type)
                               for v in self.spec.variables)

    def initial(self, state: State) -> Leaf:
        """`state` is an initial state."""
        start = {}
        for var in self.spec.variables:
            try:
                start[var.name] = S.const(var.initial, var.type)
            except Unsupported as err:
                raise Unsupported(f"variable {var.name}: {err}", var.span) from None
        if self.spec.init is None:
            return self.equal(state, start)
        enc = StmtEncoder(self.logic, self.spec, start, "init.")
        enc.run(self.spec.init)
        no_failure = self.logic.neg(self.logic.disj(f.cond for f in enc.failures))
        return self.logic.conj([enc.ok, no_failure, self.equal(state, enc.state)])

    # ---------------------------------------------------------------- steps
    def instances(self) -> list[tuple[ir.Action, tuple[Any, ...]]]:
        """Every action with every combination of arguments, in the model's order."""
        found = []
        for action in self.spec.actions:
            try:
                domains = [S.elements(p.type) for p in action.params]
            except Unsupported as err:
                raise Unsupported(f"the parameters of {action.name}: {err}",
                                  action.span) from None
            found += [(action, args) for args in itertools.product(*domains)]
        return found

    def actions(self, state: State, label: str) -> list[ActionStep]:
        """Each action's step from `state`, its parameters fresh constants of this step
        (in `bound`, constrained to their types in `ok`)."""
        steps = []
        for action in self.spec.actions:
            prefix = f"{action.name}!{label}."
            args = []
            for p in action.params:
                try:
                    args.append(S.fresh(self.logic, p.type, f"{prefix}{p.name}"))
                except Unsupported as err:
                    raise Unsupported(f"parameter {p.name}: {err}", action.span) from None
            step = self._instance(action, tuple(args), state, prefix, symbolic=True)
            steps.append(step)
        return steps

    def instance_steps(self, state: State, label: str) -> list[ActionStep]:
        """Each instance's step from `state` (known arguments; no parameter constants)."""
        return [self._instance(action, args, state, f"{action.name}{list(args)}!{label}.")
                for action, args in self._instances]

    def _instance(self, action: ir.Action, args: tuple[Any, ...], state: State,
                  prefix: str, symbolic: bool = False) -> ActionStep:
        enc = StmtEncoder(self.logic, self.spec, state, prefix)
        bound = []
        for p, value in zip(action.params, args, strict=True):
            if symbolic:
                enc.locals[p.slot] = value
                enc.require(S.in_domain(self.logic, value, p.type))
                bound += [x for x in S.leaves(value) if not known(x)]
            else:
                enc.locals[p.slot] = S.const(value, p.type)
        if action.receive is not None:
            enc.receive(action.receive)
        enc.run(action.body)
        bound += [x for s, _ in enc.choices for x in S.leaves(s) if not known(x)]
        return ActionStep(self.logic, action, args, enc.ok, enc.failures, enc.state, bound,
                          enc.requires, enc.branches)

    def selector(self, label: str) -> z3.BitVecRef:
        return self.logic.int_var(f"action@{label}")

    def transition(self, now: State, steps: list[ActionStep], nxt: State, label: str) -> Leaf:
        """One instance of `steps` (encoded from `now`, picked by the selector) moves to `nxt`.

        Each leaf of `nxt` is its old value unless the selected instance writes it: an
        if-then-else over the few instances that do, so a step costs what it changes."""
        sel, lg = self.selector(label), self.logic
        chosen = [lg.equal(sel, number) for number in range(len(steps))]
        parts: list[Leaf] = [lg.compare("ge", sel, 0), lg.compare("lt", sel, len(steps))]
        parts += [lg.implies(c, step.moves) for c, step in zip(chosen, steps, strict=True)]
        for var in self.spec.variables:
            old = S.leaves(now[var.name])
            values = list(old)
            for c, step in reversed(list(zip(chosen, steps, strict=True))):
                written = step.next[var.name]
                if written is now[var.name]:
                    continue
                values = [v if lg.same(o, w) else lg.ite(c, w, v)
                          for o, w, v in zip(old, S.leaves(written), values, strict=True)]
            parts += [lg.equal(n, v) for n, v in zip(S.leaves(nxt[var.name]), values,
                                                     strict=True)]
        return lg.conj(parts)

    def failure(self, steps: list[ActionStep]) -> Leaf:
        """Some instance of some action fails in the state the steps start from."""
        return self.logic.disj(step.fails for step in steps)

    def deadlock(self, steps: list[ActionStep]) -> Leaf:
        """No instance of any action is enabled (nor fails)."""
        parts = []
        for step in steps:
            stuck = self.logic.neg(self.logic.disj([step.ok, step.fails]))
            if step.bound and not known(stuck):
                stuck = z3.ForAll(step.bound, stuck)
            parts.append(stuck)
        return self.logic.conj(parts)

    # ----------------------------------------------------------- properties
    def holds(self, prop: ir.Property, state: State) -> Leaf:
        """The predicate is true and evaluates without error (the model's reading)."""
        enc, lg = ExprEncoder(self.logic, self.spec.topology, state), self.logic
        value = enc.expr(prop.expr)
        return lg.conj([value, lg.neg(lg.disj(f.cond for f in enc.failures))])
