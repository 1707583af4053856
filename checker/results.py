"""The configure → run → report types shared by every checking engine.

`CheckOptions` configures a run; an engine returns a `CheckResult` (a verdict, at most one
`Finding`, statistics, warnings) and never prints.  The explicit engines are in
checker/explicit/; the reporting layer renders results as text, JSON and ITF.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from numaspec.model.findings import Finding
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import Diagnostic

Verdict = Literal["holds", "violated", "limit"]


@dataclass(frozen=True)
class CheckOptions:
    engine: Literal["bfs", "dfs"] = "bfs"
    symmetry: bool = True  # used only if the spec declares `symmetric Node`
    deadlock: bool = True
    liveness: bool = True
    max_states: int | None = None
    max_memory_mb: int | None = None
    timeout: float | None = None
    vectorise: bool = True  # bfs: evaluate whole levels with NumPy when the spec allows it
    # The time.perf_counter() at which the --timeout clock started; None: when the search
    # starts.  The CLI starts it before reading the spec, so the front end counts too.
    started: float | None = None


@dataclass
class Stats:
    distinct_states: int = 0
    transitions: int = 0
    depth: int = 0
    seconds: float = 0.0
    safety_seconds: float = 0.0  # the part of `seconds` spent on safety (0: all of it)
    peak_memory_mb: float = 0.0
    store_bytes_per_state: float = 0.0
    symmetry_group: int = 1
    coverage: Counter[str] = field(default_factory=Counter)  # action -> times fired
    liveness_states: int = 0  # nodes of the graph built for liveness (0: not built)
    liveness_graph: str = ""  # "quotient" (orbits), "full", or "full (not on the quotient: why)"
    evaluation: str = "interpreted"  # how states were stepped: interpreted or vectorised
    not_vectorised: str | None = None  # why a bfs that could not be vectorised was not

    @property
    def states_per_second(self) -> float:
        """Distinct states per second of the safety search."""
        seconds = self.safety_seconds or self.seconds
        return self.distinct_states / seconds if seconds > 0 else 0.0


@dataclass
class CheckResult:
    verdict: Verdict
    finding: Finding | None = None
    stats: Stats = field(default_factory=Stats)
    warnings: list[Diagnostic] = field(default_factory=list)  # severity "warning", W-codes
    stopped_by: str | None = None  # the limit that ended an incomplete search
    checked: list[str] = field(default_factory=list)  # the properties the run decided
    proved_by: str | None = None  # bounded engines: the invariants were proved for all depths

    @property
    def outcome(self) -> Outcome:
        """A complete search that never reached a `reachable` property failed it (the spec
        is vacuous): a violation, though no state breaks an invariant (docs/language.md)."""
        if self.verdict == "holds" and self.unreached:
            return Outcome.VIOLATION
        return _OUTCOME[self.verdict]

    @property
    def unreached(self) -> list[Diagnostic]:
        """The W701s: `reachable` properties a search that ran to its end never reached."""
        return [w for w in self.warnings if w.code == "W701"]


# Warnings that only a search that ran to the end can give: a counterexample (such as a
# deadlock found after the search) makes them void.
COMPLETE_SEARCH_ONLY = frozenset({"W701", "W702"})
_OUTCOME = {"holds": Outcome.OK, "violated": Outcome.VIOLATION, "limit": Outcome.LIMIT}
