"""The source text a span covers, for messages that quote the spec."""

from __future__ import annotations

from numaspec.spec.span import Span

MAX_QUOTE = 100


def span_text(sources: dict[str, str], span: Span | None) -> str | None:
    """The text of `span` on one line (a multi-line span is cut at its first line's end);
    None when the file's text is unknown or the span lies outside it."""
    if span is None or span.file not in sources:
        return None
    lines = sources[span.file].split("\n")
    if not 1 <= span.line <= len(lines):
        return None
    line = lines[span.line - 1].rstrip("\r")
    end = span.end_col - 1 if span.end_line == span.line else len(line)
    text = line[span.col - 1:end].strip()
    if not text:
        return None
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE - 3] + "..."
