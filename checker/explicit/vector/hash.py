"""Fingerprints of batches of states, under symmetry, and the set of fingerprints seen.

A state's fingerprint hashes its row of small integers (layout.py) eight bytes at a
time: each 64-bit word is keyed by its position, mixed, and the words are summed (mod 2^64).
Under symmetry, the canonical fingerprint of a state is that of its orbit's normal form
(canon.py; docs/explicit.md), equal for two states exactly when the least fingerprint of
their images under the topology's automorphisms is (the reference, kept here).  An image is built
column-wise: renaming nodes permutes columns (a map keyed by Node, a set of Frames) and renames
the values of Node and Frame columns (a lookup table each; -1, the filler, stays).  The plain
fingerprint is the identity's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from numaspec.checker.explicit.group import GroupStructure
from numaspec.checker.explicit.vector.canon import Canonicaliser
from numaspec.checker.explicit.vector.images import column_image
from numaspec.checker.explicit.vector.layout import Layout

_SEED = 0x6E756D61  # fixed: fingerprints, and so state orders, are reproducible
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on a uint64 array."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


class Fingerprinter:
    """Plain and canonical fingerprints of batches (columns x states) of `layout`.

    With `structure` (the search's way), the canonical fingerprint is the normal form of
    canon.py, whose cost does not grow with the group.  With `group` alone (a list of node
    permutations, the identity first), it is the least fingerprint over every image: the
    reference the tests hold the normal form to.  Neither: no symmetry."""

    def __init__(self, layout: Layout, group: list[tuple[int, ...]] | None,
                 structure: GroupStructure | None = None,
                 check: Callable[[], None] | None = None):
        self.layout = layout
        rng = np.random.default_rng(_SEED)
        words = layout.stored_width * np.dtype(layout.dtype).itemsize // 8
        self.keys = rng.integers(0, 2**64 - 1, size=words, dtype=np.uint64, endpoint=True)
        self.canon = None if structure is None else Canonicaliser(layout, structure,
                                                                  self.plain, check)
        self.images = [] if structure is not None else [
            column_image(layout, nodes) for nodes in (group or [])[1:]]
        self.size = structure.size if structure is not None else 1 + len(self.images)

    def plain(self, batch: np.ndarray) -> np.ndarray:
        """The fingerprint of each state of `batch` as it is (never 0)."""
        words = np.ascontiguousarray(batch).view(np.uint64) ^ self.keys[None, :]
        total = _mix(words).sum(axis=1, dtype=np.uint64)
        total = _mix(total)
        total[total == 0] = 1
        return total

    def fingerprints(self, batch: np.ndarray, plain: np.ndarray | None = None,
                     check: Callable[[], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(canonical, plain) fingerprints of the states of `batch`, never 0 (`plain`: the
        plain ones, if known).  `check` is called every few images: with a large group
        (720 permutations of 6 nodes) one batch takes long, and limits must still hold."""
        plain = self.plain(batch) if plain is None else plain
        if self.canon is not None:
            return self.canon.fingerprints(batch, check)[0], plain
        canonical = plain.copy()
        for number in range(len(self.images)):
            if check is not None and number % 16 == 15:
                check()
            np.minimum(canonical, self.plain(self.image(batch, number)), out=canonical)
        return canonical, plain

    def mapping(self, batch: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Row by row, a node permutation g (a row of node images) with g.batch[i] equal
        to targets[i], for rows in the same orbits: the normal forms' (canon.py) p and q with
        p.batch[i] == q.targets[i] give g = q^-1 p.  Only with `structure`."""
        assert self.canon is not None, "mapping needs the normal form"
        _, mine, p = self.canon.normalise(batch)
        _, theirs, q = self.canon.normalise(targets)
        assert (mine == theirs).all(), "a state outside the orbit of its representative"
        return np.take_along_axis(np.argsort(q, axis=1), p, axis=1)

    def image(self, batch: np.ndarray, number: int) -> np.ndarray:
        """The states of `batch` under permutation `number` (0 .. size - 2: the identity
        is not among them)."""
        source, renames = self.images[number]
        image = batch[:, source]
        for columns, table in renames:
            image[:, columns] = table[image[:, columns]]
        return image


class FingerprintSet:
    """A set of nonzero 64-bit fingerprints: open addressing with linear probing in a NumPy
    array kept at most half full (16 bytes per fingerprint at worst)."""

    def __init__(self, capacity: int = 1 << 8):
        self.table = np.zeros(capacity, dtype=np.uint64)
        self.count = 0

    @property
    def nbytes(self) -> int:
        return self.table.nbytes

    def add_new(self, keys: np.ndarray) -> np.ndarray:
        """Insert distinct nonzero `keys`; True where a key was not in the set before."""
        return self._add(keys)[0]

    def _add(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        while 2 * (self.count + len(keys)) > len(self.table):
            self._grow()
        fresh, slots = _insert(self.table, keys)
        self.count += int(fresh.sum())
        return fresh, slots

    def _grow(self) -> tuple[np.ndarray, np.ndarray]:
        """Double the table: the old slots that held a key, and the new slot of each."""
        held = np.flatnonzero(self.table)
        old = self.table[held]
        self.table = np.zeros(2 * len(self.table), dtype=np.uint64)
        return held, _insert(self.table, old)[1]


class FingerprintIndex(FingerprintSet):
    """A FingerprintSet that gives each fingerprint an int64 value: a state number in a
    graph, or any other int64 (a canonical fingerprint viewed as int64, negative or not)."""

    def __init__(self, capacity: int = 1 << 8):
        super().__init__(capacity)
        self.numbers = np.full(capacity, -1, dtype=np.int64)

    @property
    def nbytes(self) -> int:
        return self.table.nbytes + self.numbers.nbytes

    def add(self, keys: np.ndarray, numbers: np.ndarray) -> np.ndarray:
        """Insert distinct `keys`, numbering the new ones by `numbers`; True where new."""
        fresh, slots = self._add(keys)
        self.numbers[slots[fresh]] = numbers[fresh]
        return fresh

    def add_numbered(self, keys: np.ndarray, start: int) -> np.ndarray:
        """Insert distinct `keys`; the new ones are numbered start, start + 1, ... in the
        order they come.  True where new."""
        fresh, slots = self._add(keys)
        self.numbers[slots[fresh]] = start + np.arange(int(fresh.sum()))
        return fresh

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The numbers of `keys` (-1 for a key not in the set); the set is not changed.
        Only for non-negative values: lookup() tells absence apart from any value."""
        found, values = self.lookup(keys)
        values[~found] = -1
        return values

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(whether each of `keys` is in the set, its value where it is); no change."""
        limit = np.uint64(len(self.table) - 1)
        slots = (keys >> np.uint64(17)) & limit
        found = np.zeros(len(keys), dtype=bool)
        values = np.full(len(keys), -1, dtype=np.int64)
        pending = np.arange(len(keys))
        while pending.size:
            at = slots[pending]
            held = self.table[at]
            hit = held == keys[pending]
            found[pending[hit]] = True
            values[pending[hit]] = self.numbers[at[hit]]
            pending = pending[~hit & (held != 0)]  # an empty slot ends the probe: absent
            slots[pending] = (slots[pending] + np.uint64(1)) & limit
        return found, values

    def _grow(self) -> tuple[np.ndarray, np.ndarray]:
        # The old slots are found by their keys, not by their values: a value may be
        # negative (a canonical fingerprint), and -1 marks nothing here.
        held, slots = super()._grow()
        numbers = np.full(len(self.table), -1, dtype=np.int64)
        numbers[slots] = self.numbers[held]
        self.numbers = numbers
        return held, slots


def _insert(table: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Insert `keys` into the open-addressing `table`: whether each was new, and its slot."""
    limit = np.uint64(len(table) - 1)
    slots = (keys >> np.uint64(17)) & limit
    fresh = np.zeros(len(keys), dtype=bool)
    where = np.empty(len(keys), dtype=np.int64)
    pending = np.arange(len(keys))
    while pending.size:
        at = slots[pending]
        mine = keys[pending]
        held = table[at]
        empty = held == 0
        table[at[empty]] = mine[empty]  # of several keys racing for a slot, one wins
        won = empty & (table[at] == mine)
        done = won | (held == mine)
        fresh[pending[won]] = True
        where[pending[done]] = at[done]
        pending = pending[~done]
        slots[pending] = (slots[pending] + np.uint64(1)) & limit
    return fresh, where
