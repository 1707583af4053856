"""The seeded bugs of P1 (docs/design.md; tests/corpus/specs/) against their expected verdicts.

`simulate` with a pinned seed finds each safety violation and names the expected invariant;
the correct P1 (spec/examples/pernode.numa) survives the same walks.  The expected verdicts in
tests/corpus/specs/expected.json are re-derived here by exhaustive exploration through the
model (breadth-first, no symmetry), including deadlocks and the liveness property under weak
fairness; the large configurations are marked slow.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from harness import EXPECTED, P1, ROOT, run_cli, run_cli_process

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.model.machine import Instance, Model, State
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.values import enumerate_type
from numaspec.spec.pipeline import compile_spec

CONFIGS: dict[str, list[str]] = {name: c["defines"]
                                 for name, c in EXPECTED["configurations"].items()}
BUG1 = "tests/corpus/specs/pernode_bug1_fault_ignores_unmap.numa"
BUG2 = "tests/corpus/specs/pernode_bug2_early_free.numa"
BUG3 = "tests/corpus/specs/pernode_bug3_skip_node.numa"

# (spec, configuration) -> (seed, steps) with which one simulate walk finds the violation.
PINNED = {
    (BUG1, "2n1p1f"): (0, 30), (BUG1, "3n1p1f"): (0, 30),
    (BUG1, "3n2p1f"): (0, 30), (BUG1, "2n2p2f"): (0, 30),
    (BUG2, "3n1p1f"): (0, 30), (BUG2, "3n2p1f"): (4, 30),
    (BUG3, "3n1p1f"): (5, 30), (BUG3, "3n2p1f"): (3, 30),
}
# Exhaustive exploration of this one takes about 40 s (173,272 states); the others ~3 s at most.
SLOW = {(BUG1, "3n2p1f")}


@cache
def compiled(path: str, config: str) -> ir.Spec:
    return compile_spec(str(ROOT / path), CONFIGS[config]).spec


def verdict(path: str, config: str) -> dict[str, Any]:
    return EXPECTED["specs"][path]["verdicts"][config]  # type: ignore[no-any-return]


def cases(select: Callable[[dict[str, Any]], bool]) -> list[tuple[str, str]]:
    return [(path, config) for path, entry in EXPECTED["specs"].items()
            for config, found in entry["verdicts"].items() if select(found)]


def define_args(config: str) -> list[str]:
    return [arg for define in CONFIGS[config] for arg in ("-D", define)]


# ------------------------------------------------------------------------ the corpus

def test_expected_json_covers_every_corpus_spec_and_configuration() -> None:
    specs = {str(p.relative_to(ROOT)) for p in (ROOT / "tests/corpus/specs").glob("*.numa")}
    assert set(EXPECTED["specs"]) == specs | {P1}
    for entry in EXPECTED["specs"].values():
        assert set(entry["verdicts"]) == set(CONFIGS)
    assert set(PINNED) == set(cases(lambda v: v["safety"] != "holds"))


@pytest.mark.parametrize("path", [BUG1, BUG2, BUG3])
def test_each_bug_is_one_small_change_of_p1(path: str) -> None:
    ours = (ROOT / path).read_text().splitlines()
    text = (ROOT / P1).read_text()
    # the bugs are copies of P1 without its lemmas (the strengthening for `numaspec prove`)
    start = text.rindex("\n// ---", 0, text.index("// Lemmas:")) + 1
    lemmas = text[start:text.index("// Every global unmap eventually")]
    p1 = text.replace(lemmas, "").splitlines()
    assert ours[0].startswith("spec pernode_bug") and "SEEDED BUG" in ours[1]
    added = [line for line in ours[1:] if line not in p1 and not line.startswith("//")]
    removed = [line for line in p1[1:] if line not in ours]
    assert 0 < len(added) + len(removed) <= 6, (added, removed)
    assert all("BUG" in line for line in added if "//" in line)


# ----------------------------------------------------------------------- simulation

@pytest.mark.parametrize(("path", "config"), sorted(PINNED))
def test_simulate_finds_the_seeded_bug(path: str, config: str) -> None:
    seed, steps = PINNED[path, config]
    expected = verdict(path, config)["safety"]
    result = simulate(compiled(path, config), SimulateOptions(steps=steps, runs=1, seed=seed))
    finding = result.finding
    assert finding is not None, f"seed {seed}, {steps} steps: no violation"
    assert (finding.kind, finding.property) == (expected["kind"], expected["property"])
    assert expected["property"] in finding.message
    model = Model(compiled(path, config))
    violated = model.violated_invariant(finding.trace.last)
    assert violated is not None and violated[0].name == expected["property"]
    assert all(model.violated_invariant(s) is None for s in finding.trace.states()[:-1])
    # the correct protocol survives the same walk
    correct = simulate(compiled(P1, config), SimulateOptions(steps=steps, runs=1, seed=seed))
    assert correct.finding is None and correct.steps == steps


@pytest.mark.parametrize(("path", "config"), sorted(PINNED))
def test_cli_simulate_exits_1_on_the_seeded_bug(path: str, config: str) -> None:
    seed, steps = PINNED[path, config]
    pinned = ["--seed", str(seed), "--steps", str(steps), *define_args(config)]
    buggy = run_cli(["simulate", str(ROOT / path), *pinned])
    assert buggy.status == 1
    out = buggy.out
    assert f"invariant {verdict(path, config)['safety']['property']} is false" in out
    correct = run_cli(["simulate", str(ROOT / P1), *pinned])
    assert correct.status == 0
    assert "no violation" in correct.out


def test_the_installed_cli_exits_1_on_bug_1() -> None:
    seed, steps = PINNED[BUG1, "3n1p1f"]
    run = run_cli_process(["simulate", str(ROOT / BUG1), "--seed", str(seed), "--steps",
                           str(steps), *define_args("3n1p1f")], installed=True, timeout=60)
    assert run.status == 1, run.out + run.err
    assert "unmap_complete" in run.out


@pytest.mark.parametrize(("path", "config"),
                         cases(lambda v: v["safety"] == "holds" and not v["deadlock"]))
def test_simulate_finds_nothing_where_everything_holds(path: str, config: str) -> None:
    for seed in range(3):
        result = simulate(compiled(path, config), SimulateOptions(steps=150, seed=seed))
        assert result.finding is None, (seed, result.finding)


@pytest.mark.parametrize(("path", "config"), cases(lambda v: v["deadlock"]))
def test_bug_3_on_two_nodes_deadlocks_without_breaking_safety(path: str, config: str) -> None:
    spec = compiled(path, config)
    result = simulate(spec, SimulateOptions(steps=100, seed=0))
    assert result.finding is not None and result.finding.kind == "deadlock"
    last = result.finding.trace.last
    model = Model(spec)
    assert not model.successors(last)
    unmapping = last[model.names.index("unmapping")]
    assert unmapping == set(range(spec.constants["PAGES"][0]))   # every page is stuck
    assert last[model.names.index("req")] == {n: () for n in range(2)}   # nothing in flight
    for seed in range(3):
        quiet = simulate(spec, SimulateOptions(steps=100, seed=seed, deadlock=False))
        assert quiet.finding is None


# ------------------------------------------------------- exhaustive exploration

@dataclass
class Graph:
    """The states reachable through invariant-satisfying states; `edges[i]` is None for a
    state that violates an invariant (not expanded)."""

    states: list[State]
    edges: list[list[tuple[Instance, int]] | None]
    violated: set[str]


def explore(model: Model) -> Graph:
    index: dict[State, int] = {}
    graph = Graph([], [], set())
    queue: deque[State] = deque()

    def add(state: State) -> int:
        if state not in index:
            index[state] = len(graph.states)
            graph.states.append(state)
            graph.edges.append(None)
            queue.append(state)
        return index[state]

    for state in model.initial_states():
        add(state)
    while queue:
        state = queue.popleft()
        violated = model.violated_invariant(state)
        if violated is not None:
            graph.violated.add(violated[0].name)
            continue
        successors = model.successors(state)
        graph.edges[index[state]] = [(inst, add(nxt)) for inst, nxt in successors]
    return graph


def sccs(nodes: Iterable[int], succ: Callable[[int], list[int]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: list[list[int]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ(root)))]
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ(w))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    found.append(component)
    return found


def violated_leads_to(model: Model, graph: Graph, prop: ir.LeadsTo) -> bool:
    """Is there a fair behaviour with P and never Q afterwards?  Weak fairness of every
    instance of the `fair` actions; a deadlock is stuttering forever."""
    fair = {i for i in model.instances if model.action_name(i) in model.spec.fair}
    premise, conclusion = model.exprs.compile(prop.premise), model.exprs.compile(prop.conclusion)
    domains = [list(enumerate_type(b.local.type)) for b in prop.bindings]
    for values in itertools.product(*domains):
        env: list[Any] = [None] * max(prop.locals_count, 1)
        for binding, value in zip(prop.bindings, values, strict=True):
            env[binding.local.slot] = value
        waiting = [graph.edges[i] is not None and not conclusion(s, env)
                   for i, s in enumerate(graph.states)]

        def succ(i: int, waiting: list[bool] = waiting) -> list[int]:
            return [j for _, j in graph.edges[i] or () if waiting[j]]

        seen = {i for i, s in enumerate(graph.states) if waiting[i] and premise(s, env)}
        todo = list(seen)
        while todo:
            for j in succ(todo.pop()):
                if j not in seen:
                    seen.add(j)
                    todo.append(j)
        if any(not graph.edges[i] for i in seen):
            return True
        def inner(i: int, seen: set[int] = seen) -> list[int]:
            return [j for j in succ(i) if j in seen]

        for component in sccs(sorted(seen), inner):
            inside = set(component)
            taken = {inst for i in component for inst, j in graph.edges[i] or () if j in inside}
            if not taken:
                continue
            starved = [a for a in fair - taken
                       if all(any(inst == a for inst, _ in graph.edges[i] or ())
                              for i in component)]
            if not starved:
                return True
    return False


def exhaustive_cases() -> list[Any]:
    return [pytest.param(path, config, marks=[pytest.mark.slow] if (path, config) in SLOW
                         else [])
            for path, config in cases(lambda v: True)]


@pytest.mark.parametrize(("path", "config"), exhaustive_cases())
def test_expected_verdicts_by_exhaustive_exploration(path: str, config: str) -> None:
    model = Model(compiled(path, config))
    graph = explore(model)
    expected = verdict(path, config)
    if expected["safety"] == "holds":
        assert graph.violated == set()
        assert len(graph.states) == expected["states"]
    else:
        assert graph.violated == {expected["safety"]["property"]}
    deadlocks = [s for s, e in zip(graph.states, graph.edges, strict=True) if e == []]
    assert bool(deadlocks) == expected["deadlock"]
    live = [p.name for p in model.spec.liveness if violated_leads_to(model, graph, p)]
    assert live == ([] if expected["liveness"] == "holds" else [expected["liveness"]])
    for prop in model.spec.reachables:
        assert any(e is not None and model.holds(prop, s)
                   for s, e in zip(graph.states, graph.edges, strict=True)), prop.name
