"""Reference evaluator of IR expressions: the executable meaning of every expression node.

Used by the front end to fold constants and by tests as the yardstick for faster engines.
It walks the IR (no compilation); engines that need speed compile the same semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, assert_never

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.builtins import call_builtin
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.values import (
    FrozenMap,
    enumerate_type,
    member_type,
    outside_member,
    outside_message,
    quotient,
    remainder,
    set_op_builds,
    sorted_values,
)
from numaspec.spec.ir.walk import can_fail, container_name
from numaspec.spec.span import Span

MAX_ENUMERATION = 1_000_000  # values per domain; beyond it evaluation stops with an error


@dataclass
class Env:
    """What an expression can see: the state, the local slots and the topology."""

    state: Mapping[str, Any]
    locals: list[Any]
    topology: ir.Topology


def evaluate(expr: ir.Expr, env: Env) -> Any:
    match expr:
        case ir.Const(value=value):
            return value
        case ir.StateRef(var=var):
            return env.state[var]
        case ir.LocalRef(local=local):
            return env.locals[local.slot]
        case ir.Unary(op=op, operand=operand):
            value = evaluate(operand, env)
            return (not value) if op == "not" else -value
        case ir.Binary():
            return _binary(expr, env)
        case ir.IfThenElse(cond=cond, then=then, orelse=orelse):
            return evaluate(then if evaluate(cond, env) else orelse, env)
        case ir.Quantifier():
            return _quantifier(expr, env)
        case ir.Comprehension():
            return _comprehension(expr, env)
        case ir.Lookup():
            return _lookup(expr, env)
        case ir.Project(base=base, index=index):
            return evaluate(base, env)[index]
        case ir.SomeOf(operand=operand):
            return evaluate(operand, env)
        case ir.Builtin():
            return call_builtin(expr, [evaluate(a, env) for a in expr.args], env.topology)
        case ir.MakeTuple(items=items):
            return tuple(evaluate(i, env) for i in items)
        case ir.MakeSet(items=items):
            return _built(frozenset(evaluate(i, env) for i in items), expr)
        case ir.MakeMap(entries=entries):
            return _built(FrozenMap({evaluate(k, env): evaluate(v, env) for k, v in entries}),
                          expr)
        case ir.LetIn(local=local, value=value, body=body):
            env.locals[local.slot] = evaluate(value, env)
            return evaluate(body, env)
        case _:
            assert_never(expr)


def _ints(op: str, a: Any, b: Any, span: Span) -> Any:
    if op in ("div", "mod") and b == 0:
        raise EvalError("division by zero", span)
    if op == "div":
        return quotient(a, b)
    if op == "mod":
        return remainder(a, b)
    return {"add": a + b, "sub": a - b, "mul": a * b}[op]


_SIMPLE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "member": lambda a, b: a in b,
    "has_key": lambda a, b: a in b,
    "union": lambda a, b: a | b,
    "diff": lambda a, b: a - b,
    "inter": lambda a, b: a & b,
    "subseteq": lambda a, b: a <= b,
    "subset": lambda a, b: a < b,
}


def _binary(expr: ir.Binary, env: Env) -> Any:
    op = expr.op
    left = evaluate(expr.left, env)
    if op == "and":
        return bool(left) and bool(evaluate(expr.right, env))
    if op == "or":
        return bool(left) or bool(evaluate(expr.right, env))
    if op == "implies":
        return (not left) or bool(evaluate(expr.right, env))
    right = evaluate(expr.right, env)
    if op in ("add", "sub", "mul", "div", "mod"):
        return _ints(op, left, right, expr.span)
    if set_op_builds(op, expr.type, expr.left.type, expr.right.type):
        return _built(_SIMPLE[op](left, right), expr)
    return _SIMPLE[op](left, right)


def domain_values(domain: ir.Domain, env: Env, span: Span) -> list[Any]:
    """The values a binding ranges over, ascending."""
    match domain:
        case ir.TypeDomain(type=typ):
            values = []
            for value in enumerate_type(typ):
                values.append(value)
                if len(values) > MAX_ENUMERATION:
                    raise EvalError(f"domain has more than {MAX_ENUMERATION} values", span)
            return values
        case ir.SetDomain(set=set_expr):
            return sorted_values(evaluate(set_expr, env))
        case _:
            assert_never(domain)


def assignments(bindings: tuple[ir.Binding, ...], where: ir.Expr | None, env: Env,
                span: Span) -> Iterator[None]:
    """Bind the locals of `bindings` to each combination satisfying `where`, in order."""
    if not bindings:
        if where is None or evaluate(where, env):
            yield None
        return
    first, rest = bindings[0], bindings[1:]
    for value in domain_values(first.domain, env, span):
        env.locals[first.local.slot] = value
        yield from assignments(rest, where, env, span)


def _quantifier(expr: ir.Quantifier, env: Env) -> bool:
    """`forall`/`exists`.  A body that can fail is evaluated for every value, decided or not:
    a run-time error in any iteration is an error of the quantifier, whatever the order of
    the values (so a renaming of nodes cannot hide one); other bodies stop when decided."""
    results: Iterator[bool] = (bool(evaluate(expr.body, env)) for _ in assignments(
        expr.bindings, expr.where, env, expr.span))
    if can_fail(expr.body):
        results = iter(list(results))
    return all(results) if expr.kind == "forall" else any(results)


def _comprehension(expr: ir.Comprehension, env: Env) -> Any:
    matches = assignments(expr.bindings, expr.where, env, expr.span)
    if expr.kind == "filter":
        slot = expr.bindings[0].local.slot
        return frozenset(env.locals[slot] for _ in matches)
    assert expr.element is not None
    if expr.kind == "image":
        return _built(frozenset(evaluate(expr.element, env) for _ in matches), expr)
    slot = expr.bindings[0].local.slot
    result = {}
    for _ in matches:
        result[env.locals[slot]] = evaluate(expr.element, env)
    return FrozenMap(result)


def _built(collection: Any, expr: ir.Expr) -> Any:
    """`collection`, built at `expr`'s type; EvalError ("range") if a member is outside it."""
    member = member_type(expr.type)
    wrong = () if member is None else outside_member(collection, member)
    if wrong:
        raise EvalError(outside_message(wrong[0]), expr.span, "range")
    return collection


def _lookup(expr: ir.Lookup, env: Env) -> Any:
    base = evaluate(expr.base, env)
    key = evaluate(expr.key, env)
    if isinstance(base, tuple):
        if not 0 <= key < len(base):
            raise EvalError(f"index {key} out of range for a sequence of length {len(base)}",
                            expr.span)
        return base[key]
    if key not in base:
        raise EvalError(f"key {key!r} is not present in {container_name(expr.base)}", expr.span)
    return base[key]
