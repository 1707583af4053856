"""The bit-vector width that holds every integer a spec computes with.

Integers are encoded as two's-complement bit-vectors (checker/smt/z3_logic.py).  The width is
chosen from the largest magnitude the spec can mention: integer constants, range bounds,
sequence capacities, the sizes of the types sets and maps range over (a `size` is at most
that), the topology's distances and counts; then two bits of headroom (a sum or difference
of such values) and one for the sign; `wide` (64 bits) when any bound exceeds 2^20.  Then
every intermediate term must fit too (checker/symbolic/intervals.py: `x * x * x` needs more
than `x`); when one needs more than 62 bits, the width is 0: unbounded integers, which the
Z3 backend supports and the NumPy backend refuses (the search falls back to the model).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from numaspec.checker.symbolic.intervals import largest_magnitude
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t

MIN_WIDTH = 6
WIDE = 64
# Integer fields of the IR that are bookkeeping, not values a term can take: a local's slot in
# its context's environment and the number of slots (inlined procs add many: 66 in P1 with the
# L4 library, which made its width 10 bits instead of 8).
_NOT_VALUES = frozenset({"span", "slot", "locals_count", "init_locals"})


UNBOUNDED = 0
MAX_BITS = 62  # every intermediate magnitude below 2^62: int64 and 64-bit vectors hold it


def width_for(spec: ir.Spec) -> int:
    """The bit width that holds every integer term of `spec`; UNBOUNDED (0) if none does.
    The views (parameterless `fun`s) do not count: no symbolic backend encodes them, and a
    view over pairs of keys (l4's `tlb()`) would widen every term of the spec."""
    spec = dataclasses.replace(spec, views=())
    atom, bits = _atom_width(spec)
    magnitude = largest_magnitude(spec, atom)
    if magnitude is None or magnitude.bit_length() > MAX_BITS:
        return UNBOUNDED
    return max(bits, magnitude.bit_length() + 1)  # and the sign bit


def _atom_width(spec: ir.Spec) -> tuple[int, int]:
    """The largest magnitude the spec can mention, and the width that held it so far."""
    biggest = _Largest()
    biggest.walk(spec)
    topo = spec.topology
    biggest.see(topo.nodes * topo.frames_per_node)
    for row in topo.distance:
        for d in row:
            biggest.see(d)
    if biggest.value > 2**20:
        return biggest.value, WIDE
    return biggest.value, max(MIN_WIDTH, biggest.value.bit_length() + 3)


class _Largest:
    def __init__(self) -> None:
        self.value = 1
        self._seen: set[int] = set()

    def see(self, number: int) -> None:
        self.value = max(self.value, abs(number))

    def walk(self, node: Any) -> None:
        if isinstance(node, (bool, str, type(None))):
            return
        if isinstance(node, int):
            self.see(node)
            return
        if id(node) in self._seen:
            return
        self._seen.add(id(node))
        if isinstance(node, (tuple, list, frozenset, set)):
            for item in node:
                self.walk(item)
        elif isinstance(node, dict):
            for key, item in node.items():
                self.walk(key)
                self.walk(item)
        elif isinstance(node, t.Type.__args__):  # type: ignore[attr-defined]
            self._type(node)
        elif dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                if f.name not in _NOT_VALUES:
                    self.walk(getattr(node, f.name))

    def _type(self, typ: t.Type) -> None:
        match typ:
            case t.IntType(lo=lo, hi=hi):
                self.see(lo or 0)
                self.see(hi or 0)
            case t.SetType(elem=inner) | t.MapType(key=inner):
                self.see(min(t.domain_size(inner) or 1, 2**21))
            case t.SeqType(capacity=cap):
                self.see(cap)
            case _:
                pass
        for f in dataclasses.fields(typ):  # type: ignore[arg-type]
            self.walk(getattr(typ, f.name))
