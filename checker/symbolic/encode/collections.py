"""Comprehensions and collection literals, symbolically."""

from __future__ import annotations

from typing import Any, assert_never

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.context import Encoder
from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.values import SMap, SSeq, SSet, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import default_value
from numaspec.spec.span import Span


def comprehension(enc: Encoder, e: ir.Comprehension) -> Sym:
    match e.kind:
        case "filter":
            assert isinstance(e.type, t.SetType)
            slot = e.bindings[0].local.slot
            bits = {v: False for v in S.elements(e.type.elem)}
            for cond in enc.assignments(e.bindings, e.where):
                bits[enc.bound[slot]] = enc.logic.disj([bits[enc.bound[slot]], cond])
            return SSet(bits)
        case "image":
            assert isinstance(e.type, t.SetType) and e.element is not None
            return built(enc, _image(enc, e, e.type.elem, e.element), e.span)
        case "map":
            assert isinstance(e.type, t.MapType) and e.element is not None
            return _map(enc, e, e.type, e.element)
        case _:
            assert_never(e.kind)


def _image(enc: Encoder, e: ir.Comprehension, elem: t.Type, element: ir.Expr) -> SSet:
    lg = enc.logic
    parts: dict[Any, list[Leaf]] = {v: [] for v in S.elements(elem)}
    lost: list[Leaf] = []  # an image outside `elem` (as in `set_literal`)
    for cond in enc.assignments(e.bindings, e.where):
        value = enc.guarded(cond, element)
        lost.append(lg.conj([cond, outside(lg, value, elem)]))
        for v, found in _value_cases(lg, value, elem):
            if v in parts:
                parts[v].append(lg.conj([cond, found]))
    return SSet({v: lg.disj(p) for v, p in parts.items()}, lg.disj(lost))


def _value_cases(lg: Logic, value: Sym, typ: t.Type) -> list[tuple[Any, Leaf]]:
    """(v, the value is v) for each value v of `typ` it may be."""
    if S.is_known(value):
        return [(value, True)]
    return [(v, S.equal(lg, value, S.const(v, typ), typ)) for v in S.elements(typ)]


def _map(enc: Encoder, e: ir.Comprehension, typ: t.MapType, element: ir.Expr) -> SMap:
    slot, lg = e.bindings[0].local.slot, enc.logic
    absent = S.const(default_value(typ.value), typ.value)
    entries: dict[Any, tuple[Leaf, Sym]] = {k: (False, absent) for k in S.elements(typ.key)}
    for cond in enc.assignments(e.bindings, e.where):
        key = enc.bound[slot]
        value = enc.guarded(cond, element)
        present, old = entries[key]
        entries[key] = (lg.disj([present, cond]), S.choose(lg, cond, value, old, typ.value))
    return SMap(entries)


def literal(enc: Encoder, e: ir.MakeTuple | ir.MakeSet | ir.MakeMap) -> Sym:
    match e:
        case ir.MakeTuple(items=items, type=t.SeqType(elem=elem, capacity=cap)):
            values = [enc.expr(i) for i in items]
            filler = S.const(default_value(elem), elem)
            return SSeq(len(values), tuple(values + [filler] * (cap - len(values))))
        case ir.MakeTuple(items=items):
            return tuple(enc.expr(i) for i in items)
        case ir.MakeSet(items=items, type=t.SetType(elem=elem)):
            return built(enc, set_literal(enc, items, elem), e.span)
        case ir.MakeMap(entries=entries, type=t.MapType() as typ):
            result = S.const(default_value(typ), typ)
            for key, value in entries:
                result = put(enc.logic, result, enc.expr(key), enc.expr(value), typ)
            return built(enc, result, e.span)
    raise AssertionError(f"a literal of type {t.show(e.type)}")


def built(enc: Encoder, value: SSet | SMap, span: Span) -> Any:
    """`value`, a set or map built at its own type: a member outside that type (`lost`) is
    the model's range violation where it is built (spec/ir/values.py `outside_member`)."""
    enc.fail_if(value.lost, "a member is outside the element type of the set or map built "
                "here", span, "range")
    return value


def set_literal(enc: Encoder, items: tuple[ir.Expr, ...], elem: t.Type) -> SSet:
    """The set of `items` over `elem`; an item outside `elem` cannot be a bit, it marks the
    set `lost` (a range violation if stored; as a mere operand it is dropped)."""
    lg = enc.logic
    bits: dict[Any, Leaf] = {v: False for v in S.elements(elem)}
    lost: list[Leaf] = []
    for item in items:
        value = enc.expr_as(item, elem)
        lost.append(outside(lg, value, elem))
        for v, found in _value_cases(lg, value, elem):
            if v in bits:
                bits[v] = lg.disj([bits[v], found])
    return SSet(bits, lg.disj(lost))


def outside(lg: Logic, value: Sym, typ: t.Type) -> Leaf:
    """`value` (a key, an element) is none of `typ`'s values, so no entry of a map or bit of
    a set stands for it (a constant such as `(n, 1)` where the type is `(Node, 0..0)`)."""
    return lg.neg(S.in_domain(lg, value, typ, meaningful=True))


def put(lg: Logic, m: SMap, key: Sym, value: Sym, typ: t.MapType) -> SMap:
    """`m` with `key` mapped to `value`; a key outside the key type marks the map `lost`
    (the model's range violation where the map is stored: spec/ir/values.py's checks)."""
    entries = dict(m.entries)
    for k, found in _value_cases(lg, key, typ.key):
        if k not in entries:  # a known key outside the type
            continue
        present, old = entries[k]
        entries[k] = (lg.disj([present, found]), S.choose(lg, found, value, old, typ.value))
    return SMap(entries, lg.disj([m.lost, outside(lg, key, typ.key)]))
