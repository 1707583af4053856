"""Runtime values of numaspec, shared by the front end (constant folding) and every engine.

Encoding, fixed by the IR contract (spec/ir/types.py):

| numaspec type        | Python value                                   |
|----------------------|------------------------------------------------|
| bool                 | bool                                           |
| int, range, Node, Frame | int                                         |
| enum                 | int (the member's position in its declaration) |
| tuple, record        | tuple (records: fields sorted by name)         |
| Seq[T, N], channel   | tuple                                          |
| Set[T]               | frozenset                                      |
| Map[K, V]            | FrozenMap (an immutable, hashable dict)        |
| T?                   | None, or the T value itself                    |

All values are hashable and compare by value, so states built from them can be hashed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, assert_never

from numaspec.spec.ir import types as t


class FrozenMap(dict[Any, Any]):
    """An immutable dict with a hash: the value of a `Map[K, V]`."""

    __slots__ = ("_hash",)

    def __hash__(self) -> int:  # type: ignore[override]
        try:
            return self._hash
        except AttributeError:
            self._hash: int = hash(frozenset(self.items()))
            return self._hash

    def _immutable(self, *args: object, **kwargs: object) -> None:
        raise TypeError("FrozenMap is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _immutable  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[Any, Any]]]:
        # pickle would fill the dict through __setitem__ (refused): rebuild it from a copy,
        # so specs and states can be sent to other processes (checker/distributed/).
        return FrozenMap, (dict(self),)

    def set(self, key: Any, value: Any) -> FrozenMap:
        """A copy with `key` mapped to `value`."""
        copy = dict(self)
        copy[key] = value
        return FrozenMap(copy)

    def without(self, key: Any) -> FrozenMap:
        """A copy without `key`."""
        copy = dict(self)
        copy.pop(key, None)
        return FrozenMap(copy)

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"


def sort_key(value: Any) -> Any:
    """A total order over values of one type (None first), used for deterministic iteration."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int):
        return (1, value)
    if isinstance(value, tuple):
        return (1, tuple(sort_key(v) for v in value))
    if isinstance(value, frozenset):
        return (1, tuple(sorted(sort_key(v) for v in value)))
    if isinstance(value, FrozenMap):
        return (1, tuple(sorted((sort_key(k), sort_key(v)) for k, v in value.items())))
    raise TypeError(f"not a numaspec value: {value!r}")


def sorted_values(values: Iterable[Any]) -> list[Any]:
    items = list(values)
    if all(_natively_ordered(v) for v in items):
        return sorted(items)  # same order as sort_key, without a Python call per element
    return sorted(items, key=sort_key)


def _natively_ordered(value: Any) -> bool:
    """Integers and tuples of them: Python's own order is `sort_key`'s order."""
    if type(value) is int:
        return True
    return type(value) is tuple and all(_natively_ordered(v) for v in value)


def default_value(typ: t.Type) -> Any:
    """The initial value of a variable declared without one."""
    match typ:
        case t.BoolType():
            return False
        case t.IntType(lo=lo):
            return lo if lo is not None else 0
        case t.NodeType() | t.FrameType():
            return 0
        case t.EnumType():
            return 0
        case t.TupleType(items=items):
            return tuple(default_value(i) for i in items)
        case t.RecordType(fields=fields):
            return tuple(default_value(f) for _, f in fields)
        case t.OptionType() | t.NoneType():
            return None
        case t.SetType():
            return frozenset()
        case t.MapType():
            return FrozenMap()
        case t.SeqType():
            return ()
        case t.EmptyCollectionType():
            return frozenset()
        case _:
            assert_never(typ)


