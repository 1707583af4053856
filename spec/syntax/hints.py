"""Readable syntax-error messages: names for expected tokens, and hints for common slips.

In the spirit of lark's `match_examples`: the mistakes that people coming from C, Python, TLA+
or Promela make most often get a one-line suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable

import lark

_CLASS_NAMES = {
    "NAME": "a name",
    "INT": "an integer",
    "STRING": 'a string "..."',
    "COMP_OP": "a comparison",
    "ADD_OP": "`+` or `-`",
    "MUL_OP": "`*`, `/`, `%` or `&`",
    "UPDATE_OP": "`+=` or `-=`",
    "IN": "`in`",
    "MINUS": "`-`",
    "$END": "end of input",
}

RESERVED_WORDS = frozenset({
    "spec", "module", "import", "as", "with", "topology", "const", "type", "enum", "var",
    "channel", "capacity", "placed", "on", "fun", "proc", "kernel", "action", "receive",
    "init", "invariant", "property", "reachable", "final", "fair", "symmetric", "require",
    "assert", "let", "delete", "if", "then", "else", "for", "choose", "send", "to", "where",
    "forall", "exists", "not", "and", "or", "implies", "leads_to", "in", "true", "false",
    "none", "workload", "weight",
})

# (token text, hint) — checked in order against the offending token.
_TOKEN_HINTS: list[tuple[str, str]] = [
    ("&&", "write `and` for logical conjunction"),
    ("&", "write `and` for logical conjunction (`&` is set intersection)"),
    ("||", "write `or` for logical disjunction"),
    ("|", "write `or` for logical disjunction"),
    ("!", "write `not` for negation (`!=` is inequality)"),
    ("==>", "write `implies`"),
    ("=>", "write `implies`"),
    ("\\/", "write `or`"),
    ("/\\", "write `and`"),
    ("'", "numaspec has no primed variables: assign with `x := e` inside an action"),
]


def expected_texts(parser: lark.Lark, expected: Iterable[str]) -> set[str]:
    """The literal text of each expected terminal (`:=`, `{`), or its class name (NAME)."""
    texts = set()
    for name in expected:
        try:
            pattern = parser.get_terminal(name).pattern
        except KeyError:
            texts.add(name)
            continue
        texts.add(pattern.value if pattern.type == "str" else name)
    return texts


def describe_expected(texts: set[str]) -> str:
    """'one of `:=`, `(`, a name' — sorted, deduplicated, at most 8 entries."""
    shown = sorted({_CLASS_NAMES.get(t, f"`{t}`") for t in texts})
    if not shown:
        return ""
    if len(shown) > 8:
        shown = shown[:8] + ["..."]
    return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)


def hint_for(text: str, expected: set[str]) -> str | None:
    """A suggestion for a common mistake, or None.  `expected` is from `expected_texts`."""
    # Where a value could start, a keyword is a missing value rather than a misused name.
    if text in RESERVED_WORDS and "NAME" in expected and "INT" not in expected:
        return f"`{text}` is a reserved word and cannot be used as a name"
    if text == "=" and ":=" in expected:
        return "assignment is written `:=`; `=` is only for `let`, `const` and initial values"
    if text == "=" and "COMP_OP" in expected:
        return "equality is written `==`"
    for bad, hint in _TOKEN_HINTS:
        if text.startswith(bad):
            return hint
    return None
