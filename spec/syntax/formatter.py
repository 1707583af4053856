"""`numaspec fmt`: a spec's canonical layout, computed from its lexemes (comments included).

The formatter keeps every token and comment in order and the author's line breaks; it changes
white space only: indentation (two spaces per open bracket, plus whatever extra indentation a
continuation line had relative to the first line of its bracket), the spacing between tokens
on a line, trailing white space, runs of blank lines (at most one kept) and the final newline.
Since the tokens do not change, the output parses to the same AST up to columns, hence the same
IR.  `format_text` re-lexes its own output and asserts exactly that.  Text with a syntax error
is refused with the parser's diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from numaspec.spec.syntax.lexer import Lexeme
from numaspec.spec.syntax.parser import parse_module, scan

INDENT = "  "
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())
_COMMENTS = ("COMMENT", "BLOCK_COMMENT")
# Tokens after which a `-` is binary and a `(` or `[` is a call or an index.
_OPERAND_END = frozenset({"NAME", "INT", "STRING", "TRUE", "FALSE", "NONE", "RPAR", "RSQB",
                          "RBRACE", "QMARK"})
_OPERATOR_KINDS = frozenset({"COMP_OP", "ADD_OP", "MINUS", "MUL_OP", "UPDATE_OP", "IN"})
# A line ending with one of these continues on the next; a line starting with one of the
# second set continues the previous one.  Anything else starts a statement or declaration.
_CONTINUED = frozenset({"=", ":=", "..", "->", "|", ":", ".", "and", "or", "implies",
                        "leads_to", "not", "then", "else", "where", "forall", "exists", "if",
                        "require", "assert", "let", "send", "to", "on", "placed", "capacity",
                        "receive", "as", "with", "import", "@"})
_CONTINUING = frozenset({"=", ":=", "..", "->", "|", ":", ".", "?", "and", "or", "implies",
                         "leads_to", "then", "else", "where", "to", "on", "placed", "capacity",
                         "receive", "as", "with", "not"})
_NO_SPACE_BEFORE = frozenset({",", ";", ":", ".", "?", ")", "]"})
_NO_SPACE_AFTER = frozenset({"(", "[", ".", "@"})


@dataclass
class _Line:
    """One source line: its tokens, the original gap before each, and its indentation."""

    tokens: list[Lexeme] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    indent: str = ""
    blank_before: bool = False


def format_text(text: str, file: str = "<input>") -> str:
    """`text` in canonical layout.  Raises `SpecError` if `text` does not parse."""
    parse_module(text, file)
    lexemes = scan(text.removeprefix("\ufeff"))
    out = _render(_lines(lexemes))
    assert _significant(scan(out)) == _significant(lexemes), "the formatter changed a token"
    return out


def _significant(lexemes: list[Lexeme]) -> list[str]:
    return [lx.text for lx in lexemes if lx.kind != "WS"]


def _lines(lexemes: list[Lexeme]) -> list[_Line]:
    lines = [_Line()]
    gap = ""
    for lexeme in lexemes:
        if lexeme.kind != "WS":
            lines[-1].tokens.append(lexeme)
            lines[-1].gaps.append(gap)
            gap = ""
            continue
        breaks = lexeme.text.count("\n")
        if breaks == 0:
            gap += lexeme.text
            continue
        gap = lexeme.text.rsplit("\n", 1)[1]
        lines.append(_Line(indent=gap.replace("\t", INDENT), blank_before=breaks > 1))
        gap = ""
    for line in lines:
        if line.gaps:
            line.gaps[0] = ""
    return [line for line in lines if line.tokens]


def _render(lines: list[_Line]) -> str:
    out: list[str] = []
    frames: list[int | None] = [0]  # per open bracket: original indentation of its first line
    start = (0, 0)  # the line that began the current statement: original indentation, depth
    last: Lexeme | None = None  # the last token (comments aside) so far
    for line in lines:
        closers = _leading_closers(line.tokens)
        depth = max(len(frames) - 1 - closers, 0)
        orig = len(line.indent)
        if frames[depth] is None:
            frames[depth] = orig
        if line.blank_before and out:
            out.append("")
        code = [t for t in line.tokens if t.kind not in _COMMENTS]
        if not code:
            out.append(INDENT * depth + _join(line))
            continue
        extra = 0
        if closers == 0 and _continues(last, code[0]):
            base = frames[depth]
            assert base is not None
            extra = max(orig - start[0], len(INDENT)) if depth == start[1] else \
                max(orig - base, 0)
        else:
            start = (orig, depth)
        out.append(INDENT * depth + " " * extra + _join(line))
        _track_brackets(code, frames)
        last = code[-1]
    return "\n".join(out) + "\n"


def _continues(last: Lexeme | None, first: Lexeme) -> bool:
    """Whether a line starting with `first` continues the one that ended with `last`."""
    if last is None or last.text in _OPEN or last.text == ",":
        return False  # a bracket's first line, or an item of a list, starts afresh
    if last.text in _CONTINUED or last.kind in _OPERATOR_KINDS:
        return True
    if first.text == "else" and last.text == "}":
        return False
    return first.text in _CONTINUING or first.kind in _OPERATOR_KINDS


def _leading_closers(tokens: list[Lexeme]) -> int:
    count = 0
    for token in tokens:
        if token.text not in _CLOSE:
            break
        count += 1
    return count


def _track_brackets(tokens: list[Lexeme], frames: list[int | None]) -> None:
    for token in tokens:
        if token.text in _OPEN:
            frames.append(None)
        elif token.text in _CLOSE and len(frames) > 1:
            frames.pop()


def _join(line: _Line) -> str:
    """The tokens of a line with normalised spacing; a trailing comment keeps its column."""
    parts: list[str] = []
    previous: Lexeme | None = None
    before: Lexeme | None = None
    width = column = 0  # of the new and of the original text, from the first token
    for token, gap in zip(line.tokens, line.gaps, strict=True):
        column += len(gap)
        if previous is None:
            space = ""
        elif token.kind == "COMMENT":
            space = " " * max(column - width, 1)  # keep aligned trailing comments aligned
        elif previous.kind in _COMMENTS or token.kind in _COMMENTS:
            space = " " * max(len(gap), 1)
        else:
            space = " " if _spaced(previous, token, gap, before) else ""
        parts.append(space + token.text)
        width += len(space) + len(token.text)
        column += len(token.text)
        before, previous = previous, token
    return "".join(parts)


def _spaced(a: Lexeme, b: Lexeme, gap: str, before: Lexeme | None) -> bool:
    """Whether white space separates tokens `a` and `b` (`gap`: what the author wrote)."""
    if a.text == "{" and b.text == "}":
        return False
    if b.text == ":" or (b.text in ("(", "[") and a.kind in _OPERAND_END):
        # `var x : T` beside `p: Page`; `f(x)` an application, `distance [[0, 1]]` not
        return gap != ""
    if b.text in _NO_SPACE_BEFORE or a.text in _NO_SPACE_AFTER:
        return False
    if a.text == "-" and (before is None or before.kind not in _OPERAND_END):
        return False  # a prefix minus (a token at the start of a line counts as no operand)
    if a.text == "{" or b.text == "}":
        return gap != ""  # `{a, b}` and `{ c: S where p }` are both in use: keep the author's
    return True
