"""The executable model of a spec: initial states, action instances, successors, properties.

This is the one executable semantics every engine agrees with.  A state is a tuple of variable
values in the order of `Spec.variables` (hashable; see spec/ir/values.py).  An *instance* is an
action with concrete arguments; the instances of a spec are enumerated once, in a fixed order
(actions in declaration order, arguments ascending), so runs are deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from numaspec.model.compile.codegen.stmt import BodyCodegen
from numaspec.model.compile.expr import ExprCompiler, Fn
from numaspec.model.compile.stmt import (
    Disabled,
    Hooks,
    OutcomeBudget,
    StmtCompiler,
    TooManyOutcomes,
    Violation,
    as_violation,
)
from numaspec.model.outcome import LimitReached
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.values import enumerate_type
from numaspec.spec.ir.walk import state_reads

State = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Instance:
    """An action applied to arguments (`action` indexes `Spec.actions`); `number` is its
    position in `Model.instances`."""

    action: int
    args: tuple[Any, ...]
    number: int = field(default=-1, compare=False)


class StepViolation(Exception):
    """Executing `instance` in `state` breaks the spec (assert, run-time error, overflow)."""

    def __init__(self, instance: Instance | None, state: State, violation: Violation):
        super().__init__(violation.message)
        self.instance, self.state, self.violation = instance, state, violation


@dataclass
class _CompiledAction:
    action: ir.Action
    slots: int
    params: tuple[int, ...]
    node: Fn | None
    receive: Callable[[list[Any], list[Any]], bool] | None
    body: tuple[bool, Any]
    guard: Fn | None  # the leading `require`s (or a non-empty channel), on the state tuple


class Model:
    """Compile once with `Model(spec)`; then query states and steps (no printing)."""

    def __init__(self, spec: ir.Spec, hooks: Hooks | None = None,
                 read_hook: Any = None):
        self.spec = spec
        self.exprs = ExprCompiler(spec, read_hook)
        self.stmts = StmtCompiler(self.exprs, hooks)
        self.names = tuple(v.name for v in spec.variables)
        self.actions = [self._compile_action(a) for a in spec.actions]
        self.instances = tuple(self._instances())
        self._envs = [self._initial_env(i) for i in self.instances]
        self.invariants = [(p, self.exprs.compile(p.expr), p.locals_count)
                           for p in spec.invariants]
        index = self.exprs.index
        self._invariant_reads = [frozenset(index[v] for v in state_reads(p.expr))
                                 for p in spec.invariants]
        self._init_budget = OutcomeBudget()
        init_compiler = StmtCompiler(self.exprs, hooks, self._init_budget)
        self._init = init_compiler.block(spec.init) if spec.init is not None else None
        self._initial: list[State] | None = None  # computed once, on first use

    # ------------------------------------------------------------ compiling
    def _compile_action(self, action: ir.Action) -> _CompiledAction:
        node = self.exprs.compile(action.on) if action.on is not None else None
        receive = self._compile_receive(action.receive) if action.receive else None
        # Most instances of a state are disabled by their first `require`s: test those on
        # the state tuple before copying the state and running the body.
        guards, rest = leading_requires(action.body) if receive is None else ([], action.body)
        if action.receive is not None:
            guard: Fn | None = self._compile_ready(action.receive)
        else:
            guard = _all([self.exprs.compile(g) for g in guards]) if guards else None
        body = self.stmts.block(rest)
        if not body[0] and self.exprs.source is not None and self.stmts.hooks is None:
            generated = BodyCodegen(self.stmts, self.exprs.source).compile(rest)
            if generated is not None:
                body = (False, generated)
        return _CompiledAction(action, max(action.locals_count, 1),
                               tuple(p.slot for p in action.params), node, receive,
                               body, guard)

    def _compile_ready(self, receive: ir.Receive) -> Fn:
        i = self.exprs.index[receive.channel]
        if receive.index is None:
            return lambda st, env: bool(st[i])
        index, span = self.exprs.compile(receive.index), receive.span

        def ready(st: Any, env: list[Any]) -> bool:
            where = index(st, env)
            if where not in st[i]:  # an index outside its type: a run-time error
                raise EvalError(f"channel index {where!r} is out of range", span)
            return bool(st[i][where])

        return ready

    def _compile_receive(self, receive: ir.Receive) -> Callable[[list[Any], list[Any]], bool]:
        i = self.exprs.index[receive.channel]
        index = self.exprs.compile(receive.index) if receive.index is not None else None
        slot = receive.message.slot

        def pop(st: list[Any], env: list[Any]) -> bool:
            where = index(st, env) if index is not None else None
            queue = st[i][where] if index is not None else st[i]
            if not queue:
                return False
            env[slot] = queue[0]
            st[i] = st[i].set(where, queue[1:]) if index is not None else queue[1:]
            return True

        return pop

    def _instances(self) -> list[Instance]:
        found: list[Instance] = []
        for number, compiled in enumerate(self.actions):
            domains = [list(enumerate_type(p.type)) for p in compiled.action.params]
            for args in itertools.product(*domains):
                found.append(Instance(number, tuple(args), len(found)))
        return found

    def _initial_env(self, instance: Instance) -> list[Any]:
        """The local slots of `instance` before its body runs: its arguments bound."""
        compiled = self.actions[instance.action]
        env: list[Any] = [None] * compiled.slots
        for slot, value in zip(compiled.params, instance.args, strict=True):
            env[slot] = value
        return env

    # ---------------------------------------------------------------- states
    def initial_states(self, limit: int | None = None) -> list[State]:
        """The initial states (several if `init` chooses), computed once.  Raises
        StepViolation; with `limit`, raises LimitReached ("--max-states N") as soon as `init`
        has built more than `limit` outcomes (a wide choose stops early, not after building
        millions of states)."""
        if self._initial is not None:
            if limit is not None and len(self._initial) > limit:
                raise LimitReached(_too_many_initial(limit))
            return list(self._initial)
        start = [v.initial for v in self.spec.variables]
        if self._init is None:
            self._initial = [tuple(start)]
            return list(self._initial)
        env: list[Any] = [None] * max(self.spec.init_locals, 1)
        self._init_budget.limit = limit
        try:
            outcomes = self._run_body(self._init, start, env, None, tuple(start))
        except TooManyOutcomes as many:
            raise LimitReached(_too_many_initial(many.limit)) from None
        finally:
            self._init_budget.limit = None
        self._initial = _unique(tuple(st) for st, _ in outcomes)
        if limit is not None and len(self._initial) > limit:
            raise LimitReached(_too_many_initial(limit))
        return list(self._initial)

    def execute(self, state: State, instance: Instance) -> list[State]:
        """The successors of `instance` in `state`: [] if disabled.  Raises StepViolation."""
        compiled = self.actions[instance.action]
        env = self._envs[instance.number].copy() if instance.number >= 0 else \
            self._initial_env(instance)
        try:
            if compiled.guard is not None and not compiled.guard(state, env):
                return []
            st = list(state)
            if compiled.receive is not None:
                compiled.receive(st, env)
        except EvalError as err:
            raise StepViolation(instance, state, as_violation(err)) from None
        outcomes = self._run_body(compiled.body, st, env, instance, state)
        if len(outcomes) == 1:
            return [tuple(outcomes[0][0])]
        return _unique(tuple(s) for s, _ in outcomes)

    def _run_body(self, body: tuple[bool, Any], st: list[Any], env: list[Any],
                  instance: Instance | None, state: State) -> list[tuple[list[Any], Any]]:
        is_fork, fn = body
        try:
            if is_fork:
                return fn(st, env)  # type: ignore[no-any-return]
            fn(st, env)
            return [(st, env)]
        except Disabled:
            return []
        except Violation as violation:
            raise StepViolation(instance, state, violation) from None
        except EvalError as err:
            raise StepViolation(instance, state, as_violation(err)) from None

    def successors(self, state: State) -> list[tuple[Instance, State]]:
        """Every enabled instance with each of its successor states, in instance order."""
        return [(instance, nxt) for instance in self.instances
                for nxt in self.execute(state, instance)]

    def safe_successors(self, state: State, instances: Sequence[Instance] | None = None,
                        execute: Callable[[State, Instance], list[State]] | None = None,
                        ) -> list[tuple[Instance, State]]:
        """Like `successors` (over `instances`, default all), skipping the instances whose
        step from `state` fails: a failing step is not a move; engines that report failures
        find them separately (the search when it reaches the state, `first_failure`).
        `execute` replaces `self.execute` (the trace frontier passes its memoised one)."""
        step = self.execute if execute is None else execute
        found = []
        for instance in self.instances if instances is None else instances:
            try:
                found += [(instance, nxt) for nxt in step(state, instance)]
            except StepViolation:
                continue
        return found

    def node_of(self, state: State, instance: Instance) -> int | None:
        """The node executing `instance` (its `on` expression), or None if unplaced."""
        compiled = self.actions[instance.action]
        if compiled.node is None:
            return None
        env: list[Any] = [None] * compiled.slots
        for slot, value in zip(compiled.params, instance.args, strict=True):
            env[slot] = value
        return compiled.node(state, env)  # type: ignore[no-any-return]

    # ------------------------------------------------------------ properties
    def violated_invariant(self, state: State,
                           parent: State | None = None) -> tuple[ir.Property, str] | None:
        """The first invariant false in `state` (with a reason), or None.

        With `parent`, a state known to satisfy every invariant, an invariant that reads no
        variable the step changed is not evaluated again (values are immutable, so an
        unchanged variable keeps the very same object)."""
        changed = None if parent is None else {
            i for i, (a, b) in enumerate(zip(state, parent, strict=True)) if a is not b}
        for number, (prop, fn, slots) in enumerate(self.invariants):
            if changed is not None and changed.isdisjoint(self._invariant_reads[number]):
                continue
            try:
                if not fn(state, [None] * max(slots, 1)):
                    return prop, "is false"
            except EvalError as err:
                return prop, f"cannot be evaluated: {err.message}"
        return None

    def holds(self, prop: ir.Property, state: State) -> bool:
        """Evaluate a state predicate (invariant, reachable, final); errors count as false."""
        try:
            return bool(self.exprs.compile(prop.expr)(state, [None] * max(prop.locals_count, 1)))
        except EvalError:
            return False

    # --------------------------------------------------------------- naming
    def action_name(self, instance: Instance) -> str:
        return self.actions[instance.action].action.name

    def params(self, instance: Instance) -> tuple[ir.Local, ...]:
        return self.actions[instance.action].action.params

    def find_instance(self, action: str, args: dict[str, Any]) -> list[Instance]:
        """The instances of `action` whose arguments agree with `args` (a partial map)."""
        found = []
        for instance in self.instances:
            if self.action_name(instance) != action:
                continue
            named = {p.name: v for p, v in zip(self.params(instance), instance.args,
                                               strict=True)}
            if all(named.get(k) == v for k, v in args.items()):
                found.append(instance)
        return found


def leading_requires(body: ir.Block) -> tuple[list[ir.Expr], ir.Block]:
    """The conditions of the `require`s that open `body`, and the rest of it."""
    count = 0
    while count < len(body.stmts) and isinstance(body.stmts[count], ir.Require):
        count += 1
    guards = [stmt.cond for stmt in body.stmts[:count]]  # type: ignore[union-attr]
    return guards, ir.Block(body.stmts[count:], body.span)


def _all(tests: list[Fn]) -> Fn:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        a, b = tests
        return lambda st, env: bool(a(st, env)) and bool(b(st, env))
    return lambda st, env: all(t(st, env) for t in tests)


def _unique(states: Any) -> list[State]:
    seen: dict[State, None] = {}
    for state in states:
        seen.setdefault(state, None)
    return list(seen)


def _too_many_initial(limit: int) -> str:
    return f"--max-states {limit} (`init` alone has more than {limit} outcomes)"
