"""Integer arithmetic is exact in every engine: division and remainder truncate towards zero
in integers, never through a float (which rounds past 2^53)."""

from __future__ import annotations

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