def enumerate_type(typ: t.Type) -> Iterator[Any]:
    """Every value of a finite type, in ascending `sort_key` order for scalar types."""
    match typ:
        case t.BoolType():
            yield from (False, True)
        case t.IntType(lo=lo, hi=hi):
            if lo is None or hi is None:
                raise ValueError("cannot enumerate an unbounded int")
            yield from range(lo, hi + 1)
        case t.NodeType(count=count) | t.FrameType(count=count):
            yield from range(count)
        case t.EnumType(members=members):
            yield from range(len(members))
        case t.TupleType(items=items):
            yield from itertools.product(*(list(enumerate_type(i)) for i in items))
        case t.RecordType(fields=fields):
            yield from itertools.product(*(list(enumerate_type(f)) for _, f in fields))
        case t.OptionType(inner=inner):
            yield None
            yield from enumerate_type(inner)
        case t.SetType(elem=elem):
            elems = list(enumerate_type(elem))
            for r in range(len(elems) + 1):
                for combo in itertools.combinations(elems, r):
                    yield frozenset(combo)
        case t.MapType(key=key, value=value):
            keys = list(enumerate_type(key))
            choices = [None, *enumerate_type(value)]
            for picks in itertools.product(choices, repeat=len(keys)):
                yield FrozenMap({k: v for k, v in zip(keys, picks, strict=True) if v is not None})
        case t.SeqType(elem=elem, capacity=cap):
            elems = list(enumerate_type(elem))
            for length in range(cap + 1):
                yield from itertools.product(elems, repeat=length)
        case t.EmptyCollectionType() | t.NoneType():
            raise ValueError("cannot enumerate an undetermined type")
        case _:
            assert_never(typ)


def in_domain(value: Any, typ: t.Type) -> bool:
    """Whether `value` is a value of `typ` (ranges, capacities and nested types checked)."""
    match typ:
        case t.BoolType():
            return isinstance(value, bool)
        case t.IntType(lo=lo, hi=hi):
            ok = isinstance(value, int) and not isinstance(value, bool)
            return ok and (lo is None or lo <= value) and (hi is None or value <= hi)
        case t.NodeType(count=count) | t.FrameType(count=count):
            return isinstance(value, int) and 0 <= value < count
        case t.EnumType(members=members):
            return isinstance(value, int) and 0 <= value < len(members)
        case t.TupleType(items=items):
            return _tuple_in(value, items)
        case t.RecordType(fields=fields):
            return _tuple_in(value, tuple(f for _, f in fields))
        case t.OptionType(inner=inner):
            return value is None or in_domain(value, inner)
        case t.SetType(elem=elem):
            return isinstance(value, frozenset) and all(in_domain(v, elem) for v in value)
        case t.MapType(key=key, value=val):
            return isinstance(value, FrozenMap) and all(
                in_domain(k, key) and in_domain(v, val) for k, v in value.items())
        case t.SeqType(elem=elem, capacity=cap):
            return (isinstance(value, tuple) and len(value) <= cap
                    and all(in_domain(v, elem) for v in value))
        case t.EmptyCollectionType() | t.NoneType():
            return False
        case _:
            assert_never(typ)


def member_type(typ: t.Type) -> t.Type | None:
    """The type every member of a collection of `typ` must have where it is built: a set's
    elements, a map's keys (None for other types)."""
    match typ:
        case t.SetType(elem=elem):
            return elem
        case t.MapType(key=key):
            return key
        case _:
            return None


def outside_member(collection: Any, member: t.Type) -> tuple[Any, ...]:
    """(a member of `collection` (a set's element, a map's key) that is not a value of
    `member`,), or () if there is none.  A set or map is built at its type: the symbolic
    encodings have no place for such a member, so every engine reports it where the
    collection is built (a range violation), not only where it would be stored."""
    for value in collection:
        if not in_domain(value, member):
            return (value,)
    return ()


def set_op_builds(op: str, result: t.Type, left: t.Type, right: t.Type) -> bool:
    """Whether a set operation `op` builds its result at a member type narrower than that of
    an operand whose members it may keep (`s + {f(x)}` with `s: Set[0..1]` and `f(x)` an
    int; `{f(x)} - s`): then it is a construction site whose members are checked, as a
    literal's are.  (`inter`, and `diff`'s right operand, keep no member of their own.)"""
    if member_type(result) is None:
        return False
    if op == "union":
        return left != result or right != result
    return op == "diff" and left != result


def outside_message(value: Any) -> str:
    return f"{value!r} is outside the element type of the set or map built here"


def _tuple_in(value: Any, items: tuple[t.Type, ...]) -> bool:
    return (isinstance(value, tuple) and len(value) == len(items)
            and all(in_domain(v, i) for v, i in zip(value, items, strict=True)))


def quotient(a: int, b: int) -> int:
    """`a / b` truncated towards zero (C's and SMT-LIB's bvsdiv), exactly: in integers, not
    through a float, which is wrong past 2^53.  `b` is not 0 (the caller reports that)."""
    magnitude = abs(a) // abs(b)
    return magnitude if (a >= 0) == (b > 0) else -magnitude


def remainder(a: int, b: int) -> int:
    """`a % b` with the dividend's sign: `a - b * quotient(a, b)`."""
    return a - b * quotient(a, b)
