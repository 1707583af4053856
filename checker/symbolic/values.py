"""Symbolic values: a numaspec value of a known type whose parts are leaves
(checker/symbolic/logic.py).

| type                    | symbolic value                                                 |
|-------------------------|----------------------------------------------------------------|
| bool, int, Node, Frame, enum | a leaf                                                    |
| tuple, record           | a Python tuple of symbolic values                              |
| `T?`                    | `SOpt(present, value)`; `value` is meaningless when absent     |
| `Set[T]`                | `SSet`: one boolean leaf per value of `T`                      |
| `Map[K, V]`             | `SMap`: per value of `K`, a presence leaf and a value          |
| `Seq[T, N]`             | `SSeq`: a length leaf and N items (beyond the length: meaningless) |

Sets and maps need a finite element/key type (enumerated once, ascending); `Unsupported` is
raised otherwise.  Functions here are structural and type-directed; none of them fails on a
spec the front end accepted except by raising `Unsupported`.  Those that combine leaves take
the encoding's `Logic` (its backend) as their first argument.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, assert_never

from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Leaf, Logic, known
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap, default_value, enumerate_type

MAX_ELEMENTS = 4096  # values of a set's element type or a map's key type


@dataclass(eq=False, slots=True)
class SOpt:
    present: Leaf
    value: Any


@dataclass(eq=False, slots=True)
class SSet:
    bits: dict[Any, Leaf]  # every value of the element type -> is it a member
    # the set (a literal, a union with one) holds a value outside the element type, which
    # `bits` cannot show: storing it is a range violation of the model (`in_domain`)
    lost: Leaf = False


@dataclass(eq=False, slots=True)
class SMap:
    entries: dict[Any, tuple[Leaf, Any]]  # every key -> (present, value)
    lost: Leaf = False  # a key outside the key type was put (as `SSet.lost`)


@dataclass(eq=False, slots=True)
class SSeq:
    length: Leaf
    items: tuple[Any, ...]


Sym = Any  # Leaf | tuple | SOpt | SSet | SMap | SSeq


@cache
def elements(typ: t.Type) -> tuple[Any, ...]:
    """Every value of a set's element type or a map's key type, ascending."""
    size = t.domain_size(typ)
    if size is None:
        raise Unsupported(f"a set or map over `{t.show(typ)}`, which is not a finite type")
    if size > MAX_ELEMENTS:
        raise Unsupported(f"a set or map over `{t.show(typ)}` ({size:,} values; at most "
                          f"{MAX_ELEMENTS:,})")
    return tuple(enumerate_type(typ))


def is_known(sym: Sym) -> bool:
    """Whether a scalar or tuple value is fully known (a runtime value)."""
    if isinstance(sym, tuple):
        return all(is_known(s) for s in sym)
    return known(sym)


def fields(typ: t.TupleType | t.RecordType) -> tuple[t.Type, ...]:
    if isinstance(typ, t.TupleType):
        return typ.items
    return tuple(f for _, f in typ.fields)


def const(value: Any, typ: t.Type) -> Sym:
    """The symbolic value of a known runtime value."""
    match typ:
        case t.BoolType() | t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return value
        case t.TupleType() | t.RecordType():
            return tuple(const(v, f) for v, f in zip(value, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            if value is None:
                return SOpt(False, const(default_value(inner), inner))
            return SOpt(True, const(value, inner))
        case t.SetType(elem=elem):
            return SSet({e: e in value for e in elements(elem)})
        case t.MapType(key=key, value=val):
            absent = const(default_value(val), val)
            return SMap({k: (True, const(value[k], val)) if k in value else (False, absent)
                         for k in elements(key)})
        case t.SeqType(elem=elem, capacity=cap):
            filler = default_value(elem)
            items = [*value] + [filler] * (cap - len(value))
            return SSeq(len(value), tuple(const(v, elem) for v in items))
        case t.EmptyCollectionType() | t.NoneType():
            raise Unsupported(f"a value of the undetermined type `{t.show(typ)}`")
        case _:
            assert_never(typ)


def fresh(lg: Logic, typ: t.Type, name: str) -> Sym:
    """A symbolic value made of new constants of `lg` named after `name`."""
    match typ:
        case t.BoolType():
            return lg.bool_var(name)
        case t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return lg.int_var(name)
        case t.TupleType() | t.RecordType():
            return tuple(fresh(lg, f, f"{name}.{i}") for i, f in enumerate(fields(typ)))
        case t.OptionType(inner=inner):
            return SOpt(lg.bool_var(f"{name}.some"), fresh(lg, inner, f"{name}.value"))
        case t.SetType(elem=elem):
            return SSet({e: lg.bool_var(f"{name}.has({e})") for e in elements(elem)})
        case t.MapType(key=key, value=val):
            return SMap({k: (lg.bool_var(f"{name}[{k}].in"), fresh(lg, val, f"{name}[{k}]"))
                         for k in elements(key)})
        case t.SeqType(elem=elem, capacity=cap):
            return SSeq(lg.int_var(f"{name}.len"), tuple(fresh(lg, elem, f"{name}.item{i}")
                                                     for i in range(cap)))
        case t.EmptyCollectionType() | t.NoneType():
            raise Unsupported(f"a value of the undetermined type `{t.show(typ)}`")
        case _:
            assert_never(typ)


def in_domain(lg: Logic, sym: Sym, typ: t.Type, meaningful: bool = False) -> Leaf:
    """The value is one of the type's values (ranges, capacities).  The meaningless parts
    (an absent option's or map entry's value, items past a sequence's length) are held to
    the type too unless `meaningful`: a value out of range is a run-time error of the model
    only in a part that means something."""
    def part(present: Leaf, inner: Sym, inner_type: t.Type) -> Leaf:
        held = in_domain(lg, inner, inner_type, meaningful)
        return lg.implies(present, held) if meaningful else held

    match typ:
        case t.BoolType():
            return True
        case t.IntType(lo=lo, hi=hi):
            return lg.conj([True if lo is None else lg.compare("ge", sym, lo),
                           True if hi is None else lg.compare("le", sym, hi)])
        case t.NodeType(count=count) | t.FrameType(count=count):
            return lg.conj([lg.compare("ge", sym, 0), lg.compare("lt", sym, count)])
        case t.EnumType(members=members):
            return lg.conj([lg.compare("ge", sym, 0), lg.compare("lt", sym, len(members))])
        case t.TupleType() | t.RecordType():
            return lg.conj(in_domain(lg, s, f, meaningful) for s, f in
                          zip(sym, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return part(sym.present, sym.value, inner)
        case t.SetType():
            return lg.neg(sym.lost)
        case t.MapType(value=val):
            return lg.conj([lg.neg(sym.lost), *(part(p, v, val) for p, v in sym.entries.values())])
        case t.SeqType(elem=elem, capacity=cap):
            return lg.conj([lg.compare("ge", sym.length, 0), lg.compare("le", sym.length, cap),
                           *(part(lg.compare("lt", i, sym.length), item, elem)
                             for i, item in enumerate(sym.items))])
        case t.EmptyCollectionType() | t.NoneType():
            return True
        case _:
            assert_never(typ)


def equal(lg: Logic, a: Sym, b: Sym, typ: t.Type) -> Leaf:
    """Value equality (meaningless parts ignored)."""
    match typ:
        case t.BoolType() | t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return lg.equal(a, b)
        case t.TupleType() | t.RecordType():
            return lg.conj(equal(lg, x, y, f) for x, y, f in zip(a, b, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return lg.conj([lg.equal(a.present, b.present),
                           lg.implies(a.present, equal(lg, a.value, b.value, inner))])
        # `lost` (a member outside the type, from an operand built wider): such a set differs
        # from every set of the type (exact when one side can be lost, as the encoder allows)
        case t.SetType():
            return lg.conj([lg.equal(a.lost, b.lost),
                            *(lg.equal(a.bits[e], b.bits[e]) for e in a.bits)])
        case t.MapType(value=val):
            return lg.conj([lg.equal(a.lost, b.lost), *(
                _entry_equal(lg, a.entries[k], b.entries[k], val) for k in a.entries)])
        case t.SeqType(elem=elem):
            return lg.conj([lg.equal(a.length, b.length), *(
                lg.implies(lg.compare("lt", i, a.length), equal(lg, x, y, elem))
                for i, (x, y) in enumerate(zip(a.items, b.items, strict=True)))])
        case t.EmptyCollectionType() | t.NoneType():
            return True
        case _:
            assert_never(typ)


def _entry_equal(lg: Logic, a: tuple[Leaf, Sym], b: tuple[Leaf, Sym], val: t.Type) -> Leaf:
    return lg.conj([lg.equal(a[0], b[0]), lg.implies(a[0], equal(lg, a[1], b[1], val))])


def choose(lg: Logic, c: Leaf, a: Sym, b: Sym, typ: t.Type) -> Sym:
    """`if c then a else b`, part by part."""
    if c is True or a is b:
        return a
    if c is False:
        return b
    match typ:
        case t.BoolType() | t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return lg.ite(c, a, b)
        case t.TupleType() | t.RecordType():
            return tuple(choose(lg, c, x, y, f) for x, y, f in zip(a, b, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return SOpt(lg.ite(c, a.present, b.present), choose(lg, c, a.value, b.value, inner))
        case t.SetType():
            return SSet({e: lg.ite(c, a.bits[e], b.bits[e]) for e in a.bits},
                        _either(lg, c, a.lost, b.lost))
        case t.MapType(value=val):
            return SMap({k: (lg.ite(c, a.entries[k][0], b.entries[k][0]),
                             choose(lg, c, a.entries[k][1], b.entries[k][1], val))
                         for k in a.entries}, _either(lg, c, a.lost, b.lost))
        case t.SeqType(elem=elem):
            return SSeq(lg.ite(c, a.length, b.length),
                        tuple(choose(lg, c, x, y, elem) for x, y in zip(a.items, b.items,
                                                                      strict=True)))
        case t.EmptyCollectionType() | t.NoneType():
            return a
        case _:
            assert_never(typ)


def _either(lg: Logic, c: Leaf, a: Leaf, b: Leaf) -> Leaf:
    return a if a is b else lg.ite(c, a, b)


def select(lg: Logic, cases: list[tuple[Leaf, Sym]], default: Sym, typ: t.Type) -> Sym:
    """The value of the first case whose condition holds, else `default`."""
    result = default
    for cond, value in reversed(cases):
        result = choose(lg, cond, value, result, typ)
    return result


def runtime_value(sym: Sym, typ: t.Type, leaf: Callable[[Leaf], Any]) -> Any:
    """The runtime value (spec/ir/values.py) of `sym`, `leaf` giving each leaf's value."""
    match typ:
        case t.BoolType():
            return bool(leaf(sym))
        case t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return int(leaf(sym))
        case t.TupleType() | t.RecordType():
            return tuple(runtime_value(s, f, leaf) for s, f in zip(sym, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return runtime_value(sym.value, inner, leaf) if leaf(sym.present) else None
        case t.SetType():
            return frozenset(e for e, bit in sym.bits.items() if leaf(bit))
        case t.MapType(value=val):
            return FrozenMap({k: runtime_value(v, val, leaf) for k, (p, v) in sym.entries.items()
                              if leaf(p)})
        case t.SeqType(elem=elem):
            return tuple(runtime_value(s, elem, leaf) for s in sym.items[:int(leaf(sym.length))])
        case t.EmptyCollectionType() | t.NoneType():
            return None
        case _:
            assert_never(typ)


def leaves(sym: Sym) -> list[Leaf]:
    """Every leaf of a symbolic value (for substitution and counting)."""
    match sym:
        case SOpt(present=p, value=v):
            return [p, *leaves(v)]
        case SSet(bits=bits):
            return list(bits.values())
        case SMap(entries=entries):
            return [x for p, v in entries.values() for x in (p, *leaves(v))]
        case SSeq(length=n, items=items):
            return [n, *(x for i in items for x in leaves(i))]
        case tuple():
            return [x for s in sym for x in leaves(s)]
        case _:
            return [sym]
