"""Node signatures: a number per node of a state that no interchange of nodes can change.

For H, the product of the symmetric groups on the blocks of interchangeable nodes
(checker/explicit/group.py), the signature satisfies sig(h.x, h(n)) = sig(x, n) for every h in
H.  It is a sum (mod 2^64) of mixed terms, one per

* column j *attached* to node n (some transposition (n m) of n's block moves column j: the
  entries of maps keyed by n, of n's frames, of pairs that contain n), of the pair's orbit
  under H and of the column's value *relative to n*: a Node value as "none", "n itself" or
  "another node of block b", a Frame value likewise with its offset, other values as they are;
* Node or Frame column whose value names n (the multiset of places that name the node), of
  the column's orbit under H (and the frame's offset).

Every ingredient is carried along by h (pairs to pairs of the same orbit, values renamed as
the columns move), so the sums are equal: the signature is invariant, never just likely so.
"""

from __future__ import annotations

import numpy as np

from numaspec.checker.explicit.group import GroupStructure
from numaspec.checker.explicit.vector.layout import Layout

_K = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser (a new uint64 array)."""
    x = x ^ (x >> np.uint64(30))
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def transposition(n: int, a: int, b: int) -> tuple[int, ...]:
    perm = list(range(n))
    perm[a], perm[b] = b, a
    return tuple(perm)


class Signature:
    """Signatures of the nodes of batches of `layout`'s rows under `structure`'s H;
    `sources[t]` is the column source (images.column_image) of each transposition t of H."""

    def __init__(self, layout: Layout, structure: GroupStructure,
                 sources: dict[tuple[int, ...], np.ndarray]):
        n, width = structure.nodes, layout.stored_width
        self.nodes, self.per = n, layout.spec.topology.frames_per_node
        self.dtype = layout.dtype
        kinds = [c.kind for c in layout.columns] + ["pad"] * (width - len(layout.columns))
        self.block_of = np.zeros(n + 1, dtype=np.uint64)
        for number, block in enumerate(structure.blocks):
            self.block_of[list(block)] = number
        self.moving = [a for b in structure.moving_blocks for a in b]
        self.position = np.full(n + 1, -1, dtype=np.intp)  # among the moving nodes
        self.position[self.moving] = np.arange(len(self.moving))
        attached = np.zeros((width, n), dtype=bool)
        pairs = np.arange(width * n).reshape(width, n)
        columns = np.arange(width)
        for perm, source in sources.items():
            a, b = (i for i, p in enumerate(perm) if p != i)
            moved = source != columns
            attached[moved, a] = attached[moved, b] = True
        for _ in range(width * n):  # orbits of (column, node) pairs and of columns
            before = pairs.copy(), columns.copy()
            for perm, source in sources.items():
                np.minimum(pairs, pairs[source][:, list(perm)], out=pairs)
                np.minimum(columns, columns[source], out=columns)
            if np.array_equal(before[0], pairs) and np.array_equal(before[1], columns):
                break  # labels constant on orbits: what makes the signature invariant
        self._keys(kinds, attached, pairs, columns, structure)

    def _keys(self, kinds: list[str], attached: np.ndarray, pairs: np.ndarray,
              columns: np.ndarray, structure: GroupStructure) -> None:
        """Random keys per pair orbit, laid out as matrices: signatures are then sums of
        products (a matrix product), linear in the keys, so equal pairs weigh equally."""
        width, n = attached.shape
        rng = np.random.default_rng(0x5167)

        def key(*shape: int) -> np.ndarray:
            return rng.integers(0, 2**63, size=shape, dtype=np.uint64) | np.uint64(1)

        pair_keys = key(4, width * n)[:, pairs]  # four independent keys per pair orbit
        moving = np.zeros(n, dtype=bool)
        moving[self.moving] = True
        mask = attached & moving[None, :]
        plain = np.array([k in ("int", "bool") for k in kinds])
        self.plain_columns = np.flatnonzero(plain & mask.any(axis=1))
        self.plain_keys = np.where(mask, pair_keys[0], 0)[self.plain_columns]
        # the same sum in float64 (a BLAS product, over whole rows) where it is exact:
        # integer keys of `bits` bits keep every partial sum below 2^53, so the result does
        # not depend on the order of the additions
        bits = 53 - np.iinfo(self.dtype).bits - width.bit_length()
        self.float_keys = None if bits < 24 else np.where(
            mask & plain[:, None], pair_keys[0] >> np.uint64(64 - bits), 0).astype(np.float64)
        # OpenBLAS computes a product of fewer than about 2^18 multiply-adds on one thread;
        # larger ones use threads that, on a busy machine, cost more CPU than they save
        # (and a float copy of a whole batch of successors is large)
        self.slice = max(1, 200_000 // (width * n))
        self.block_key = key(len(structure.blocks) + 1)[self.block_of.astype(np.intp)]
        self.block_key[n] = 0  # a filler names no block
        self.offset_key = key(self.per)
        self.frame_key = key(len(structure.blocks) + 1, self.per)[self.block_of.astype(np.intp)]
        self.frame_key[n] = 0
        self.node, self.frame = (self._table(kind, kinds, mask, pair_keys, columns,
                                             key(width)) for kind in ("node", "frame"))

    def _table(self, kind: str, kinds: list[str], mask: np.ndarray, pair_keys: np.ndarray,
               columns: np.ndarray, column_keys: np.ndarray) -> tuple[np.ndarray, ...]:
        """For the Node (or Frame) columns: their positions; the keys, per column and moving
        node, of an absent value, of another node (times that node's block and offset key)
        and of the node itself (times its offset key, plus the key of the places that name
        a node, per column orbit), for the attached pairs."""
        at = np.array([j for j in range(len(kinds)) if kinds[j] == kind], dtype=np.intp)
        cut = np.where(mask[at], 1, 0).astype(np.uint64)[:, self.moving]
        none, self_, other = (cut * pair_keys[i][at][:, self.moving] for i in (1, 2, 3))
        return at, none, other, self_ + column_keys[columns[at]][:, None]

    def _values(self, kind: str, v: np.ndarray) -> tuple[np.ndarray, ...]:
        """(owner's position among the moving nodes or -1, offset key, seen key) of values v."""
        per = self.per if kind == "frame" else 1
        owner = np.where(v < 0, self.nodes, v // per)
        offset = np.where(v < 0, 0, v % per)
        weight = self.offset_key[offset] if kind == "frame" else np.ones_like(v, np.uint64)
        seen = self.frame_key[owner, offset] if kind == "frame" else self.block_key[owner]
        return self.position[owner], weight, seen

    def of(self, batch: np.ndarray) -> np.ndarray:
        """The signature of every node of every state (states x nodes, uint64); nodes that H
        does not move get 0."""
        if self.float_keys is not None:  # in slices small enough for one BLAS thread
            step = self.slice
            sig = np.concatenate([(batch[lo:lo + step].astype(np.float64) @ self.float_keys)
                                  .astype(np.int64) for lo in range(0, len(batch), step)]
                                 or [np.zeros((0, self.nodes), np.int64)]).view(np.uint64)
        else:
            sig = batch[:, self.plain_columns].astype(np.uint64) @ self.plain_keys
        moving = np.array(self.moving, dtype=np.intp)
        rows = np.arange(len(batch))
        for kind, (at, none, other, own) in (("node", self.node), ("frame", self.frame)):
            if not at.size:
                continue
            v = batch[:, at].astype(np.intp)
            position, weight, seen = self._values(kind, v)
            terms = (v < 0).astype(np.uint64) @ none + seen @ other  # all as another node's
            for j in range(len(at)):  # corrected where the value names the node itself
                mine = position[:, j] >= 0
                m = position[mine, j]
                terms[rows[mine], m] += weight[mine, j] * own[j, m] - seen[mine, j] * other[j, m]
            sig[:, moving] += terms
        return mix(sig)
