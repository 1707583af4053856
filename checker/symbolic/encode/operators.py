"""Binary operators of the IR, symbolically (the model's semantics: spec/ir/evaluate.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from numaspec.checker.symbolic import logic as L
from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.values import SMap, SSeq, SSet, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t

if TYPE_CHECKING:
    from numaspec.checker.symbolic.encode.expr import ExprEncoder


_TYPED_ALIKE = ("eq", "ne", "union", "diff", "inter", "subseteq", "subset")


def binary(enc: ExprEncoder, e: ir.Binary) -> Sym:
    if e.op in _TYPED_ALIKE and not t.is_finite(e.left.type) and t.is_finite(e.right.type):
        left = enc.expr_as(e.left, e.right.type)
        return _strict(enc, e, left, enc.expr(e.right), e.right.type)
    if e.op == "member" and not t.is_finite(e.right.type) and t.is_finite(e.left.type):
        collection = enc.expr_as(e.right, t.SetType(e.left.type))
        return member(enc.expr(e.left), collection, e.left.type)
    left = enc.expr(e.left)
    match e.op:
        case "and":
            return L.conj([left, enc.guarded(left, e.right)])
        case "or":
            return L.disj([left, enc.guarded(L.neg(left), e.right)])
        case "implies":
            return L.implies(left, enc.guarded(left, e.right))
        case _:
            want = e.left.type if e.op in _TYPED_ALIKE else e.right.type
            return _strict(enc, e, left, enc.expr_as(e.right, want), e.left.type)


def _strict(enc: ExprEncoder, e: ir.Binary, left: Sym, right: Sym, typ: t.Type) -> Sym:
    """`typ`: the type both operands are encoded at (for the operators that need one)."""
    op = e.op
    match op:
        case "eq" | "ne":
            same = S.equal(left, right, typ)
            return same if op == "eq" else L.neg(same)
        case "lt" | "le" | "gt" | "ge":
            return L.compare(op, left, right)
        case "add" | "sub" | "mul":
            return L.arith(op, left, right)
        case "div" | "mod":
            enc.fail_if(L.equal(right, 0), "division by zero", e.span)
            return L.arith(op, left, right)
        case "member":
            return member(left, right, e.left.type)
        case "has_key":
            return has_key(right, left, e.left.type)
        case "union" | "diff" | "inter":
            return set_operation(op, left, right)
        case "subseteq":
            return L.conj(L.implies(bit, right.bits[v]) for v, bit in left.bits.items())
        case "subset":
            inside = L.conj(L.implies(bit, right.bits[v]) for v, bit in left.bits.items())
            bigger = L.disj(L.conj([right.bits[v], L.neg(bit)]) for v, bit in left.bits.items())
            return L.conj([inside, bigger])
        case "and" | "or" | "implies":
            raise AssertionError("short-circuit operators are encoded by `binary`")
    raise AssertionError(f"unhandled operator {op}")


def set_operation(op: str, left: SSet, right: SSet) -> SSet:
    return SSet({v: _set_op(op, bit, right.bits[v]) for v, bit in left.bits.items()})


def _set_op(op: str, a: L.Leaf, b: L.Leaf) -> L.Leaf:
    if op == "union":
        return L.disj([a, b])
    if op == "inter":
        return L.conj([a, b])
    return L.conj([a, L.neg(b)])


def member(elem: Sym, collection: Sym, elem_type: t.Type) -> L.Leaf:
    """`elem in collection` for a set or a sequence."""
    if isinstance(collection, SSeq):
        return L.disj(L.conj([L.compare("lt", i, collection.length),
                              S.equal(elem, item, elem_type)])
                      for i, item in enumerate(collection.items))
    assert isinstance(collection, SSet)
    if S.is_known(elem):
        return collection.bits[elem]
    return L.disj(L.conj([S.equal(elem, S.const(v, elem_type), elem_type), bit])
                  for v, bit in collection.bits.items() if bit is not False)


def has_key(m: SMap, key: Sym, key_type: t.Type) -> L.Leaf:
    if S.is_known(key):
        return m.entries[key][0]
    return L.disj(L.conj([S.equal(key, S.const(k, key_type), key_type), p])
                  for k, (p, _) in m.entries.items() if p is not False)
