"""Expression nodes of the IR (spec/ir/nodes.py has the contract and re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from numaspec.spec.ir.types import Type
from numaspec.spec.span import Span

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Local:
    """A parameter, `let`, bound or loop variable; `slot` is unique within its context."""

    name: str
    slot: int
    type: Type


@dataclass(frozen=True, slots=True)
class Const:
    value: Any
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class StateRef:
    var: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class LocalRef:
    local: Local
    type: Type
    span: Span


UnaryOp = Literal["not", "neg"]
BinOp = Literal[
    "and", "or", "implies", "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "div",
    "mod", "member", "has_key", "union", "diff", "inter", "subseteq", "subset",
]


@dataclass(frozen=True, slots=True)
class Unary:
    op: UnaryOp
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Binary:
    """`member`: element of a set or sequence; `has_key`: key of a map."""

    op: BinOp
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class IfThenElse:
    cond: Expr
    then: Expr
    orelse: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class TypeDomain:
    """Every value of a finite type, in ascending order."""

    type: Type


@dataclass(frozen=True, slots=True)
class SetDomain:
    """The elements of a set-valued expression, in ascending order."""

    set: Expr


Domain = TypeDomain | SetDomain


@dataclass(frozen=True, slots=True)
class Binding:
    local: Local
    domain: Domain


@dataclass(frozen=True, slots=True)
class Quantifier:
    kind: Literal["forall", "exists"]
    bindings: tuple[Binding, ...]
    where: Expr | None
    body: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Comprehension:
    """filter: {x | P} (one binding); image: {element | bindings, P}; map: {x -> element}."""

    kind: Literal["filter", "image", "map"]
    bindings: tuple[Binding, ...]
    where: Expr | None
    element: Expr | None
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Lookup:
    """`m[k]` of a map (the key must be present) or `s[i]` of a sequence (0-based)."""

    base: Expr
    key: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Project:
    """Component `index` of a tuple or record (records are tuples, fields sorted by name)."""

    base: Expr
    index: int
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class SomeOf:
    """The implicit conversion of a `T` to `T?` (a no-op on runtime values)."""

    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Builtin:
    """A built-in function; the names are in spec/elaborate/symbols.py, the signatures in
    spec/elaborate/calls.py."""

    name: str
    args: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class MakeTuple:
    """A tuple, record (fields sorted by name) or sequence literal, by `type`."""

    items: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class MakeSet:
    items: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class MakeMap:
    entries: tuple[tuple[Expr, Expr], ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class LetIn:
    """`let local = value in body`: from inlining a `fun` (its name kept for messages)."""

    local: Local
    value: Expr
    body: Expr
    type: Type
    span: Span
    origin: str = ""


Expr = (
    Const | StateRef | LocalRef | Unary | Binary | IfThenElse | Quantifier | Comprehension
    | Lookup | Project | SomeOf | Builtin | MakeTuple | MakeSet | MakeMap | LetIn
)

