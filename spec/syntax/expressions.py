"""Expression and pattern nodes of the AST (spec/syntax/nodes.py re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from numaspec.spec.span import Span

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: Span


@dataclass(frozen=True, slots=True)
class NoneLit:
    span: Span


@dataclass(frozen=True, slots=True)
class Name:
    id: str
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    func: Expr
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Index:
    """`base[a, b]`: map lookup, sequence index, or a generic type such as `Map[K, V]`."""

    base: Expr
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class FieldAccess:
    """`base.name`: a record field, or a module member such as `l4.map`."""

    base: Expr
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class TupleGet:
    base: Expr
    index: int
    span: Span


@dataclass(frozen=True, slots=True)
class OptionType:
    """`T?`: only meaningful in a type position."""

    inner: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class TupleLit:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class SeqLit:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class EmptyBraces:
    """`{}`: the empty set or the empty map, decided by the expected type."""

    span: Span


@dataclass(frozen=True, slots=True)
class SetLit:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class MapLit:
    entries: tuple[tuple[Expr, Expr], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class RecordLit:
    """`{a: e, b: f}`: a record value, or a record type in a type position."""

    fields: tuple[tuple[str, Expr, Span], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Binder:
    """`a, b: D` where D is a finite type or a set-valued expression."""

    names: tuple[str, ...]
    domain: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Comprehension:
    """`{x: D where P}` (filter), `{e | x: D where P}` (image), `{x: D where P -> e}` (map)."""

    kind: Literal["filter", "image", "map"]
    binders: tuple[Binder, ...]
    where: Expr | None
    element: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Unary:
    op: Literal["not", "-"]
    operand: Expr
    span: Span


BinaryOp = Literal[
    "and", "or", "implies", "leads_to", "==", "!=", "<", "<=", ">", ">=", "in", "not in",
    "..", "+", "-", "*", "/", "%", "&",
]


@dataclass(frozen=True, slots=True)
class Binary:
    op: BinaryOp
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Quantifier:
    kind: Literal["forall", "exists"]
    binders: tuple[Binder, ...]
    where: Expr | None
    body: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class IfExpr:
    cond: Expr
    then: Expr
    orelse: Expr
    span: Span


Expr = (
    IntLit | BoolLit | NoneLit | Name | Call | Index | FieldAccess | TupleGet | OptionType
    | TupleLit | SeqLit | EmptyBraces | SetLit | MapLit | RecordLit | Comprehension | Unary
    | Binary | Quantifier | IfExpr
)

# ------------------------------------------------------------------- patterns


@dataclass(frozen=True, slots=True)
class NamePattern:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class WildcardPattern:
    span: Span


@dataclass(frozen=True, slots=True)
class TuplePattern:
    items: tuple[Pattern, ...]
    span: Span


Pattern = NamePattern | WildcardPattern | TuplePattern

