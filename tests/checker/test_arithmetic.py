"""Integer arithmetic is exact in every engine: division and remainder truncate towards zero
in integers, never through a float (which rounds past 2^53)."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import numaspec
from numaspec.spec.ir.values import quotient, remainder

BIG_DIVISION = "tests/corpus/arith/big_division.numa"  # x reaches 2^53 + 1


@given(st.integers(-(2**80), 2**80), st.integers(-(2**80), 2**80).filter(bool))
def test_quotient_truncates_towards_zero_exactly(a: int, b: int) -> None:
    exact = Fraction(a, b)
    expected = int(exact)  # int() of a Fraction truncates towards zero, exactly
    assert quotient(a, b) == expected
    assert remainder(a, b) == a - b * expected
    rest = remainder(a, b)
    assert abs(rest) < abs(b) and (rest == 0 or (rest > 0) == (a > 0))


@pytest.mark.usefixtures("at_root")
def test_every_engine_divides_big_integers_exactly() -> None:
    spec = numaspec.compile_spec(BIG_DIVISION)
    for vectorise in (True, False):
        result = numaspec.check(spec, numaspec.CheckOptions(vectorise=vectorise))
        assert result.verdict == "holds", (vectorise, result.finding)
    walk = numaspec.simulate(spec, numaspec.SimulateOptions(steps=10))
    assert walk.finding is None and walk.ended_in_final == 1
    assert numaspec.bmc(spec, numaspec.BmcOptions(depth=3)).verdict == "holds"
    assert numaspec.prove(spec).verdict == "proved"


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize("case", ["wrap_guard", "wrap_invariant"])
def test_wrapping_products_are_violations_in_every_engine(case: str) -> None:
    """Products wider than the variables: no engine may wrap them around (the false
    "proved" and the missed violation of a width chosen from the variables alone)."""
    spec = numaspec.compile_spec(f"tests/corpus/arith/{case}.numa")
    lengths = set()
    for vectorise in (True, False):
        result = numaspec.check(spec, numaspec.CheckOptions(vectorise=vectorise))
        assert result.verdict == "violated" and result.finding is not None
        lengths.add(len(result.finding.trace.steps))
    assert len(lengths) == 1
    assert numaspec.prove(spec).verdict != "proved"
    assert numaspec.bmc(spec, numaspec.BmcOptions(depth=3)).proved_by is None


@pytest.mark.usefixtures("at_root")
def test_beyond_64_bits_falls_back_and_agrees() -> None:
    spec = numaspec.compile_spec("tests/corpus/arith/beyond_64_bits.numa")
    result = numaspec.check(spec)
    assert result.verdict == "holds" and result.stats.evaluation == "interpreted"
    assert "62 bits" in (result.stats.not_vectorised or "")
    assert numaspec.prove(spec, numaspec.ProveOptions(timeout=5)).verdict != "violated"


# ------------------------------------------------------------- random arithmetic
OPS = ["+", "-", "*", "/", "%"]


def random_expression(rng: random.Random, depth: int) -> str:
    """An integer expression over x, y and constants; divisors are non-zero constants."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(["x", "y", str(rng.randint(0, 40))])
    op = rng.choice(OPS)
    left = random_expression(rng, depth - 1)
    right = str(rng.randint(1, 9)) if op in "/%" else random_expression(rng, depth - 1)
    return f"({left} {op} {right})"


def random_spec(seed: int) -> str:
    rng = random.Random(seed)
    top_x, top_y = rng.randint(3, 60), rng.randint(1, 12)
    comparison = rng.choice(["<", "<=", ">", ">=", "!="])
    bound = rng.randint(-50, 4000)
    return f"""spec random_arith_{seed}
topology {{ nodes 1 frames_per_node 1 }}
var x : 0 .. {top_x}
var y : 0 .. {top_y}
action bump_x() {{
  require x < {top_x}
  x := x + 1
}}
action bump_y() {{
  require y < {top_y}
  y := y + {rng.randint(1, 3)} % ({top_y} - y + 1)
}}
action reset() {{
  require x == {top_x}
  x := 0
}}
invariant random: {random_expression(rng, 3)} {comparison} {bound} or x * y * x >= 0 - 1
invariant random2: {random_expression(rng, 3)} {comparison} {bound}
"""


@pytest.mark.parametrize("seed", range(48))
def test_random_arithmetic_engines_agree(seed: int, compile_text) -> None:  # type: ignore[no-untyped-def]
    """The interpreter, the vectorised search, BMC and k-induction on random arithmetic:
    the same verdict, or one each engine's bound allows (BMC sees `depth` steps, `prove`
    may give a counterexample to induction for a true invariant)."""
    spec = compile_text(random_spec(seed)).spec
    options = numaspec.CheckOptions(deadlock=False, liveness=False)
    interpreted = numaspec.check(spec, dataclasses.replace(options, vectorise=False))
    vectorised = numaspec.check(spec, options)
    assert vectorised.verdict == interpreted.verdict
    violated = interpreted.finding
    if violated is not None:
        assert vectorised.finding is not None
        assert len(vectorised.finding.trace.steps) == len(violated.trace.steps)
    depth = 4
    bounded = numaspec.bmc(spec, numaspec.BmcOptions(depth=depth, deadlock=False))
    short = violated is not None and len(violated.trace.steps) <= depth
    assert (bounded.verdict == "violated") == short, (bounded.verdict, violated)
    proof = numaspec.prove(spec)
    if proof.verdict == "proved":
        assert interpreted.verdict == "holds"
    if proof.verdict == "violated":
        assert interpreted.verdict == "violated"


def test_bmc_and_prove_report_an_invariant_false_everywhere(compile_text) -> None:  # type: ignore[no-untyped-def]
    """An invariant that folds to false: a counterexample of 0 steps, not a solver error
    (the inductive step asked Z3 for a model it had not computed; found by the test above)."""
    spec = compile_text("""spec always_false
topology { nodes 1 frames_per_node 1 }
var x : 0 .. 3
action inc() {
  require x < 3
  x := x + 1
}
invariant never: 35 % 1 > 1044
""").spec
    bounded = numaspec.bmc(spec, numaspec.BmcOptions(depth=2, deadlock=False))
    assert bounded.verdict == "violated" and bounded.finding is not None
    assert len(bounded.finding.trace.steps) == 0
    assert numaspec.prove(spec).verdict == "violated"
