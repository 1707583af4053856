"""Validation of a NUMA distance matrix (ACPI SLIT conventions: 10 means local)."""

from __future__ import annotations

from collections.abc import Iterator


def distance_problem(matrix: tuple[tuple[int, ...], ...], nodes: int) -> str | None:
    """What is wrong with `matrix` as the distances of `nodes` nodes, or None if nothing."""
    found = locate_distance_problem(matrix, nodes)
    return None if found is None else found[1]


def locate_distance_problem(matrix: tuple[tuple[int, ...], ...],
                            nodes: int) -> tuple[int | None, str] | None:
    """Like `distance_problem`, with the row at fault (None when the row count is wrong).

    Readers of topology files use the row to point at the line the user must fix.
    """
    if len(matrix) != nodes:
        return None, (f"the distance matrix has {len(matrix)} rows but the topology has "
                      f"{nodes} nodes")
    for i, row in enumerate(matrix):
        if len(row) != nodes:
            return i, f"row {i} of the distance matrix has {len(row)} entries, not {nodes}"
        for j, value in enumerate(row):
            if value <= 0:
                return i, f"distance[{i}][{j}] is {value}; distances must be positive"
        if any(row[j] < row[i] for j in range(nodes) if j != i):
            return i, f"row {i}: a remote distance is smaller than the local distance {row[i]}"
    return None


MAX_NODES = 256  # nodes of any topology (spec, preset or file): far above what a checker explores
MAX_FRAMES_PER_NODE = 4096
SEARCH_BUDGET = 400_000  # distance comparisons one automorphism search may make

Matrix = tuple[tuple[int, ...], ...]


class SearchBudgetExceeded(Exception):
    """An automorphism search gave up after `SEARCH_BUDGET` comparisons (an adversarial
    matrix); callers report it or treat the answer as unknown, never hang."""


def automorphisms(matrix: Matrix, limit: int | None = None,
                  budget: int = SEARCH_BUDGET) -> list[tuple[int, ...]]:
    """Every node permutation p with distance[p(i)][p(j)] == distance[i][j], identity first.

    With `limit`, at most `limit + 1` are listed: a caller that can use `limit` permutations
    learns that there are more without listing all n! of a uniform machine.  Backtracking with
    pruning: a partial permutation is extended only while it preserves the distances among the
    nodes placed so far.  Raises `SearchBudgetExceeded` rather than searching for long (after
    `budget` comparisons: a caller that knows the group is small may allow more).
    """
    found: list[tuple[int, ...]] = []
    search = _Search(matrix)
    search.budget = budget
    for perm in search.extensions({}):
        found.append(perm)
        if limit is not None and len(found) > limit:
            break
    return found


def has_symmetry(matrix: Matrix) -> bool | None:
    """Whether some automorphism other than the identity exists; None if the search gave up.

    Only node pairs with the same row and column multisets can be swapped by an automorphism,
    so each candidate pair costs one completion search (O(n^2) on a uniform machine)."""
    search = _Search(matrix)
    try:
        for i in range(len(matrix)):
            for j in range(i + 1, len(matrix)):
                if search.maps(i, j, {}):
                    return True
    except SearchBudgetExceeded:
        return None
    return False


def orbits(matrix: Matrix) -> list[list[int]]:
    """The orbits of the automorphism group on the nodes, each ascending, by smallest node.

    Node j is in the orbit of i when an automorphism maps i to j; every automorphism found
    merges the orbits of all its points, so most pairs need no search.  Raises
    `SearchBudgetExceeded` rather than searching for long."""
    search = _Search(matrix)
    orbit = list(range(len(matrix)))

    def root(i: int) -> int:
        while orbit[i] != i:
            i = orbit[i]
        return i

    for i in range(len(matrix)):
        for j in range(i + 1, len(matrix)):
            if root(i) == root(j) or search.signature[i] != search.signature[j]:
                continue
            perm = None if search.swaps(i, j) else next(search.extensions({i: j}), None)
            for node, image in [(i, j)] if perm is None and search.swaps(i, j) else \
                    enumerate(perm or ()):
                a, b = sorted((root(node), root(image)))
                orbit[b] = a
    groups: dict[int, list[int]] = {}
    for i in range(len(matrix)):
        groups.setdefault(root(i), []).append(i)
    return [groups[r] for r in sorted(groups)]


