"""The quotient counts the normal form must keep (docs/explicit.md, "Symmetry"): P1's orbits
with 2 pages and 1 frame per node at 3, 4 and 5 nodes, at (3,2,2) and (3,3,1).  3 and 4
nodes are also pinned in test_corpus.py and test_agreement.py."""

from __future__ import annotations

import pytest
from vector_helpers import P1, compiled, run

FAST = [(("NODES=3", "PAGES=2", "FRAMES_PER_NODE=2"), 7_908)]
SLOW = [(("NODES=5", "PAGES=2"), 94_924), (("NODES=3", "PAGES=3"), 116_140)]


def _orbits(defines: tuple[str, ...]) -> int:
    result = run(compiled(P1, defines), True)
    assert result.verdict == "holds" and result.stats.evaluation == "vectorised"
    return result.stats.distinct_states


@pytest.mark.parametrize(("defines", "orbits"), FAST)
def test_pinned_orbit_counts(defines: tuple[str, ...], orbits: int) -> None:
    assert _orbits(defines) == orbits


@pytest.mark.slow
@pytest.mark.parametrize(("defines", "orbits"), SLOW)
def test_pinned_orbit_counts_of_larger_instances(defines: tuple[str, ...], orbits: int) -> None:
    assert _orbits(defines) == orbits
