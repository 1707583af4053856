"""AST of the numaspec language: frozen dataclasses, each carrying the source span it came from.

The parser (spec/syntax/parser.py) is the only producer; the elaborator (spec/elaborate/) is the
only consumer.  No later stage sees lark trees.  Types are written in expression syntax, so a
type position in a declaration holds an `Expr` that the elaborator interprets as a type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from numaspec.spec.span import Span
from numaspec.spec.syntax.expressions import (  # noqa: F401 (re-exported)
    Binary,
    BinaryOp,
    Binder,
    BoolLit,
    Call,
    Comprehension,
    EmptyBraces,
    Expr,
    FieldAccess,
    IfExpr,
    Index,
    IntLit,
    MapLit,
    Name,
    NamePattern,
    NoneLit,
    OptionType,
    Pattern,
    Quantifier,
    RecordLit,
    SeqLit,
    SetLit,
    TupleGet,
    TupleLit,
    TuplePattern,
    Unary,
    WildcardPattern,
)
from numaspec.spec.syntax.statements import (  # noqa: F401 (re-exported)
    Assert,
    Assign,
    Block,
    CallStmt,
    Choose,
    Delete,
    For,
    If,
    Let,
    Require,
    Send,
    Stmt,
    Update,
)

# --------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Ident:
    """A declared name with the span of the name itself (for 'defined here' notes)."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Annotation:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Import:
    target: str
    is_path: bool
    alias: Ident | None
    bindings: tuple[tuple[Ident, Expr], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class TopologyEntry:
    key: Ident
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Topology:
    entries: tuple[TopologyEntry, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ConstDecl:
    name: Ident
    type: Expr | None
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class TypeDecl:
    name: Ident
    type: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class EnumDecl:
    name: Ident
    members: tuple[Ident, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Placement:
    """`placed [k1, k2] on node`: the keys bind successive map levels of the variable."""

    keys: tuple[Ident, ...]
    node: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class VarDecl:
    name: Ident
    type: Expr
    init: Expr | None
    placement: Placement | None
    span: Span


@dataclass(frozen=True, slots=True)
class ChannelDecl:
    name: Ident
    index: Expr | None
    type: Expr
    capacity: Expr
    placement: Placement | None
    span: Span


@dataclass(frozen=True, slots=True)
class FunDecl:
    name: Ident
    params: tuple[Binder, ...]
    result: Expr
    body: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class ProcDecl:
    name: Ident
    params: tuple[Binder, ...]
    body: Block
    kernel: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Receive:
    channel: Expr
    pattern: Pattern
    span: Span


@dataclass(frozen=True, slots=True)
class ActionDecl:
    name: Ident
    params: tuple[Binder, ...]
    on: Expr | None
    receive: Receive | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class InitDecl:
    body: Block
    span: Span


PropertyKind = Literal["invariant", "property", "reachable", "final"]


@dataclass(frozen=True, slots=True)
class PropertyDecl:
    kind: PropertyKind
    name: Ident
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class FairDecl:
    actions: tuple[Ident, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class SymmetricDecl:
    type_name: Ident
    span: Span


@dataclass(frozen=True, slots=True)
class WeightEntry:
    """`weight fault(n, v) = expr`: how likely the instance fault(n, v) is picked."""

    action: Ident
    params: tuple[Ident, ...]
    weight: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class WorkloadDecl:
    name: Ident
    weights: tuple[WeightEntry, ...]
    span: Span


Decl = (
    Import | Topology | ConstDecl | TypeDecl | EnumDecl | VarDecl | ChannelDecl | FunDecl
    | ProcDecl | ActionDecl | InitDecl | PropertyDecl | FairDecl | SymmetricDecl | WorkloadDecl
)


@dataclass(frozen=True, slots=True)
class Annotated:
    """A declaration with its `@name` annotations (possibly none)."""

    annotations: tuple[Annotation, ...]
    decl: Decl

    @property
    def span(self) -> Span:
        return self.annotations[0].span.to(self.decl.span) if self.annotations else \
            self.decl.span


@dataclass(frozen=True, slots=True)
class Module:
    """One parsed file: `spec NAME` (a checkable spec) or `module NAME` (a library)."""

    kind: Literal["spec", "module"]
    name: Ident
    items: tuple[Annotated, ...]
    path: str
    span: Span
