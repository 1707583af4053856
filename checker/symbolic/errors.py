"""The one exception of the symbolic encoding: a construct it cannot encode."""

from __future__ import annotations

from numaspec.spec.span import Span


class Unsupported(Exception):
    """A construct the symbolic encoding cannot translate (for the SMT engine or the
    vectorised search).  Raised without a span deep inside the encoding; the encoder of the
    enclosing expression, statement or declaration adds where it is (`located`)."""

    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.message, self.span = message, span

    def located(self, span: Span | None) -> Unsupported:
        """This error with `span` if it has none yet (the innermost location wins)."""
        return self if self.span is not None else Unsupported(self.message, span)
