"""The Z3 backend of the symbolic encoding (checker/symbolic/logic.py): leaves are Z3 terms.

Integers are encoded as bit-vectors of one width (two's complement, signed comparisons),
which Z3 bit-blasts to SAT: every type is finite, and on protocol specs this is much faster
than linear integer arithmetic.  `SymbolicSystem` picks the width from the spec's integers
(checker/symbolic/width.py); a width of 0 selects Z3's unbounded integers instead.
"""

from __future__ import annotations

from typing import Any

import z3

from numaspec.checker.symbolic.logic import Leaf, Logic


class Z3Logic(Logic):
    """Builds Z3 terms; integers are bit-vectors of `width` bits (0: unbounded)."""

    def __init__(self, width: int):
        self.width = width

    def int_var(self, name: str) -> z3.ExprRef:
        return z3.BitVec(name, self.width) if self.width else z3.Int(name)

    def bool_var(self, name: str) -> z3.BoolRef:
        return z3.Bool(name)

    def as_z3(self, x: Leaf) -> z3.ExprRef:
        """The leaf as a Z3 term (a known value as a Z3 value of its sort)."""
        if isinstance(x, bool):
            return z3.BoolVal(x)
        if isinstance(x, int):
            return z3.BitVecVal(x, self.width) if self.width else z3.IntVal(x)
        return x

    def same_term(self, a: Any, b: Any) -> bool:
        return a is b or bool(a.eq(b))

    def build_and(self, terms: list[Any]) -> z3.BoolRef:
        return z3.And(terms)

    def build_or(self, terms: list[Any]) -> z3.BoolRef:
        return z3.Or(terms)

    def build_not(self, x: Any) -> z3.BoolRef:
        return z3.Not(x)

    def build_implies(self, a: Any, b: Any) -> z3.BoolRef:
        return z3.Implies(a, b)

    def build_eq(self, a: Leaf, b: Leaf) -> Any:
        return self.as_z3(a) == self.as_z3(b)

    def build_ite(self, c: Any, a: Leaf, b: Leaf) -> z3.ExprRef:
        return z3.If(c, self.as_z3(a), self.as_z3(b))

    def build_compare(self, op: str, a: Leaf, b: Leaf) -> Any:
        x, y = self.as_z3(a), self.as_z3(b)
        return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]

    def build_arith(self, op: str, a: Leaf, b: Leaf) -> Any:
        x, y = self.as_z3(a), self.as_z3(b)
        if op == "add":
            return x + y
        if op == "sub":
            return x - y
        if op == "mul":
            return x * y
        if self.width:
            # bvsdiv truncates towards zero and bvsrem takes the dividend's sign, as the
            # model does
            return x / y if op == "div" else z3.SRem(x, y)
        # SMT-LIB's integer div keeps the remainder non-negative; the model truncates
        magnitude = z3.Abs(x) / z3.Abs(y)
        quotient = z3.If((x >= 0) == (y > 0), magnitude, -magnitude)
        return quotient if op == "div" else x - y * quotient

    def build_sum(self, terms: list[Any], known_sum: int) -> Any:
        expr = terms[0]
        for term in terms[1:]:
            expr = expr + term
        return expr + known_sum if known_sum else expr


Z3_MAX_TIMEOUT_MS = 2**32 - 1  # Z3's `timeout` parameter is an unsigned 32-bit count of ms


def timeout_ms(seconds: float) -> int:
    """`seconds` as Z3's solver timeout: whole milliseconds, at least 1, at most what Z3
    accepts (about 49 days: a longer limit is no limit)."""
    if not seconds * 1000 < Z3_MAX_TIMEOUT_MS:  # also inf
        return Z3_MAX_TIMEOUT_MS
    return max(1, int(seconds * 1000))


INTERRUPTED = "interrupted from keyboard"  # Z3's reason for a query its SIGINT handler ended


def solve(solver: z3.Solver, *assumptions: z3.ExprRef) -> z3.CheckSatResult:
    """`solver.check(*assumptions)`, except that a query cut by Ctrl-C raises
    KeyboardInterrupt.  Z3 installs its own SIGINT handler for the length of each query: it
    ends the query without an answer and swallows the signal, so Python would never raise
    KeyboardInterrupt, and the engines would take the answer for a solver that gave up (and
    ask smaller queries, or report "unknown")."""
    answer = solver.check(*assumptions)
    if answer == z3.unknown and solver.reason_unknown() == INTERRUPTED:
        raise KeyboardInterrupt
    return answer
