"""Re-parsing an edited file declaration by declaration (for the language server).

A top-level declaration always starts with a declaration keyword or an annotation, and none of
those can occur inside another declaration, so a line starting with one at column 1 begins a
new declaration.  `ParseCache.parse` cuts the text at such lines, parses each piece on its own
(padded so that its lines and columns are the file's) and reuses the pieces whose text did
not change since the last call, moved to their new lines if lines were added or removed above
them.  The result equals `parse_module` of the whole
text; if any piece fails to parse (or the text has a block comment, which could hide a cut),
the whole text is parsed, so syntax errors are exactly those of `parse_module`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes
from numaspec.spec.syntax.parser import parse_module, parse_module_or_none

_CUT = re.compile(
    r"^(?=(?:import|topology|const|type|enum|var|channel|fun|proc|kernel|action|init|invariant"
    r"|property|reachable|final|fair|symmetric|workload)\b|@)", re.M)
_ANNOTATIONS = re.compile(r"(?:\s*@\w+|\s*//[^\n]*)+\s*")



@dataclass
class ParseCache:
    """The declarations of the last parse of each file, by piece of text and position."""

    # file -> text of a piece -> (its first line, its declarations)
    pieces: dict[str, dict[str, tuple[int, tuple[nodes.Annotated, ...]]]] = field(
        default_factory=dict)

    def parse(self, text: str, file: str) -> nodes.Module:
        """Like `parse_module(text, file)`; raises `SpecError` on a syntax error."""
        cuts = _cuts(text)
        if not cuts or cuts[0] == 0 or "/*" in text:
            self.pieces.pop(file, None)
            return parse_module(text, file)
        old = self.pieces.get(file, {})
        new: dict[str, tuple[int, tuple[nodes.Annotated, ...]]] = {}
        header = parse_module_or_none(text[: cuts[0]], file)
        if header is None:
            self.pieces.pop(file, None)
            return parse_module(text, file)
        items: list[nodes.Annotated] = []
        line = text.count("\n", 0, cuts[0]) + 1
        for begin, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
            piece = text[begin:end]
            found = old.get(piece) or new.get(piece)
            if found is None:
                module = parse_module_or_none("module m" + "\n" * (line - 1) + piece, file)
                if module is None:
                    self.pieces.pop(file, None)
                    return parse_module(text, file)  # the error as a whole parse reports it
                found = (line, module.items)
            elif found[0] != line:
                found = (line, _moved(found[1], line - found[0]))
            new[piece] = found
            items.extend(found[1])
            line += piece.count("\n")
        self.pieces[file] = new
        return _joined(header, items)


def _cuts(text: str) -> list[int]:
    """Where pieces begin: at each declaration line, except right after an annotation."""
    cuts: list[int] = []
    for match in _CUT.finditer(text):
        at = match.start()
        if cuts and _ANNOTATIONS.fullmatch(text, cuts[-1], at):
            continue  # `@pagefault` on its own line belongs to the declaration below
        cuts.append(at)
    return cuts


def _moved(node: Any, lines: int) -> Any:
    """`node` (an AST node, a tuple of them, or a leaf) with every span `lines` lower."""
    kind = type(node)
    if kind in _LEAVES:
        return node
    if kind is Span:
        return Span(node.file, node.line + lines, node.col, node.end_line + lines, node.end_col)
    if kind is tuple:
        return tuple([_moved(item, lines) for item in node])
    names = getattr(kind, "__dataclass_fields__", None)
    if names is None:
        return node
    return kind(*[_moved(getattr(node, name), lines) for name in names])


_LEAVES = frozenset({str, int, bool, type(None)})


def _joined(header: nodes.Module, items: list[nodes.Annotated]) -> nodes.Module:
    span = header.span
    if items:
        last = items[-1].span
        span = Span(span.file, span.line, span.col, last.end_line, last.end_col)
    return nodes.Module(header.kind, header.name, (*header.items, *items), header.path, span)
