"""The state variables no step writes: in every reachable state they have their initial value.

A variable that no action writes (no assignment, delete, send, nor a receive from it) and
that `init` does not write keeps its declared initial value in every reachable state, so
"the variable equals its initial value" is an inductive invariant.  The inductive step may
assume it (checker/smt/inductive_step.py), which is what makes it cheap: the variable is a
constant, and what the steps read of it folds away.  Only writes count, however the value is
read (guards, invariants, failures), so the assumption never hides a behaviour.
"""

from __future__ import annotations

from typing import Any

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.walk import walk

__all__ = ["unwritten_variables", "written_variables"]


def written_variables(spec: ir.Spec) -> frozenset[str]:
    """Every variable some action or `init` may write: assigned, deleted from, sent to, or a
    channel an action receives from."""
    bodies: list[Any] = [action.body for action in spec.actions]
    if spec.init is not None:
        bodies.append(spec.init)
    written = {action.receive.channel for action in spec.actions if action.receive}
    for body in bodies:
        written |= {name for node in walk(body) if (name := _written(node)) is not None}
    return frozenset(written)


def unwritten_variables(spec: ir.Spec) -> frozenset[str]:
    """The variables of `spec` that keep their initial value in every reachable state."""
    written = written_variables(spec)
    return frozenset(var.name for var in spec.variables if var.name not in written)


def _written(node: Any) -> str | None:
    match node:
        case ir.Assign(target=target) | ir.Delete(target=target):
            return target.var
        case ir.Send(channel=channel):
            return channel
        case _:
            return None
