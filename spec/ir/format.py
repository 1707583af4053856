"""Values shown in numaspec syntax (`{0, 2}`, `{1 -> 3}`, `Right.r`, `none`), using their type."""

from __future__ import annotations

from typing import Any, assert_never

from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import sorted_values


def format_value(value: Any, typ: t.Type) -> str:
    match typ:
        case t.BoolType():
            return "true" if value else "false"
        case t.IntType() | t.NodeType() | t.FrameType():
            return str(value)
        case t.EnumType(name=name, members=members):
            return f"{name}.{members[value]}" if 0 <= value < len(members) else str(value)
        case t.TupleType(items=items):
            return "(" + ", ".join(map(format_value, value, items)) + ")"
        case t.RecordType(fields=fields):
            return "{" + ", ".join(f"{n}: {format_value(v, f)}"
                                   for v, (n, f) in zip(value, fields, strict=True)) + "}"
        case t.OptionType(inner=inner):
            return "none" if value is None else format_value(value, inner)
        case t.SetType(elem=elem):
            return "{" + ", ".join(format_value(v, elem) for v in sorted_values(value)) + "}"
        case t.MapType(key=key, value=val):
            entries = sorted_values(value.keys())
            return "{" + ", ".join(f"{format_value(k, key)} -> {format_value(value[k], val)}"
                                   for k in entries) + "}"
        case t.SeqType(elem=elem):
            return "[" + ", ".join(format_value(v, elem) for v in value) + "]"
        case t.EmptyCollectionType() | t.NoneType():
            return repr(value)
        case _:
            assert_never(typ)
