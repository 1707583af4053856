"""Which lint warnings are shown: library code, `--ignore CODE` and `// lint: ignore CODE`.

`numaspec lint` gates CI, so a warning must be one the spec's author can act on:

- a warning in the standard library (spec/lib/, e.g. a branch of an L4 primitive that the
  protocol never takes) is not shown unless `include_lib`;
- a code in `ignore` is never shown;
- a comment `// lint: ignore W613` (several codes separated by commas or spaces) on the
  warning's line, or alone on the line just above it, suppresses that code there.  At a call
  site (the notes of a warning inside a `proc` or `kernel`, checker/smt/lint.py) it
  suppresses the warning for that call; a warning whose every call site is suppressed is
  not shown.

Pure: the warnings and the source texts in, a `Selection` out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from numaspec.checker.smt.lint import CALL_SITE
from numaspec.spec.diagnostics import Diagnostic
from numaspec.spec.loader import stdlib_dir
from numaspec.spec.span import Span

_COMMENT = re.compile(r"//\s*lint:\s*ignore\b(?P<codes>[\sA-Za-z0-9,]*)")
_CODE = re.compile(r"[EW]\d{3}")


@dataclass(frozen=True)
class Selection:
    """The warnings to show; how many were left out as library code, and how many were
    suppressed by `ignore` or a comment."""

    shown: list[Diagnostic]
    library: int = 0
    suppressed: int = 0


def select(warnings: Iterable[Diagnostic], sources: Mapping[str, str],
           ignore: Iterable[str] = (), include_lib: bool = False) -> Selection:
    """The warnings a user should see (module docstring for the rules)."""
    ignored, library = frozenset(ignore), stdlib_dir().resolve()
    comments = _Comments(sources)
    shown, in_library, suppressed = [], 0, 0
    for warning in warnings:
        if not include_lib and _in(warning.span, library):
            in_library += 1
            continue
        kept = None if warning.code in ignored else comments.filter(warning)
        if kept is None:
            suppressed += 1
        else:
            shown.append(kept)
    return Selection(shown, in_library, suppressed)


def _in(span: Span | None, directory: Path) -> bool:
    return span is not None and Path(span.file).resolve().is_relative_to(directory)


class _Comments:
    """The `// lint: ignore` comments of the source texts, read on demand."""

    def __init__(self, sources: Mapping[str, str]):
        self.sources = sources
        self.lines: dict[str, list[str]] = {}

    def ignores(self, span: Span | None, code: str) -> bool:
        """Whether a comment suppresses `code` at the line of `span` (or the line above, if
        that line holds nothing but the comment)."""
        if span is None:
            return False
        lines = self.lines.setdefault(span.file, self.sources.get(span.file, "").splitlines())
        here = span.line - 1
        if 0 <= here < len(lines) and code in _codes(lines[here]):
            return True
        above = here - 1
        return 0 <= above < len(lines) and lines[above].lstrip().startswith("//") and \
            code in _codes(lines[above])

    def filter(self, warning: Diagnostic) -> Diagnostic | None:
        """The warning without its suppressed call sites; None if it is suppressed."""
        if self.ignores(warning.span, warning.code):
            return None
        sites = [n for n in warning.notes if n.message.startswith(CALL_SITE)]
        kept = [n for n in warning.notes
                if n not in sites or not self.ignores(n.span, warning.code)]
        if sites and len(kept) == len(warning.notes) - len(sites):
            return None  # every call site is suppressed
        return replace(warning, notes=tuple(kept))


def _codes(line: str) -> set[str]:
    match = _COMMENT.search(line)
    return set(_CODE.findall(match.group("codes").upper())) if match else set()
