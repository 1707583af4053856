"""Source spans: where in which file a piece of syntax came from (1-based lines and columns)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open source range; `end_col` is the column just after the last character."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def to(self, other: Span) -> Span:
        """The span from the start of `self` to the end of `other` (same file)."""
        return Span(self.file, self.line, self.col, other.end_line, other.end_col)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def point(file: str, line: int, col: int) -> Span:
    """A one-character span."""
    return Span(file, line, col, line, col + 1)