class _Search:
    """Backtracking over node images in node order, with a comparison budget."""

    def __init__(self, matrix: Matrix):
        self.matrix = matrix
        self.signature = _refined_colours(matrix)
        self.columns = list(zip(*matrix, strict=True))
        self.budget = SEARCH_BUDGET

    def maps(self, i: int, j: int, fixed: dict[int, int]) -> bool:
        """Whether an automorphism that fixes the keys of `fixed` (all below i and j) maps
        node i to node j: first the transposition (i j), in O(n), then a full search."""
        if i == j:
            return True
        if self.signature[i] != self.signature[j]:
            return False
        return self.swaps(i, j) or next(self.extensions({**fixed, i: j}), None) is not None

    def swaps(self, i: int, j: int) -> bool:
        """Whether the transposition (i j) is an automorphism: rows i and j (and columns i
        and j) agree outside positions i and j, where they are each other's mirror."""
        matrix = self.matrix
        a, b = (i, j) if i < j else (j, i)
        row_a, row_b = matrix[a], matrix[b]
        col_a, col_b = self.columns[a], self.columns[b]
        return (row_a[a] == row_b[b] and row_a[b] == row_b[a]
                and _outside(row_a, a, b) == _outside(row_b, a, b)
                and _outside(col_a, a, b) == _outside(col_b, a, b))

    def extensions(self, forced: dict[int, int]) -> Iterator[tuple[int, ...]]:
        """The automorphisms mapping each key of `forced` to its value, in lexicographic order."""
        if len(set(forced.values())) != len(forced):
            return iter(())
        return self._extend([], set(), forced)

    def _extend(self, partial: list[int], used: set[int],
                forced: dict[int, int]) -> Iterator[tuple[int, ...]]:
        i = len(partial)
        if i == len(self.matrix):
            yield tuple(partial)
            return
        candidates = [forced[i]] if i in forced else range(len(self.matrix))
        taken = set(forced.values())
        for image in candidates:
            if image in used or (i not in forced and image in taken) or \
                    self.signature[image] != self.signature[i]:
                continue
            if self._fits(partial, i, image):
                partial.append(image)
                used.add(image)
                yield from self._extend(partial, used, forced)
                partial.pop()
                used.discard(image)

    def _fits(self, partial: list[int], i: int, image: int) -> bool:
        """Whether mapping node i to `image` preserves the distances to the nodes placed."""
        self.budget -= i + 1
        if self.budget < 0:
            raise SearchBudgetExceeded
        matrix, row, column = self.matrix, self.matrix[i], self.matrix[image]
        return all(column[partial[j]] == row[j] and matrix[partial[j]][image] == matrix[j][i]
                   for j in range(i))

def automorphism_count(matrix: Matrix, limit: int | None = None) -> int:
    """The size of the automorphism group of `matrix`, without listing the group.

    Orbit-stabiliser along the chain "fix nodes 0..i-1": the group order is the product over
    i of the number of images node i can take while 0..i-1 stay fixed.  Each image is tested
    by searching for one completion, so a uniform matrix of n nodes costs O(n^4) comparisons
    instead of the n! permutations `automorphisms` would list.  Raises
    `SearchBudgetExceeded` rather than searching for long.  With `limit`, the count stops
    as soon as it exceeds `limit` (the result is then some number above `limit`).
    """
    search = _Search(matrix)
    order = 1
    for i in range(len(matrix)):
        fixed = {k: k for k in range(i)}
        order *= sum(1 for image in range(i, len(matrix)) if search.maps(i, image, fixed))
        if limit is not None and order > limit:
            break
    return order


def _outside(values: tuple[int, ...], a: int, b: int) -> tuple[int, ...]:
    """`values` without positions a < b."""
    return values[:a] + values[a + 1:b] + values[b + 1:]


def _refined_colours(matrix: Matrix) -> list[int]:
    """Colour refinement: nodes an automorphism can exchange get the same colour.

    A node's colour starts as its local distance and is refined by the multiset of (distance
    to, distance from, colour of) every other node until no class splits; automorphisms
    preserve each round's colours, so different colours rule a pair out without a search.
    """
    colours = [row[i] for i, row in enumerate(matrix)]
    for _ in range(len(matrix)):
        keys = [(colours[i], tuple(sorted((row[k], matrix[k][i], colours[k])
                                          for k in range(len(matrix)) if k != i)))
                for i, row in enumerate(matrix)]
        numbering = {key: number for number, key in enumerate(sorted(set(keys)))}
        refined = [numbering[key] for key in keys]
        if len(numbering) == len(set(colours)):
            return refined
        colours = refined
    return colours
