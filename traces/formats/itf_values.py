"""Values in ITF's JSON encoding (Apalache ADR-015), by type, both ways.

Integers (also nodes and frames) are written `{"#bigint": "..."}` in ITF (ADR-015 as revised
on 2023-09-14 forbids JSON numbers) and as plain JSON numbers in numaspec's own JSONL log
(`encode(..., bigint=False)`); both forms are accepted when read, so ITF files written by
older numaspec versions and by hand still load; enum members are strings (when read, also
Quint's variants without payload, `{"tag": "r", "value": {"#tup": []}}`); tuples
`{"#tup": [...]}`; records JSON objects; sequences JSON arrays; sets `{"#set": [...]}`; maps
`{"#map": [[k, v], ...]}`; options Quint's variants `{"tag": "Some", "value": v}` /
`{"tag": "None", "value": {"#tup": []}}` (when read, also a plain value or `null`).
"""

from __future__ import annotations

import re
from typing import Any, assert_never

from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap, in_domain, sorted_values


class ValueFormatError(ValueError):
    """A JSON value does not encode a value of the expected type."""


def encode(value: Any, typ: t.Type, bigint: bool = False) -> Any:
    """The JSON form of `value` (of type `typ`); integers as `{"#bigint": "..."}` if
    `bigint` (ITF), else as JSON numbers (the JSONL log)."""
    def enc(v: Any, ty: t.Type) -> Any:
        return encode(v, ty, bigint)

    match typ:
        case t.BoolType():
            return value
        case t.IntType() | t.NodeType() | t.FrameType():
            return {"#bigint": str(value)} if bigint else value
        case t.EnumType(members=members):
            return members[value]
        case t.TupleType(items=items):
            return {"#tup": [enc(v, i) for v, i in zip(value, items, strict=True)]}
        case t.RecordType(fields=fields):
            return {n: enc(v, f) for v, (n, f) in zip(value, fields, strict=True)}
        case t.OptionType(inner=inner):
            if value is None:
                return {"tag": "None", "value": {"#tup": []}}
            return {"tag": "Some", "value": enc(value, inner)}
        case t.SetType(elem=elem):
            return {"#set": [enc(v, elem) for v in sorted_values(value)]}
        case t.MapType(key=key, value=val):
            return {"#map": [[enc(k, key), enc(value[k], val)]
                             for k in sorted_values(value.keys())]}
        case t.SeqType(elem=elem):
            return [enc(v, elem) for v in value]
        case t.EmptyCollectionType() | t.NoneType():
            raise ValueFormatError("undetermined type")
        case _:
            assert_never(typ)


def decode(data: Any, typ: t.Type) -> Any:
    """The value of `typ` that `data` encodes; raises ValueFormatError with the reason.

    Ranges (integer ranges, nodes, frames) and sequence capacities are checked: a value that
    has the right shape but lies outside the type is as ill-typed as one of the wrong shape."""
    value = _decode(data, typ)
    if not in_domain(value, typ):
        raise ValueFormatError("out of range")
    return value


def _decode(data: Any, typ: t.Type) -> Any:
    match typ:
        case t.BoolType():
            return _expect(data, bool, "true or false")
        case t.IntType() | t.NodeType() | t.FrameType():
            return _integer(data)
        case t.EnumType(name=name, members=members):
            if isinstance(data, dict) and set(data) == {"tag", "value"}:
                data = data["tag"]  # Quint's variant without payload: {"tag": "r", ...}
            if not isinstance(data, str) or data not in members:
                raise ValueFormatError(f"{_short(data)} is not a member of {name}")
            return members.index(data)
        case t.TupleType(items=items):
            parts = _tagged(data, "#tup", len(items))
            return tuple(_decode(p, i) for p, i in zip(parts, items, strict=True))
        case t.RecordType(fields=fields):
            return _record(data, fields)
        case t.OptionType(inner=inner):
            return _option(data, inner)
        case t.SetType(elem=elem):
            return frozenset(_decode(v, elem) for v in _tagged(data, "#set", None))
        case t.MapType(key=key, value=val):
            return _map(data, key, val)
        case t.SeqType(elem=elem):
            return tuple(_decode(v, elem) for v in _expect(data, list, "a JSON array"))
        case t.EmptyCollectionType() | t.NoneType():
            raise ValueFormatError("undetermined type")
        case _:
            assert_never(typ)


def _expect(data: Any, kind: type, what: str) -> Any:
    if not isinstance(data, kind) or (kind is not bool and isinstance(data, bool)):
        raise ValueFormatError(f"expected {what}, found {_short(data)}")
    return data


def _integer(data: Any) -> int:
    if isinstance(data, dict) and set(data) == {"#bigint"}:
        # ADR-015: the decimal digits of the integer, with an optional minus; not a number,
        # not a bool, not Python's `1_000` or " 7 ", which int() would accept
        digits = data["#bigint"]
        if type(digits) is not str or not _BIGINT.fullmatch(digits) or len(digits) > 4300:
            raise ValueFormatError(f"bad #bigint {_short(data)}")
        return int(digits)
    return _expect(data, int, "an integer")  # type: ignore[no-any-return]


_BIGINT = re.compile(r"-?[0-9]+")


def _tagged(data: Any, tag: str, length: int | None) -> list[Any]:
    if not isinstance(data, dict) or set(data) != {tag} or not isinstance(data[tag], list):
        raise ValueFormatError(f'expected {{"{tag}": [...]}}, found {_short(data)}')
    if length is not None and len(data[tag]) != length:
        raise ValueFormatError(f"expected {length} components, found {len(data[tag])}")
    return data[tag]  # type: ignore[no-any-return]


def _pair(data: Any) -> list[Any]:
    if not isinstance(data, list) or len(data) != 2:
        raise ValueFormatError(f"a #map entry must be [key, value], found {_short(data)}")
    return data


def _map(data: Any, key: t.Type, val: t.Type) -> FrozenMap:
    entries: dict[Any, Any] = {}
    for pair in _tagged(data, "#map", None):
        k = _decode(_pair(pair)[0], key)
        if k in entries:
            raise ValueFormatError(f"the #map has the key {_short(_pair(pair)[0])} twice")
        entries[k] = _decode(pair[1], val)
    return FrozenMap(entries)


def _record(data: Any, fields: tuple[tuple[str, t.Type], ...]) -> tuple[Any, ...]:
    names = [n for n, _ in fields]
    if not isinstance(data, dict) or sorted(data) != names:
        raise ValueFormatError(f"expected a record with fields {', '.join(names)}, found "
                               f"{_short(data)}")
    return tuple(_decode(data[n], f) for n, f in fields)


def _option(data: Any, inner: t.Type) -> Any:
    if data is None or (isinstance(data, dict) and data.get("tag") == "None"):
        return None  # JSON null is accepted for `none`, as a plain value for `Some`
    if isinstance(data, dict) and data.get("tag") == "Some" and "value" in data:
        return _decode(data["value"], inner)
    return _decode(data, inner)  # a plain value is accepted for an option


def _short(data: Any) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."
