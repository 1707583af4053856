"""Compile IR statements to closures over a mutable state list and a list of local slots.

A statement compiles either to a *straight* function `run(st, env) -> None`, which changes
`st`/`env` in place, or, if it contains a `choose`, to a *fork* function
`fork(st, env) -> [(st', env'), ...]` returning one outcome per choice.  A failed `require`
raises `Disabled` (that instance, or that branch of a choice, takes no step); a run-time
error raises `Violation`.  The sequential semantics are those of spec/ir/nodes.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, assert_never

from numaspec.model.compile.expr import ExprCompiler, Fn
from numaspec.model.domain_check import Check, key_checks, value_checker
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.values import sorted_values
from numaspec.spec.span import Span

Run = Callable[[list[Any], list[Any]], None]
Fork = Callable[[list[Any], list[Any]], list[tuple[list[Any], list[Any]]]]
Compiled = tuple[bool, Any]  # (is_fork, Run or Fork)


class Disabled(Exception):
    """A `require` is false: the action instance (or this branch of it) takes no step."""


class Violation(Exception):
    """The step breaks the spec: a failed assert, a run-time error, overflow, out of range."""

    def __init__(self, kind: str, message: str, span: Span | None):
        super().__init__(message)
        self.kind, self.message, self.span = kind, message, span


class TooManyOutcomes(Exception):
    """A forking block built more outcomes than its `OutcomeBudget` allows."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit} outcomes")
        self.limit = limit


class OutcomeBudget:
    """A bound on the outcomes a forking block may build (the initial states under
    `--max-states`): without it a wide `init` choose builds all its outcomes before anything
    can count them.  `limit` None bounds nothing."""

    def __init__(self) -> None:
        self.limit: int | None = None

    def check(self, count: int) -> None:
        if self.limit is not None and count > self.limit:
            raise TooManyOutcomes(self.limit)


class Hooks:
    """Observers of what a step does (cost accounting); the default observes nothing."""

    def call(self, callee: str, kernel: bool) -> None:
        pass

    def write(self, var: str, st: Any, env: list[Any], key: Any) -> None:
        pass

    def send(self, channel: str, st: Any, env: list[Any], index: Any) -> None:
        pass


