"""Trace validation: does a trace describe a behaviour of the spec?  Configure, run, report.

`validate(model, binder, records, options)` feeds the records to the frontier engine
(traces/frontier.py) and returns a `ValidationResult`; it never prints.  The verdict is
"conforms", "diverges" (with a `Divergence`: the line, the event, the matched prefix and why
each candidate refused, from traces/explain.py) or "limit" (too many candidate states, or
Ctrl-C: `stopped_by` says which; the counts are those of the prefix matched until then).

A malformed line raises `SpecError`, also after a divergence: the rest of the trace is still
read and bound (not run), so a malformed file is always bad input (exit 2) and never mistaken
for a trace that does not conform (exit 1).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from numaspec.model.machine import Model
from numaspec.model.outcome import LimitReached, Outcome, Progress
from numaspec.spec.diagnostics import Diagnostic
from numaspec.traces.bind import Binder, BoundEvent, BoundObservation, Check
from numaspec.traces.explain import CandidateReport, explain
from numaspec.traces.frontier import Frontier, FrontierOptions, Rejection, Sink
from numaspec.traces.records import Event, Observation, Record

Verdict = Literal["conforms", "diverges", "limit"]


class TraceProgress(NamedTuple):
    """How far validation got: events matched so far, and the trace line it is at."""

    events: int
    line: int



@dataclass
class Divergence:
    line: int
    text: str
    label: str  # the event (`fault(n=1, v=0)`) or "state observation"
    matched_events: int  # events before it that matched
    last_matched_line: int | None
    candidates: list[CandidateReport]
    candidate_count: int
    state: int | None = None  # ITF: the index of the state that diverges (lines may be shared)
    # per-node logs (traces/causal/): the node, its log, and for each other node the last
    # of its events that causally precede this one ("node 1: f1.jsonl:7 fault(n=1, v=0)")
    node: int | None = None
    path: str | None = None
    preceding: list[str] = field(default_factory=list)


@dataclass
class ValidationResult:
    verdict: Verdict
    events: int = 0
    observations: int = 0
    hidden_steps: int = 0  # inferred on the matched behaviour
    largest_frontier: int = 0
    seconds: float = 0.0
    divergence: Divergence | None = None
    limit_line: int | None = None  # where the frontier outgrew the limit; Ctrl-C: the last
    # line that matched
    stopped_by: str | None = None  # "--max-frontier" or "interrupted" (Ctrl-C)
    warnings: list[Diagnostic] = field(default_factory=list)  # severity "warning", W-codes

    @property
    def outcome(self) -> Outcome:
        return {"conforms": Outcome.OK, "diverges": Outcome.VIOLATION,
                "limit": Outcome.LIMIT}[self.verdict]

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


class _Run:
    def __init__(self, model: Model, binder: Binder, options: FrontierOptions,
                 sink: Sink | None, progress: Progress[TraceProgress] | None):
        self.model, self.binder = model, binder
        self.sources: dict[str, str] = {}
        self.engine = Frontier(model, options, sink)
        self.result = ValidationResult("conforms")
        self.progress = progress
        self.last_line: int | None = None  # of the last record that matched
        self.line = 0  # of the record being matched
        self.state: int | None = None  # its ITF state index

    def feed(self, records: Iterable[Record]) -> Rejection | None:
        event, observation = Event, Observation
        bind_event, bind_observation = self.binder.event, self.binder.observation
        engine, result = self.engine, self.result
        for record in records:
            kind = type(record)
            self.line = record.line
            if kind is event:
                self.state = record.state  # type: ignore[union-attr,assignment]
                rejection = engine.event(bind_event(record))  # type: ignore[arg-type]
                if rejection is not None:
                    return rejection
                result.events += 1
                if self.progress is not None and not result.events & 0xFFFF:
                    self.progress(TraceProgress(result.events, record.line))
            elif kind is observation:
                self.state = record.index  # type: ignore[union-attr]
                rejection = engine.observe(bind_observation(record))  # type: ignore[arg-type]
                if rejection is not None:
                    return rejection
                result.observations += 1
            else:
                continue  # the header, already used to compile the spec
            self.last_line = record.line
        return None

    def drain(self, records: Iterable[Record]) -> None:
        """Bind the rest of the trace: a malformed line still raises SpecError."""
        for record in records:
            if type(record) is Event:
                _typecheck(self.binder.event(record).post)  # type: ignore[arg-type]
            elif type(record) is Observation:
                _typecheck(self.binder.observation(record).checks)  # type: ignore[arg-type]

    def divergence(self, rejection: Rejection) -> Divergence:
        item: BoundEvent | BoundObservation = rejection.event or rejection.observation  # type: ignore[assignment]
        _typecheck(item.post if isinstance(item, BoundEvent) else item.checks)
        label = rejection.event.label if rejection.event else "state observation"
        reports = explain(self.model, rejection, self.sources)
        return Divergence(item.line, item.text, label, self.result.events, self.last_line,
                          reports, len(rejection.candidates), self.state)


def _typecheck(checks: tuple[Check, ...]) -> None:
    """Decode every observed value (checks decode lazily): SpecError E506 if ill-typed."""
    for check in checks:
        check.value  # noqa: B018 - decoding is the point


def validate(model: Model, binder: Binder, records: Iterable[Record],
             options: FrontierOptions, sink: Sink | None = None,
             progress: Progress[TraceProgress] | None = None,
             sources: dict[str, str] | None = None) -> ValidationResult:
    """Validate `records` (a stream, read once) against `model`; `sources`, the texts of the
    spec's files, let a divergence report quote the spec."""
    run = _Run(model, binder, options, sink, progress)
    run.sources = sources or {}
    result = run.result
    start = time.perf_counter()
    stream = iter(records)
    try:
        rejection = run.feed(stream)
    except (LimitReached, KeyboardInterrupt) as stop:  # partial results: how far it got
        interrupted = isinstance(stop, KeyboardInterrupt)
        result.verdict, result.stopped_by = "limit", \
            "interrupted" if interrupted else "--max-frontier"
        result.limit_line = run.last_line if interrupted else run.line
        rejection = None
    result.seconds = time.perf_counter() - start
    result.largest_frontier = run.engine.largest
    result.hidden_steps = run.engine.hidden_steps()
    if sink is not None:  # the behaviour matched (so far): the first candidate's
        run.engine.flush(next(iter(run.engine.frontier.values())))
    if rejection is not None:
        result.verdict = "diverges"
        result.divergence = run.divergence(rejection)
        try:
            run.drain(stream)
        except KeyboardInterrupt:  # the divergence stands; the rest was not read to its end
            result.stopped_by = "interrupted"
    return result
