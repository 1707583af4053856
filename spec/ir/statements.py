"""Statement nodes of the IR (spec/ir/nodes.py has the contract and re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass

from numaspec.spec.ir.expressions import Binding, Expr, Local
from numaspec.spec.ir.types import Type
from numaspec.spec.span import Span

# ----------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class KeyStep:
    key: Expr


@dataclass(frozen=True, slots=True)
class ProjectStep:
    index: int


PathStep = KeyStep | ProjectStep


@dataclass(frozen=True, slots=True)
class Target:
    """An assignable place: a state variable and a path of map keys / record fields into it."""

    var: str
    path: tuple[PathStep, ...]
    type: Type
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
    local: Local
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Assign:
    target: Target
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Delete:
    """Remove `key` from the map at `target` (nothing happens if it is absent)."""

    target: Target
    key: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class If:
    cond: Expr
    then: Block
    orelse: Block
    span: Span


@dataclass(frozen=True, slots=True)
class For:
    bindings: tuple[Binding, ...]
    where: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Choose:
    bindings: tuple[Binding, ...]
    where: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Send:
    """Append `value` to channel `channel` (at `index` if the channel is indexed)."""

    channel: str
    index: Expr | None
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Inlined:
    """The body of a called `proc` or `kernel`, its arguments bound by leading `Let`s."""

    callee: str
    kernel: bool
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    span: Span


Stmt = Require | Assert | Let | Assign | Delete | If | For | Choose | Send | Inlined | Block

