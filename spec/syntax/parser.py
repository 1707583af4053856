"""Phase 1 of the front end: source text → AST (spec/syntax/nodes.py), with syntax diagnostics.

The grammar is the data file spec/syntax/grammar.lark (LALR(1)).  Tokens come from
spec/syntax/lexer.py (which also caps bracket nesting); the transformer in
spec/syntax/transformer.py runs inside the parser (one callback per reduction, no
intermediate lark tree), which keeps parsing linear in time and free of Python recursion.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from numaspec.spec.diagnostics import Note, SpecError, fail
from numaspec.spec.span import Span, point
from numaspec.spec.syntax import nodes
from numaspec.spec.syntax.hints import describe_expected, expected_texts, hint_for
from numaspec.spec.syntax.lalr_driver import LalrDriver
from numaspec.spec.syntax.lexer import FastLexer, Lexeme
from numaspec.spec.syntax.transformer import AstBuilder
from numaspec.spec.syntax.transformer_body import BodyBuilder


@cache
def _parser() -> lark.Lark:
    grammar = resources.files("numaspec.spec.syntax").joinpath("grammar.lark").read_text("utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        lexer=FastLexer,
        keep_all_tokens=True,
        maybe_placeholders=False,
        transformer=AstBuilder(),
        start=["start", "expr"],
        cache=True,  # LALR tables saved in the temp directory: start-up in 10 ms, not 500
    )


@cache
def _driver() -> tuple[LalrDriver, FastLexer]:
    parser = _parser()
    lexer = parser.parser.lexer  # lark wraps the lexer class; the instance is ours
    assert isinstance(lexer, FastLexer)
    return LalrDriver(parser), lexer


def scan(text: str) -> list[Lexeme]:
    """The lexemes of `text`, comments and white space included (see `FastLexer.scan`)."""
    return list(_driver()[1].scan(text))


def keywords() -> frozenset[str]:
    """The keywords of the grammar (words the lexer does not return as NAME)."""
    return frozenset(_driver()[1].keywords)


def _run(text: str, file: str, start: str) -> object:
    driver, lexer = _driver()
    BodyBuilder.current_file = file
    FastLexer.current_file = file
    return driver.parse(lexer.tokens(text, 0, len(text)), start)


def _token_span(file: str, token: lark.Token) -> Span:
    line = token.line or 1
    col = token.column or 1
    end_line = token.end_line or line
    end_col = token.end_column or col + 1
    return Span(file, line, col, end_line, end_col)


def parse_module(text: str, file: str) -> nodes.Module:
    """Parse one file.  Raises `SpecError` with one syntax diagnostic on failure."""
    try:
        module = _run(text, file, "start")
    except UnexpectedInput as err:
        raise _syntax_error(err, text, file, header=True) from None
    assert isinstance(module, nodes.Module)
    return module


def parse_module_or_none(text: str, file: str) -> nodes.Module | None:
    """`parse_module`, or None on a syntax error (no diagnostic is built)."""
    try:
        module = _run(text, file, "start")
    except (UnexpectedInput, SpecError):
        return None
    assert isinstance(module, nodes.Module)
    return module


def parse_expression(text: str, file: str) -> nodes.Expr:
    """Parse a lone expression (a `-D NAME=VALUE` value).  Raises `SpecError`."""
    try:
        return _run(text, file, "expr")  # type: ignore[return-value]
    except UnexpectedInput as err:
        raise _syntax_error(err, text, file) from None


def _syntax_error(err: UnexpectedInput, text: str, file: str, header: bool = False) -> SpecError:
    if isinstance(err, UnexpectedCharacters):
        return _bad_character(err, text, file)
    assert isinstance(err, UnexpectedToken)
    token = err.token
    texts = expected_texts(_parser(), err.expected)
    expected = describe_expected(texts)
    notes = [Note(f"expected {expected}")] if expected else []
    hint = hint_for(str(token), texts)
    if hint:
        notes.append(Note(hint))
    at_header = header and "SPEC" in err.expected
    if token.type == "$END" and at_header:
        what = "has only comments" if text.strip() else "is empty"
        return fail("E104", f"the file {what}: a spec starts with `spec NAME` or "
                    "`module NAME`", point(file, 1, 1))
    if token.type == "$END":
        line, col = _end_position(text)
        return fail("E102", "unexpected end of file", point(file, line, col), *notes)
    span = _token_span(file, token)
    if at_header:
        return fail("E104", f"expected `spec NAME` or `module NAME`, found `{token}`", span)
    return fail("E101", f"unexpected `{token}`", span, *notes)


def _bad_character(err: UnexpectedCharacters, text: str, file: str) -> SpecError:
    pos = err.pos_in_stream or 0
    char = text[pos] if pos < len(text) else ""
    span = point(file, err.line, err.column)
    if text.startswith("/*", pos):
        return fail("E105", "unterminated block comment: `/*` without `*/`", span)
    if char == '"':
        return fail("E105", "unterminated string literal", span)
    rest = text[pos : pos + 3]
    hint = hint_for(rest, expected_texts(_parser(), err.allowed or ()))
    notes = [Note(hint)] if hint else []
    shown = char if char.isprintable() else repr(char)
    return fail("E100", f"unexpected character `{shown}`", span, *notes)


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return len(lines), len(lines[-1]) + 1
