"""Compile IR expressions, once per spec: to generated lambdas (model/compile/codegen/expr.py), or,
when a cost hook must observe every read, to trees of Python closures.

A compiled expression is `fn(st, env) -> value`: `st` is the sequence of state-variable values
(a tuple for a stored state, a list while an action runs) indexed as in `Spec.variables`, and
`env` the list of local slots.  The semantics are those of spec/ir/evaluate.py (the reference,
which tests compare against); only the speed differs.  Quantifiers and comprehensions iterate
sets in any order (the result does not depend on it); `for` and `choose` sort (statements do).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import Any, assert_never

from numaspec.model.compile.codegen.expr import MAX_CUBE, SourceCompiler, cube_size
from numaspec.model.domain_check import checked_members, member_check
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.builtins import call_builtin
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.values import (
    FrozenMap,
    enumerate_type,
    quotient,
    remainder,
    set_op_builds,
)
from numaspec.spec.ir.walk import can_fail, container_name, substitutable, substituting

Fn = Callable[[Any, list[Any]], Any]
ReadHook = Callable[[str, Any, list[Any], Any], None]  # (var, st, env, key or _WHOLE)

_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul,
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "union": operator.or_, "diff": operator.sub,
    "inter": operator.and_, "subseteq": operator.le, "subset": operator.lt,
}
WHOLE = object()  # the key passed to a read hook when a whole variable is read


class ExprCompiler:
    """Compiles the expressions of one spec; `read_hook` (if any) sees every state read."""

    def __init__(self, spec: ir.Spec, read_hook: ReadHook | None = None):
        self.spec = spec
        self.index = {var.name: i for i, var in enumerate(spec.variables)}
        self.topology = spec.topology
        self.read_hook = read_hook
        self.inlined: dict[int, Fn] = {}  # local slot -> its value, for substituted lets
        # Without a hook to observe each read, whole expressions become generated lambdas.
        self.source = SourceCompiler(self.index, spec.topology) if read_hook is None else None

    def compile(self, expr: ir.Expr) -> Fn:
        if self.source is not None and not self.inlined:
            generated = self.source.compile(expr)
            if generated is not None:
                return generated  # type: ignore[no-any-return]
        return self.closure(expr)

    def closure(self, expr: ir.Expr) -> Fn:
        """The expression as a tree of closures (the form that can call a read hook)."""
        match expr:
            case ir.Const(value=value):
                return lambda st, env: value
            case ir.StateRef(var=var):
                return self._state(var)
            case ir.LocalRef(local=local):
                if local.slot in self.inlined:
                    return self.inlined[local.slot]
                slot = local.slot
                return lambda st, env: env[slot]
            case ir.Unary(op="not", operand=operand):
                inner = self.compile(operand)
                return lambda st, env: not inner(st, env)
            case ir.Unary(op="neg", operand=operand):
                inner = self.compile(operand)
                return lambda st, env: -inner(st, env)
            case ir.Unary():
                raise AssertionError(expr.op)
            case ir.Binary(op=op) if set_op_builds(op, expr.type, expr.left.type,
                                                   expr.right.type):
                return _members(expr, self._binary(expr))
            case ir.Binary():
                return self._binary(expr)
            case ir.IfThenElse(cond=cond, then=then, orelse=orelse):
                c, a, b = self.compile(cond), self.compile(then), self.compile(orelse)
                return lambda st, env: a(st, env) if c(st, env) else b(st, env)
            case ir.Quantifier() | ir.Comprehension():
                return self._binder_expr(expr)
            case ir.Lookup():
                return self._lookup(expr)
            case ir.Project(base=base, index=index):
                inner = self.compile(base)
                return lambda st, env: inner(st, env)[index]
            case ir.SomeOf(operand=operand):
                return self.compile(operand)
            case ir.Builtin():
                return self._builtin(expr)
            case ir.MakeTuple(items=items):
                return self._tuple([self.compile(i) for i in items])
            case ir.MakeSet(items=items):
                parts = [self.compile(i) for i in items]
                return _members(expr, lambda st, env: frozenset([p(st, env) for p in parts]))
            case ir.MakeMap(entries=entries):
                pairs = [(self.compile(k), self.compile(v)) for k, v in entries]
                return _members(expr, lambda st, env: FrozenMap({k(st, env): v(st, env)
                                                                 for k, v in pairs}))
            case ir.LetIn():
                return self._let_in(expr)
            case _:
                assert_never(expr)

    # ----------------------------------------------------------------- pieces
    def _let_in(self, expr: ir.LetIn) -> Fn:
        # An inlined function's parameter used at most once, or bound to a constant or a
        # local, is substituted: expressions are pure, so evaluating the argument where the
        # parameter is used gives the same value, without a slot write and a call per level.
        slot, val = expr.local.slot, self.compile(expr.value)
        if substitutable(expr):
            with substituting(self.inlined, slot, val):
                return self.compile(expr.body)
        inner = self.compile(expr.body)

        def let_in(st: Any, env: list[Any]) -> Any:
            env[slot] = val(st, env)
            return inner(st, env)

        return let_in

    def _tuple(self, parts: list[Fn]) -> Fn:
        if len(parts) == 2:
            a, b = parts
            return lambda st, env: (a(st, env), b(st, env))
        if len(parts) == 3:
            a, b, c = parts
            return lambda st, env: (a(st, env), b(st, env), c(st, env))
        return lambda st, env: tuple([p(st, env) for p in parts])

    def _state(self, var: str) -> Fn:
        i, hook = self.index[var], self.read_hook
        if hook is None:
            return lambda st, env: st[i]

        def read(st: Any, env: list[Any]) -> Any:
            hook(var, st, env, WHOLE)
            return st[i]

        return read

    def _binary(self, expr: ir.Binary) -> Fn:
        left, right = self.compile(expr.left), self.compile(expr.right)
        match expr.op:
            case "and":
                return lambda st, env: bool(left(st, env)) and bool(right(st, env))
            case "or":
                return lambda st, env: bool(left(st, env)) or bool(right(st, env))
            case "implies":
                return lambda st, env: (not left(st, env)) or bool(right(st, env))
            case "member" | "has_key":
                if self.read_hook is not None and isinstance(expr.right, ir.StateRef):
                    return self._keyed_membership(expr.right.var, left)
                return lambda st, env: left(st, env) in right(st, env)
            case "div" | "mod":
                return self._division(expr, left, right)
            case "eq":  # the commonest operators without the call through `operator`
                if isinstance(expr.right, ir.Const):
                    value = expr.right.value
                    return lambda st, env: left(st, env) == value
                return lambda st, env: left(st, env) == right(st, env)
            case "ne":
                if isinstance(expr.right, ir.Const):
                    value = expr.right.value
                    return lambda st, env: left(st, env) != value
                return lambda st, env: left(st, env) != right(st, env)
            case "sub" if isinstance(expr.right, ir.Const):
                value = expr.right.value
                return lambda st, env: left(st, env) - value
            case op:
                fn = _ARITH[op]
                return lambda st, env: fn(left(st, env), right(st, env))

    def _keyed_membership(self, var: str, left: Fn) -> Fn:
        # `k in m` inspects the entry of k only: a keyed access for the cost model.
        i, hook = self.index[var], self.read_hook
        assert hook is not None

        def member(st: Any, env: list[Any]) -> Any:
            key = left(st, env)
            hook(var, st, env, key)
            return key in st[i]

        return member

    def _division(self, expr: ir.Binary, left: Fn, right: Fn) -> Fn:
        is_div, span = expr.op == "div", expr.span

        def divide(st: Any, env: list[Any]) -> Any:
            a, b = left(st, env), right(st, env)
            if b == 0:
                raise EvalError("division by zero", span)
            return quotient(a, b) if is_div else remainder(a, b)

        return divide

    def _lookup(self, expr: ir.Lookup) -> Fn:
        key, span, name = self.compile(expr.key), expr.span, container_name(expr.base)
        hook = self.read_hook
        if isinstance(expr.base, ir.StateRef) and hook is not None:
            i, var = self.index[expr.base.var], expr.base.var

            def keyed_read(st: Any, env: list[Any]) -> Any:
                k = key(st, env)
                hook(var, st, env, k)
                return _get(st[i], k, span, name)

            return keyed_read
        base = self.compile(expr.base)
        return lambda st, env: _get(base(st, env), key(st, env), span, name)

    def _builtin(self, expr: ir.Builtin) -> Fn:
        if self.read_hook is not None and expr.args and isinstance(expr.args[0], ir.StateRef) \
                and expr.name in ("descendants", "ancestors", "get"):
            return self._keyed_builtin(expr, expr.args[0].var)
        args = [self.compile(a) for a in expr.args]
        topology = self.topology
        if len(args) == 1:
            (only,) = args
            return lambda st, env: call_builtin(expr, [only(st, env)], topology)
        return lambda st, env: call_builtin(expr, [a(st, env) for a in args], topology)

    def _keyed_builtin(self, expr: ir.Builtin, var: str) -> Fn:
        # A traversal touches the entries it visits, a `get` the entry of its key.
        i, hook, topology = self.index[var], self.read_hook, self.topology
        key = self.compile(expr.args[1])
        assert hook is not None

        def traverse(st: Any, env: list[Any]) -> Any:
            start = key(st, env)
            result = call_builtin(expr, [st[i], start], topology)
            for visited in (start, *result) if expr.name != "get" else (start,):
                hook(var, st, env, visited)
            return result

        return traverse

    # --------------------------------------------------- binders (∀, ∃, {…})
    def domain(self, domain: ir.Domain) -> Fn:
        """A function giving the values a binding ranges over (a fixed tuple for types)."""
        match domain:
            case ir.TypeDomain(type=typ):
                values = tuple(enumerate_type(typ))
                return lambda st, env: values
            case ir.SetDomain(set=set_expr):
                return self.compile(set_expr)
            case _:
                assert_never(domain)

    def _binder_expr(self, expr: ir.Quantifier | ir.Comprehension) -> Fn:
        loops = [(b.local.slot, self.domain(b.domain)) for b in expr.bindings]
        where = self.compile(expr.where) if expr.where is not None else None
        if isinstance(expr, ir.Quantifier):
            body = self.compile(expr.body)
            types = [b.domain.type for b in expr.bindings if isinstance(b.domain, ir.TypeDomain)]
            forall, strict = expr.kind == "forall", can_fail(expr.body)
            if len(types) == len(expr.bindings) and cube_size(types) <= MAX_CUBE:
                slots = tuple(b.local.slot for b in expr.bindings)
                combos = list(itertools.product(*(enumerate_type(t) for t in types)))
                return _fixed_quantifier(forall, slots, combos, where, body, strict)
            return _quantifier(forall, loops, where, body, strict)
        element = self.compile(expr.element) if expr.element is not None else None
        built = _comprehension(expr.kind, loops, where, element)
        # only an image can gain a member outside the type: the others take theirs from it
        return _members(expr, built) if expr.kind == "image" else built


def _members(expr: ir.Expr, build: Fn) -> Fn:
    """`build`, checking that each member of what it builds lies in `expr`'s member type."""
    check = member_check(expr.type)
    if check is None:
        return build
    span = expr.span
    return lambda st, env: checked_members(build(st, env), check, span)


