"""Which events commute: the state each action reads and writes, from the IR.

Two steps of different nodes are independent when neither writes what the other reads or
writes (variables and channels, at the level of whole variables: a map written at one key
counts as written).  Then running them in either order gives the same states and neither
disables the other, so the validator need try only one order (traces/causal/engine.py).
A step that checks an observed state (a `post` or a `state` line) reads every variable
it names, through views too; it is treated as dependent on every step, which is safe.
"""

from __future__ import annotations

from typing import Any

from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.walk import walk

Access = tuple[frozenset[str], frozenset[str]]  # (reads, writes)


def action_access(model: Model) -> list[Access]:
    """(reads, writes) of each action of `model.spec`, by action number."""
    return [_access(action) for action in model.spec.actions]


def _access(action: ir.Action) -> Access:
    reads: set[str] = set()
    writes: set[str] = set()
    parts: list[Any] = [action.body]
    if action.on is not None:
        parts.append(action.on)
    if action.receive is not None:
        reads.add(action.receive.channel)
        writes.add(action.receive.channel)
        if action.receive.index is not None:
            parts.append(action.receive.index)
    for part in parts:
        for node in walk(part):
            if isinstance(node, ir.StateRef):
                reads.add(node.var)
            elif isinstance(node, (ir.Assign, ir.Delete)):
                writes.add(node.target.var)
                reads.add(node.target.var)  # an update at a path reads the rest
            elif isinstance(node, ir.Send):
                writes.add(node.channel)
                reads.add(node.channel)  # capacity: a send is disabled on a full channel
    return frozenset(reads), frozenset(writes)


def independent(a: Access | None, b: Access | None) -> bool:
    """Whether two steps commute (None: a step that observes the state, never)."""
    if a is None or b is None:
        return False
    return not (a[1] & (b[0] | b[1]) or b[1] & a[0])
