"""Validation of a NUMA distance matrix (ACPI SLIT conventions: 10 means local)."""

from __future__ import annotations


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


def automorphisms(matrix: tuple[tuple[int, ...], ...]) -> list[tuple[int, ...]]:
    """Every node permutation p with distance[p(i)][p(j)] == distance[i][j], identity first.

    Backtracking with pruning: a partial permutation is extended only while it preserves the
    distances among the nodes placed so far, so symmetric-free matrices are rejected early.
    """
    count = len(matrix)
    found: list[tuple[int, ...]] = []

    def extend(partial: list[int], used: set[int]) -> None:
        i = len(partial)
        if i == count:
            found.append(tuple(partial))
            return
        for image in range(count):
            if image in used or matrix[image][image] != matrix[i][i]:
                continue
            if all(matrix[partial[j]][image] == matrix[j][i] and
                   matrix[image][partial[j]] == matrix[i][j] for j in range(i)):
                partial.append(image)
                used.add(image)
                extend(partial, used)
                partial.pop()
                used.discard(image)

    extend([], set())
    return found


def automorphism_count(matrix: tuple[tuple[int, ...], ...]) -> int:
    """The size of the automorphism group of `matrix`, without listing the group.

    Orbit-stabiliser along the chain "fix nodes 0..i-1": the group order is the product over
    i of the number of images node i can take while 0..i-1 stay fixed.  Each image is tested
    by searching for one completion, so a uniform matrix of n nodes costs O(n^3) checks
    instead of the n! permutations `automorphisms` would list.
    """
    count = len(matrix)
    order = 1
    for i in range(count):
        fixed = list(range(i))
        used = set(fixed)
        order *= sum(1 for image in range(count) if image not in used
                     and _extends(matrix, fixed + [image], used | {image}))
    return order


def _fits(matrix: tuple[tuple[int, ...], ...], partial: list[int], i: int, image: int) -> bool:
    """Whether mapping node i to `image` preserves the distances to the nodes already placed."""
    return matrix[image][image] == matrix[i][i] and all(
        matrix[partial[j]][image] == matrix[j][i] and matrix[image][partial[j]] == matrix[i][j]
        for j in range(i))


def _extends(matrix: tuple[tuple[int, ...], ...], partial: list[int], used: set[int]) -> bool:
    """Whether the partial permutation `partial` (nodes 0..len-1) extends to an automorphism."""
    i = len(partial)
    if i > 0 and not _fits(matrix, partial[:-1], i - 1, partial[-1]):
        return False
    if i == len(matrix):
        return True
    return any(_extends(matrix, partial + [image], used | {image})
               for image in range(len(matrix)) if image not in used)
