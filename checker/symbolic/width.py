"""The bit-vector width that holds every integer a spec computes with.

Integers are encoded as two's-complement bit-vectors (checker/smt/z3_logic.py).  The width is
chosen from the largest magnitude the spec can mention: integer constants, range bounds,
sequence capacities, the sizes of the types sets and maps range over (a `size` is at most
that), the topology's distances and counts; then two bits of headroom (a sum or difference
of such values) and one for the sign.  Specs that multiply large values would need more:
`wide` (64 bits) is used when any bound exceeds 2^20.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t

MIN_WIDTH = 6
WIDE = 64


def width_for(spec: ir.Spec) -> int:
    biggest = _Largest()
    biggest.walk(spec)
    topo = spec.topology
    biggest.see(topo.nodes * topo.frames_per_node)
    for row in topo.distance:
        for d in row:
            biggest.see(d)
    if biggest.value > 2**20:
        return WIDE
    return max(MIN_WIDTH, biggest.value.bit_length() + 3)


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
                if f.name != "span":
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
