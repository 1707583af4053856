"""`leads_to` on the symmetry quotient (checker/explicit/quotient/) against the full graph:
the same verdict and violated property on the corpus specs with liveness, P1's small
configurations and P1's symmetric mutants; the quotient's lassos are real, fair behaviours
(replayed by the model); the vectorised and the interpreted quotient agree to the trace; a
binding over nodes falls back to the full graph, and says so."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from harness import EXPECTED, P1, ROOT, run_cli

from numaspec.checker.explicit import check
from numaspec.checker.explicit.liveness import fair_instances
from numaspec.checker.explicit.quotient.group import GroupTables
from numaspec.checker.explicit.quotient.lasso import confirm_fair_lasso
from numaspec.checker.explicit.symmetry import checked_group
from numaspec.checker.mutation.operators import apply, sites
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.model.findings import replay
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.symmetry.check import asymmetry
from numaspec.spec.pipeline import compile_spec

QUOTIENT = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "corpus" / "quotient")
                  .glob("*.numa"))
SMALL = ["2n1p1f", "3n1p1f", "2n2p2f"]  # P1's configurations whose full graph is quick


@pytest.fixture(autouse=True)
def _root(at_root: None) -> None:
    pass


def compiled(path: str, defines: list[str] | tuple[str, ...] = ()) -> ir.Spec:
    return compile_spec(str(ROOT / path), list(defines)).spec


def verdicts(spec: ir.Spec, vectorise: bool = True) -> tuple[CheckResult, CheckResult]:
    """(on the quotient, on the full graph)."""
    quotient = check(spec, CheckOptions(vectorise=vectorise))
    full = check(spec, CheckOptions(symmetry=False, vectorise=vectorise))
    return quotient, full


def assert_agree(quotient: CheckResult, full: CheckResult) -> None:
    assert quotient.verdict == full.verdict
    mine, theirs = quotient.finding, full.finding
    assert (mine is None) == (theirs is None)
    if mine is not None and theirs is not None:
        assert (mine.kind, mine.property, mine.message) == \
            (theirs.kind, theirs.property, theirs.message)
    if quotient.stats.liveness_states and quotient.stats.symmetry_group > 1:
        assert quotient.stats.liveness_graph == "quotient"
        assert quotient.stats.liveness_states == quotient.stats.distinct_states
        assert full.stats.liveness_graph == "full"


def assert_real_lasso(spec: ir.Spec, result: CheckResult) -> None:
    """The lasso replays and is weakly fair to every fair instance (checked here again)."""
    finding = result.finding
    assert finding is not None and finding.kind == "liveness"
    model = Model(spec)
    replay(model, finding)
    prop = next(p for p in spec.liveness if p.name == finding.property)
    conclusion = model.exprs.compile(prop.conclusion)
    env = [None] * max(prop.locals_count, 1)
    fair = [model.instances[i] for i in sorted(fair_instances(model))]
    if not prop.bindings:  # the premise state is where the loop or its stem begins
        confirm_fair_lasso(model, finding.trace, len(finding.trace.steps), fair,
                           lambda s: conclusion(s, env))


@pytest.mark.parametrize("path", QUOTIENT)
def test_quotient_agrees_with_the_full_graph_on_the_quotient_corpus(path: str) -> None:
    for defines in ([], ["KEEP=true"]) if "paired" in path else ([],):
        spec = compiled(path, defines)
        quotient, full = verdicts(spec)
        assert_agree(quotient, full)
        if quotient.finding is not None:
            assert_real_lasso(spec, quotient)
            assert_real_lasso(spec, full)  # liveness.py's lassos are weakly fair too


@pytest.mark.parametrize(("spec", "config"), [
    (s, c) for s, entry in EXPECTED["specs"].items() for c, v in entry["verdicts"].items()
    if c in SMALL and v["safety"] == "holds"])  # a safety violation decides no liveness
def test_quotient_agrees_with_the_full_graph_on_the_corpus(spec: str, config: str) -> None:
    ir_spec = compiled(spec, EXPECTED["configurations"][config]["defines"])
    quotient, full = verdicts(ir_spec)
    assert_agree(quotient, full)
    want = EXPECTED["specs"][spec]["verdicts"][config]["liveness"]
    if want != "holds" and quotient.finding is not None and \
            quotient.finding.kind == "liveness":
        assert quotient.finding.property == want


def test_a_lasso_is_lifted_through_every_holder() -> None:
    """rotate: one orbit with a self-loop in the quotient; the real loop passes the token
    through all three nodes (weak fairness of every pass(n)), closing after three rounds."""
    spec = compiled("tests/corpus/quotient/rotate.numa")
    result = check(spec, CheckOptions())
    assert result.stats.liveness_states == 3  # orbits: no token, a token; and done
    assert_real_lasso(spec, result)
    trace = result.finding.trace  # type: ignore[union-attr]
    loop = trace.steps[trace.loop:]
    assert sorted(s.instance.args[0] for s in loop) == [0, 1, 2]
    assert trace.states()[trace.loop] == trace.states()[-1]


@pytest.mark.parametrize("path", QUOTIENT)
def test_vectorised_and_interpreted_quotients_agree(path: str) -> None:
    spec = compiled(path)
    vector = check(spec, CheckOptions())
    interpreted = check(spec, CheckOptions(vectorise=False))
    assert vector.stats.evaluation == "vectorised"
    assert interpreted.stats.liveness_graph == vector.stats.liveness_graph == "quotient"
    assert vector.stats.liveness_states == interpreted.stats.liveness_states
    assert (vector.finding is None) == (interpreted.finding is None)
    if vector.finding is not None and interpreted.finding is not None:
        assert vector.finding.trace == interpreted.finding.trace


def test_the_group_tables_are_a_group() -> None:
    spec = compiled("tests/corpus/quotient/paired.numa")
    tables = GroupTables(Model(spec), checked_group(spec))
    size = tables.size
    assert size == 24 and (tables.mult[0] == np.arange(size)).all()
    assert (tables.mult[np.arange(size), tables.inv] == 0).all()
    a, b, c = np.meshgrid(*[np.arange(size)] * 3, indexing="ij")
    assert (tables.mult[tables.mult[a, b], c] == tables.mult[a, tables.mult[b, c]]).all()
    for element in range(size):  # each renaming of instances is a permutation
        assert sorted(tables.instances[element]) == list(range(tables.instances.shape[1]))
    assert len(tables.closure(np.array([1]))) in (2, 3, 4)  # a cyclic subgroup


def test_a_binding_over_nodes_falls_back_to_the_full_graph(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "corpus" / "quotient" / "rotate.numa").read_text().replace(
        "property token_done: token != {} leads_to done",
        "property token_done: forall n: Node: n in token leads_to done")
    path = tmp_path / "by_node.numa"
    path.write_text(text)
    spec = compile_spec(str(path), []).spec
    result = check(spec, CheckOptions())
    assert result.stats.liveness_graph.startswith("full (not on the quotient: `token_done`")
    assert result.finding is not None and result.finding.kind == "liveness"
    run = run_cli(["check", str(path)])
    assert run.status == 1
    assert "states (not on the quotient: `token_done` binds `n`, whose values name nodes)" \
        in run.out


def test_the_cli_says_which_graph() -> None:
    run = run_cli(["check", "tests/corpus/quotient/spread.numa"])
    assert run.status == 0 and "liveness: quotient graph of 35 orbits" in run.out
    run = run_cli(["check", "tests/corpus/quotient/spread.numa", "--no-symmetry"])
    assert run.status == 0 and "liveness: full graph of 256 states" in run.out


def symmetric_mutants(spec: ir.Spec) -> list[ir.Spec]:
    """P1's mutants that keep `symmetric Node`, without invariants (so liveness is
    decided on each, not cut short by a safety violation)."""
    out = []
    for site in sites(spec):
        mutant = dataclasses.replace(apply(spec, site), invariants=(), reachables=())
        if mutant.symmetric and asymmetry(mutant) is None:
            out.append(mutant)
    return out


@pytest.mark.parametrize("number", [134, 135, 190])  # off by one, a request or an ack dropped
def test_quotient_agrees_on_p1_mutants_that_break_liveness(number: int) -> None:
    """Three mutants of P1 (3 nodes, 1 page) whose unmap never ends: the same violation on
    both graphs, and the quotient's lasso replays."""
    spec = compiled(P1, ["NODES=3", "PAGES=1"])
    site = next(s for s in sites(spec) if s.number == number)
    mutant = dataclasses.replace(apply(spec, site), invariants=(), reachables=())
    quotient = check(mutant, CheckOptions(deadlock=False))
    full = check(mutant, CheckOptions(symmetry=False, deadlock=False))
    assert_agree(quotient, full)
    assert quotient.finding is not None and quotient.finding.property == "unmap_terminates"
    replay(Model(mutant), quotient.finding)


@pytest.mark.slow
@pytest.mark.parametrize("defines", [["NODES=3", "PAGES=1"], ["NODES=4", "PAGES=1"]])
def test_quotient_agrees_on_p1_mutants(defines: list[str]) -> None:
    """71 mutants at 3 nodes, 7 of them with a liveness violation (80 s)."""
    for mutant in symmetric_mutants(compiled(P1, defines)):
        quotient = check(mutant, CheckOptions(deadlock=False))
        full = check(mutant, CheckOptions(symmetry=False, deadlock=False))
        assert_agree(quotient, full)


@pytest.mark.slow
@pytest.mark.parametrize("defines", [["NODES=3"], ["NODES=4"], ["NODES=3", "PAGES=3"],
                                     ["FRAMES_PER_NODE=2"]])
def test_quotient_agrees_on_p1_configurations_the_full_graph_holds(defines: list[str]) -> None:
    quotient, full = verdicts(compiled(P1, defines))
    assert_agree(quotient, full)
    assert quotient.verdict == "holds"
