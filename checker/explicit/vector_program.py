"""Straight-line NumPy programs compiled from recorded terms (checker/smt/terms.py).

A `Program` computes a list of outputs (Terms or constants) from a column matrix `C` (one row
per column, one entry per state of a batch, int64): each Term becomes one assignment of a
NumPy expression to a local variable, in dependency order, in one generated Python function.
Running it costs one NumPy operation per distinct Term and nothing per IR node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, assert_never

import numpy as np

from numaspec.checker.smt.terms import Term

_INFIX = {"and": "&", "or": "|", "eq": "==", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
          "add": "+", "sub": "-", "mul": "*"}


def _div(a: Any, b: Any) -> Any:
    """Division truncating towards zero; a zero divisor (a failure the step records) gives
    a meaningless quotient instead of a NumPy warning."""
    divisor = np.where(np.equal(b, 0), 1, b)
    return np.abs(a) // np.abs(divisor) * np.sign(a) * np.sign(divisor)


def _mod(a: Any, b: Any) -> Any:
    divisor = np.where(np.equal(b, 0), 1, b)
    return a - divisor * _div(a, divisor)


class Program:
    """`Program(outputs)(C)` is the tuple of the outputs' values on the batch `C`; an output
    that is a constant stays a constant.  `columns` lists the input columns it reads."""

    def __init__(self, outputs: list[Any], name: str = "program"):
        self.names: dict[int, str] = {}
        self.lines: list[str] = []
        self.columns: set[int] = set()
        results = [self._value(x) for x in outputs]
        body = "\n".join(f"    {line}" for line in self.lines)
        returned = "".join(f"{r}, " for r in results)
        source = f"def {name}(C):\n{body}\n    return ({returned})\n"
        scope: dict[str, Any] = {"np": np, "_div": _div, "_mod": _mod}
        exec(compile(source, f"<numaspec {name}>", "exec"), scope)  # noqa: S102
        self.run: Callable[[np.ndarray], tuple[Any, ...]] = scope[name]
        self.size = len(self.lines)

    def __call__(self, columns: np.ndarray) -> tuple[Any, ...]:
        return self.run(columns)

    def _value(self, x: Any) -> str:
        if not isinstance(x, Term):
            assert isinstance(x, (bool, int)), x
            return repr(x)
        name = self.names.get(id(x))
        if name is None:
            self._emit_arguments(x)
            name = f"t{len(self.lines)}"
            self.lines.append(f"{name} = {self._expression(x)}")
            self.names[id(x)] = name
        return name

    def _emit_arguments(self, term: Term) -> None:
        """Emit the arguments of `term` first, iteratively (terms can nest deeply)."""
        stack = [term]
        while stack:
            top = stack[-1]
            if id(top) in self.names:
                stack.pop()
                continue
            pending = [a for a in top.args if isinstance(a, Term) and id(a) not in self.names]
            if pending:
                stack.extend(pending)
            elif top is term:
                return
            else:
                stack.pop()
                self.names[id(top)] = f"t{len(self.lines)}"
                self.lines.append(f"{self.names[id(top)]} = {self._expression(top)}")

    def _expression(self, term: Term) -> str:
        args = [self._value(a) for a in term.args] if term.op not in ("col", "colb") else []
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
                return f"np.where({args[0]}, {args[1]}, {args[2]})"
            case "div" | "mod":
                return f"_{term.op}({args[0]}, {args[1]})"
            case _:
                assert_never(term.op)  # type: ignore[arg-type]
