"""Diagnostics about trace files: the project's `file:line:col: error[E5xx]` with the line.

A trace can have millions of lines, so the diagnostic machinery (spec/diagnostics.py, which
renders a span from the full text of its file) is given only the offending line: the text
handed over is that line preceded by empty lines, which renders identically without keeping
the file in memory.
"""

from __future__ import annotations

import json
from typing import Any

from numaspec.spec.diagnostics import Diagnostic, Note, SpecError
from numaspec.spec.span import Span

MAX_LINE_BYTES = 1 << 20  # longer lines are refused (E502): a log line is never that long
_SHOWN = 400  # characters of a line kept for the excerpt (the renderer shortens it further)


def trace_error(code: str, message: str, path: str, line: int, text: str | None,
                col: int = 1, width: int | None = None, *notes: Note) -> SpecError:
    """A `SpecError` located at `line` (1-based) of the trace `path`, whose text is `text`.

    Without a `width` the caret underlines the rest of the line from `col`."""
    shown = (text or "")[:max(_SHOWN, col + 80)]
    end = col + (width if width is not None else max(len(shown) - col + 1, 1))
    span = Span(path, line, col, line, end)
    sources = {path: "\n" * (line - 1) + shown} if text is not None else {}
    return SpecError([Diagnostic(code, message, span, "error", tuple(notes))], sources)


def column_of(text: str, key: str, value: Any = None) -> tuple[int, int | None]:
    """Where `"key"` (or, with `value`, the value after it) is written in a JSON line:
    (1-based column, width); (1, None) when it cannot be found (the whole line is marked)."""
    quoted = json.dumps(key, ensure_ascii=False)
    at = text.find(quoted)
    if at < 0:
        return 1, None
    if value is None:
        return at + 1, len(quoted)
    rest = text.find(":", at + len(quoted))
    if rest < 0:
        return at + 1, len(quoted)
    start = rest + 1
    while start < len(text) and text[start] == " ":
        start += 1
    for separators in ((",", ":"), (", ", ": ")):
        shown = json.dumps(value, ensure_ascii=False, separators=separators)
        if text.startswith(shown, start):
            return start + 1, len(shown)
    return start + 1, 1


def short(data: Any, limit: int = 60) -> str:
    """A JSON value shortened for a message."""
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[:limit - 3] + "..."
