"""Type compatibility: which value types may stand where another type is expected.

Integers of any range are interchangeable at compile time (the range of a state variable or
parameter is checked when a value is stored: out of range is a spec violation at run time).
A `T` converts to `T?` implicitly; nothing else converts.
"""

from __future__ import annotations

from typing import Literal

from numaspec.spec.ir import types as t

Fit = Literal["same", "wrap", "no"]


def fits(actual: t.Type, expected: t.Type) -> Fit:
    """'same': usable as is; 'wrap': usable after T -> T?; 'no': a type error."""
    if _compatible(actual, expected):
        return "same"
    if isinstance(expected, t.OptionType) and _compatible(actual, expected.inner):
        return "wrap"
    return "no"


def _compatible(a: t.Type, b: t.Type) -> bool:
    if isinstance(a, t.IntType) and isinstance(b, t.IntType):
        return True
    if isinstance(a, t.EmptyCollectionType):
        return _empty_fits(a, b)
    if isinstance(a, t.NoneType):
        return isinstance(b, t.OptionType)
    if type(a) is not type(b):
        return False
    return _same_shape(a, b)


def _empty_fits(a: t.EmptyCollectionType, b: t.Type) -> bool:
    if a.kind == "braces":
        return isinstance(b, (t.SetType, t.MapType))
    return isinstance(b, t.SeqType)


def _same_shape(a: t.Type, b: t.Type) -> bool:
    match a, b:
        case t.TupleType(items=x), t.TupleType(items=y):
            return len(x) == len(y) and all(map(_compatible, x, y))
        case t.RecordType(fields=x), t.RecordType(fields=y):
            return [n for n, _ in x] == [n for n, _ in y] and all(
                _compatible(p, q) for (_, p), (_, q) in zip(x, y, strict=True))
        case t.OptionType(inner=x), t.OptionType(inner=y):
            return _compatible(x, y)
        case t.SetType(elem=x), t.SetType(elem=y):
            return _compatible(x, y)
        case t.MapType(key=k1, value=v1), t.MapType(key=k2, value=v2):
            return _compatible(k1, k2) and _compatible(v1, v2)
        case t.SeqType(elem=x), t.SeqType(elem=y):
            return _compatible(x, y)
        case _:
            return a == b


def widen(typ: t.Type) -> t.Type:
    """The type of an inferred literal element: integer ranges become `int`."""
    match typ:
        case t.IntType():
            return t.INT
        case t.TupleType(items=items):
            return t.TupleType(tuple(widen(i) for i in items))
        case t.SetType(elem=elem):
            return t.SetType(widen(elem))
        case _:
            return typ


def is_undetermined(typ: t.Type) -> bool:
    return isinstance(typ, (t.EmptyCollectionType, t.NoneType))


def is_intlike(typ: t.Type) -> bool:
    return isinstance(typ, t.IntType)
