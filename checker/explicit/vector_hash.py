"""Fingerprints of batches of rows, under symmetry, and the set of fingerprints seen.

A row's fingerprint is a tabulation hash: the sum (mod 2^64) over its columns of a random
64-bit number drawn for that column and value.  Renaming nodes permutes columns and renames
the values of Node and Frame columns, so the fingerprint of a row's image under a node
permutation is the same sum taken over permuted tables: one table lookup per column and
permutation, no image is ever built.  The canonical fingerprint of an orbit is the least over
the topology's automorphisms (as in checker/explicit/symmetry.py); the plain fingerprint is the
identity's.  Columns with an unbounded or very large range hash their value with a
multiply-xorshift mixer instead of a table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numaspec.checker.explicit.symmetry import _renamer
from numaspec.checker.explicit.vector_layout import Column, Layout, build_columns
from numaspec.checker.smt import symbolic as S
from numaspec.checker.smt.symbolic import SMap, SOpt, SSeq, SSet, Sym
from numaspec.spec import ir_types as t
from numaspec.spec.topology_check import automorphisms

MAX_TABLE = 1 << 16  # larger column ranges are mixed, not tabulated
_SEED = 0x6E756D61  # fixed: fingerprints, and so state orders, are reproducible
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(31))
    x = x * _MIX
    return x ^ (x >> np.uint64(29))


class Fingerprinter:
    """Plain and canonical fingerprints of rows of `layout`; `group` lists node permutations
    (the identity first), or is None for no symmetry."""

    def __init__(self, layout: Layout, group: list[tuple[int, ...]] | None):
        self.layout = layout
        group = group or [tuple(range(layout.spec.topology.nodes))]
        self.size = len(group)
        rng = np.random.default_rng(_SEED)
        columns = layout.columns
        keys = rng.integers(1, 2**63, size=len(columns), dtype=np.uint64) | np.uint64(1)
        base = [rng.integers(0, 2**64 - 1, size=_span(c), dtype=np.uint64, endpoint=True)
                if _span(c) <= MAX_TABLE else None for c in columns]
        images = [_column_image(layout, nodes) for nodes in group]
        # tables[i][v - lo, g]: what source column i holding v adds under permutation g
        self.tables: list[np.ndarray | None] = []
        self.keys: list[np.ndarray] = []
        for i, column in enumerate(columns):
            dests = [image[0][i] for image in images]
            self.keys.append(keys[dests])
            if base[i] is None:
                self.tables.append(None)
                continue
            values = np.arange(column.lo, column.hi + 1)  # type: ignore[arg-type, operator]
            stacked = np.empty((len(values), self.size), dtype=np.uint64)
            for g, (dest, renames) in enumerate(images):
                renamed = renames[column.kind][values] if column.kind in renames else values
                stacked[:, g] = base[dest[i]][renamed - column.lo]  # type: ignore[index]
            self.tables.append(stacked[:, 0].copy() if self.size == 1 else stacked)

    def hashes(self, batch: np.ndarray) -> np.ndarray:
        """(rows, group size) fingerprints of each row's images; column 0: the row's own."""
        by_column = np.ascontiguousarray(batch.T, dtype=np.intp)
        total = np.zeros((len(batch), self.size) if self.size > 1 else len(batch),
                         dtype=np.uint64)
        for i, column in enumerate(self.layout.columns):
            table = self.tables[i]
            if table is not None:
                total += table[by_column[i] - column.lo]  # type: ignore[operator]
            else:
                values = by_column[i].astype(np.uint64)
                total += _mix(values[:, None] * self.keys[i][None, :] if self.size > 1
                              else values * self.keys[i][0])
        return total

    def fingerprints(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(canonical, plain) fingerprints of the rows of `batch`, never 0."""
        total = self.hashes(batch)
        if self.size == 1:
            total[total == 0] = 1
            return total, total
        total[total == 0] = 1
        return total.min(axis=1), total[:, 0].copy()


def _span(column: Column) -> int:
    if column.lo is None or column.hi is None:
        return MAX_TABLE + 1
    return column.hi - column.lo + 1


