"""Compile IR expressions to Python source, one `lambda st, env: ...` per expression.

The closures of model/compile/expr.py call one Python function per IR node; the generated
lambda evaluates the whole expression in one frame, which is several times faster for the
guards and invariants that dominate state exploration.  The semantics are the same (the
tests compare both with spec/ir/evaluate.py): `and`/`or` short-circuit, quantifiers stop at
the first counterexample or witness, run-time errors raise `EvalError` with the node's span
(through the helpers `_get`, `_div` and `call_builtin`).  Used only without cost hooks: the
cost model needs to observe individual reads, which the closures do.
"""

from __future__ import annotations

import itertools
from typing import Any, assert_never

from numaspec.model.compile.codegen.memo import UNSET, remember, repeated_invariants
from numaspec.model.domain_check import checked_members, member_check
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.builtins import call_builtin
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.types import Type, domain_size
from numaspec.spec.ir.values import (
    FrozenMap,
    enumerate_type,
    quotient,
    remainder,
    set_op_builds,
)
from numaspec.spec.ir.walk import (
    can_fail,
    container_name,
    mentions,
    substitutable,
    substituting,
)

_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "add": "+",
        "sub": "-", "mul": "*", "union": "|", "diff": "-", "inter": "&", "subseteq": "<=",
        "subset": "<", "member": "in", "has_key": "in"}


def _get(container: Any, key: Any, span: Any, name: str = "the map") -> Any:
    try:
        if isinstance(container, tuple) and key < 0:
            raise IndexError
        return container[key]
    except (KeyError, IndexError):
        raise EvalError(f"key {key!r} is not present in {name}", span) from None


def _div(a: Any, b: Any, span: Any, is_div: bool) -> Any:
    if b == 0:
        raise EvalError("division by zero", span)
    return quotient(a, b) if is_div else remainder(a, b)


def _bind(env: list[Any], slot: int, value: Any) -> None:
    env[slot] = value


# Several type-bound variables iterate one precomputed list of combinations (one loop
# instead of nested ones) when it has at most this many; a larger cube, such as
# `forall a, b: Node, v: Page` with 100,000 pages, is iterated by nested loops instead of
# being built in memory when the spec is compiled.  Shared with the closures.
MAX_CUBE = 4096


def cube_size(types: list[Type]) -> int:
    """How many combinations of values `types` have (counting stops once past MAX_CUBE)."""
    total = 1
    for typ in types:
        total *= domain_size(typ) or 0
        if total > MAX_CUBE:
            break
    return total


def types_of(bindings: tuple[ir.Binding, ...]) -> list[Type]:
    return [b.domain.type for b in bindings if isinstance(b.domain, ir.TypeDomain)]




