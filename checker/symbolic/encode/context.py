"""What the handlers of encode/ see of the expression encoder, and the failures it records.

The handlers of operators, built-ins and collections (operators.py, builtins.py,
collections.py) call back into the encoder for their operands; they see it through the
`Encoder` protocol defined here, so they need not import expr.py, which imports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.values import SMap, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.span import Span


@dataclass(frozen=True)
class Failure:
    """The step fails (kind as the model's Violation kinds) when `cond` holds."""

    cond: Leaf
    kind: str
    message: str
    span: Span | None


class Encoder(Protocol):
    """An expression encoder (encode/expr.py `ExprEncoder`) as its handlers use it."""

    logic: Logic
    topology: ir.Topology
    bound: dict[int, Any]

    def expr(self, e: ir.Expr) -> Sym:
        """The symbolic value of `e`."""

    def expr_as(self, e: ir.Expr, want: t.Type) -> Sym:
        """`e` encoded at the finite type `want` when its own type is not finite."""

    def guarded(self, extra: Leaf, e: ir.Expr) -> Sym:
        """`e` encoded where the model evaluates it only if `extra` holds."""

    def fail_if(self, cond: Leaf, message: str, span: Span | None,
                kind: str = "runtime") -> None:
        """Record a failure where `cond` holds under the current guard."""

    def assignments(self, bindings: tuple[ir.Binding, ...],
                    where: ir.Expr | None) -> Iterator[Leaf]:
        """Bind the locals to each combination; yield the condition that it counts."""

    def key_cases(self, m: SMap, key: Sym, key_type: t.Type) -> list[tuple[Leaf, Any]]:
        """(key equals k, entry of k) for each k the key may equal."""
