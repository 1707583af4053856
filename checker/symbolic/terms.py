"""Recorded terms: the leaves logic.py builds when it is run to *trace* an encoding.

The SMT encoders build Z3 terms; run on `Term` leaves instead, the same combinators record
the operations as a DAG of `Term`s, which checker/explicit/vector/program.py compiles into one
straight-line NumPy function per action instance.  Terms are hash-consed while a `tracing()`
block is open, so a sub-expression the encoder builds twice is computed once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


_interned: list[dict[tuple[Any, ...], Term]] = []
_BOOLEAN = {"colb", "and", "or", "not", "eq", "lt", "le", "gt", "ge", "item"}


def make(op: str, *args: Any) -> Term:
    """The term `op(args)`, shared with an equal one built earlier in this tracing."""
    assert op in OPS, op
    key = (op, *(("t", id(a)) if isinstance(a, Term) else ("c", type(a), a) for a in args))
    table = _interned[-1] if _interned else {}
    found = table.get(key)
    if found is None:
        boolean = op in _BOOLEAN or (op == "ite" and _is_bool(args[1]) and _is_bool(args[2]))
        found = table[key] = Term(op, args, boolean)
    return found


def _is_bool(x: Any) -> bool:
    return x.boolean if isinstance(x, Term) else isinstance(x, bool)


@contextmanager
def tracing() -> Iterator[None]:
    """Share equal terms built inside the block (and keep them alive, so ids stay unique)."""
    _interned.append({})
    try:
        yield
    finally:
        _interned.pop()
