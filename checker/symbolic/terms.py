"""Recorded terms: the leaves a `TermLogic` builds when an encoding is *traced*.

With a `Z3Logic` (checker/smt/z3_logic.py) the encoders build Z3 terms; with a `TermLogic`
the same encoders record the operations as a DAG of `Term`s, which
checker/explicit/vector/program.py compiles into one straight-line NumPy function per action
instance.  A `TermLogic` hash-conses the terms it builds, so a sub-expression the encoder
builds twice is computed once.
"""

from __future__ import annotations

from typing import Any

from numaspec.checker.symbolic.logic import Logic

# op: "col" (an int column), "colb" (a bool column), "and", "or", "not", "eq", "ite",
# "lt", "le", "gt", "ge", "add", "sub", "mul", "div", "mod"; "closure" (forward, n, n start
# bits, n * n edge bits: the keys reachable over the edges, a fixpoint computed at run time)
# and "item" (closure, i: whether key i is reachable)
OPS = frozenset({"col", "colb", "and", "or", "not", "eq", "ite", "lt", "le", "gt", "ge",
                 "add", "sub", "mul", "div", "mod", "closure", "item"})


class Term:
    """One recorded operation; `args` are Terms or Python constants (for col: the index)."""

    __slots__ = ("op", "args", "boolean")

    def __init__(self, op: str, args: tuple[Any, ...], boolean: bool):
        self.op, self.args, self.boolean = op, args, boolean

    def __repr__(self) -> str:
        # operands by identity: written out as a tree, a shared DAG is exponentially long
        args = ", ".join(f"<{a.op} {id(a):x}>" if isinstance(a, Term) else repr(a)
                         for a in self.args)
        return f"{self.op}({args})"


_BOOLEAN = {"colb", "and", "or", "not", "eq", "lt", "le", "gt", "ge", "item"}


def _is_bool(x: Any) -> bool:
    return x.boolean if isinstance(x, Term) else isinstance(x, bool)


class TermLogic(Logic):
    """The recording backend: leaves are `Term`s, hash-consed in this object's own table,
    so a sub-expression the encoder builds twice is computed once.  Use one per tracing:
    the table keeps its terms alive (so the ids in its keys stay unique) for as long as the
    object lives."""

    def __init__(self) -> None:
        self._table: dict[tuple[Any, ...], Term] = {}

    def make(self, op: str, *args: Any) -> Term:
        """The term `op(args)`, shared with an equal one this object built earlier."""
        assert op in OPS, op
        key = (op, *(("t", id(a)) if isinstance(a, Term) else ("c", type(a), a) for a in args))
        found = self._table.get(key)
        if found is None:
            boolean = op in _BOOLEAN or (op == "ite" and _is_bool(args[1]) and _is_bool(args[2]))
            found = self._table[key] = Term(op, args, boolean)
        return found

    def build_and(self, terms: list[Any]) -> Term:
        return self.make("and", *terms)

    def build_or(self, terms: list[Any]) -> Term:
        return self.make("or", *terms)

    def build_not(self, x: Term) -> Term:
        return x.args[0] if x.op == "not" else self.make("not", x)

    def build_implies(self, a: Any, b: Any) -> Any:
        return self.disj([self.neg(a), b])

    def build_eq(self, a: Any, b: Any) -> Any:
        if isinstance(b, bool) or isinstance(a, bool):
            term, value = (a, b) if isinstance(b, bool) else (b, a)
            return term if value else self.neg(term)
        return self.make("eq", a, b)

    def build_ite(self, c: Term, a: Any, b: Any) -> Any:
        if a is True:
            return self.disj([c, b])
        if b is False:
            return self.conj([c, a])
        return self.make("ite", c, a, b)

    def build_compare(self, op: str, a: Any, b: Any) -> Term:
        return self.make(op, a, b)

    def build_arith(self, op: str, a: Any, b: Any) -> Term:
        return self.make(op, a, b)

    def build_sum(self, terms: list[Any], known_sum: int) -> Term:
        traced = terms[0]
        for term in [*terms[1:], *([known_sum] if known_sum else [])]:
            traced = self.make("add", traced, term)
        return traced

    def closure(self, reach: dict[Any, Any], edges: dict[Any, dict[Any, Any]],
                keys: list[Any], forward: bool) -> dict[Any, Any] | None:
        """One "closure" term, a fixpoint computed at run time that stops as soon as a
        round adds nothing (None when every leaf is known: the caller folds it)."""
        leaves = [*(reach[k] for k in keys), *(edges[x][y] for x in keys for y in keys)]
        if not any(isinstance(leaf, Term) for leaf in leaves):
            return None
        whole = self.make("closure", forward, len(keys), *leaves)
        return {k: self.make("item", whole, i) for i, k in enumerate(keys)}