class SourceCompiler:
    """Generates and compiles the source of expressions of one spec."""

    def __init__(self, index: dict[str, int], topology: ir.Topology):
        self.index = index
        self.constants: list[Any] = []
        self.names: dict[str, Any] = {"_get": _get, "_div": _div, "_bind": _bind,
                                      "_members": checked_members,
                                      "call_builtin": call_builtin, "FrozenMap": FrozenMap,
                                      "_UNSET": UNSET, "_remember": remember,
                                      "K": self.constants, "TOPO": topology}
        self.substitutions: dict[int, str] = {}
        self.memo: dict[int, int] = {}  # id of a remembered subexpression -> its memo slot

    def compile(self, expr: ir.Expr) -> Any | None:
        """The expression as one generated lambda, or None if CPython cannot compile it.

        Chains of `and`, `or`, `implies`, `not` and `else if` are generated flat, so long ones
        compile; what still exceeds CPython's parser (a few hundred nested brackets or
        conditionals) returns None and the caller keeps it as closures, which have no limit.
        """
        self.memo = repeated_invariants(expr)
        try:
            source = self.source(expr)
        finally:
            memo, self.memo = self.memo, {}
        if memo:  # a fresh memo list per evaluation (memo.py)
            source = f"(lambda M: {source})([_UNSET] * {len(memo)})"
        try:
            return eval(f"lambda st, env: {source}", self.names)  # noqa: S307 (our own source)
        except (SyntaxError, RecursionError, MemoryError):
            return None

    def members(self, expr: ir.Expr, source: str) -> str:
        """`source` (building a set or map), checking its members against `expr`'s type."""
        check = member_check(expr.type)
        if check is None:
            return source
        return f"_members({source}, {self.const(check)}, {self.const(expr.span)})"

    def const(self, value: Any) -> str:
        """A reference to `value` in the generated source (literals inline, others in K)."""
        if isinstance(value, (bool, int)) or value is None:
            return repr(value)
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def source(self, expr: ir.Expr) -> str:
        index = self.memo.pop(id(expr), None) if self.memo else None
        if index is not None:
            try:
                return (f"(M[{index}] if M[{index}] is not _UNSET else "
                        f"_remember(M, {index}, {self.source(expr)}))")
            finally:
                self.memo[id(expr)] = index
        return self._source(expr)

    def _source(self, expr: ir.Expr) -> str:
        match expr:
            case ir.Const(value=value):
                return self.const(value)
            case ir.StateRef(var=var):
                return f"st[{self.index[var]}]"
            case ir.LocalRef(local=local):
                return self.substitutions.get(local.slot, f"env[{local.slot}]")
            case ir.Unary(op="not"):
                return self._not(expr)
            case ir.Unary(operand=operand):
                return f"(-{self.source(operand)})"
            case ir.Binary(op="and" | "or" | "implies"):
                return self._chain(expr)
            case ir.Binary():
                return self._binary(expr)
            case ir.IfThenElse():
                return self._conditional(expr)
            case ir.Quantifier() | ir.Comprehension():
                return self._binders(expr)
            case ir.Lookup(base=base, key=key, span=span):
                return (f"_get({self.source(base)}, {self.source(key)}, {self.const(span)}, "
                        f"{self.const(container_name(base))})")
            case ir.Project(base=base, index=index):
                return f"{self.source(base)}[{index}]"
            case ir.SomeOf(operand=operand):
                return self.source(operand)
            case ir.Builtin(args=args):
                parts = ", ".join(self.source(a) for a in args)
                return f"call_builtin({self.const(expr)}, [{parts}], TOPO)"
            case ir.MakeTuple(items=items):
                return "(" + "".join(f"{self.source(i)}, " for i in items) + ")"
            case ir.MakeSet(items=items):
                return self.members(expr, "frozenset((" + "".join(
                    f"{self.source(i)}, " for i in items) + "))")
            case ir.MakeMap(entries=entries):
                pairs = ", ".join(f"{self.source(k)}: {self.source(v)}" for k, v in entries)
                return self.members(expr, f"FrozenMap({{{pairs}}})")
            case ir.LetIn():
                return self._let(expr)
            case _:
                assert_never(expr)

    def _not(self, expr: ir.Unary) -> str:
        # Operands are booleans (type-checked): `not not b` is `b`, so a chain of `not`s
        # becomes at most one, instead of one bracket level each.
        negated = False
        inner: ir.Expr = expr
        while isinstance(inner, ir.Unary) and inner.op == "not":
            negated, inner = not negated, inner.operand
        return f"(not {self.source(inner)})" if negated else self.source(inner)

    def _chain(self, expr: ir.Binary) -> str:
        """A chain of `and`s or of `or`s (with `a implies b` as `not a or b`) as one flat
        Python expression: `a or b or c` has no nesting however long the chain is.  The
        operands keep their order, so short-circuiting is unchanged."""
        op = "and" if expr.op == "and" else "or"
        parts: list[str] = []
        pending: list[tuple[ir.Expr, bool]] = [(expr, False)]  # (operand, negate it)
        while pending:
            node, negate = pending.pop()
            if not negate and isinstance(node, ir.Binary) and (
                    node.op == op or (op == "or" and node.op == "implies")):
                pending.append((node.right, False))
                pending.append((node.left, node.op == "implies"))
            else:
                part = self.source(node)
                parts.append(f"(not {part})" if negate else part)
        return "(" + f" {op} ".join(parts) + ")"

    def _conditional(self, expr: ir.IfThenElse) -> str:
        # `else if` chains unbracketed: Python's conditional expression nests to the right.
        parts: list[str] = []
        node: ir.Expr = expr
        while isinstance(node, ir.IfThenElse):
            parts.append(f"{self.source(node.then)} if {self.source(node.cond)} else ")
            node = node.orelse
        return "(" + "".join(parts) + self.source(node) + ")"

    def _binary(self, expr: ir.Binary) -> str:
        left, right = self.source(expr.left), self.source(expr.right)
        match expr.op:
            case "and" | "or" | "implies":
                raise AssertionError(expr.op)  # generated by _chain
            case "div" | "mod":
                return f"_div({left}, {right}, {self.const(expr.span)}, {expr.op == 'div'})"
            case op if set_op_builds(op, expr.type, expr.left.type, expr.right.type):
                return self.members(expr, f"({left} {_OPS[op]} {right})")
            case op:
                return f"({left} {_OPS[op]} {right})"

    def _let(self, expr: ir.LetIn) -> str:
        value = self.source(expr.value)
        slot = expr.local.slot
        if substitutable(expr):
            with substituting(self.substitutions, slot, f"({value})"):
                return self.source(expr.body)
        return f"(_bind(env, {slot}, {value}), {self.source(expr.body)})[1]"

    def _loops(self, bindings: tuple[ir.Binding, ...]) -> str:
        if all(isinstance(b.domain, ir.TypeDomain) for b in bindings) and len(bindings) > 1 \
                and cube_size(types_of(bindings)) <= MAX_CUBE:
            targets = ", ".join(f"env[{b.local.slot}]" for b in bindings)
            types = [b.domain.type for b in bindings if isinstance(b.domain, ir.TypeDomain)]
            combos = list(itertools.product(*(enumerate_type(t) for t in types)))
            return f"for {targets} in {self.const(combos)}"
        parts = []
        for b in bindings:
            match b.domain:
                case ir.TypeDomain(type=typ):
                    domain = self.const(tuple(enumerate_type(typ)))
                case ir.SetDomain(set=set_expr):
                    domain = self.source(set_expr)
            parts.append(f"for env[{b.local.slot}] in {domain}")
        return " ".join(parts)

    def _filtered_loops(self, bindings: tuple[ir.Binding, ...], where: ir.Expr | None) -> str:
        """The loops over `bindings` with the `where` filter.  Each conjunct of an `and` chain
        is tested right after the last binder it mentions, so `forall v: Page, x, y: Node
        where p(v, x) and q(v, y)` evaluates p once per (v, x), not once per (v, x, y).  The
        conjuncts keep their order, and one is only moved out past binders over nonempty
        types: every prefix of values then extends to a full combination, so each conjunct
        is evaluated at exactly the values, and in the order, it was before (an error too)."""
        if where is None:
            return self._loops(bindings)
        levels = _conjunct_levels(bindings, where)
        if all(level == len(bindings) - 1 for level, _ in levels):
            return f"{self._loops(bindings)} if {self.source(where)}"
        parts = []
        for index, binding in enumerate(bindings):
            parts.append(self._loops((binding,)))
            tests = [self.source(c) for level, c in levels if level == index]
            if tests:
                parts.append("if " + " and ".join(f"({t})" for t in tests))
        return " ".join(parts)

    def _binders(self, expr: ir.Quantifier | ir.Comprehension) -> str:
        loops = self._filtered_loops(expr.bindings, expr.where)
        if isinstance(expr, ir.Quantifier):
            function = "all" if expr.kind == "forall" else "any"
            if can_fail(expr.body):  # every body evaluated: spec/ir/evaluate.py `_quantifier`
                return f"{function}([bool({self.source(expr.body)}) {loops}])"
            return f"{function}({self.source(expr.body)} {loops})"
        slot = expr.bindings[0].local.slot
        if expr.kind == "filter":
            return f"frozenset([env[{slot}] {loops}])"
        assert expr.element is not None
        element = self.source(expr.element)
        if expr.kind == "image":
            return self.members(expr, f"frozenset([{element} {loops}])")
        return f"FrozenMap({{env[{slot}]: {element} {loops}}})"


def _conjuncts(expr: ir.Expr) -> list[ir.Expr]:
    """The operands of a chain of `and`s, in order (`expr` itself if it is no `and`)."""
    found: list[ir.Expr] = []
    pending = [expr]  # a stack, right operands below left ones: long chains, no recursion
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Binary) and node.op == "and":
            pending += [node.right, node.left]
        else:
            found.append(node)
    return found


def _conjunct_levels(bindings: tuple[ir.Binding, ...],
                     where: ir.Expr) -> list[tuple[int, ir.Expr]]:
    """Each conjunct of `where` with the index of the binder after which it is tested: the
    last binder it mentions, but never before an earlier conjunct, nor before a binder
    that ranges over a set or over an empty type (see `_filtered_loops`)."""
    floor = max((k for k, b in enumerate(bindings) if not _nonempty_type(b)), default=0)
    levels, level = [], floor
    for conjunct in _conjuncts(where):
        needed = max((k for k, b in enumerate(bindings) if mentions(conjunct, b.local.slot)),
                     default=0)
        level = max(level, needed)
        levels.append((level, conjunct))
    return levels


def _nonempty_type(binding: ir.Binding) -> bool:
    return isinstance(binding.domain, ir.TypeDomain) and bool(domain_size(binding.domain.type))