class StmtCompiler:
    def __init__(self, exprs: ExprCompiler, hooks: Hooks | None = None,
                 budget: OutcomeBudget | None = None):
        """`budget`, if given, bounds the outcomes of every fork compiled (only `init`'s:
        the actions' forks stay free of the check)."""
        self.exprs = exprs
        self.index = exprs.index
        self.hooks = hooks
        self.budget = budget
        self.var_types = {v.name: v.type for v in exprs.spec.variables}
        self.channels = {v.name: v.channel for v in exprs.spec.variables if v.channel}

    def block(self, block: ir.Block) -> Compiled:
        parts = [self.stmt(s) for s in block.stmts]
        if not any(is_fork for is_fork, _ in parts):
            runs = [run for _, run in parts]
            if len(runs) == 1:
                return False, runs[0]

            def run_all(st: list[Any], env: list[Any]) -> None:
                for run in runs:
                    run(st, env)

            return False, run_all
        return True, _sequence_forks(parts, self.budget)

    def stmt(self, stmt: ir.Stmt) -> Compiled:
        match stmt:
            case ir.Require(cond=cond):
                return False, _require(self.exprs.compile(cond))
            case ir.Assert(cond=cond, message=message, span=span):
                return False, _assert(self.exprs.compile(cond), message, span)
            case ir.Let(local=local, value=value):
                slot, fn = local.slot, self.exprs.compile(value)

                def let(st: list[Any], env: list[Any]) -> None:
                    env[slot] = fn(st, env)

                return False, let
            case ir.Assign():
                return False, self._assign(stmt)
            case ir.Delete():
                return False, self._delete(stmt)
            case ir.If():
                return self._if(stmt)
            case ir.For():
                return self._for(stmt)
            case ir.Choose():
                return True, self._choose(stmt)
            case ir.Send():
                return False, self._send(stmt)
            case ir.Inlined(callee=callee, kernel=kernel, body=body):
                return self._inlined(callee, kernel, body)
            case ir.Block():
                return self.block(stmt)
            case _:
                assert_never(stmt)

    # -------------------------------------------------------------- updates
    def _assign(self, stmt: ir.Assign) -> Run:
        target, value = stmt.target, self.exprs.compile(stmt.value)
        i, path = self.index[target.var], self._path(target.path)
        check = value_checker(target.type)
        key_checks = self.key_checks(target)
        hooks, var, span = self.hooks, target.var, stmt.span

        def assign(st: list[Any], env: list[Any]) -> None:
            new = value(st, env)
            if check is not None and not check(new):
                raise Violation("range", f"{_describe(target)} := {new!r} is out of range "
                                f"for its type", span)
            keys = [k(st, env) if k is not None else None for k in path]
            for at, key_check in key_checks:
                if not key_check(keys[at]):
                    raise Violation("range", f"key {keys[at]!r} is out of range", span)
            if hooks is not None:
                hooks.write(var, st, env, keys[0] if keys else None)
            st[i] = _update(st[i], stmt.target.path, keys, new, span)

        return assign

    def _delete(self, stmt: ir.Delete) -> Run:
        target, key = stmt.target, self.exprs.compile(stmt.key)
        i, path = self.index[target.var], self._path(target.path)
        hooks, var, span = self.hooks, target.var, stmt.span

        def delete(st: list[Any], env: list[Any]) -> None:
            keys = [k(st, env) if k is not None else None for k in path]
            k = key(st, env)
            if hooks is not None:
                hooks.write(var, st, env, keys[0] if keys else k)
            container = _read_path(st[i], stmt.target.path, keys, span)
            st[i] = _update(st[i], stmt.target.path, keys, container.without(k), span)

        return delete

    def _path(self, path: tuple[ir.PathStep, ...]) -> list[Fn | None]:
        return [self.exprs.compile(step.key) if isinstance(step, ir.KeyStep) else None
                for step in path]

    def key_check(self, target: ir.Target) -> Callable[[Any], bool] | None:
        """The range check of the key of `m[k] := ...` (the path's first step), if any."""
        checks = self.key_checks(target)
        return checks[0][1] if checks and checks[0][0] == 0 else None

    def key_checks(self, target: ir.Target) -> list[tuple[int, Check]]:
        """(step, check) for each map key on the path of `target` with a range to keep."""
        return key_checks(self.var_types[target.var], target.path)

    # -------------------------------------------------------- control flow
    def _if(self, stmt: ir.If) -> Compiled:
        cond = self.exprs.compile(stmt.cond)
        then, orelse = self.block(stmt.then), self.block(stmt.orelse)
        if not then[0] and not orelse[0]:
            run_then, run_else = then[1], orelse[1]

            def run_if(st: list[Any], env: list[Any]) -> None:
                (run_then if cond(st, env) else run_else)(st, env)

            return False, run_if
        fork_then, fork_else = _as_fork(then), _as_fork(orelse)
        return True, lambda st, env: (fork_then if cond(st, env) else fork_else)(st, env)

    def _for(self, stmt: ir.For) -> Compiled:
        combos = self._combinations(stmt.bindings, stmt.where)
        body = self.block(stmt.body)
        if not body[0]:
            run_body = body[1]

            def run_for(st: list[Any], env: list[Any]) -> None:
                for values in combos(st, env):
                    _bind(env, values)
                    run_body(st, env)

            return False, run_for
        fork_body, budget = body[1], self.budget

        def fork_for(st: list[Any], env: list[Any]) -> list[tuple[list[Any], list[Any]]]:
            outcomes = [(st, env)]
            for values in combos(st, env):
                next_outcomes = []
                for s, e in outcomes:
                    _bind(e, values)
                    next_outcomes += fork_body(s, e)
                    if budget is not None:
                        budget.check(len(next_outcomes))
                outcomes = next_outcomes
            return outcomes

        return True, fork_for

    def _choose(self, stmt: ir.Choose) -> Fork:
        combos = self._combinations(stmt.bindings, stmt.where)
        body, budget = _as_fork(self.block(stmt.body)), self.budget

        def choose(st: list[Any], env: list[Any]) -> list[tuple[list[Any], list[Any]]]:
            outcomes = []
            for values in combos(st, env):
                branch_env = list(env)
                _bind(branch_env, values)
                outcomes += body(list(st), branch_env)
                if budget is not None:
                    budget.check(len(outcomes))
            return outcomes

        return choose

    def _combinations(self, bindings: tuple[ir.Binding, ...],
                      where: ir.Expr | None) -> Callable[[Any, list[Any]], list[Any]]:
        """All (slot, value) assignments satisfying `where`, in ascending value order."""
        loops = [(b.local.slot, self._sorted_domain(b.domain)) for b in bindings]
        test = self.exprs.compile(where) if where is not None else None
        if len(loops) == 1:
            slot, values = loops[0]

            def single(st: Any, env: list[Any]) -> list[Any]:
                found = []
                for value in values(st, env):
                    env[slot] = value
                    if test is None or test(st, env):
                        found.append(((slot, value),))
                return found

            return single

        def combos(st: Any, env: list[Any]) -> list[Any]:
            found: list[Any] = []
            _enumerate(loops, 0, [], test, st, env, found)
            return found

        return combos

    def _sorted_domain(self, domain: ir.Domain) -> Fn:
        """The values of a domain in ascending order (a type's values already are)."""
        values = self.exprs.domain(domain)
        if isinstance(domain, ir.TypeDomain):
            return values
        return lambda st, env: sorted_values(values(st, env))

    # ------------------------------------------------------ channels, calls
    def _send(self, stmt: ir.Send) -> Run:
        i, value, span = self.index[stmt.channel], self.exprs.compile(stmt.value), stmt.span
        index = self.exprs.compile(stmt.index) if stmt.index is not None else None
        info = self.channels[stmt.channel]
        capacity, check = info.capacity, value_checker(info.message)
        hooks, name = self.hooks, stmt.channel

        def send(st: list[Any], env: list[Any]) -> None:
            message = value(st, env)
            if check is not None and not check(message):
                raise Violation("range", f"message {message!r} is out of range", span)
            where = index(st, env) if index is not None else None
            if index is not None and where not in st[i]:  # an index outside its type
                raise Violation("range", f"channel index {where!r} is out of range", span)
            queue = st[i][where] if index is not None else st[i]
            if len(queue) >= capacity:
                raise Violation("overflow", f"channel {name} overflows (capacity {capacity})",
                                span)
            if hooks is not None:
                hooks.send(name, st, env, where)
            queue = queue + (message,)
            st[i] = st[i].set(where, queue) if index is not None else queue

        return send

    def _inlined(self, callee: str, kernel: bool, body: ir.Block) -> Compiled:
        is_fork, inner = self.block(body)
        hooks = self.hooks
        if hooks is None:
            return is_fork, inner

        def observed(st: list[Any], env: list[Any]) -> Any:
            hooks.call(callee, kernel)
            return inner(st, env)

        return is_fork, observed


