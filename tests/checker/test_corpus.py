"""The shared corpus: every engine must reach the verdicts of tests/corpus/specs/expected.json.

For the explicit checker: verdicts with and without symmetry agree; distinct-state counts are
pinned (without symmetry they are expected.json's `states`, established independently by
exhaustive exploration); BFS counterexamples have the pinned shortest lengths (the yardstick
for the SMT engine's bounded model checking).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from harness import EXPECTED, ROOT

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.spec.pipeline import compile_spec

CASES = [(spec, config) for spec, entry in EXPECTED["specs"].items()
         for config in entry["verdicts"]]
SLOW = {("spec/examples/pernode.numa", "3n2p1f")}  # 10 s: the full graph for liveness

# Distinct states (or orbits) with `symmetric Node`, and BFS shortest counterexample lengths.
SYMMETRY_STATES = {("spec/examples/pernode.numa", "2n1p1f"): 11,
                   ("spec/examples/pernode.numa", "3n1p1f"): 27,
                   ("spec/examples/pernode.numa", "3n2p1f"): 2102,
                   ("spec/examples/pernode.numa", "2n2p2f"): 459}
SHORTEST = {"pernode_bug1_fault_ignores_unmap": {"2n1p1f": 5, "3n1p1f": 7, "3n2p1f": 7,
                                                 "2n2p2f": 5},
            "pernode_bug2_early_free": {"3n1p1f": 4, "3n2p1f": 4},
            "pernode_bug3_skip_node": {"3n1p1f": 4, "3n2p1f": 4}}


def run(spec: str, config: str, symmetry: bool) -> CheckResult:
    defines = EXPECTED["configurations"][config]["defines"]
    compiled = compile_spec(str(ROOT / spec), defines)
    return check(compiled.spec, CheckOptions(symmetry=symmetry))


def expected_finding(verdict: dict[str, Any]) -> tuple[str, str | None] | None:
    if verdict["safety"] != "holds":
        return "invariant", verdict["safety"]["property"]
    if verdict["liveness"] != "holds":
        return "liveness", verdict["liveness"]
    if verdict["deadlock"]:
        return "deadlock", None
    return None


@pytest.mark.parametrize(("spec", "config"), [
    pytest.param(s, c, marks=pytest.mark.slow) if (s, c) in SLOW else (s, c) for s, c in CASES])
def test_explicit_checker_agrees_with_the_corpus(spec: str, config: str) -> None:
    verdict = EXPECTED["specs"][spec]["verdicts"][config]
    want = expected_finding(verdict)
    defines = EXPECTED["configurations"][config]["defines"]
    declared = "Node" in compile_spec(str(ROOT / spec), defines).spec.symmetric
    for symmetry in ([False, True] if declared else [False]):
        result = run(spec, config, symmetry)
        found = result.finding
        got = (found.kind, found.property) if found else None
        assert got == want, f"symmetry={symmetry}"
        if want is None and not symmetry:
            assert result.stats.distinct_states == verdict["states"]
        if want is None and symmetry and SYMMETRY_STATES.get((spec, config)):
            assert result.stats.distinct_states == SYMMETRY_STATES[spec, config]
        name = Path(spec).stem
        if want and want[0] == "invariant" and config in SHORTEST.get(name, {}):
            assert len(found.trace.steps) == SHORTEST[name][config]  # type: ignore[union-attr]


@pytest.mark.slow
def test_symmetry_reduces_p1_4_2_1_more_than_tenfold() -> None:
    """412,072 states without symmetry (90 s), 18,058 orbits with it (24 permutations)."""
    spec = compile_spec(str(ROOT / "spec" / "examples" / "pernode.numa"), ["NODES=4"]).spec
    full = check(spec, CheckOptions(symmetry=False, liveness=False))
    reduced = check(spec, CheckOptions(liveness=False))
    assert full.verdict == reduced.verdict == "holds"
    assert (full.stats.distinct_states, reduced.stats.distinct_states) == (412_072, 18_058)
    assert full.stats.distinct_states >= 10 * reduced.stats.distinct_states
