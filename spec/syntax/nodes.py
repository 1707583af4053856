"""AST of the numaspec language: frozen dataclasses, each carrying the source span it came from.

The parser (spec/syntax/parser.py) is the only producer; the elaborator (spec/elaborate/) is the
only consumer.  No later stage sees lark trees.  Types are written in expression syntax, so a
type position in a declaration holds an `Expr` that the elaborator interprets as a type.
"""

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

# ----------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Require:
    cond: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Assert:
    cond: Expr
    message: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Let:
    pattern: Pattern
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Assign:
    target: Expr
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Update:
    """`target += value` / `target -= value` (integers and sets)."""

    target: Expr
    op: Literal["+", "-"]
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Delete:
    """`delete m[k]`: remove a key from a partial map."""

    target: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class CallStmt:
    call: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class If:
    cond: Expr
    then: Block
    orelse: Block | If | None
    span: Span


@dataclass(frozen=True, slots=True)
class For:
    binders: tuple[Binder, ...]
    where: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Choose:
    binders: tuple[Binder, ...]
    where: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Send:
    value: Expr
    channel: Expr
    span: Span


Stmt = Require | Assert | Let | Assign | Update | Delete | CallStmt | If | For | Choose | Send

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
