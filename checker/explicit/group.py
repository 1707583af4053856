"""The structure of a topology's automorphism group, for canonical forms that do not list it.

Nodes i and j are *interchangeable* when the transposition (i j) is an automorphism of the
distance matrix.  The transpositions of a group generate a product of symmetric groups on the
connected components of the "interchangeable" relation (the *blocks*), so

    H = Sym(B_1) x ... x Sym(B_k)

is a subgroup of the automorphism group G (normal: conjugating a transposition gives one).
Every element of G permutes the blocks, and the cosets of H in G correspond one to one to the
block permutations G induces.  An element g induces a block permutation b exactly when the
*order-preserving* map of each block B onto b(B) is an automorphism: compose g with the element
of H that reorders each image block.  And that map is an automorphism iff b preserves the block
sizes, the distance inside blocks and the (constant) distance between blocks: an automorphism of
the quotient matrix.  So G = H r_1 u ... u H r_m with r_i the order-preserving maps of the
quotient's automorphisms, found without listing G (|G| = 8! = 40,320 for 8 uniform nodes).

The uniform machine: one block, one coset.  Two sockets of four: two blocks, two cosets.  A
matrix without transpositions (every block a single node): the cosets are G itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial, prod

from numaspec.spec.topology.distances import (
    SearchBudgetExceeded,
    automorphism_count,
    automorphisms,
)

Matrix = tuple[tuple[int, ...], ...]
MAX_COSETS = 5040  # coset representatives canonicalised one by one (each costs one image)
TABLE_LIMIT = 1 << 25  # entries of the column tables of H (|H| x row width): 8 nodes of P1, 15 M
LISTING_BUDGET = 50_000_000  # comparisons to list at most MAX_COSETS known automorphisms


@dataclass(frozen=True)
class GroupStructure:
    """G = H r_1 u ... u H r_m: `blocks` of interchangeable nodes (H permutes each freely) and
    one representative per coset, `cosets` (node permutations, the identity first)."""

    nodes: int
    blocks: tuple[tuple[int, ...], ...]
    cosets: tuple[tuple[int, ...], ...]

    @property
    def block_order(self) -> int:
        """|H|, the product of the blocks' factorials."""
        return prod(factorial(len(b)) for b in self.blocks)

    @property
    def size(self) -> int:
        """|G|."""
        return self.block_order * len(self.cosets)

    @property
    def moving_blocks(self) -> tuple[tuple[int, ...], ...]:
        """The blocks of two or more nodes: the only ones H moves."""
        return tuple(b for b in self.blocks if len(b) > 1)


def swaps(matrix: Matrix, i: int, j: int) -> bool:
    """Whether the transposition (i j) preserves every distance."""
    n = len(matrix)
    perm = list(range(n))
    perm[i], perm[j] = j, i
    return all(matrix[perm[a]][perm[b]] == matrix[a][b] for a in range(n) for b in range(n))


def group_structure(matrix: Matrix) -> GroupStructure:
    """The blocks and coset representatives of the automorphism group of `matrix`.

    Raises `SearchBudgetExceeded` when the quotient's automorphisms cannot be listed quickly
    or number more than `MAX_COSETS`."""
    n = len(matrix)
    root = list(range(n))

    def find(i: int) -> int:
        while root[i] != i:
            i = root[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if find(i) != find(j) and swaps(matrix, i, j):
                root[find(j)] = find(i)
    grouped: dict[int, list[int]] = {}
    for i in range(n):
        grouped.setdefault(find(i), []).append(i)
    blocks = tuple(tuple(grouped[r]) for r in sorted(grouped))
    return GroupStructure(n, blocks, _cosets(matrix, blocks))


def _cosets(matrix: Matrix, blocks: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
    """The order-preserving node maps of the quotient matrix's automorphisms."""
    if len(blocks) == 1:
        return (tuple(range(len(matrix))),)
    quotient = _quotient(matrix, blocks)
    if automorphism_count(quotient, MAX_COSETS) > MAX_COSETS:
        raise SearchBudgetExceeded
    # counted first (cheap), so listing them may take more comparisons than an open search
    found = automorphisms(quotient, MAX_COSETS, LISTING_BUDGET)
    cosets = []
    for perm in found:
        node_map = [0] * len(matrix)
        for source, target in enumerate(perm):
            for a, b in zip(blocks[source], blocks[target], strict=True):
                node_map[a] = b
        cosets.append(tuple(node_map))
    return tuple(cosets)


def _quotient(matrix: Matrix, blocks: tuple[tuple[int, ...], ...]) -> Matrix:
    """Block distances, with a diagonal that tells apart blocks of different sizes, local or
    inner distances (numbered colours above every distance, so no remote entry equals one)."""
    colours: dict[tuple[int, int, int], int] = {}
    top = max(max(row) for row in matrix) + 1
    diagonal = []
    for block in blocks:
        first = block[0]
        inner = matrix[first][block[1]] if len(block) > 1 else 0
        key = (len(block), matrix[first][first], inner)
        diagonal.append(colours.setdefault(key, top + len(colours)))
    return tuple(tuple(diagonal[a] if a == b else matrix[blocks[a][0]][blocks[b][0]]
                       for b in range(len(blocks))) for a in range(len(blocks)))
