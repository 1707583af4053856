"""Diagnostics: structured errors with a stable code and a span, and their rendering.

Every user-facing problem with a spec is a `Diagnostic`.  Phases after parsing collect them in a
`Diagnostics` list so the user sees all at once; `SpecError` carries the collected list out of
the front end.  Rendering follows the convention of docs/design.md ("Errors"):

    file:line:col: error[CODE]: message
     12 |   require v not in unmaping
        |                    ^^^^^^^^
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from numaspec.spec.codes import CODES
from numaspec.spec.span import Span

Severity = Literal["error", "warning"]


class NumaspecError(Exception):
    """Root of every exception numaspec raises on purpose."""


@dataclass(frozen=True, slots=True)
class Note:
    message: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span | None
    severity: Severity = "error"
    notes: tuple[Note, ...] = ()

    def __post_init__(self) -> None:
        assert self.code in CODES, f"diagnostic code {self.code} is not in the catalogue"

    def header(self) -> str:
        where = f"{self.span}: " if self.span is not None else ""
        return f"{where}{self.severity}[{self.code}]: {self.message}"


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics, filled by the front-end phases."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, span: Span | None, *notes: Note) -> None:
        self.items.append(Diagnostic(code, message, span, "error", tuple(notes)))

    def warning(self, code: str, message: str, span: Span | None, *notes: Note) -> None:
        self.items.append(Diagnostic(code, message, span, "warning", tuple(notes)))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)


class SpecError(NumaspecError):
    """Raised when a spec (or an argument about it) is invalid; holds every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic], sources: dict[str, str] | None = None):
        self.diagnostics = list(diagnostics)
        self.sources: dict[str, str] = dict(sources or {})
        first = self.diagnostics[0].header() if self.diagnostics else "invalid spec"
        super().__init__(first)


def fail(code: str, message: str, span: Span | None, *notes: Note) -> SpecError:
    """A `SpecError` with a single diagnostic (for phases that cannot go on after it)."""
    return SpecError([Diagnostic(code, message, span, "error", tuple(notes))])


def _gutter_width(span: Span) -> int:
    return len(str(span.line))


def _caret_line(line_text: str, span: Span) -> str:
    start = max(span.col - 1, 0)
    if span.end_line == span.line:
        width = max(span.end_col - span.col, 1)
    else:
        width = max(len(line_text) - start, 1)
    width = min(width, max(len(line_text) - start, 1))
    prefix = "".join(_blank(ch) for ch in line_text[:start])
    marked = line_text[start : start + width] or " "
    return prefix + "".join("^" * len(_blank(ch)) for ch in marked)


def _blank(char: str) -> str:
    """What a character occupies in a terminal: a tab, or one or two columns."""
    if char == "\t":
        return "\t"
    return "  " if unicodedata.east_asian_width(char) in ("W", "F") else " "


def excerpt(span: Span, sources: dict[str, str]) -> list[str]:
    """The source line of `span` with a caret under it, or nothing if the text is unknown."""
    text = sources.get(span.file)
    if text is None:
        return []
    lines = text.split("\n")
    if not 1 <= span.line <= len(lines):
        return []
    line_text = lines[span.line - 1].rstrip("\r")
    if len(line_text) > 200:  # keep a minified or generated line readable
        cut = max(span.col - 80, 0)
        shown = line_text[cut : cut + 160]
        line_text = ("…" if cut else "") + shown + ("…" if cut + 160 < len(line_text) else "")
        shift = cut - (1 if cut else 0)
        span = Span(span.file, span.line, span.col - shift, span.end_line, span.end_col - shift)
    pad = " " * _gutter_width(span)
    return [
        f" {span.line} | {line_text}",
        f" {pad} | {_caret_line(line_text, span)}",
    ]


def render(diagnostic: Diagnostic, sources: dict[str, str]) -> str:
    """Render one diagnostic: header line, source excerpt with caret, then notes."""
    out = [diagnostic.header()]
    if diagnostic.span is not None:
        out += excerpt(diagnostic.span, sources)
    for note in diagnostic.notes:
        where = f"{note.span}: " if note.span is not None else ""
        out.append(f"  = note: {where}{note.message}")
    return "\n".join(out)


def render_all(diagnostics: Iterable[Diagnostic], sources: dict[str, str]) -> str:
    return "\n".join(render(d, sources) for d in diagnostics)