def _get(container: Any, key: Any, span: Any, name: str = "the map") -> Any:
    try:
        if isinstance(container, tuple):
            if key < 0:
                raise IndexError
        return container[key]
    except (KeyError, IndexError):
        raise EvalError(f"key {key!r} is not present in {name}", span) from None


def _matches(loops: list[tuple[int, Fn]], where: Fn | None, st: Any,
             env: list[Any]) -> Any:
    """Yield once per combination of bound values that satisfies `where`."""
    if len(loops) == 1:
        slot, values = loops[0]
        for value in values(st, env):
            env[slot] = value
            if where is None or where(st, env):
                yield None
        return
    slot, values = loops[0]
    for value in values(st, env):
        env[slot] = value
        yield from _matches(loops[1:], where, st, env)


def _fixed_quantifier(forall: bool, slots: tuple[int, ...], combos: list[tuple[Any, ...]],
                      where: Fn | None, body: Fn, strict: bool) -> Fn:
    """A quantifier over finite types: one flat loop over the precomputed combinations.
    `strict` (a body that can fail): every body is evaluated (spec/ir/evaluate.py)."""
    def quantify(st: Any, env: list[Any]) -> bool:
        decided = False
        for combo in combos:
            for slot, value in zip(slots, combo):  # noqa: B905  (same length by construction)
                env[slot] = value
            if where is not None and not where(st, env):
                continue
            if bool(body(st, env)) != forall:
                if not strict:
                    return not forall
                decided = True
        return forall != decided

    return quantify


def _quantifier(forall: bool, loops: list[tuple[int, Fn]], where: Fn | None, body: Fn,
                strict: bool) -> Fn:
    if strict:
        decide = all if forall else any
        return lambda st, env: decide([bool(body(st, env))
                                       for _ in _matches(loops, where, st, env)])
    if forall:
        return lambda st, env: all(body(st, env) for _ in _matches(loops, where, st, env))
    return lambda st, env: any(body(st, env) for _ in _matches(loops, where, st, env))


def _comprehension(kind: str, loops: list[tuple[int, Fn]], where: Fn | None,
                   element: Fn | None) -> Fn:
    slot = loops[0][0]
    if kind == "filter":
        return lambda st, env: frozenset([env[slot] for _ in _matches(loops, where, st, env)])
    assert element is not None
    if kind == "image":
        return lambda st, env: frozenset([element(st, env)
                                          for _ in _matches(loops, where, st, env)])
    def build(st: Any, env: list[Any]) -> Any:
        result = {}
        for _ in _matches(loops, where, st, env):
            result[env[slot]] = element(st, env)
        return FrozenMap(result)

    return build
