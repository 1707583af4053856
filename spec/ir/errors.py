"""The run-time error of the IR's meaning, shared by the reference evaluator and the
built-ins (spec/ir/evaluate.py, spec/ir/builtins.py)."""

from __future__ import annotations

from numaspec.spec.span import Span


class EvalError(Exception):
    """A run-time error of the spec (absent key, unwrap of none, empty min, ...); `kind` is
    the violation it is ("runtime", or "range" for a value built outside its type)."""

    def __init__(self, message: str, span: Span | None, kind: str = "runtime"):
        super().__init__(message)
        self.message = message
        self.span = span
        self.kind = kind