# ---------------------------------------------------------------- helpers
def _require(cond: Fn) -> Run:
    def require(st: list[Any], env: list[Any]) -> None:
        if not cond(st, env):
            raise Disabled

    return require


def _assert(cond: Fn, message: str | None, span: Span) -> Run:
    def check(st: list[Any], env: list[Any]) -> None:
        if not cond(st, env):
            raise Violation("assert", message or "assertion failed", span)

    return check


def _as_fork(compiled: Compiled) -> Fork:
    is_fork, fn = compiled
    if is_fork:
        return fn  # type: ignore[no-any-return]

    def single(st: list[Any], env: list[Any]) -> list[tuple[list[Any], list[Any]]]:
        try:
            fn(st, env)
        except Disabled:
            return []
        return [(st, env)]

    return single


def _sequence_forks(parts: list[Compiled], budget: OutcomeBudget | None) -> Fork:
    forks = [_as_fork(part) for part in parts]

    def run(st: list[Any], env: list[Any]) -> list[tuple[list[Any], list[Any]]]:
        outcomes = [(st, env)]
        for fork in forks:
            if budget is None:
                outcomes = [out for s, e in outcomes for out in fork(s, e)]
                continue
            following: list[tuple[list[Any], list[Any]]] = []
            for s, e in outcomes:
                following += fork(s, e)
                budget.check(len(following))
            outcomes = following
        return outcomes

    return run


def _bind(env: list[Any], values: list[tuple[int, Any]]) -> None:
    for slot, value in values:
        env[slot] = value


def _enumerate(loops: list[tuple[int, Fn]], depth: int, chosen: list[tuple[int, Any]],
               test: Fn | None, st: Any, env: list[Any], found: list[Any]) -> None:
    if depth == len(loops):
        if test is None or test(st, env):
            found.append(list(chosen))
        return
    slot, domain = loops[depth]
    for value in domain(st, env):
        env[slot] = value
        chosen.append((slot, value))
        _enumerate(loops, depth + 1, chosen, test, st, env, found)
        chosen.pop()


def _read_path(value: Any, path: tuple[ir.PathStep, ...], keys: list[Any], span: Span) -> Any:
    for step, key in zip(path, keys, strict=True):
        value = _child(value, step, key, span)
    return value


def _child(value: Any, step: ir.PathStep, key: Any, span: Span) -> Any:
    if isinstance(step, ir.ProjectStep):
        return value[step.index]
    try:
        return value[key]
    except KeyError:
        raise Violation("runtime", f"key {key!r} is not present", span) from None


def _update(value: Any, path: tuple[ir.PathStep, ...], keys: list[Any], new: Any,
            span: Span) -> Any:
    """`value` with the place at `path` replaced by `new` (functional update)."""
    if not path:
        return new
    step, key = path[0], keys[0]
    inner = _update(_child(value, step, key, span) if len(path) > 1 else None, path[1:],
                    keys[1:], new, span)
    if isinstance(step, ir.ProjectStep):
        return value[: step.index] + (inner,) + value[step.index + 1:]
    return value.set(key, inner)


def _describe(target: ir.Target) -> str:
    return target.var + "[...]" * len(target.path)


def as_violation(err: EvalError) -> Violation:
    return Violation(err.kind, err.message, err.span)
