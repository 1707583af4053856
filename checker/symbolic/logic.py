"""Boolean and integer combinators with Python constants folded in, over any backend's terms.

A *leaf* is a Python `bool`/`int` (a known value) or a term of the backend that encodes the
spec.  Every combinator of `Logic` folds known values before it asks its backend to build a
term: unrolling quantifiers over concrete domains compares concrete keys with concrete keys
all the time, and folding keeps those comparisons (and the branches they decide) out of the
result.  `bool` is tested before `int` because it is a subclass of it.

The backends are subclasses that implement the `build_*` methods: `Z3Logic`
(checker/smt/z3_logic.py) builds Z3 terms for the SMT engine; `TermLogic`
(checker/symbolic/terms.py) records `Term`s, which the vectorised explicit search compiles to
NumPy.  One encoding uses one `Logic` object, so the two never mix.  `Logic` itself folds
known values only: given only constants, it never builds a term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from numaspec.spec.ir.values import quotient, remainder

Leaf = Any  # bool | int | a backend's term

_COMPARE = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
            "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b}


def known(x: Leaf) -> bool:
    """Whether `x` is a Python constant (its value is known without the solver)."""
    return isinstance(x, (bool, int))


class Logic:
    """The backend-neutral folding rules.  A subclass builds the terms: every `build_*`
    method is called with at least one operand that is not a known value."""

    # ----------------------------------------------------------- terms
    def build_and(self, terms: list[Leaf]) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_or(self, terms: list[Leaf]) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_not(self, x: Leaf) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_implies(self, a: Leaf, b: Leaf) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_eq(self, a: Leaf, b: Leaf) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_ite(self, c: Leaf, a: Leaf, b: Leaf) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_compare(self, op: str, a: Leaf, b: Leaf) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_arith(self, op: str, a: Leaf, b: Leaf) -> Leaf:
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def build_sum(self, terms: list[Leaf], known_sum: int) -> Leaf:
        """`terms` (at least one, none known) added left to right, then `known_sum` if it
        is not 0."""
        raise NotImplementedError(f"{type(self).__name__} builds no terms")

    def bool_var(self, name: str) -> Leaf:
        """A new boolean constant (an unknown of the solver)."""
        raise NotImplementedError(f"{type(self).__name__} has no unknowns")

    def int_var(self, name: str) -> Leaf:
        """A new integer constant (an unknown of the solver)."""
        raise NotImplementedError(f"{type(self).__name__} has no unknowns")

    def same_term(self, a: Leaf, b: Leaf) -> bool:
        """Whether two terms (neither known) are syntactically the same."""
        return a is b

    def closure(self, reach: dict[Any, Leaf], edges: dict[Any, dict[Any, Leaf]],
                keys: list[Any], forward: bool) -> dict[Any, Leaf] | None:
        """The fixpoint of `reach` over `edges` as terms the backend computes itself, or
        None: the caller unrolls it (checker/symbolic/encode/links.py)."""
        return None

    # ---------------------------------------------------- combinators
    def same(self, a: Leaf, b: Leaf) -> bool:
        """Syntactically the same leaf (so `ite(c, a, b)` is `a`)."""
        if known(a) or known(b):
            return known(a) and known(b) and type(a) is type(b) and a == b
        return self.same_term(a, b)

    def conj(self, items: Iterable[Leaf]) -> Leaf:
        return self._fold(items, True, self.build_and)

    def disj(self, items: Iterable[Leaf]) -> Leaf:
        return self._fold(items, False, self.build_or)

    @staticmethod
    def _fold(items: Iterable[Leaf], unit: bool, build: Callable[[list[Any]], Leaf]) -> Leaf:
        """`and` (unit True) or `or` (unit False) of `items`, in order: the unit is dropped,
        its negation decides at once, one term left is itself."""
        terms = []
        for x in items:
            if x is (not unit):
                return not unit
            if x is not unit:
                terms.append(x)
        if not terms:
            return unit
        if len(terms) == 1:
            return terms[0]
        return build(terms)

    def neg(self, x: Leaf) -> Leaf:
        if isinstance(x, bool):
            return not x
        return self.build_not(x)

    def implies(self, a: Leaf, b: Leaf) -> Leaf:
        if a is False or b is True:
            return True
        if a is True:
            return b
        if b is False:
            return self.neg(a)
        return self.build_implies(a, b)

    def equal(self, a: Leaf, b: Leaf) -> Leaf:
        if known(a) and known(b):
            return bool(a == b)
        if self.same(a, b):
            return True
        return self.build_eq(a, b)

    def ite(self, c: Leaf, a: Leaf, b: Leaf) -> Leaf:
        if c is True:
            return a
        if c is False:
            return b
        if self.same(a, b):
            return a
        if a is True and b is False:
            return c
        if a is False and b is True:
            return self.neg(c)
        return self.build_ite(c, a, b)

    def compare(self, op: str, a: Leaf, b: Leaf) -> Leaf:
        """`lt`, `le`, `gt` or `ge` of two integer leaves."""
        if known(a) and known(b):
            return _COMPARE[op](a, b)
        return self.build_compare(op, a, b)

    def arith(self, op: str, a: Leaf, b: Leaf) -> Leaf:
        """`add`, `sub`, `mul`, and `div`/`mod` truncating towards zero (the model's
        semantics; the caller guards against a zero divisor)."""
        if known(a) and known(b):
            if op in ("div", "mod"):
                if b == 0:
                    return 0  # unreachable under the caller's guard
                return quotient(a, b) if op == "div" else remainder(a, b)
            return {"add": a + b, "sub": a - b, "mul": a * b}[op]
        return self.build_arith(op, a, b)

    def total(self, items: Iterable[Leaf]) -> Leaf:
        """The sum of integer leaves, folding the known ones."""
        known_sum, terms = 0, []
        for x in items:
            if known(x):
                known_sum += int(x)
            else:
                terms.append(x)
        if not terms:
            return known_sum
        return self.build_sum(terms, known_sum)

    def count_true(self, bits: Iterable[Leaf]) -> Leaf:
        return self.total(self.ite(b, 1, 0) for b in bits)
