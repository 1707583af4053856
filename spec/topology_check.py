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
