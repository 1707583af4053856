"""A lean driver for lark's LALR(1) tables.

Lark builds the parse table and the reduction callbacks (our AST transformer) from
spec/syntax/grammar.lark; this loop runs them.  It does what lark's `ParserState.feed_token` does,
minus the generality we do not use (interactive parsing, error recovery, token callbacks),
which halves the time per token.  Syntax errors are raised as lark's `UnexpectedToken`, so
error reporting is shared with lark's own parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import lark
from lark import Token
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_analysis import Shift


class LalrDriver:
    def __init__(self, parser: lark.Lark):
        inner = parser.parser.parser.parser  # lark's _Parser: the table and the callbacks
        table = inner.parse_table
        self.start_states: dict[str, int] = dict(table.start_states)
        self.end_states: dict[str, int] = dict(table.end_states)
        self.rows: dict[int, dict[str, tuple[bool, Any]]] = {}
        for state, row in table.states.items():
            # Plain str keys: lark's are Tokens, whose __eq__ would cost a call per lookup.
            self.rows[state] = {
                str(symbol): (True, arg) if action is Shift else
                (False, (len(arg.expansion), _callback(inner, arg), str(arg.origin.name)))
                for symbol, (action, arg) in row.items()
            }

    def parse(self, tokens: Iterable[Token], start: str) -> Any:
        rows = self.rows
        states = [self.start_states[start]]
        values: list[Any] = []
        last: Token | None = None
        for token in tokens:
            self._reduce_then_shift(token, states, values, rows)
            last = token
        end = Token.new_borrow_pos("$END", "", last) if last else Token("$END", "", 0, 1, 1)
        return self._finish(end, states, values, self.end_states[start])

    def _reduce_then_shift(self, token: Token, states: list[int], values: list[Any],
                           rows: dict[int, dict[str, tuple[bool, Any]]]) -> None:
        kind = token.type
        while True:
            row = rows[states[-1]]
            entry = row.get(kind)
            if entry is None:
                raise UnexpectedToken(token, _terminals(row))
            shift, arg = entry
            if shift:
                states.append(arg)
                values.append(token)
                return
            size, callback, origin = arg
            if callback is None:  # `?rule: child`: the child itself, as lark would return
                states.pop()
            elif size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
                values.append(callback(children))
            else:
                values.append(callback([]))
            states.append(rows[states[-1]][origin][1])

    def _finish(self, end: Token, states: list[int], values: list[Any], end_state: int) -> Any:
        rows = self.rows
        while True:
            row = rows[states[-1]]
            entry = row.get("$END")
            if entry is None or entry[0]:
                raise UnexpectedToken(end, _terminals(row))
            size, callback, origin = entry[1]
            if callback is None:
                states.pop()
            else:
                children = values[-size:] if size else []
                if size:
                    del states[-size:]
                    del values[-size:]
                values.append(callback(children))
            states.append(rows[states[-1]][origin][1])
            if states[-1] == end_state:
                return values[-1]


def _callback(inner: Any, rule: Any) -> Callable[[list[Any]], Any] | None:
    """The reduction callback of `rule`; None for an inlined one-child `?rule` (the child)."""
    if rule.options.expand1 and len(rule.expansion) == 1 and rule.alias is None:
        return None
    return inner.callbacks[rule]  # type: ignore[no-any-return]


def _terminals(row: dict[str, Any]) -> set[str]:
    """The terminals a parser state accepts (rule names are lower case)."""
    return {s for s in row if s.isupper() or s == "$END"}
