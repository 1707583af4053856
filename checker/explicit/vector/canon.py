"""The canonical form of a state's orbit under `symmetric Node`, at a cost that does not grow
with the automorphism group (docs/explicit.md).

G = H r_1 u ... u H r_m (checker/explicit/group.py), H the free permutations of each block of
interchangeable nodes.  For one coset image y = r_c.x, let C(y) be the elements h of H after
which every block lists its nodes in ascending signature order (signature.py).  Signatures
move with the nodes, so C(h.y) = C(y) h^-1 and the set of images {h.y : h in C(y)} is the same
for every member of y's H-orbit: its least fingerprint is an exact canonical fingerprint of
the H-orbit, and the least over the cosets one of the G-orbit.  The same minimum that the
minimum over all of G gives would separate orbits, only found among far fewer images:

* C(y) is a few permutations: those that reorder nodes of equal signature among themselves;
* where swapping two such nodes leaves y unchanged (they are truly alike), the images that
  differ only by reordering them are equal, so one per arrangement is built.

`Canonicaliser.fingerprints` is the interface a search (or liveness on the quotient) calls:
rows in, (canonical fingerprint, representative row) out.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import numpy as np

from numaspec.checker.explicit.group import TABLE_LIMIT, GroupStructure
from numaspec.checker.explicit.vector.images import column_image
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.signature import Signature, transposition

Plain = Callable[[np.ndarray], np.ndarray]
Check = Callable[[], None]


class TooLarge(Exception):
    """H's column tables would exceed `TABLE_LIMIT` entries."""


