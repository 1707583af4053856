"""The mutation corpus: wrong protocols generated from the IR (checker/mutation/operators.py),
each checked by every engine, whose verdicts must agree with breadth-first search's within
each engine's bounds (checker/mutation/agreement.py has the rules).

The fast suite runs a fixed sample (seed 14) of mutants of P1 at 2 nodes, of a small spec
with several initial states and several distinct failures (tests/corpus/mutation/), and of
the single-address-space design; the slow test runs larger samples of every design.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from harness import P1, ROOT

from numaspec.checker.mutation.agreement import Bounds, Disagreement, agree
from numaspec.checker.mutation.operators import OPERATORS, apply, sample, sites
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.topology.resolve import resolve_topology

TWO_STARTS = "tests/corpus/mutation/two_starts.numa"
SMALL_P1 = ("NODES=2", "PAGES=1", "FRAMES_PER_NODE=1")
SEED = 14

# Engine bugs the corpus finds that are being fixed elsewhere: (engine, pattern of the
# problem, why).  A disagreement matching one is tolerated (and listed in the test's output);
# empty this list once the fixes land.  Every entry names a bug, never a rule of the corpus.
KNOWN_BUGS: list[tuple[str, str, str]] = []


def _compile(path: str, defines: tuple[str, ...] = (), topology: str | None = None) -> ir.Spec:
    resolved = resolve_topology(topology) if topology else None
    return compile_spec(str(ROOT / path), list(defines), resolved).spec


def _unexpected(problems: list[Disagreement]) -> list[Disagreement]:
    return [p for p in problems
            if not any(re.fullmatch(engines, p.engine) and re.search(pattern, p.problem)
                       for engines, pattern, _ in KNOWN_BUGS)]


def _corpus(spec: ir.Spec, count: int) -> Counter[str]:
    """Run `count` sampled mutants; fail on a disagreement that is not a known bug.  Returns
    how many mutants BFS found violated / holding."""
    verdicts: Counter[str] = Counter()
    failures = []
    for site in sample(spec, count, SEED):
        result = agree(apply(spec, site))
        verdicts[result.reference] += 1
        failures += [(site, p) for p in _unexpected(result.disagreements)]
    assert not failures, "\n".join(f"{s.number} {s.operator} at {s.where} ({s.what}): "
                                   f"{p.engine} {p.problem}" for s, p in failures)
    return verdicts


def test_every_operator_has_sites_in_p1():
    found = Counter(site.operator for site in sites(_compile(P1, SMALL_P1)))
    assert set(found) == set(OPERATORS)
    # the kernel's authority, shootdown and status code (spec/lib/l4.numa) is inlined into
    # P1's unmaps, and P1's one-node completion in start_unmap (`if NODES == 1 { ... }`) and
    # its witness (`NODES == 1 or ...`) add more (before both: 22, 29, 18, 4, 2)
    assert found == {"swap": 43, "off-by-one": 112, "negate-guard": 43, "channel-index": 4,
                     "drop-send": 2}


def test_mutants_are_distinct_well_formed_and_reproducible():
    spec = _compile(TWO_STARTS)
    chosen = sample(spec, 6, SEED)
    assert chosen == sample(spec, 6, SEED)
    assert len({s.operator for s in chosen}) == len(OPERATORS)  # round-robin over operators
    mutants = [apply(spec, site) for site in chosen]
    assert all(m.actions != spec.actions or m.init != spec.init for m in mutants)
    assert len({(m.actions, m.init) for m in mutants}) == len(mutants)


def test_a_channel_index_mutant_drops_the_symmetry_claim():
    spec = _compile(P1, SMALL_P1)
    site = next(s for s in sites(spec) if s.operator == "channel-index")
    assert spec.symmetric and not apply(spec, site).symmetric


def test_p1_mutants_agree_with_bfs():
    verdicts = _corpus(_compile(P1, SMALL_P1), 6)
    assert verdicts["holds"] and sum(verdicts.values()) - verdicts["holds"]


def test_mutants_with_several_initial_states_and_failures_agree_with_bfs():
    spec = _compile(TWO_STARTS)
    assert len(agree(spec, Bounds(engines=())).said) == 0  # the original: every property holds
    verdicts = _corpus(spec, 6)
    assert len(verdicts) >= 3  # holds, and at least two distinct kinds of failure


def test_single_as_mutants_agree_with_bfs():
    _corpus(_compile("spec/examples/single_as.numa", ("PAGES=1",)), 2)


SECOND_START = """
spec second_start
var armed : bool
action fire() { require armed; assert false else "fired" }
action idle() { require not armed }
init { choose b: bool { armed := b } }
"""


def test_fuzz_starts_from_every_initial_state(compile_text):
    """The violation is reachable only from the second initial state: BFS finds it at once,
    fuzz must find it too."""
    spec = compile_text(SECOND_START).spec
    verdicts = agree(spec, Bounds(engines=("fuzz",)))
    assert verdicts.reference == "assert" and verdicts.said["fuzz"] == "assert"


def test_a_key_outside_the_key_type_is_a_range_violation_for_every_engine():
    spec = _compile("tests/corpus/mutation/key_out_of_range.numa")
    verdicts = agree(spec)
    assert verdicts.reference == "range" and not verdicts.disagreements


@pytest.mark.slow
@pytest.mark.parametrize(("path", "defines", "topology", "count"), [
    (P1, SMALL_P1, None, 40),
    (TWO_STARTS, (), None, 32),
    ("spec/examples/single_as.numa", ("PAGES=1",), None, 20),
    ("spec/examples/node_local.numa", (), "uniform2", 15),
    ("spec/examples/migration.numa", (), "uniform2", 15),
    ("spec/examples/pernode_rootpager.numa", ("PAGES=1",), "uniform2", 15),
])
def test_more_mutants_agree_with_bfs(path, defines, topology, count):
    _corpus(_compile(path, defines, topology), count)
