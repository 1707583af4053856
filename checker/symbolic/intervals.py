"""The largest magnitude any integer term of a spec can take, by interval arithmetic.

Bit-vector encodings (the Z3 backend, the NumPy programs) wrap around silently, so their
width must hold every intermediate value, not only the values variables store: `x * x * x`
for `x : 0 .. 200` needs 25 bits (with the sign) although `x` needs 9. Each arithmetic
node's interval is computed from its operands'; an operand that is not arithmetic takes its
type's range, or, when its type is unbounded (a `size`, a `let` of a non-arithmetic value),
the atom bound the caller gives (checker/symbolic/width.py: the largest value the spec can
mention). `let` locals take the union of every value bound to their slot within their
context (an action, a property, a workload: slots are unique only within one, and a union
across contexts can feed one context's locals into another's and never settle).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t

Interval = tuple[int, int]
ARITHMETIC = frozenset({"add", "sub", "mul", "div", "mod"})
ROUNDS = 8  # passes over the `let` locals before their intervals count as unbounded
# The IR nodes whose locals have slots of their own (init is the context None).
CONTEXTS = (ir.Action, ir.Property, ir.LeadsTo, ir.Workload)
Slot = tuple[int | None, int]  # (id of the context node, slot)


def largest_magnitude(spec: ir.Spec, atom: int) -> int | None:
    """The largest |value| of an integer term of `spec`; None when no bound is found (a
    chain of `let`s that does not settle)."""
    lets: dict[Slot, Interval] = {}
    for _ in range(ROUNDS):
        walk = _Walk(atom, lets)
        walk.visit(spec)
        if walk.lets == lets:
            return walk.largest
        lets = walk.lets
    return None


class _Walk:
    """One pass: the interval of every arithmetic node, and of every `let` value."""

    def __init__(self, atom: int, lets: dict[Slot, Interval]):
        self.atom, self.known_lets = atom, lets
        self.lets = dict(lets)  # they only grow, so the passes settle (or give up)
        self.largest = atom
        self.context: int | None = None  # the action or property being walked
        # by (context, node): a subtree shared by two contexts is walked in each
        self._seen: set[tuple[int | None, int]] = set()
        self._memo: dict[tuple[int | None, int], Interval] = {}

    def visit(self, node: Any) -> None:
        if isinstance(node, (bool, int, str, type(None))) or (self.context, id(node)) in self._seen:
            return
        self._seen.add((self.context, id(node)))
        if isinstance(node, (tuple, list, frozenset, set)):
            for item in node:
                self.visit(item)
            return
        if not dataclasses.is_dataclass(node) or isinstance(node, t.Type.__args__):  # type: ignore[attr-defined]
            return
        outer = self.context
        if isinstance(node, CONTEXTS):
            self.context = id(node)
        self._note(node)
        for field in dataclasses.fields(node):
            if field.name not in ("span", "type"):
                self.visit(getattr(node, field.name))
        self.context = outer

    def _note(self, node: Any) -> None:
        match node:
            case ir.Binary(op=op) if op in ARITHMETIC:
                self.interval(node)
            case ir.Unary(op="neg"):
                self.interval(node)
            case ir.LetIn(local=local, value=value) | ir.Let(local=local, value=value) \
                    if _is_int(local.type):
                self._bind((self.context, local.slot), self.interval(value))
            case _:
                pass

    def _bind(self, slot: Slot, found: Interval) -> None:
        old = self.lets.get(slot)
        self.lets[slot] = found if old is None else (min(old[0], found[0]),
                                                     max(old[1], found[1]))

    def interval(self, expr: Any) -> Interval:
        key = (self.context, id(expr))
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._interval(expr)
            self.largest = max(self.largest, abs(hit[0]), abs(hit[1]))
        return hit

    def _interval(self, expr: Any) -> Interval:
        match expr:
            case ir.Const(value=bool()):
                return (0, 1)
            case ir.Const(value=int() as value):
                return (value, value)
            case ir.Binary(op=op, left=left, right=right) if op in ARITHMETIC:
                return combine(op, self.interval(left), self.interval(right))
            case ir.Unary(op="neg", operand=operand):
                lo, hi = self.interval(operand)
                return (-hi, -lo)
            case ir.IfThenElse(then=then, orelse=orelse):
                (a, b), (c, d) = self.interval(then), self.interval(orelse)
                return (min(a, c), max(b, d))
            case ir.LetIn(body=body):
                return self.interval(body)
            case ir.LocalRef(local=local) if (self.context, local.slot) in self.known_lets:
                return self.known_lets[self.context, local.slot]
            case _:
                return _bounds(getattr(expr, "type", None)) or (-self.atom, self.atom)


def combine(op: str, a: Interval, b: Interval) -> Interval:
    """The interval of `a op b` (div and mod truncate towards zero)."""
    if op == "add":
        return (a[0] + b[0], a[1] + b[1])
    if op == "sub":
        return (a[0] - b[1], a[1] - b[0])
    if op == "mul":
        products = [x * y for x in a for y in b]
        return (min(products), max(products))
    dividend = max(abs(a[0]), abs(a[1]))
    if op == "div":  # |a / b| <= |a| for every divisor but 0, which is a run-time error
        return (-dividend, dividend)
    divisor = max(abs(b[0]), abs(b[1]))
    reach = min(dividend, max(divisor - 1, 0))  # |a % b| < |b| and <= |a|
    return (-reach if a[0] < 0 else 0, reach if a[1] > 0 else 0)


def _bounds(typ: Any) -> Interval | None:
    if isinstance(typ, t.IntType) and typ.lo is not None and typ.hi is not None:
        return (typ.lo, typ.hi)
    return None


def _is_int(typ: Any) -> bool:
    return isinstance(typ, t.IntType)
