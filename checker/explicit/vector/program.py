"""Straight-line NumPy programs compiled from recorded terms (checker/symbolic/terms.py).

A `Program` computes a list of outputs (Terms or constants) from a column matrix `C` (one row
per column, one entry per state of a batch, int64): each Term becomes one assignment of a
NumPy expression to a local variable, in dependency order, in one generated Python function.
Running it costs one NumPy operation per distinct Term and nothing per IR node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, assert_never

import numpy as np

from numaspec.checker.explicit.vector.schedule import Block, schedule
from numaspec.checker.symbolic.terms import Term

_INFIX = {"and": "&", "or": "|", "eq": "==", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
          "add": "+", "sub": "-", "mul": "*"}


def _divisor(b: Any) -> Any:
    """`b` with 0 replaced by 1: a zero divisor is a failure the step records, and gives a
    meaningless quotient instead of a NumPy warning.  A constant stays a Python int, so
    the result keeps the programs' small integer type."""
    if isinstance(b, np.ndarray):
        return np.where(b == 0, np.ones_like(b), b)
    return int(b) or 1


def _div(a: Any, b: Any) -> Any:
    """Division truncating towards zero, as the model's."""
    divisor = _divisor(b)
    sign = np.sign(divisor) if isinstance(divisor, np.ndarray) else (1 if divisor > 0 else -1)
    return abs(a) // abs(divisor) * np.sign(a) * sign


def _mod(a: Any, b: Any) -> Any:
    divisor = _divisor(b)
    return a - divisor * _div(a, divisor)


def _closure(rows: int, forward: bool, n: int, *bits: Any) -> np.ndarray:
    """The keys reachable from the start bits over the edges (edge[x][y]: x's parent is y),
    iterated until a round adds nothing: (n, rows) booleans.  Forward (`descendants`):
    x is reached when its parent is; backward (`ancestors`): y is reached when a reached
    key's parent is y."""
    reach = np.empty((n, rows), dtype=bool)
    edges = np.empty((n, n, rows), dtype=bool)
    for i in range(n):
        reach[i] = bits[i]
        for j in range(n):
            edges[i, j] = bits[n + i * n + j]
    if not forward:
        edges = edges.transpose(1, 0, 2)
    for _ in range(n):
        grown = reach | (edges & reach[None, :, :]).any(axis=1)
        if np.array_equal(grown, reach):
            break
        reach = grown
    return reach


def _ite(term: Term, c: str, a: str, b: str) -> str:
    """`if c then a else b` without np.where, which is slow on booleans, on small integer
    types and on unpredictable conditions (10-30x at 32,000 states): bit operations for
    booleans, arithmetic for integers (DT: the programs' integer type)."""
    if term.boolean:
        if a == "False":
            return f"~{c} & {b}"
        if b == "True":
            return f"~{c} | {a}"
        return f"{b} ^ ({c} & ({a} ^ {b}))"
    if a == "1" and b == "0":
        return f"{c}.astype(DT)"
    if a.lstrip("-").isdigit() and b.lstrip("-").isdigit():
        return f"{c}.astype(DT) * ({int(a) - int(b)}) + ({b})"
    return f"({b}) + (({a}) - ({b})) * {c}"


class Program:
    """`Program(outputs)(C)` is the tuple of the outputs' values on the batch `C`; an output
    that is a constant stays a constant.  `columns` lists the input columns it reads."""

    def __init__(self, outputs: list[Any], name: str = "program",
                 dtype: type[np.signedinteger[Any]] = np.int64):
        self.names: dict[int, str] = {}
        self.lines: list[str] = []
        self.columns: set[int] = set()
        self.size = 0
        self._render(schedule(outputs))
        returned = "".join(f"{self._value(x)}, " for x in outputs)
        body = "\n".join(self.lines)
        source = f"def {name}(C):\n{body}\n    return ({returned})\n"
        scope: dict[str, Any] = {"np": np, "_div": _div, "_mod": _mod, "_closure": _closure,
                                 "DT": dtype}
        exec(compile(source, f"<numaspec {name}>", "exec"), scope)  # noqa: S102
        self.run: Callable[[Any], tuple[Any, ...]] = scope[name]

    def __call__(self, columns: Any) -> tuple[Any, ...]:
        """The outputs on the batch `columns` (anything indexable by column number)."""
        return self.run(columns)

    def _render(self, items: list[Term | Block]) -> None:
        for item in items:
            if isinstance(item, Term):
                self._assign(item, "    ")
                continue
            cond = self._value(item.cond)
            test = f"{cond}.any()" if item.side else f"not {cond}.all()"
            self.lines.append(f"    if {test}:")
            for term in item.terms:
                self._assign(term, "        ")
            self.lines.append("    else:")
            for term in item.skipped:
                # only the other side of the ites using it is taken: any value will do
                self.lines.append(f"        {self.names[id(term)]} = "
                                  f"{'False' if term.boolean else '0'}")
            if not item.skipped:
                self.lines.append("        pass")

    def _assign(self, term: Term, indent: str) -> None:
        name = self.names[id(term)] = f"t{self.size}"
        self.size += 1
        self.lines.append(f"{indent}{name} = {self._expression(term)}")

    def _value(self, x: Any) -> str:
        if not isinstance(x, Term):
            assert isinstance(x, (bool, int)), x
            return repr(x)
        return self.names[id(x)]

    def _expression(self, term: Term) -> str:
        leaf = term.op in ("col", "colb")
        args = [] if leaf else [self._value(a) for a in term.args]
        match term.op:
            case "col":
                self.columns.add(term.args[0])
                return f"C[{term.args[0]}]"
            case "colb":
                self.columns.add(term.args[0])
                return f"(C[{term.args[0]}] != 0)"
            case "and" | "or" | "eq" | "lt" | "le" | "gt" | "ge" | "add" | "sub" | "mul":
                return f" {_INFIX[term.op]} ".join(f"({a})" if a.startswith("-") else a
                                                    for a in args)
            case "not":
                return f"~{args[0]}"
            case "ite":
                return _ite(term, *args)
            case "div" | "mod":
                return f"_{term.op}({args[0]}, {args[1]})"
            case "closure":
                return f"_closure(C.shape[1], {', '.join(args)})"
            case "item":
                return f"{args[0]}[{args[1]}]"
            case _:
                assert_never(term.op)  # type: ignore[arg-type]
