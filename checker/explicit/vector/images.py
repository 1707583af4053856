"""Images of rows under a node permutation, as column moves and value renamings.

Renaming nodes permutes columns (a map keyed by Node, a set of Frames) and renames the values
of Node and Frame columns (a lookup table each; -1, the filler, stays).
"""

from __future__ import annotations

import numpy as np

from numaspec.checker.explicit.symmetry import renamer
from numaspec.checker.explicit.vector.layout import Layout, build_columns
from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.values import SMap, SOpt, SSeq, SSet, Sym
from numaspec.spec.ir import types as t


def column_image(layout: Layout, nodes: tuple[int, ...]) -> tuple[np.ndarray, list[
        tuple[np.ndarray, np.ndarray]]]:
    """Under the node permutation `nodes`: source[j], the column the image's column j is
    taken from, and for Node and Frame columns (row numbers) a renaming table indexed by
    value (a value of -1 reads the last entry, -1, so fillers stay)."""
    topology = layout.spec.topology
    per = topology.frames_per_node
    frames = tuple(nodes[f // per] * per + f % per for f in range(topology.nodes * per))
    source = np.arange(layout.stored_width, dtype=np.intp)  # padding stays in place
    for var, indexed, part in zip(layout.variables, layout.indexed, layout.slices, strict=True):
        ids = build_columns(var.type, iter(range(part.start, part.stop)), indexed)
        moved = _permute(ids, var.type, nodes, frames)
        for position, column in enumerate(_leaf_ids(moved), start=part.start):
            source[position] = column
    renames = []
    for kind, mapping in (("node", nodes), ("frame", frames)):
        rows = np.array([j for j, c in enumerate(layout.columns) if c.kind == kind],
                        dtype=np.intp)
        if rows.size:
            renames.append((rows, np.array([*mapping, -1], dtype=layout.dtype)))
    return source, renames


def _permute(sym: Sym, typ: t.Type, nodes: tuple[int, ...], frames: tuple[int, ...]) -> Sym:
    """`sym` with its set elements and map keys renamed (leaves unchanged)."""
    match typ:
        case t.TupleType() | t.RecordType():
            return tuple(_permute(s, f, nodes, frames) for s, f in
                         zip(sym, S.fields(typ), strict=True))
        case t.OptionType(inner=inner):
            return SOpt(sym.present, _permute(sym.value, inner, nodes, frames))
        case t.SetType(elem=elem):
            rename = renamer(elem, nodes, frames) or (lambda v: v)
            moved = {rename(e): bit for e, bit in sym.bits.items()}
            return SSet({e: moved[e] for e in sym.bits})
        case t.MapType(key=key, value=val):
            rename = renamer(key, nodes, frames) or (lambda v: v)
            entries = {rename(k): (p, _permute(v, val, nodes, frames))
                       for k, (p, v) in sym.entries.items()}
            return SMap({k: entries[k] for k in sym.entries})
        case t.SeqType(elem=elem):
            return SSeq(sym.length, tuple(_permute(i, elem, nodes, frames) for i in sym.items))
        case _:
            return sym


def _leaf_ids(sym: Sym) -> list[int]:
    return [x for x in S.leaves(sym) if type(x) is int]
