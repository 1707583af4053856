"""The vocabulary every engine shares: how a run ended, the limit that stopped it, progress.

Each engine's result keeps its own word for its verdict (`holds`, `proved`, `conforms`, ...)
and exposes the shared `Outcome` beside it, which is all a caller needs to act on: the CLI
maps an outcome to the exit status (`numaspec.cli.run`), and the Python API returns it.
"""

from __future__ import annotations

import enum
from typing import Protocol, TypeVar


class Outcome(enum.Enum):
    """How a run ended: every property decided held (or the trace conforms), one did not
    (a counterexample, a counterexample to induction, a divergence, a lint warning), or the
    run stopped at a resource limit before it could decide."""

    OK = "ok"
    VIOLATION = "violation"
    LIMIT = "limit"


class LimitReached(Exception):
    """Raised inside an engine when a resource limit ends the run; its message names the
    limit (`--max-states 100`, `--timeout 2.0 s`).  Engines catch it and return a result
    whose outcome is `Outcome.LIMIT`, with the partial statistics they have."""


Report_contra = TypeVar("Report_contra", contravariant=True)


class Progress(Protocol[Report_contra]):
    """A callback an engine calls now and then with a report of how far it got (its own
    report type: statistics, a line of text, ...).  It must return quickly and not raise;
    engines never print, so this is how a command shows progress."""

    def __call__(self, report: Report_contra, /) -> None: ...
