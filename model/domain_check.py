"""Checks that a value stored into a state variable lies in the declared type's domain.

The type checker already guarantees the shape of every value; what it cannot know is whether
an integer lies in a range (`acks[v] += 1` may exceed `0 .. NODES`) or whether a sequence fits
its capacity.  `value_checker` therefore returns None for types that need no check at run time,
and otherwise a predicate specialised to the type, so that stores stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.values import member_type, outside_message
from numaspec.spec.span import Span

Check = Callable[[Any], bool]


def value_checker(typ: t.Type) -> Check | None:
    """A predicate for the run-time part of `typ`'s domain, or None if there is none."""
    match typ:
        case t.IntType(lo=lo, hi=hi) if lo is not None and hi is not None:
            return lambda v: lo <= v <= hi
        case t.OptionType(inner=inner):
            return _option_checker(value_checker(inner))
        case t.SetType(elem=elem):
            return _set_checker(value_checker(elem))
        case t.MapType(key=key, value=value):
            return _map_checker(value_checker(key), value_checker(value))
        case t.SeqType(elem=elem, capacity=cap):
            elem_check = value_checker(elem)
            if elem_check is None:
                return lambda v: len(v) <= cap
            return lambda v: len(v) <= cap and all(elem_check(x) for x in v)
        case t.TupleType(items=items):
            return _tuple_checker(items)
        case t.RecordType(fields=fields):
            return _tuple_checker(tuple(f for _, f in fields))
        case _:
            return None


def _option_checker(inner: Check | None) -> Check | None:
    if inner is None:
        return None
    return lambda v: v is None or inner(v)


def _set_checker(elem: Check | None) -> Check | None:
    if elem is None:
        return None
    return lambda v: all(elem(x) for x in v)


def _map_checker(key_check: Check | None, value_check: Check | None) -> Check | None:
    if key_check is None and value_check is None:
        return None
    keys = key_check or (lambda k: True)
    values = value_check or (lambda v: True)
    return lambda m: all(keys(k) and values(v) for k, v in m.items())


def _tuple_checker(items: tuple[t.Type, ...]) -> Check | None:
    checks = [(i, c) for i, c in enumerate(value_checker(item) for item in items) if c]
    if not checks:
        return None
    return lambda v: all(check(v[i]) for i, check in checks)


def key_checks(typ: t.Type, path: tuple[ir.PathStep, ...]) -> list[tuple[int, Check]]:
    """(step, check) for each map key on `path` (into a value of `typ`) that has a range to
    keep: a new key of a map, however deep (`m[k][j] := ...`), must be a value of its key
    type (the run-time check of an assignment; model/compile/stmt.py)."""
    checks = []
    for at, step in enumerate(path):
        match typ, step:
            case t.MapType(key=key, value=value), ir.KeyStep():
                check = value_checker(key)
                if check is not None:
                    checks.append((at, check))
                typ = value
            case t.SeqType(elem=elem), ir.KeyStep():
                typ = elem
            case t.TupleType(items=items), ir.ProjectStep(index=index):
                typ = items[index]
            case t.RecordType(fields=fields), ir.ProjectStep(index=index):
                typ = fields[index][1]
            case _:
                break
    return checks


def member_check(typ: t.Type) -> Check | None:
    """The run-time check of each member (a set's element, a map's key) of a collection built
    at `typ`, or None if its member type has no run-time part (spec/ir/values.py's
    `outside_member` is the reference)."""
    member = member_type(typ)
    return None if member is None else value_checker(member)


def checked_members(collection: Any, check: Check, span: Span) -> Any:
    """`collection` if `check` holds for every member, else EvalError ("range") at `span`."""
    for member in collection:
        if not check(member):
            raise EvalError(outside_message(member), span, "range")
    return collection
