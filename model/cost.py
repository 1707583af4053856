"""Cost accounting of executed steps, by the placement rules of docs/language.md and docs/design.md.

An action `on n` that reads or writes data placed on node m makes one access of distance
d(n, m): local if n == m, remote otherwise.  Keyed placement (`placed [k] on home(k.0)`) puts
each map entry on its own node: a lookup `m[k]`, a test `k in m`, an assignment or `delete`
of `m[k]`, and each key visited by `descendants`/`ancestors` touch the entry's node; reading a
whole keyed map (`dom(m)`, iterating it) touches every entry.  Unplaced variables cost nothing.
A `send` from n to a channel placed on m is one message, cross-node if n != m, weighted by
d(n, m).  Kernel primitives are counted by name at each call; actions annotated `@pagefault`
count one pagefault per step.  Channel contents are messages, not memory: reading a channel
is not an access.

TLB shootdowns: the kernel library (spec/lib/l4.numa) reads `tlb_ipi[m]` (a variable that is
never written, placed on m) once per other node m that must flush a translation.  Such a read
is no memory access: it is one IPI from the executing node to m and m's acknowledgement, two
cross-node messages weighted by d(n, m) each, and the remote flush is one kernel call
`l4.tlb_flush` (per-node work on m).  A variable counts as that IPI variable when its name is
`tlb_ipi` or ends in `.tlb_ipi` (the library under any import alias).

Simplifications (documented in docs/cli.md): keyed reads and writes use the first key level
only; a step of an action with `choose` is charged for the body run for every choice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from numaspec.model.compile.expr import WHOLE, ExprCompiler, Fn
from numaspec.model.compile.stmt import Hooks
from numaspec.spec.ir import nodes as ir


@dataclass
class Costs:
    """Counters of one action (or of a whole run); `add` merges."""

    steps: int = 0
    pagefaults: int = 0
    local_accesses: int = 0
    remote_accesses: int = 0
    access_cost: int = 0  # sum of distances of all accesses
    messages: int = 0
    remote_messages: int = 0
    message_cost: int = 0
    kernel_calls: Counter[str] = field(default_factory=Counter)
    remote_by_variable: Counter[str] = field(default_factory=Counter)

    def add(self, other: Costs, times: int = 1) -> None:
        for name in ("steps", "pagefaults", "local_accesses", "remote_accesses", "access_cost",
                     "messages", "remote_messages", "message_cost"):
            setattr(self, name, getattr(self, name) + times * getattr(other, name))
        for call, count in other.kernel_calls.items():
            self.kernel_calls[call] += times * count
        for var, count in other.remote_by_variable.items():
            self.remote_by_variable[var] += times * count

    def as_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in (
            "steps", "pagefaults", "local_accesses", "remote_accesses", "access_cost",
            "messages", "remote_messages", "message_cost")}
        data["kernel_calls"] = dict(sorted(self.kernel_calls.items()))
        data["remote_by_variable"] = dict(sorted(self.remote_by_variable.items()))
        return data


IPI_VARIABLE = "tlb_ipi"  # the kernel library's shootdown variable (see the module docstring)


def is_ipi_variable(name: str) -> bool:
    """Whether reads of the variable `name` are TLB-shootdown IPIs rather than accesses."""
    return name == IPI_VARIABLE or name.endswith("." + IPI_VARIABLE)


class _Placement:
    """Where the data of one variable lives: a node per key, or one node for all of it."""

    def __init__(self, placement: ir.Placement, exprs: ExprCompiler):
        self.keyed = bool(placement.keys)
        self.slots = placement.locals_count
        self.first_slot = placement.keys[0].slot if placement.keys else 0
        self.node: Fn = exprs.compile(placement.node)

    def node_of(self, key: Any) -> int:
        env: list[Any] = [None] * self.slots
        env[self.first_slot] = key
        return self.node((), env)  # type: ignore[no-any-return]


class CostRecorder(Hooks):
    """Observes one step at a time: call `begin(node, pagefault)`, run it, read `current`."""

    def __init__(self, spec: ir.Spec):
        self.spec = spec
        plain = ExprCompiler(spec)
        self.index = plain.index
        self.places = {v.name: _Placement(v.placement, plain) for v in spec.variables
                       if v.placement is not None}
        self.channels = {v.name for v in spec.variables if v.channel is not None}
        self.ipis = {v.name for v in spec.variables if is_ipi_variable(v.name)}
        self.distance = spec.topology.distance
        self.node: int | None = None
        self.current = Costs()

    def begin(self, node: int | None, pagefault: bool) -> None:
        self.node = node
        self.current = Costs(steps=1, pagefaults=int(pagefault))

    def _access(self, var: str, place: int) -> None:
        if self.node is None:
            return  # an action without `on`: its accesses are not attributed
        d = self.distance[self.node][place]
        if place == self.node:
            self.current.local_accesses += 1
        else:
            self.current.remote_accesses += 1
            self.current.remote_by_variable[var] += 1
        self.current.access_cost += d

    def read(self, var: str, st: Any, env: list[Any], key: Any) -> None:
        place = self.places.get(var)
        if place is None or var in self.channels:
            return
        if var in self.ipis:
            self._ipi(place.node_of(key) if place.keyed and key is not WHOLE else None)
            return
        if not place.keyed:
            self._access(var, place.node_of(None))
        elif key is WHOLE:
            for each in st[self.index[var]]:
                self._access(var, place.node_of(each))
        else:
            self._access(var, place.node_of(key))

    def write(self, var: str, st: Any, env: list[Any], key: Any) -> None:
        self.read(var, st, env, WHOLE if key is None else key)

    def visit(self, var: str, keys: Any) -> None:
        """Keys touched by a traversal (`descendants`, `ancestors`) of a keyed variable."""
        place = self.places.get(var)
        if place is not None and place.keyed:
            for key in keys:
                self._access(var, place.node_of(key))

    def _ipi(self, target: int | None) -> None:
        """One TLB-shootdown IPI to `target` and its acknowledgement (two messages)."""
        if target is None or self.node is None or target == self.node:
            return
        self.current.messages += 2
        self.current.remote_messages += 2
        self.current.message_cost += 2 * self.distance[self.node][target]
        self.current.kernel_calls["l4.tlb_flush"] += 1

    def send(self, channel: str, st: Any, env: list[Any], index: Any) -> None:
        place = self.places.get(channel)
        self.current.messages += 1
        if place is None or self.node is None:
            return
        target = place.node_of(index)
        if target != self.node:
            self.current.remote_messages += 1
        self.current.message_cost += self.distance[self.node][target]

    def call(self, callee: str, kernel: bool) -> None:
        if kernel:
            self.current.kernel_calls[callee] += 1
