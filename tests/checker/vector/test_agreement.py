"""The vectorised search against the interpreted one (`CheckOptions(vectorise=False)`): the
same verdict, finding, counterexample (lassos included), statistics and deadlock, with and
without symmetry, on the shared corpus, the examples, the small specs, the specs of
tests/corpus/vector/ and every construct of tests/corpus/good/constructs.numa."""

from __future__ import annotations

from pathlib import Path

import pytest
from vector_helpers import (
    CORPUS,
    EXAMPLES,
    EXPECTED,
    P1,
    VECTOR,
    agree,
    compiled,
    constructs_without_int_sets,
    run,
    symmetries,
)

from numaspec.spec.diagnostics import SpecError
from numaspec.spec.pipeline import compile_spec


@pytest.mark.parametrize(("spec", "config"), CORPUS)
def test_engines_agree_on_the_corpus(spec: str, config: str) -> None:
    ir_spec = compiled(spec, EXPECTED["configurations"][config]["defines"])
    verdict = EXPECTED["specs"][spec]["verdicts"][config]
    for symmetry in symmetries(ir_spec):
        result = agree(ir_spec, f"symmetry={symmetry}", symmetry=symmetry)
        if verdict["safety"] == "holds" and not verdict["deadlock"]:
            assert result.verdict == "holds"  # the runs agree and are right
            if not symmetry:
                assert result.stats.distinct_states == verdict["states"]


@pytest.mark.parametrize("path", EXAMPLES)
def test_engines_agree_on_the_examples_and_small_specs(path: str) -> None:
    spec = compiled(path)
    for symmetry in symmetries(spec):
        agree(spec, f"symmetry={symmetry}", symmetry=symmetry)


LIVENESS_SLOW = {(P1, "3n2p1f")}  # 12,496 states in the full graph: 4 s in all


@pytest.mark.parametrize(("spec", "config"), [
    pytest.param(s, c, marks=pytest.mark.slow) if (s, c) in LIVENESS_SLOW else (s, c)
    for s, c in CORPUS])
def test_engines_agree_with_liveness_on_the_corpus(spec: str, config: str) -> None:
    ir_spec = compiled(spec, EXPECTED["configurations"][config]["defines"])
    want = EXPECTED["specs"][spec]["verdicts"][config]["liveness"]
    for symmetry in symmetries(ir_spec):
        result = agree(ir_spec, f"symmetry={symmetry}", symmetry=symmetry, liveness=True)
        if want != "holds":
            assert result.finding is not None and \
                (result.finding.kind, result.finding.property) == ("liveness", want)


@pytest.mark.parametrize("path", [p for p in EXAMPLES if "/small/live_" in p])
def test_engines_agree_with_liveness_on_small_specs(path: str) -> None:
    """Lassos: the same loop, the same states."""
    spec = compiled(path)
    assert spec.liveness
    result = agree(spec, "liveness", liveness=True)
    if result.finding is not None:
        assert result.finding.kind == "liveness" and result.finding.trace.loop is not None


@pytest.mark.parametrize(("path", "defines", "symmetry", "deadlock"), [
    (f"{VECTOR}/steps.numa", (), False, True),       # run-time error, choose, Seq, Option
    (f"{VECTOR}/steps.numa", ("LIMIT=3",), False, True),
    (f"{VECTOR}/asserts.numa", (), False, True),     # a failing assert
    # ... among the first states, which the interpreted symmetry probe steps too
    (f"{VECTOR}/asserts.numa", (), True, True),
    (f"{VECTOR}/final.numa", (), False, True),       # a deadlock that `final` does not excuse
    (f"{VECTOR}/final.numa", (), True, True),
    (f"{VECTOR}/final.numa", (), True, False),       # holds, with two warnings
    (f"{VECTOR}/final.numa", (), False, False),
    # absent parts (an option's value, a map entry's) copied: no range error
    (f"{VECTOR}/option_filler.numa", (), False, True),
    (f"{VECTOR}/map_filler.numa", (), False, True),
    (f"{VECTOR}/map_filler.numa", (), False, False),
    # a `choose` in an `if` branch not taken: one transition, not one per value
    (f"{VECTOR}/choose_in_branch.numa", (), False, True),
    # a binder's domain that depends on an earlier binder (it was a KeyError)
    (f"{VECTOR}/dependent_binders.numa", (), False, True),
    # filters tested early and nested quantifiers remembered (generated code), with errors
    ("tests/corpus/codegen/filters.numa", (), False, True),
])
def test_engines_agree_on_vector_specs(path: str, defines: tuple[str, ...], symmetry: bool,
                                       deadlock: bool) -> None:
    result = agree(compiled(path, defines), path, symmetry=symmetry, deadlock=deadlock)
    if path.endswith("final.numa") and not deadlock:
        assert result.verdict == "holds" and len(result.warnings) == 2


def test_engines_agree_on_every_construct(tmp_path: Path) -> None:
    """An overflow 6 steps in (PAGES=1); under symmetry both refuse the spec (it uses node 0)."""
    spec = compile_spec(str(constructs_without_int_sets(tmp_path)), ["PAGES=1"]).spec
    result = agree(spec, "constructs", symmetry=False)
    assert result.finding is not None and result.finding.kind == "overflow"
    for vectorise in (True, False):
        with pytest.raises(SpecError) as refused:
            run(spec, vectorise)
        assert refused.value.diagnostics[0].code == "E405"


@pytest.mark.slow
def test_engines_agree_on_every_construct_with_two_pages(tmp_path: Path) -> None:
    """615,670 states without symmetry (30 s interpreted), 203,057 orbits with it."""
    spec = compile_spec(str(constructs_without_int_sets(tmp_path)), []).spec
    for symmetry in (False, True):
        result = agree(spec, f"symmetry={symmetry}", symmetry=symmetry)
        assert result.finding is not None and result.finding.kind == "overflow"


@pytest.mark.slow
@pytest.mark.parametrize("spec", list(EXPECTED["specs"]))
def test_engines_agree_with_four_nodes(spec: str) -> None:
    """P1 with 4 nodes: 412,072 states (60 s interpreted), 18,058 orbits."""
    ir_spec = compiled(spec, ["NODES=4"])
    for symmetry in symmetries(ir_spec):
        result = agree(ir_spec, f"symmetry={symmetry}", symmetry=symmetry)
        if spec == P1:
            assert result.verdict == "holds"
            assert result.stats.distinct_states == (18_058 if symmetry else 412_072)
