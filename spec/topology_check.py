"""Validation of a NUMA distance matrix (ACPI SLIT conventions: 10 means local)."""

from __future__ import annotations


def distance_problem(matrix: tuple[tuple[int, ...], ...], nodes: int) -> str | None:
    """What is wrong with `matrix` as the distances of `nodes` nodes, or None if nothing."""
    if len(matrix) != nodes:
        return f"the distance matrix has {len(matrix)} rows but the topology has {nodes} nodes"
    for i, row in enumerate(matrix):
        if len(row) != nodes:
            return f"row {i} of the distance matrix has {len(row)} entries, not {nodes}"
        for j, value in enumerate(row):
            if value <= 0:
                return f"distance[{i}][{j}] is {value}; distances must be positive"
        if any(row[j] < row[i] for j in range(nodes) if j != i):
            return f"row {i}: a remote distance is smaller than the local distance {row[i]}"
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
