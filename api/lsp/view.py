"""A loaded file as the language server sees it: text, lexemes, positions, local bindings.

Spans are 1-based (line, column) in code points, as the front end makes them; offsets index
the text.  Every function here accepts any text and any position (clamped), so the server
cannot crash on what an editor sends.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from numaspec.spec.elaborate.symbols import ModuleScope
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes
from numaspec.spec.syntax.lexer import Lexeme
from numaspec.spec.syntax.parser import scan

TRIVIA = frozenset({"WS", "COMMENT", "BLOCK_COMMENT"})


@dataclass(frozen=True)
class Place:
    """A source range in a file on disk (or an open editor buffer)."""

    path: Path
    span: Span


class FileView:
    """One file's text and its module scope if the file parsed; lexemes computed on demand."""

    def __init__(self, path: Path, text: str, scope: ModuleScope | None = None):
        self.path = path
        self.text = text
        self.scope = scope

    @cached_property
    def lexemes(self) -> list[Lexeme]:
        return scan(self.text)

    @cached_property
    def offsets(self) -> list[int]:
        """The offset of each lexeme."""
        return [lx.offset for lx in self.lexemes]

    @cached_property
    def starts(self) -> list[int]:
        """The offset of each line's first character."""
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def offset(self, line: int, col: int) -> int:
        """The offset of a 1-based (line, column), clamped into the text."""
        line = min(max(line, 1), len(self.starts))
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return min(start + max(col - 1, 0), end)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span_of(self, lexeme: Lexeme) -> Span:
        line, col = self.position(lexeme.offset)
        end_line, end_col = self.position(lexeme.offset + len(lexeme.text))
        return Span(str(self.path), line, col, end_line, end_col)

    def index_at(self, offset: int) -> int | None:
        """The index of the word (NAME or keyword) at or just before `offset`, if any."""
        i = bisect.bisect_right(self.offsets, offset) - 1
        for j in (i, i - 1):
            if 0 <= j < len(self.lexemes):
                lx = self.lexemes[j]
                if lx.offset <= offset <= lx.offset + len(lx.text) and _is_word(lx):
                    return j
        return None

    def previous(self, index: int, count: int = 1) -> Lexeme | None:
        """The `count`-th significant lexeme before `index` (comments and space skipped)."""
        j = index
        while count and j > 0:
            j -= 1
            if self.lexemes[j].kind not in TRIVIA:
                count -= 1
        return self.lexemes[j] if count == 0 and j >= 0 else None

    def item_at(self, line: int, col: int) -> nodes.Annotated | None:
        """The top-level declaration around a position."""
        if self.scope is None:
            return None
        for item in self.scope.loaded.ast.items:
            span = item.span
            if (span.line, span.col) <= (line, col) <= (span.end_line, span.end_col):
                return item
        return None

    def bindings(self, item: nodes.Annotated) -> list[tuple[str, int]]:
        """The local names an item binds (parameters, let, binders), with their offsets."""
        found = []
        for name, span in _binding_spans(item.decl):
            begin = self.offset(span.line, span.col)
            end = self.offset(span.end_line, span.end_col)
            for lx in self.lexemes:
                if begin <= lx.offset < end and lx.kind == "NAME" and lx.text == name:
                    found.append((name, lx.offset))
                    break
        return sorted(found, key=lambda entry: entry[1])


def _is_word(lexeme: Lexeme) -> bool:
    return lexeme.kind not in TRIVIA and (lexeme.text[:1].isalpha() or lexeme.text[:1] == "_")


def _binding_spans(node: object) -> Iterator[tuple[str, Span]]:
    """Every (name, span) a declaration binds locally, found by walking its AST."""
    stack = [node]
    while stack:
        current = stack.pop()
        match current:
            case nodes.Binder(names=names, span=span):
                yield from ((name, span) for name in names)
            case nodes.NamePattern(name=name, span=span):
                yield name, span
            case nodes.Placement(keys=keys) | nodes.WeightEntry(params=keys):
                yield from ((key.name, key.span) for key in keys)
        if isinstance(current, tuple):
            stack.extend(current)
        elif dataclasses.is_dataclass(current) and not isinstance(current, type):
            stack.extend(getattr(current, f.name) for f in dataclasses.fields(current))
