"""Node renamings applied to values, by type, and invariance of a value under all of them.

A renaming p of the nodes moves every Node value n to p(n) and every Frame value at offset o
of node n to offset o of node p(n) (as the explicit search's canonical form does,
checker/explicit/symmetry.py); integers, booleans and enum members stay.
"""

from __future__ import annotations

from typing import Any, assert_never

from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap


def carries_nodes(typ: t.Type) -> bool:
    """Whether values of `typ` can contain a Node or a Frame (what a renaming moves)."""
    match typ:
        case t.NodeType() | t.FrameType():
            return True
        case t.BoolType() | t.IntType() | t.EnumType() | t.EmptyCollectionType() | t.NoneType():
            return False
        case t.TupleType(items=items):
            return any(carries_nodes(i) for i in items)
        case t.RecordType(fields=fields):
            return any(carries_nodes(f) for _, f in fields)
        case t.OptionType(inner=inner) | t.SetType(elem=inner) | t.SeqType(elem=inner):
            return carries_nodes(inner)
        case t.MapType(key=key, value=value):
            return carries_nodes(key) or carries_nodes(value)
        case _:
            assert_never(typ)


def renamed(value: Any, typ: t.Type, perm: tuple[int, ...], per_node: int) -> Any:
    """`value` (of type `typ`) with node n renamed to perm[n], frames moving with their node."""
    match typ:
        case t.NodeType():
            return perm[value]
        case t.FrameType():
            return perm[value // per_node] * per_node + value % per_node
        case t.BoolType() | t.IntType() | t.EnumType() | t.EmptyCollectionType() | t.NoneType():
            return value
        case t.TupleType(items=items):
            return tuple(renamed(v, i, perm, per_node) for v, i in zip(value, items, strict=True))
        case t.RecordType(fields=fields):
            return tuple(renamed(v, f, perm, per_node)
                         for v, (_, f) in zip(value, fields, strict=True))
        case t.OptionType(inner=inner):
            return None if value is None else renamed(value, inner, perm, per_node)
        case t.SetType(elem=elem):
            return frozenset(renamed(v, elem, perm, per_node) for v in value)
        case t.SeqType(elem=elem):
            return tuple(renamed(v, elem, perm, per_node) for v in value)
        case t.MapType(key=key, value=val):
            return FrozenMap({renamed(k, key, perm, per_node): renamed(v, val, perm, per_node)
                              for k, v in value.items()})
        case _:
            assert_never(typ)


def invariant(value: Any, typ: t.Type, nodes: int, per_node: int) -> bool:
    """Whether every renaming of the `nodes` nodes leaves `value` unchanged.

    The transposition (0 1) and the cycle (0 1 .. n-1) generate every permutation, and
    renaming is a group action, so invariance under these two implies invariance under all
    n! (and under any automorphism group of a distance matrix, a subgroup)."""
    if nodes < 2 or not carries_nodes(typ):
        return True
    swap = (1, 0, *range(2, nodes))
    cycle = (*range(1, nodes), 0)
    return all(renamed(value, typ, perm, per_node) == value for perm in (swap, cycle))
