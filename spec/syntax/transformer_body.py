"""Lark transformer callbacks for statements, patterns and expressions.

The parser runs with `keep_all_tokens=True` so that keywords and brackets contribute to spans:
each callback receives every child, computes the node's span from the first to the last child,
and keeps only the significant children (AST nodes, pieces, and value-carrying tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import lark
from lark import Token

from numaspec.spec.diagnostics import fail
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes as n
from numaspec.spec.syntax.hints import RESERVED_WORDS

MAX_INT_LITERAL = 2**63 - 1
_VALUE_TOKENS = frozenset(
    {"NAME", "INT", "STRING", "COMP_OP", "IN", "MINUS", "ADD_OP", "MUL_OP", "UPDATE_OP"}
)


@dataclass(frozen=True, slots=True)
class Piece:
    """An intermediate result of a helper rule (argument lists, binders, `where`, ...)."""

    kind: str
    value: Any
    span: Span


def string_value(token: lark.Token) -> str:
    return bytes(str(token)[1:-1], "utf-8").decode("unicode_escape", errors="replace")


def _check_not_reserved(name: str, span: Span) -> None:
    # The contextual lexer reads a keyword as a NAME where the keyword cannot occur; keywords
    # are reserved everywhere so that a spec never depends on that subtlety.
    if name in RESERVED_WORDS:
        raise fail("E101", f"`{name}` is a reserved word and cannot be used as a name", span)


class BodyBuilder(lark.Transformer[lark.Token, Any]):
    current_file: ClassVar[str] = "<input>"

    # ------------------------------------------------------------------ helpers
    def _prep(self, children: list[Any]) -> tuple[Span, list[Any]]:
        """The span from the first to the last child, and the significant children."""
        # The hottest function of the parser: written for speed, not beauty.
        file = BodyBuilder.current_file
        if not children:
            return Span(file, 1, 1, 1, 1), []
        first, last = children[0], children[-1]
        if type(first) is Token:
            line, col = first.line, first.column
        else:
            line, col = first.span.line, first.span.col
        if type(last) is Token:
            end_line, end_col = last.end_line, last.end_column
        else:
            end_line, end_col = last.span.end_line, last.span.end_col
        kept = [c for c in children if type(c) is not Token or c.type in _VALUE_TOKENS]
        # Tokens of spec/syntax/lexer.py always carry positions (lark types them as optional).
        return Span(file, line, col, end_line, end_col), kept  # type: ignore[arg-type]

    def _ident(self, token: lark.Token) -> n.Ident:
        span = Span(BodyBuilder.current_file, token.line or 1, token.column or 1,
                    token.end_line or 1, token.end_column or 1)
        _check_not_reserved(str(token), span)
        return n.Ident(str(token), span)

    def _pieces(self, kept: list[Any], kind: str) -> list[Any]:
        return [c.value for c in kept if isinstance(c, Piece) and c.kind == kind]

    def _piece(self, kept: list[Any], kind: str) -> Any:
        found = self._pieces(kept, kind)
        return found[0] if found else None

    def _exprs(self, kept: list[Any]) -> list[Any]:
        return [c for c in kept if not isinstance(c, (Piece, lark.Token))]

    # --------------------------------------------------------------- statements
    def block(self, ch: list[Any]) -> n.Block:
        span, kept = self._prep(ch)
        return n.Block(tuple(kept), span)

    def require_stmt(self, ch: list[Any]) -> n.Require:
        span, kept = self._prep(ch)
        return n.Require(kept[0], span)

    def assert_stmt(self, ch: list[Any]) -> n.Assert:
        span, kept = self._prep(ch)
        message = string_value(kept[1]) if len(kept) > 1 else None
        return n.Assert(kept[0], message, span)

    def let_stmt(self, ch: list[Any]) -> n.Let:
        span, kept = self._prep(ch)
        return n.Let(kept[0], kept[1], span)

    def assign_stmt(self, ch: list[Any]) -> n.Assign:
        span, kept = self._prep(ch)
        return n.Assign(kept[0], kept[1], span)

    def update_stmt(self, ch: list[Any]) -> n.Update:
        span, kept = self._prep(ch)
        return n.Update(kept[0], "+" if str(kept[1]) == "+=" else "-", kept[2], span)

    def delete_stmt(self, ch: list[Any]) -> n.Delete:
        span, kept = self._prep(ch)
        return n.Delete(kept[0], span)

    def call_stmt(self, ch: list[Any]) -> n.CallStmt:
        span, kept = self._prep(ch)
        return n.CallStmt(kept[0], span)

    def if_stmt(self, ch: list[Any]) -> n.If:
        span, kept = self._prep(ch)
        orelse = kept[2] if len(kept) > 2 else None
        return n.If(kept[0], kept[1], orelse, span)

    def for_stmt(self, ch: list[Any]) -> n.For:
        span, kept = self._prep(ch)
        return n.For(self._piece(kept, "binders"), self._piece(kept, "where"), kept[-1], span)

    def choose_stmt(self, ch: list[Any]) -> n.Choose:
        span, kept = self._prep(ch)
        return n.Choose(self._piece(kept, "binders"), self._piece(kept, "where"), kept[-1],
                        span)

    def send_stmt(self, ch: list[Any]) -> n.Send:
        span, kept = self._prep(ch)
        return n.Send(kept[0], kept[1], span)

    def where(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("where", kept[0], span)

    def binders(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("binders", tuple(kept), span)

    def binder_group(self, ch: list[Any]) -> n.Binder:
        span, kept = self._prep(ch)
        for token in kept[:-1]:
            self._ident(token)
        return n.Binder(tuple(str(t) for t in kept[:-1]), kept[-1], span)

    # ----------------------------------------------------------------- patterns
    def name_pattern(self, ch: list[Any]) -> n.NamePattern:
        span, kept = self._prep(ch)
        _check_not_reserved(str(kept[0]), span)
        return n.NamePattern(str(kept[0]), span)

    def wildcard_pattern(self, ch: list[Any]) -> n.WildcardPattern:
        span, _ = self._prep(ch)
        return n.WildcardPattern(span)

    def tuple_pattern(self, ch: list[Any]) -> n.TuplePattern:
        span, kept = self._prep(ch)
        return n.TuplePattern(tuple(kept), span)

    # -------------------------------------------------------------- expressions
    def _binary(self, ch: list[Any], op: n.BinaryOp) -> n.Binary:
        span, kept = self._prep(ch)
        return n.Binary(op, kept[0], kept[-1], span)

    def leads_to_op(self, ch: list[Any]) -> n.Binary:
        return self._binary(ch, "leads_to")

    def implies_op(self, ch: list[Any]) -> n.Binary:
        return self._binary(ch, "implies")

    def range_op(self, ch: list[Any]) -> n.Binary:
        return self._binary(ch, "..")

    def _chain(self, ch: list[Any], op: n.BinaryOp) -> Any:
        _, kept = self._prep(ch)
        result = kept[0]
        for operand in kept[1:]:
            result = n.Binary(op, result, operand, result.span.to(operand.span))
        return result

    def or_chain(self, ch: list[Any]) -> Any:
        return self._chain(ch, "or")

    def and_chain(self, ch: list[Any]) -> Any:
        return self._chain(ch, "and")

    def not_op(self, ch: list[Any]) -> n.Unary:
        span, kept = self._prep(ch)
        return n.Unary("not", kept[0], span)

    def neg(self, ch: list[Any]) -> n.Unary:
        span, kept = self._prep(ch)
        return n.Unary("-", kept[-1], span)

    def compare(self, ch: list[Any]) -> n.Binary:
        span, kept = self._prep(ch)
        return n.Binary(str(kept[1]), kept[0], kept[2], span)  # type: ignore[arg-type]

    def not_in(self, ch: list[Any]) -> n.Binary:
        return self._binary(ch, "not in")

    def arith(self, ch: list[Any]) -> n.Binary:
        span, kept = self._prep(ch)
        return n.Binary(str(kept[1]), kept[0], kept[2], span)  # type: ignore[arg-type]

    def _quantifier(self, ch: list[Any], kind: Any) -> n.Quantifier:
        span, kept = self._prep(ch)
        return n.Quantifier(kind, self._piece(kept, "binders"), self._piece(kept, "where"),
                            kept[-1], span)

    def forall(self, ch: list[Any]) -> n.Quantifier:
        return self._quantifier(ch, "forall")

    def exists(self, ch: list[Any]) -> n.Quantifier:
        return self._quantifier(ch, "exists")

    def if_expr(self, ch: list[Any]) -> n.IfExpr:
        span, kept = self._prep(ch)
        return n.IfExpr(kept[0], kept[1], kept[2], span)

    def call(self, ch: list[Any]) -> n.Call:
        span, kept = self._prep(ch)
        return n.Call(kept[0], self._piece(kept, "args"), span)

    def index(self, ch: list[Any]) -> n.Index:
        span, kept = self._prep(ch)
        return n.Index(kept[0], self._piece(kept, "args"), span)

    def field_access(self, ch: list[Any]) -> n.FieldAccess:
        span, kept = self._prep(ch)
        return n.FieldAccess(kept[0], str(kept[1]), span)

    def tuple_get(self, ch: list[Any]) -> n.TupleGet:
        span, kept = self._prep(ch)
        return n.TupleGet(kept[0], _small_int(str(kept[1]), span), span)

    def option_type(self, ch: list[Any]) -> n.OptionType:
        span, kept = self._prep(ch)
        return n.OptionType(kept[0], span)

    def args(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("args", tuple(kept), span)

    # -------------------------------------------------------------------- atoms
    def int_lit(self, ch: list[Any]) -> n.IntLit:
        span, kept = self._prep(ch)
        return n.IntLit(_small_int(str(kept[0]), span), span)

    def true_lit(self, ch: list[Any]) -> n.BoolLit:
        return n.BoolLit(True, self._prep(ch)[0])

    def false_lit(self, ch: list[Any]) -> n.BoolLit:
        return n.BoolLit(False, self._prep(ch)[0])

    def none_lit(self, ch: list[Any]) -> n.NoneLit:
        return n.NoneLit(self._prep(ch)[0])

    def name(self, ch: list[Any]) -> n.Name:
        span, kept = self._prep(ch)
        _check_not_reserved(str(kept[0]), span)
        return n.Name(str(kept[0]), span)

    def paren(self, ch: list[Any]) -> Any:
        """A parenthesised expression: the expression itself."""
        return self._prep(ch)[1][0]

    def tuple_lit(self, ch: list[Any]) -> n.TupleLit:
        span, kept = self._prep(ch)
        return n.TupleLit(tuple(kept), span)

    def seq_lit(self, ch: list[Any]) -> n.SeqLit:
        span, kept = self._prep(ch)
        return n.SeqLit(self._piece(kept, "args"), span)

    def empty_braces(self, ch: list[Any]) -> n.EmptyBraces:
        return n.EmptyBraces(self._prep(ch)[0])

    def set_lit(self, ch: list[Any]) -> n.SetLit:
        span, kept = self._prep(ch)
        return n.SetLit(tuple(kept), span)

    def map_lit(self, ch: list[Any]) -> n.MapLit:
        span, kept = self._prep(ch)
        return n.MapLit(tuple(self._pieces(kept, "entry")), span)

    def map_entry(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("entry", (kept[0], kept[1]), span)

    def field(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("field", (str(kept[0]), kept[1], span), span)

    def record_lit(self, ch: list[Any]) -> n.RecordLit:
        span, kept = self._prep(ch)
        return n.RecordLit(tuple(self._pieces(kept, "field")), span)

    def _comprehension(self, ch: list[Any], kind: Any, element_at: int | None) -> Any:
        span, kept = self._prep(ch)
        binders = tuple(n.Binder((name,), dom, fspan)
                        for name, dom, fspan in self._pieces(kept, "field"))
        element = kept[element_at] if element_at is not None else None
        return n.Comprehension(kind, binders, self._piece(kept, "where"), element, span)

    def set_filter(self, ch: list[Any]) -> n.Comprehension:
        return self._comprehension(ch, "filter", None)

    def set_image(self, ch: list[Any]) -> n.Comprehension:
        return self._comprehension(ch, "image", 0)

    def map_comp(self, ch: list[Any]) -> n.Comprehension:
        return self._comprehension(ch, "map", -1)


def _small_int(digits: str, span: Span) -> int:
    """The value of a decimal literal, or E106 if it exceeds 2^63 - 1.

    The length is checked before `int()`: Python refuses to convert more than 4,300 digits
    (a ValueError), and a literal that long is too large anyway."""
    if len(digits.lstrip("0")) > len(str(MAX_INT_LITERAL)) or int(digits) > MAX_INT_LITERAL:
        shown = digits if len(digits) <= 60 else f"{digits[:12]}...{digits[-6:]} " \
            f"({len(digits)} digits)"
        raise fail("E106", f"integer literal {shown} does not fit in 64 bits", span)
    return int(digits)
