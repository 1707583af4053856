"""Symmetry reduction over the automorphisms of the topology's distance matrix.

A spec that declares `symmetric Node` promises that permuting the nodes (frames move with their
node: frame f at offset o of node n becomes offset o of node p(n)) maps behaviours to
behaviours.  The checker then stores one fingerprint per orbit: the smallest hash over the
images of a state under every automorphism of the distance matrix.  Permutations are applied
by type (spec/ir/types.py): every Node and Frame value inside a variable is renamed, keys of
maps and elements of sets included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numaspec.checker.explicit.group import TABLE_LIMIT, GroupStructure, group_structure
from numaspec.spec.diagnostics import Note, SpecError, fail
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.symmetry.refuse import require_symmetric
from numaspec.spec.ir.values import FrozenMap
from numaspec.spec.topology.distances import (
    SearchBudgetExceeded,
    automorphism_count,
    automorphisms,
)

Permute = Callable[[Any], Any]
MAX_GROUP = 5040  # 7!: beyond this, canonicalising every state costs more than it saves
MEMO_LIMIT = 200_000  # memoised values per variable; a memo is cleared when it exceeds this


def renamer(typ: t.Type, nodes: tuple[int, ...], frames: tuple[int, ...]) -> Permute | None:
    """A function renaming nodes and frames inside values of `typ`, or None if none occur."""
    match typ:
        case t.NodeType():
            return nodes.__getitem__
        case t.FrameType():
            return frames.__getitem__
        case t.OptionType(inner=inner):
            return _lift(renamer(inner, nodes, frames), "option")
        case t.TupleType(items=items):
            return _tuple_renamer([renamer(i, nodes, frames) for i in items])
        case t.RecordType(fields=fields):
            return _tuple_renamer([renamer(f, nodes, frames) for _, f in fields])
        case t.SetType(elem=elem):
            return _lift(renamer(elem, nodes, frames), "set")
        case t.SeqType(elem=elem):
            return _lift(renamer(elem, nodes, frames), "seq")
        case t.MapType(key=key, value=value):
            return _map_renamer(renamer(key, nodes, frames), renamer(value, nodes, frames))
        case _:
            return None


def _lift(f: Permute | None, container: str) -> Permute | None:
    """Apply `f` inside an option, a set or a sequence."""
    if f is None:
        return None
    if container == "option":
        return lambda v: None if v is None else f(v)
    if container == "set":
        return lambda v: frozenset(map(f, v))
    return lambda v: tuple(map(f, v))


def _tuple_renamer(parts: list[Permute | None]) -> Permute | None:
    if all(p is None for p in parts):
        return None
    fs = [p or (lambda v: v) for p in parts]
    return lambda v: tuple(f(x) for f, x in zip(fs, v, strict=True))


def _map_renamer(key: Permute | None, value: Permute | None) -> Permute | None:
    if key is None and value is None:
        return None
    k = key or (lambda v: v)
    w = value or (lambda v: v)
    return lambda m: FrozenMap({k(a): w(b) for a, b in m.items()})


def symmetry_group(spec: ir.Spec) -> list[tuple[int, ...]]:
    """The automorphisms of the topology (identity first).  E406 when the group has more
    than `MAX_GROUP` elements or cannot be listed quickly: it is counted, never listed,
    before that.  (Whether the spec is symmetric is the caller's to check: `checked_group`.)"""
    distance = spec.topology.distance
    try:
        size = automorphism_count(distance, MAX_GROUP)
        if size <= MAX_GROUP:
            return automorphisms(distance)
    except SearchBudgetExceeded:
        raise _too_large("too many to list quickly") from None
    raise _too_large(f"more than {MAX_GROUP:,}")


def checked_group(spec: ir.Spec) -> list[tuple[int, ...]]:
    """`symmetry_group` of a spec whose `symmetric Node` the IR check accepts (E405
    otherwise, spec/ir/symmetry/): what a search that reduces by symmetry starts with."""
    require_symmetric(spec)
    return symmetry_group(spec)


def checked_structure(spec: ir.Spec) -> GroupStructure:
    """The blocks and cosets (checker/explicit/group.py) of a spec whose `symmetric Node`
    the IR check accepts: what the vectorised search normalises with, without listing the
    group.  E406 when the quotient of the blocks has too many automorphisms to list."""
    require_symmetric(spec)
    try:
        structure = group_structure(spec.topology.distance)
    except SearchBudgetExceeded:
        raise fail("E406", "`symmetric Node`: the topology's blocks of interchangeable "
                   "nodes have too many permutations to list quickly", None,
                   Note("check with --no-symmetry (sound, without the reduction)")) from None
    if structure.block_order * 8 > TABLE_LIMIT:
        # a row is at least 8 columns wide: refused before anything is compiled
        raise too_large(f"{structure.size:,} (the tables of its blocks would exceed "
                        f"{TABLE_LIMIT:,} entries)")
    return structure


def too_large(how_many: str) -> SpecError:
    """E406: the group is too large for the vectorised search's tables."""
    return fail("E406", f"`symmetric Node`: the topology has {how_many} automorphisms",
                None, Note("check with --no-symmetry (sound, without the reduction), or a "
                           "topology with fewer interchangeable nodes"))


def _too_large(how_many: str) -> SpecError:
    return fail("E406", f"`symmetric Node`: the topology has {how_many} automorphisms; "
                f"symmetry reduction canonicalises each state under at most {MAX_GROUP:,}",
                None, Note("check with --no-symmetry (sound, without the reduction), or a "
                           "topology with fewer interchangeable nodes"))


class Symmetry:
    """The node permutations of a spec that declares `symmetric Node` (identity excluded)."""

    def __init__(self, spec: ir.Spec, group: list[tuple[int, ...]] | None = None,
                 size: int | None = None):
        """The renamings by `group` (by default the topology's automorphisms; a search
        passes `checked_group(spec)`, which refuses a spec that is not symmetric).  `size`:
        the order of the group when `group` lists only part of it (the vectorised search
        fingerprints through canon.py and keeps this object for its figures only)."""
        topology = spec.topology
        group = symmetry_group(spec) if group is None else group
        self.size = len(group) if size is None else size
        self.group = group  # node permutations, the identity first
        self.memos: list[dict[Any, tuple[int, ...]]] = [{} for _ in spec.variables]
        per = topology.frames_per_node
        self.permutations: list[list[Permute | None]] = []
        for nodes in group[1:]:
            frames = tuple(nodes[f // per] * per + f % per
                           for f in range(topology.nodes * per))
            self.permutations.append([renamer(v.type, nodes, frames)
                                      for v in spec.variables])

    def image(self, state: tuple[Any, ...], number: int) -> tuple[Any, ...]:
        """`state` under the permutation `number` (0 .. size - 2; the identity is excluded)."""
        return tuple(value if f is None else f(value)
                     for f, value in zip(self.permutations[number], state, strict=True))

    def fingerprint(self, state: tuple[Any, ...]) -> int:
        """The same number for every state of an orbit: the least, over the group, of the hash
        of the tuple of the hashes of the renamed variable values.

        Successive states share most variable values, so for each value the hashes of all its
        images are memoised; a state then costs one lookup per variable and a transposition
        (zip) done in C.
        """
        columns = []
        for position, value in enumerate(state):
            memo = self.memos[position]
            hashes = memo.get(value)
            if hashes is None:
                if len(memo) > MEMO_LIMIT:
                    memo.clear()
                hashes = memo[value] = self._image_hashes(position, value)
            columns.append(hashes)
        return min(map(hash, zip(*columns, strict=True)))

    def _image_hashes(self, position: int, value: Any) -> tuple[int, ...]:
        renamers = [perm[position] for perm in self.permutations]
        if all(f is None for f in renamers):
            return (hash(value),) * len(self.group)
        return (hash(value), *(hash(value if f is None else f(value)) for f in renamers))


def plain_fingerprint(state: tuple[Any, ...]) -> int:
    return hash(state)
