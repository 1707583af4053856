"""A fast lexer for the grammar in spec/syntax/grammar.lark, plugged into lark's LALR parser.

Lark's own lexer tries terminals one by one per token; this one matches a single compiled
regular expression and maps the text to lark's terminal names, about four times faster.  The
terminal set still comes from the grammar: at start-up every string terminal of the grammar is
classified as a keyword or a piece of punctuation, and the few pattern terminals are listed in
`OPERATORS` (checked against the grammar so the two cannot drift apart).  It also caps bracket
nesting, so that later, recursive phases cannot overflow the stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from lark import Token
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState

from numaspec.spec.diagnostics import Note, fail
from numaspec.spec.span import Span

MAX_NESTING = 100

# Pattern terminals of the grammar and the texts each one matches.
OPERATORS: dict[str, tuple[str, ...]] = {
    "COMP_OP": ("==", "!=", "<=", ">=", "<", ">"),
    "ADD_OP": ("+",),
    "MINUS": ("-",),
    "MUL_OP": ("*", "/", "%", "&"),
    "UPDATE_OP": ("+=", "-="),
}
_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_SKIPPED = ("WS", "COMMENT", "BLOCK_COMMENT")


class Lexeme(NamedTuple):
    """A piece of source text as editors see it: comments and white space included."""

    kind: str  # a terminal name, or WS, COMMENT, BLOCK_COMMENT, ERROR (a bad character)
    text: str
    offset: int


class FastLexer(Lexer):
    """Lark custom-lexer interface 2: `lex(lexer_state, parser_state)` yields Tokens."""

    __future_interface__ = 2
    current_file: ClassVar[str] = "<input>"

    def __init__(self, conf: Any):
        self.keywords: dict[str, str] = {}
        self.punctuation: dict[str, str] = {}
        for terminal in conf.terminals:
            pattern = terminal.pattern
            if pattern.type != "str":
                continue
            if re.fullmatch(_NAME, pattern.value):
                self.keywords[pattern.value] = terminal.name
            else:
                self.punctuation[pattern.value] = terminal.name
        names = {t.name for t in conf.terminals}
        assert set(OPERATORS) <= names, "lexer.OPERATORS and grammar.lark disagree"
        for name, texts in OPERATORS.items():
            self.punctuation.update(dict.fromkeys(texts, name))
        symbols = sorted(self.punctuation, key=len, reverse=True)
        self.regex = re.compile(
            r"(?P<WS>\s+)|(?P<COMMENT>//[^\n]*)|(?P<BLOCK_COMMENT>/\*.*?\*/)"
            rf"|(?P<NAME>{_NAME})|(?P<INT>[0-9]+)|(?P<STRING>\"(?:[^\"\\\n]|\\.)*\")"
            "|(?P<P>" + "|".join(re.escape(s) for s in symbols) + ")",
            re.S,
        )

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text = lexer_state.text.text
        assert isinstance(text, str)
        return self.tokens(text, lexer_state.text.start, lexer_state.text.end)

    def tokens(self, text: str, pos: int, end: int) -> Iterator[Token]:
        """The tokens of `text[pos:end]`; raises `UnexpectedCharacters` or E103."""
        line, line_start, depth = 1, 0, 0
        match = self.regex.match
        while pos < end:
            m = match(text, pos)
            if m is None:
                raise UnexpectedCharacters(text, pos, line, pos - line_start + 1)
            kind, value, stop = m.lastgroup or "", m.group(), m.end()
            if kind in _SKIPPED:
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = text.rindex("\n", pos, stop) + 1
                pos = stop
                continue
            if kind == "NAME":
                kind = self.keywords.get(value, "NAME")
            elif kind == "P":
                if value == "/" and text.startswith("/*", pos):
                    raise fail("E105", "unterminated block comment: `/*` without `*/`",
                               Span(FastLexer.current_file, line, pos - line_start + 1, line,
                                    pos - line_start + 3))
                kind = self.punctuation[value]
                if value in _OPENERS:
                    depth += 1
                    if depth > MAX_NESTING:
                        self._too_deep(line, pos - line_start + 1)
                elif value in _CLOSERS:
                    depth -= 1
            col = pos - line_start + 1
            yield Token(kind, value, pos, line, col, line, col + len(value), stop)
            pos = stop

    def scan(self, text: str) -> Iterator[Lexeme]:
        """Every piece of `text`, white space and comments too; never raises.

        For tools that keep what the parser drops (the formatter, the language server).  An
        unterminated comment or string and a bad character come out as one-character ERROR
        lexemes, so the pieces always add up to `text`.
        """
        pos, end, match = 0, len(text), self.regex.match
        while pos < end:
            m = match(text, pos)
            if m is None or (m.group() == "/" and text.startswith("/*", pos)):
                yield Lexeme("ERROR", text[pos], pos)
                pos += 1
                continue
            kind, value = m.lastgroup or "", m.group()
            if kind == "NAME":
                kind = self.keywords.get(value, "NAME")
            elif kind == "P":
                kind = self.punctuation[value]
            yield Lexeme(kind, value, pos)
            pos = m.end()

    def _too_deep(self, line: int, col: int) -> None:
        raise fail("E103", f"brackets nested more than {MAX_NESTING} deep",
                   Span(FastLexer.current_file, line, col, line, col + 1),
                   Note("split the expression with `let`, or generate flatter specs"))
