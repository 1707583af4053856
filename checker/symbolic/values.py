"""Symbolic values: a numaspec value of a known type whose parts are leaves (checker/smt/logic).

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
spec the front end accepted except by raising `Unsupported`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, assert_never

import z3

from numaspec.checker.symbolic import logic as L
from numaspec.checker.symbolic.logic import Leaf
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap, default_value, enumerate_type

MAX_ELEMENTS = 4096  # values of a set's element type or a map's key type


class Unsupported(Exception):
    """A construct the SMT engine cannot encode (the caller adds the source span)."""


@dataclass(eq=False, slots=True)
class SOpt:
    present: Leaf
    value: Any


@dataclass(eq=False, slots=True)
class SSet:
    bits: dict[Any, Leaf]  # every value of the element type -> is it a member


@dataclass(eq=False, slots=True)
class SMap:
    entries: dict[Any, tuple[Leaf, Any]]  # every key -> (present, value)


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
    return L.known(sym)


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


def fresh(typ: t.Type, name: str) -> Sym:
    """A symbolic value made of new Z3 constants named after `name`."""
    match typ:
        case t.BoolType():
            return z3.Bool(name)
        case t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return L.int_var(name)
        case t.TupleType() | t.RecordType():
            return tuple(fresh(f, f"{name}.{i}") for i, f in enumerate(fields(typ)))
        case t.OptionType(inner=inner):
            return SOpt(z3.Bool(f"{name}.some"), fresh(inner, f"{name}.value"))
        case t.SetType(elem=elem):
            return SSet({e: z3.Bool(f"{name}.has({e})") for e in elements(elem)})
        case t.MapType(key=key, value=val):
            return SMap({k: (z3.Bool(f"{name}[{k}].in"), fresh(val, f"{name}[{k}]"))
                         for k in elements(key)})
        case t.SeqType(elem=elem, capacity=cap):
            return SSeq(L.int_var(f"{name}.len"), tuple(fresh(elem, f"{name}.item{i}")
                                                     for i in range(cap)))
        case t.EmptyCollectionType() | t.NoneType():
            raise Unsupported(f"a value of the undetermined type `{t.show(typ)}`")
        case _:
            assert_never(typ)


def in_domain(sym: Sym, typ: t.Type, meaningful: bool = False) -> Leaf:
    """The value is one of the type's values (ranges, capacities).  The meaningless parts
    (an absent option's or map entry's value, items past a sequence's length) are held to
    the type too unless `meaningful`: a value out of range is a run-time error of the model
    only in a part that means something."""
    def part(present: Leaf, inner: Sym, inner_type: t.Type) -> Leaf:
        held = in_domain(inner, inner_type, meaningful)
        return L.implies(present, held) if meaningful else held

    match typ:
        case t.BoolType():
            return True
        case t.IntType(lo=lo, hi=hi):
            return L.conj([True if lo is None else L.compare("ge", sym, lo),
                           True if hi is None else L.compare("le", sym, hi)])
        case t.NodeType(count=count) | t.FrameType(count=count):
            return L.conj([L.compare("ge", sym, 0), L.compare("lt", sym, count)])
        case t.EnumType(members=members):
            return L.conj([L.compare("ge", sym, 0), L.compare("lt", sym, len(members))])
        case t.TupleType() | t.RecordType():
            return L.conj(in_domain(s, f, meaningful) for s, f in
                          zip(sym, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return part(sym.present, sym.value, inner)
        case t.SetType():
            return True
        case t.MapType(value=val):
            return L.conj(part(p, v, val) for p, v in sym.entries.values())
        case t.SeqType(elem=elem, capacity=cap):
            return L.conj([L.compare("ge", sym.length, 0), L.compare("le", sym.length, cap),
                           *(part(L.compare("lt", i, sym.length), item, elem)
                             for i, item in enumerate(sym.items))])
        case t.EmptyCollectionType() | t.NoneType():
            return True
        case _:
            assert_never(typ)


def equal(a: Sym, b: Sym, typ: t.Type) -> Leaf:
    """Value equality (meaningless parts ignored)."""
    match typ:
        case t.BoolType() | t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return L.equal(a, b)
        case t.TupleType() | t.RecordType():
            return L.conj(equal(x, y, f) for x, y, f in zip(a, b, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return L.conj([L.equal(a.present, b.present),
                           L.implies(a.present, equal(a.value, b.value, inner))])
        case t.SetType():
            return L.conj(L.equal(a.bits[e], b.bits[e]) for e in a.bits)
        case t.MapType(value=val):
            return L.conj(_entry_equal(a.entries[k], b.entries[k], val) for k in a.entries)
        case t.SeqType(elem=elem):
            return L.conj([L.equal(a.length, b.length), *(
                L.implies(L.compare("lt", i, a.length), equal(x, y, elem))
                for i, (x, y) in enumerate(zip(a.items, b.items, strict=True)))])
        case t.EmptyCollectionType() | t.NoneType():
            return True
        case _:
            assert_never(typ)


def _entry_equal(a: tuple[Leaf, Sym], b: tuple[Leaf, Sym], val: t.Type) -> Leaf:
    return L.conj([L.equal(a[0], b[0]), L.implies(a[0], equal(a[1], b[1], val))])


def choose(c: Leaf, a: Sym, b: Sym, typ: t.Type) -> Sym:
    """`if c then a else b`, part by part."""
    if c is True or a is b:
        return a
    if c is False:
        return b
    match typ:
        case t.BoolType() | t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return L.ite(c, a, b)
        case t.TupleType() | t.RecordType():
            return tuple(choose(c, x, y, f) for x, y, f in zip(a, b, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return SOpt(L.ite(c, a.present, b.present), choose(c, a.value, b.value, inner))
        case t.SetType():
            return SSet({e: L.ite(c, a.bits[e], b.bits[e]) for e in a.bits})
        case t.MapType(value=val):
            return SMap({k: (L.ite(c, a.entries[k][0], b.entries[k][0]),
                             choose(c, a.entries[k][1], b.entries[k][1], val))
                         for k in a.entries})
        case t.SeqType(elem=elem):
            return SSeq(L.ite(c, a.length, b.length),
                        tuple(choose(c, x, y, elem) for x, y in zip(a.items, b.items,
                                                                      strict=True)))
        case t.EmptyCollectionType() | t.NoneType():
            return a
        case _:
            assert_never(typ)


def select(cases: list[tuple[Leaf, Sym]], default: Sym, typ: t.Type) -> Sym:
    """The value of the first case whose condition holds, else `default`."""
    result = default
    for cond, value in reversed(cases):
        result = choose(cond, value, result, typ)
    return result


def decode(model: z3.ModelRef, sym: Sym, typ: t.Type) -> Any:
    """The runtime value (spec/ir/values.py) of `sym` in a Z3 model."""
    leaf: Callable[[Leaf], Any] = lambda x: _leaf_value(model, x)  # noqa: E731
    match typ:
        case t.BoolType():
            return bool(leaf(sym))
        case t.IntType() | t.NodeType() | t.FrameType() | t.EnumType():
            return int(leaf(sym))
        case t.TupleType() | t.RecordType():
            return tuple(decode(model, s, f) for s, f in zip(sym, fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return decode(model, sym.value, inner) if leaf(sym.present) else None
        case t.SetType():
            return frozenset(e for e, bit in sym.bits.items() if leaf(bit))
        case t.MapType(value=val):
            return FrozenMap({k: decode(model, v, val) for k, (p, v) in sym.entries.items()
                              if leaf(p)})
        case t.SeqType(elem=elem):
            return tuple(decode(model, s, elem) for s in sym.items[:int(leaf(sym.length))])
        case t.EmptyCollectionType() | t.NoneType():
            return None
        case _:
            assert_never(typ)


def _leaf_value(model: z3.ModelRef, x: Leaf) -> Any:
    if L.known(x):
        return x
    value = model.eval(x, model_completion=True)
    if z3.is_true(value) or z3.is_false(value):
        return z3.is_true(value)
    return value.as_signed_long() if z3.is_bv_value(value) else value.as_long()


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
