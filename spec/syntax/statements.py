"""Statement nodes of the AST (spec/syntax/nodes.py re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from numaspec.spec.span import Span
from numaspec.spec.syntax.expressions import Binder, Expr, Pattern

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

