"""Z3 terms with Python constants folded in.

A *leaf* is a Python `bool`/`int` (a known value) or a Z3 expression.  Every combinator
here folds known values before it builds a Z3 term: unrolling quantifiers over concrete
domains compares concrete keys with concrete keys all the time, and folding keeps those
comparisons (and the branches they decide) out of the formula.  `bool` is tested before `int`
because it is a subclass of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import z3

from numaspec.checker.symbolic.terms import Term, make

Leaf = Any  # bool | int | z3.ExprRef | Term

# The same combinators also *record* what they compute when leaves are `Term`s
# (checker/symbolic/terms.py): the vectorised explicit search traces an encoding once and runs the
# recording on whole batches of states.  One encoding never mixes Terms and Z3 terms.
_TERM = Term

# Integers are encoded as bit-vectors of one width (two's complement, signed comparisons),
# which Z3 bit-blasts to SAT: every type is finite, and on protocol specs this is much faster
# than linear integer arithmetic.  `SymbolicSystem` sets the width from the spec's integers.
# A width of 0 selects Z3's unbounded integers instead.
_width = [16]


def set_width(bits: int) -> None:
    _width[0] = bits


def width() -> int:
    return _width[0]


def int_var(name: str) -> z3.ExprRef:
    return z3.BitVec(name, _width[0]) if _width[0] else z3.Int(name)


def known(x: Leaf) -> bool:
    """Whether `x` is a Python constant (its value is known without the solver)."""
    return isinstance(x, (bool, int))


def as_z3(x: Leaf) -> z3.ExprRef:
    if isinstance(x, bool):
        return z3.BoolVal(x)
    if isinstance(x, int):
        return z3.BitVecVal(x, _width[0]) if _width[0] else z3.IntVal(x)
    return x


def same(a: Leaf, b: Leaf) -> bool:
    """Syntactically the same term (so `ite(c, a, b)` is `a`)."""
    if known(a) or known(b):
        return known(a) and known(b) and type(a) is type(b) and a == b
    if isinstance(a, _TERM) or isinstance(b, _TERM):
        return a is b
    return a is b or bool(a.eq(b))


def conj(items: Iterable[Leaf]) -> Leaf:
    terms = []
    for x in items:
        if x is False:
            return False
        if x is not True:
            terms.append(x)
    if not terms:
        return True
    if len(terms) == 1:
        return terms[0]
    return make("and", *terms) if isinstance(terms[0], _TERM) else z3.And(terms)


def disj(items: Iterable[Leaf]) -> Leaf:
    terms = []
    for x in items:
        if x is True:
            return True
        if x is not False:
            terms.append(x)
    if not terms:
        return False
    if len(terms) == 1:
        return terms[0]
    return make("or", *terms) if isinstance(terms[0], _TERM) else z3.Or(terms)


def neg(x: Leaf) -> Leaf:
    if isinstance(x, bool):
        return not x
    if isinstance(x, _TERM):
        return x.args[0] if x.op == "not" else make("not", x)
    return z3.Not(x)


def implies(a: Leaf, b: Leaf) -> Leaf:
    if a is False or b is True:
        return True
    if a is True:
        return b
    if b is False:
        return neg(a)
    if isinstance(a, _TERM) or isinstance(b, _TERM):
        return disj([neg(a), b])
    return z3.Implies(a, b)


def equal(a: Leaf, b: Leaf) -> Leaf:
    if known(a) and known(b):
        return bool(a == b)
    if same(a, b):
        return True
    if isinstance(a, _TERM) or isinstance(b, _TERM):
        if isinstance(b, bool) or isinstance(a, bool):
            term, value = (a, b) if isinstance(b, bool) else (b, a)
            return term if value else neg(term)
        return make("eq", a, b)
    return as_z3(a) == as_z3(b)


def ite(c: Leaf, a: Leaf, b: Leaf) -> Leaf:
    if c is True:
        return a
    if c is False:
        return b
    if same(a, b):
        return a
    if a is True and b is False:
        return c
    if a is False and b is True:
        return neg(c)
    if isinstance(c, _TERM):
        if a is True:
            return disj([c, b])
        if b is False:
            return conj([c, a])
        return make("ite", c, a, b)
    return z3.If(c, as_z3(a), as_z3(b))


def compare(op: str, a: Leaf, b: Leaf) -> Leaf:
    """`lt`, `le`, `gt` or `ge` of two integer leaves."""
    if known(a) and known(b):
        return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]
    if isinstance(a, _TERM) or isinstance(b, _TERM):
        return make(op, a, b)
    x, y = as_z3(a), as_z3(b)
    return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]


def arith(op: str, a: Leaf, b: Leaf) -> Leaf:
    """`add`, `sub`, `mul`, and `div`/`mod` truncating towards zero (the model's semantics;
    the caller guards against a zero divisor)."""
    if known(a) and known(b):
        if op in ("div", "mod"):
            if b == 0:
                return 0  # unreachable under the caller's guard
            quotient = int(a / b)
            return quotient if op == "div" else a - b * quotient
        return {"add": a + b, "sub": a - b, "mul": a * b}[op]
    if isinstance(a, _TERM) or isinstance(b, _TERM):
        return make(op, a, b)
    x, y = as_z3(a), as_z3(b)
    if op == "add":
        return x + y
    if op == "sub":
        return x - y
    if op == "mul":
        return x * y
    if _width[0]:
        # bvsdiv truncates towards zero and bvsrem takes the dividend's sign, as the model does
        return x / y if op == "div" else z3.SRem(x, y)
    # SMT-LIB's integer div keeps the remainder non-negative; the model truncates
    magnitude = z3.Abs(x) / z3.Abs(y)
    quotient = z3.If((x >= 0) == (y > 0), magnitude, -magnitude)
    return quotient if op == "div" else x - y * quotient


def total(items: Iterable[Leaf]) -> Leaf:
    """The sum of integer leaves, folding the known ones."""
    known_sum, terms = 0, []
    for x in items:
        if known(x):
            known_sum += int(x)
        else:
            terms.append(x)
    if not terms:
        return known_sum
    if isinstance(terms[0], _TERM):
        traced = terms[0]
        for term in [*terms[1:], *([known_sum] if known_sum else [])]:
            traced = make("add", traced, term)
        return traced
    expr = terms[0]
    for term in terms[1:]:
        expr = expr + term
    return expr + known_sum if known_sum else expr


def count_true(bits: Iterable[Leaf]) -> Leaf:
    return total(ite(b, 1, 0) for b in bits)