def _column_image(layout: Layout, nodes: tuple[int, ...]) -> tuple[np.ndarray, dict[str, Any]]:
    """Under the node permutation `nodes`: dest[i], the column source column i moves to, and
    the renaming tables for Node and Frame values (index v + 1: -1, the filler, stays)."""
    topology = layout.spec.topology
    per = topology.frames_per_node
    frames = tuple(nodes[f // per] * per + f % per for f in range(topology.nodes * per))
    dest = np.empty(layout.width, dtype=np.intp)
    for var, indexed, part in zip(layout.variables, layout.indexed, layout.slices, strict=True):
        ids = build_columns(var.type, iter(range(part.start, part.stop)), indexed)
        moved = _permute(ids, var.type, nodes, frames)
        for position, source in enumerate(_leaf_ids(moved), start=part.start):
            dest[source] = position
    renames = {"node": _shifted(nodes), "frame": _shifted(frames)}
    return dest, renames


def _shifted(mapping: tuple[int, ...]) -> np.ndarray:
    """A lookup table indexed by value (-1 at the end, so table[-1] == -1)."""
    return np.array([*mapping, -1], dtype=np.intp)


def _permute(sym: Sym, typ: t.Type, nodes: tuple[int, ...], frames: tuple[int, ...]) -> Sym:
    """`sym` with its set elements and map keys renamed (leaves unchanged)."""
    match typ:
        case t.TupleType() | t.RecordType():
            return tuple(_permute(s, f, nodes, frames) for s, f in
                         zip(sym, S.fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return SOpt(sym.present, _permute(sym.value, inner, nodes, frames))
        case t.SetType(elem=elem):
            rename = _renamer(elem, nodes, frames) or (lambda v: v)
            moved = {rename(e): bit for e, bit in sym.bits.items()}
            return SSet({e: moved[e] for e in sym.bits})
        case t.MapType(key=key, value=val):
            rename = _renamer(key, nodes, frames) or (lambda v: v)
            entries = {rename(k): (p, _permute(v, val, nodes, frames))
                       for k, (p, v) in sym.entries.items()}
            return SMap({k: entries[k] for k in sym.entries})
        case t.SeqType(elem=elem):
            return SSeq(sym.length, tuple(_permute(i, elem, nodes, frames) for i in sym.items))
        case _:
            return sym


def _leaf_ids(sym: Sym) -> list[int]:
    return [x for x in S.leaves(sym) if type(x) is int]


def symmetry_group(layout: Layout) -> list[tuple[int, ...]]:
    """The automorphisms of the topology's distance matrix, the identity first."""
    group = automorphisms(layout.spec.topology.distance)
    identity = tuple(range(layout.spec.topology.nodes))
    return [identity, *(g for g in group if tuple(g) != identity)]


class FingerprintSet:
    """A set of nonzero 64-bit fingerprints: open addressing with linear probing in a NumPy
    array kept at most half full (16 bytes per fingerprint at worst)."""

    def __init__(self, capacity: int = 1 << 16):
        self.table = np.zeros(capacity, dtype=np.uint64)
        self.count = 0

    @property
    def nbytes(self) -> int:
        return self.table.nbytes

    def add_new(self, keys: np.ndarray) -> np.ndarray:
        """Insert distinct nonzero `keys`; True where a key was not in the set before."""
        while 2 * (self.count + len(keys)) > len(self.table):
            self._grow()
        fresh = self._insert(self.table, keys)
        self.count += int(fresh.sum())
        return fresh

    @staticmethod
    def _insert(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
        limit = np.uint64(len(table) - 1)
        slots = (keys >> np.uint64(17)) & limit
        fresh = np.zeros(len(keys), dtype=bool)
        pending = np.arange(len(keys))
        while pending.size:
            at = slots[pending]
            mine = keys[pending]
            held = table[at]
            empty = held == 0
            table[at[empty]] = mine[empty]  # of several keys racing for a slot, one wins
            won = empty & (table[at] == mine)
            fresh[pending[won]] = True
            retry = ~won & (held != mine)
            pending = pending[retry]
            slots[pending] = (slots[pending] + np.uint64(1)) & limit
        return fresh

    def _grow(self) -> None:
        old = self.table[self.table != 0]
        self.table = np.zeros(2 * len(self.table), dtype=np.uint64)
        self._insert(self.table, old)
