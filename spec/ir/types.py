"""Types of the IR: every type a numaspec value can have, with its finite domain.

Runtime values (documented in spec/ir/values.py) are plain, hashable Python objects:
bool, int (integers, Node, Frame, enum members by position), tuple (tuple, sequence, record
with fields sorted by name), frozenset (set), FrozenMap (partial map); an option is `None` or
the value itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never


@dataclass(frozen=True, slots=True)
class BoolType:
    pass


@dataclass(frozen=True, slots=True)
class IntType:
    """An integer; `lo`/`hi` bound a range type (both or neither; neither = unbounded `int`)."""

    lo: int | None = None
    hi: int | None = None


@dataclass(frozen=True, slots=True)
class NodeType:
    count: int


@dataclass(frozen=True, slots=True)
class FrameType:
    count: int
    per_node: int


@dataclass(frozen=True, slots=True)
class EnumType:
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TupleType:
    items: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class RecordType:
    fields: tuple[tuple[str, Type], ...]

    def index_of(self, name: str) -> int | None:
        for i, (field_name, _) in enumerate(self.fields):
            if field_name == name:
                return i
        return None


@dataclass(frozen=True, slots=True)
class OptionType:
    inner: Type


@dataclass(frozen=True, slots=True)
class SetType:
    elem: Type


@dataclass(frozen=True, slots=True)
class MapType:
    key: Type
    value: Type


@dataclass(frozen=True, slots=True)
class SeqType:
    elem: Type
    capacity: int


@dataclass(frozen=True, slots=True)
class EmptyCollectionType:
    """The type of `{}` and `[]` before the context decides (never in finished IR)."""

    kind: str  # "braces" or "seq"


@dataclass(frozen=True, slots=True)
class NoneType:
    """The type of `none` before the context decides (never in finished IR)."""


Type = (
    BoolType | IntType | NodeType | FrameType | EnumType | TupleType | RecordType | OptionType
    | SetType | MapType | SeqType | EmptyCollectionType | NoneType
)

INT = IntType()
BOOL = BoolType()


def show(t: Type) -> str:
    """The type as a user would write it."""
    match t:
        case BoolType():
            return "bool"
        case IntType(lo=None):
            return "int"
        case IntType(lo=lo, hi=hi):
            return f"{lo}..{hi}"
        case NodeType():
            return "Node"
        case FrameType():
            return "Frame"
        case EnumType(name=name):
            return name
        case TupleType(items=items):
            return "(" + ", ".join(show(i) for i in items) + ")"
        case RecordType(fields=fields):
            return "{" + ", ".join(f"{n}: {show(f)}" for n, f in fields) + "}"
        case OptionType(inner=inner):
            return f"{show(inner)}?"
        case SetType(elem=elem):
            return f"Set[{show(elem)}]"
        case MapType(key=key, value=value):
            return f"Map[{show(key)}, {show(value)}]"
        case SeqType(elem=elem, capacity=cap):
            return f"Seq[{show(elem)}, {cap}]"
        case EmptyCollectionType(kind=kind):
            return "{}" if kind == "braces" else "[]"
        case NoneType():
            return "none"
        case _:
            assert_never(t)


def domain_size(t: Type) -> int | None:
    """How many values the type has, or None if it is not finite."""
    match t:
        case BoolType():
            return 2
        case IntType(lo=lo, hi=hi):
            return None if lo is None or hi is None else max(hi - lo + 1, 0)
        case NodeType(count=count) | FrameType(count=count):
            return count
        case EnumType(members=members):
            return len(members)
        case TupleType(items=items):
            return _product(domain_size(i) for i in items)
        case RecordType(fields=fields):
            return _product(domain_size(f) for _, f in fields)
        case OptionType(inner=inner):
            size = domain_size(inner)
            return None if size is None else size + 1
        case SetType(elem=elem):
            size = domain_size(elem)
            return None if size is None else 2 ** min(size, 4096)
        case MapType(key=key, value=value):
            k, v = domain_size(key), domain_size(value)
            return None if k is None or v is None else (v + 1) ** min(k, 4096)
        case SeqType(elem=elem, capacity=cap):
            size = domain_size(elem)
            return None if size is None else sum(size**i for i in range(min(cap, 4096) + 1))
        case EmptyCollectionType() | NoneType():
            return None
        case _:
            assert_never(t)


def _product(sizes: object) -> int | None:
    total = 1
    for size in sizes:  # type: ignore[attr-defined]
        if size is None:
            return None
        total *= size
    return total


def is_finite(t: Type) -> bool:
    return domain_size(t) is not None


def is_ordered(t: Type) -> bool:
    """Types whose values compare with < and have min/max."""
    return isinstance(t, (IntType, NodeType, FrameType))


def contains_option(t: Type) -> bool:
    return isinstance(t, OptionType)
