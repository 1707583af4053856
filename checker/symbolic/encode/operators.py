"""Binary operators of the IR, symbolically (the model's semantics: spec/ir/evaluate.py)."""

from __future__ import annotations

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.collections import built
from numaspec.checker.symbolic.encode.context import Encoder
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.values import SMap, SSeq, SSet, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import set_op_builds

_TYPED_ALIKE = ("eq", "ne", "union", "diff", "inter", "subseteq", "subset")


def binary(enc: Encoder, e: ir.Binary) -> Sym:
    if e.op in _TYPED_ALIKE and not t.is_finite(e.left.type) and t.is_finite(e.right.type):
        if e.op in ("union", "diff", "inter") and not t.is_finite(e.type):
            # the result would escape narrowed to the right operand's type, where a member
            # outside it has no place and its consumer (`size`, ...) would drop it
            raise Unsupported(f"a set of type `{t.show(e.type)}`, which is not finite",
                              e.span)
        left = enc.expr_as(e.left, e.right.type)
        return _strict(enc, e, left, enc.expr(e.right), e.right.type)
    if e.op == "member" and not t.is_finite(e.right.type) and t.is_finite(e.left.type):
        collection = enc.expr_as(e.right, t.SetType(e.left.type))
        return member(enc.logic, enc.expr(e.left), collection, e.left.type)
    left, lg = enc.expr(e.left), enc.logic
    match e.op:
        case "and":
            return lg.conj([left, enc.guarded(left, e.right)])
        case "or":
            return lg.disj([left, enc.guarded(lg.neg(left), e.right)])
        case "implies":
            return lg.implies(left, enc.guarded(left, e.right))
        case _:
            want = e.left.type if e.op in _TYPED_ALIKE else e.right.type
            return _strict(enc, e, left, enc.expr_as(e.right, want), e.left.type)


def _strict(enc: Encoder, e: ir.Binary, left: Sym, right: Sym, typ: t.Type) -> Sym:
    """`typ`: the type both operands are encoded at (for the operators that need one)."""
    op, lg = e.op, enc.logic
    match op:
        case "eq" | "ne":
            same = S.equal(lg, left, right, typ)
            return same if op == "eq" else lg.neg(same)
        case "lt" | "le" | "gt" | "ge":
            return lg.compare(op, left, right)
        case "add" | "sub" | "mul":
            return lg.arith(op, left, right)
        case "div" | "mod":
            enc.fail_if(lg.equal(right, 0), "division by zero", e.span)
            return lg.arith(op, left, right)
        case "member":
            return member(lg, left, right, e.left.type)
        case "has_key":
            return has_key(lg, right, left, e.left.type)
        case "union" | "diff" if set_op_builds(op, e.type, e.left.type, e.right.type):
            return built(enc, set_operation(lg, op, left, right), e.span)
        case "union" | "diff" | "inter":
            return set_operation(lg, op, left, right)
        # A member outside the element type (`lost`, from an operand built wider) is in the
        # one set and not the other: `{f(x)} subseteq s` is false where f(x) is outside it.
        case "subseteq":
            return lg.conj([lg.neg(left.lost), *(lg.implies(bit, right.bits[v])
                                                 for v, bit in left.bits.items())])
        case "subset":
            inside = lg.conj(lg.implies(bit, right.bits[v]) for v, bit in left.bits.items())
            bigger = lg.disj([right.lost, *(lg.conj([right.bits[v], lg.neg(bit)])
                                            for v, bit in left.bits.items())])
            return lg.conj([lg.neg(left.lost), inside, bigger])
        case "and" | "or" | "implies":
            raise AssertionError("short-circuit operators are encoded by `binary`")
    raise AssertionError(f"unhandled operator {op}")


def set_operation(lg: Logic, op: str, left: SSet, right: SSet) -> SSet:
    """`union`, `diff` or `inter` of two sets of one element type.  What is lost (a member
    outside the element type) follows the operation: exactly when at most one operand was
    built wider than that type (the encoder declines `diff`/`inter` of two such operands:
    `{f(x)} - {g(x)}` may or may not remove the member it lost)."""
    return SSet({v: _set_op(lg, op, bit, right.bits[v]) for v, bit in left.bits.items()},
                _set_op(lg, "inter" if op == "inter" else "union", left.lost,
                        right.lost if op != "diff" else False))


def _set_op(lg: Logic, op: str, a: Leaf, b: Leaf) -> Leaf:
    if op == "union":
        return lg.disj([a, b])
    if op == "inter":
        return lg.conj([a, b])
    return lg.conj([a, lg.neg(b)])


def member(lg: Logic, elem: Sym, collection: Sym, elem_type: t.Type) -> Leaf:
    """`elem in collection` for a set or a sequence."""
    if isinstance(collection, SSeq):
        return lg.disj(lg.conj([lg.compare("lt", i, collection.length),
                              S.equal(lg, elem, item, elem_type)])
                      for i, item in enumerate(collection.items))
    assert isinstance(collection, SSet)
    if S.is_known(elem):  # a value outside the element type is in no set of that type
        return collection.bits.get(elem, False)
    return lg.disj(lg.conj([S.equal(lg, elem, S.const(v, elem_type), elem_type), bit])
                  for v, bit in collection.bits.items() if bit is not False)


def has_key(lg: Logic, m: SMap, key: Sym, key_type: t.Type) -> Leaf:
    if S.is_known(key):  # a key outside the key type is in no map of that type
        return m.entries[key][0] if key in m.entries else False
    return lg.disj(lg.conj([S.equal(lg, key, S.const(k, key_type), key_type), p])
                  for k, (p, _) in m.entries.items() if p is not False)