class Canonicaliser:
    """Canonical fingerprints and representatives of batches of `layout`'s rows; `plain`
    fingerprints rows as they are (hash.Fingerprinter.plain)."""

    def __init__(self, layout: Layout, structure: GroupStructure, plain: Plain,
                 check: Check | None = None):
        if structure.block_order * layout.stored_width > TABLE_LIMIT:
            raise TooLarge
        self.structure, self.plain, self.nodes = structure, plain, structure.nodes
        self.per = layout.spec.topology.frames_per_node
        self.node_columns = np.array([j for j, c in enumerate(layout.columns)
                                      if c.kind == "node"], dtype=np.intp)
        self.frame_columns = np.array([j for j, c in enumerate(layout.columns)
                                       if c.kind == "frame"], dtype=np.intp)
        self.powers = np.uint64(self.nodes) ** np.arange(self.nodes, dtype=np.uint64)
        swaps = {transposition(self.nodes, a, b): column_image(layout, transposition(
            self.nodes, a, b))[0] for block in structure.moving_blocks
            for a, b in itertools.combinations(block, 2)}
        self.signature = Signature(layout, structure, swaps)
        self.swap_test = SwapTest(layout, [(a, b) for block in structure.moving_blocks
                                           for a, b in itertools.combinations(block, 2)])
        self.codes, self.sources = _tables(layout.stored_width, structure, swaps, check)
        self.cosets = [(np.array(r, dtype=np.int64), column_image(layout, r)[0])
                       for r in structure.cosets[1:]]
        self.identity = np.arange(self.nodes, dtype=np.int64)

    def fingerprints(self, batch: np.ndarray, check: Check | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(canonical fingerprint, representative) of each row: the representative is the
        member of the row's orbit whose fingerprint is the canonical one."""
        best, rep, _ = self.normalise(batch, check)
        return best, rep

    def normalise(self, batch: np.ndarray, check: Check | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`fingerprints`, and the node permutation p of each row (a row of node images)
        whose image p.row is the representative."""
        best, rep, perm = self._within_blocks(batch, check)
        for coset, source in self.cosets:
            image = self._apply(batch[:, source], np.broadcast_to(coset, (len(batch),
                                                                         self.nodes)))
            fp, other, within = self._within_blocks(image, check)
            better = fp < best
            best[better], rep[better] = fp[better], other[better]
            perm[better] = within[better][:, coset]  # first the coset's r, then h
        return best, rep, perm

    def apply(self, batch: np.ndarray, perms: np.ndarray) -> np.ndarray:
        """Each row of `batch` under its own element of H (`perms`: rows of node images)."""
        code = (perms.astype(np.uint64) * self.powers).sum(axis=1, dtype=np.uint64)
        at = np.searchsorted(self.codes, code)
        image = np.take_along_axis(batch, self.sources[at], axis=1)
        return self._apply(image, perms)

    def _apply(self, image: np.ndarray, perms: np.ndarray) -> np.ndarray:
        """Rename the Node and Frame values of `image` (columns already moved) by `perms`."""
        if self.node_columns.size:
            v = image[:, self.node_columns].astype(np.int64)
            renamed = np.take_along_axis(perms, np.maximum(v, 0), axis=1)
            image[:, self.node_columns] = np.where(v < 0, v, renamed)
        if self.frame_columns.size:
            v = image[:, self.frame_columns].astype(np.int64)
            owner = np.take_along_axis(perms, np.maximum(v, 0) // self.per, axis=1)
            image[:, self.frame_columns] = np.where(v < 0, v, owner * self.per + v % self.per)
        return image

    def _within_blocks(self, batch: np.ndarray, check: Check | None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The least fingerprint over C(row) of each row, the image that has it and the
        element of H that gives it."""
        sig = self.signature.of(batch)
        ranked, pattern = [], np.zeros(len(batch), dtype=np.int64)
        for block in self.structure.moving_blocks:
            nodes = np.array(block, dtype=np.int64)
            order = np.argsort(sig[:, nodes], axis=1, kind="stable")
            by_rank = nodes[order]  # the node of each rank
            ordered = np.take_along_axis(sig[:, nodes], order, axis=1)
            flags = (ordered[:, 1:] == ordered[:, :-1]).astype(np.int64)
            for r in range(len(block) - 1):
                flags[:, r] += self._alike(batch, by_rank, r, flags[:, r] > 0)
            pattern = pattern * 3 ** (len(block) - 1) + (flags * 3 ** np.arange(
                len(block) - 2, -1, -1)).sum(axis=1)
            ranked.append((nodes, by_rank, flags))
        best = np.full(len(batch), np.iinfo(np.uint64).max, dtype=np.uint64)
        rep = batch.copy()
        chosen = np.broadcast_to(self.identity, (len(batch), self.nodes)).copy()
        kinds, inverse = np.unique(pattern, return_inverse=True)
        for kind in range(len(kinds)):
            rows = np.flatnonzero(inverse == kind)
            flags = [f[rows[0]] for _, _, f in ranked]
            for number, assignment in enumerate(_assignments(flags)):
                if check is not None and number % 64 == 63:
                    check()
                perms = np.broadcast_to(self.identity, (len(rows), self.nodes)).copy()
                for (nodes, by_rank, _), targets in zip(ranked, assignment, strict=True):
                    np.put_along_axis(perms, by_rank[rows], nodes[list(targets)][None, :],
                                      axis=1)
                image = self.apply(batch[rows], perms)
                fp = self.plain(image)
                better = fp < best[rows]
                best[rows[better]], rep[rows[better]] = fp[better], image[better]
                chosen[rows[better]] = perms[better]
        return best, rep, chosen

    def _alike(self, batch: np.ndarray, by_rank: np.ndarray, r: int,
               tied: np.ndarray) -> np.ndarray:
        """1 where the nodes of ranks r and r + 1 (of equal signature) can be swapped without
        changing the row: a transposition in the row's stabiliser."""
        alike = np.zeros(len(batch), dtype=np.int64)
        rows = np.flatnonzero(tied)
        if rows.size:
            alike[rows] = self.swap_test.fixes(batch[rows], by_rank[rows, r],
                                               by_rank[rows, r + 1])
        return alike


class SwapTest:
    """Whether a transposition (a b) of nodes fixes a row, read off the only columns it can
    change: those it moves and the Node and Frame columns (whose values it renames)."""

    def __init__(self, layout: Layout, pairs: list[tuple[int, int]]):
        self.nodes = n = layout.spec.topology.nodes
        named = np.array([j for j, c in enumerate(layout.columns)
                          if c.kind in ("node", "frame")], dtype=np.intp)
        self.tests = {}
        for a, b in pairs:
            source, renames = column_image(layout, transposition(n, a, b))
            at = np.union1d(np.flatnonzero(source != np.arange(len(source))), named)
            tables = [(np.searchsorted(at, columns), table) for columns, table in renames]
            self.tests[min(a, b) * n + max(a, b)] = (at, source[at], tables)

    def fixes(self, rows: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """For each row, whether swapping its nodes a[i] and b[i] leaves it unchanged."""
        out = np.zeros(len(rows), dtype=bool)
        key = np.minimum(a, b) * self.nodes + np.maximum(a, b)
        for pair in np.unique(key).tolist():
            mine = np.flatnonzero(key == pair)
            at, source, tables = self.tests[pair]
            part = rows[mine]
            image = part[:, source]
            for positions, table in tables:
                image[:, positions] = table[image[:, positions]]
            out[mine] = (image == part[:, at]).all(axis=1)
        return out


def _assignments(flags: list[np.ndarray]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Per block, the rank each rank's node goes to: every arrangement of the runs of equal
    signature (flag 1 or 2 ties rank r + 1 to rank r), one per arrangement of alike nodes
    (flag 2: swapping them fixes the row)."""
    per_block = [list(_block_assignments(f.tolist())) for f in flags]
    return itertools.product(*per_block)


def _block_assignments(flags: list[int]) -> Iterator[tuple[int, ...]]:
    runs: list[list[list[int]]] = [[[0]]]  # runs of ties, each a list of alike groups
    for r, flag in enumerate(flags, start=1):
        if flag == 0:
            runs.append([[r]])
        elif flag == 1:
            runs[-1].append([r])
        else:
            runs[-1][-1].append(r)
    options = [list(_run_assignments(run)) for run in runs]
    for choice in itertools.product(*options):
        target = [0] * (len(flags) + 1)
        for part in choice:
            for source, goal in part:
                target[source] = goal
        yield tuple(target)


def _run_assignments(groups: list[list[int]]) -> Iterator[list[tuple[int, int]]]:
    """Each way of giving the positions of a run to its alike groups, ascending within a
    group: (source rank, target rank) pairs."""
    positions = [r for g in groups for r in g]
    labels = [k for k, g in enumerate(groups) for _ in g]
    for arrangement in sorted(set(itertools.permutations(labels))):
        pending = [iter(g) for g in groups]
        yield [(next(pending[label]), goal) for label, goal in
               zip(arrangement, positions, strict=True)]


def _tables(width: int, structure: GroupStructure,
            swaps: dict[tuple[int, ...], np.ndarray], check: Check | None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Every element of H: its code (sum of p[i] * n^i, sorted) and its column sources, built
    by composing adjacent transpositions (source of t.p = source_p[source_t])."""
    n = structure.nodes
    generators = [(np.array(t), swaps[t]) for t in (
        transposition(n, b[i], b[i + 1]) for b in structure.moving_blocks
        for i in range(len(b) - 1))]
    perms = [tuple(range(n))]
    sources = [np.arange(width, dtype=np.int32)]
    seen = {perms[0]: 0}
    at = 0
    while at < len(perms):
        if check is not None and at % 1024 == 1023:
            check()
        p = perms[at]
        for t, source_t in generators:
            q = tuple(int(t[i]) for i in p)
            if q not in seen:
                seen[q] = len(perms)
                perms.append(q)
                sources.append(sources[at][source_t])
        at += 1
    codes = np.array(perms, dtype=np.uint64) @ np.uint64(n) ** np.arange(n, dtype=np.uint64)
    order = np.argsort(codes)
    return codes[order], np.stack(sources)[order]
