"""Validation of per-node logs: is some interleaving consistent with their causal order a
behaviour of the spec?  Configure, run, report (as traces/validate.py for one log).

`validate_logs(model, order, options)` drives the causal frontier (traces/causal/engine.py)
to the end of every log and returns a `ValidationResult`; it never prints.  A divergence
names the node, its log and line, the events of the other nodes that causally precede it,
and why each candidate refused it (traces/explain.py).  Malformed input, also in the logs
after a divergence, is a SpecError (exit 2), as for one log.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from numaspec.model.machine import Model
from numaspec.model.outcome import LimitReached, Progress
from numaspec.traces.bind import BoundEvent
from numaspec.traces.causal.engine import DONE, CausalFrontier, CausalOptions, Stuck
from numaspec.traces.causal.order import Order, Step
from numaspec.traces.causal.search import speculate
from numaspec.traces.explain import explain
from numaspec.traces.frontier import Rejection
from numaspec.traces.validate import Divergence, TraceProgress, ValidationResult

SPECULATION_WINDOW = 4096  # steps the first try may back up


def validate_logs(model: Model, order: Order, options: CausalOptions,
                  progress: Progress[TraceProgress] | None = None,
                  sources: dict[str, str] | None = None,
                  reopen: Callable[[], Order] | None = None,
                  drain: bool = True) -> ValidationResult:
    """Validate the logs `order` reads against `model`; `sources` (the spec's files) let a
    divergence report quote the spec.  With `reopen` (the logs can be read again: files),
    one interleaving is tried first, depth first (traces/causal/search.py); only if that
    fails are the logs read again and followed with the exact frontier.  `drain=False`
    (following logs being written) reports a divergence at once, without reading the rest
    of the logs for malformed lines."""
    order.skew = options.max_skew is not None
    engine = CausalFrontier(model, order, options)
    result = ValidationResult("conforms")
    start = time.perf_counter()
    outcome: Stuck | str | None = None
    try:
        if reopen is not None:
            if speculate(engine, SPECULATION_WINDOW):
                outcome = DONE
            else:
                order = reopen()
                order.skew = options.max_skew is not None
                engine = CausalFrontier(model, order, options)
        while outcome is None:
            outcome = engine.advance()
            if progress is not None and not engine.levels & 0xFFFF and engine.levels:
                progress(TraceProgress(engine.levels, 0))
    except (LimitReached, KeyboardInterrupt) as stop:
        result.verdict = "limit"
        result.stopped_by = "interrupted" if isinstance(stop, KeyboardInterrupt) \
            else "--max-frontier"
    result.seconds = time.perf_counter() - start
    _counts(result, engine)
    if isinstance(outcome, Stuck):
        result.verdict = "diverges"
        result.divergence = _divergence(model, order, outcome, engine.levels, sources or {})
        try:
            if drain:
                order.drain()
        except KeyboardInterrupt:
            result.stopped_by = "interrupted"
    return result


def _counts(result: ValidationResult, engine: CausalFrontier) -> None:
    first = next(iter(engine.configs.values()))
    result.observations = first.observations
    result.events = engine.levels - first.observations
    result.hidden_steps = first.candidate.total
    result.largest_frontier = engine.largest
    result.limit_line = None


def _divergence(model: Model, order: Order, stuck: Stuck, matched: int,
                sources: dict[str, str]) -> Divergence:
    """The step refused by the most candidates (the earliest node and position first)."""
    step, states = max(stuck.refused, key=lambda entry: len(entry[1])) if stuck.refused \
        else _deadlock(stuck)
    bound = step.bound
    event = bound if isinstance(bound, BoundEvent) else None
    rejection = Rejection(states, event, None if event is not None else bound)  # type: ignore[arg-type]
    reports = explain(model, rejection, sources)
    return Divergence(step.line, bound.text, step.label, matched, None, reports, len(states),
                      node=step.node, path=step.path, preceding=_preceding(order, step))


def _deadlock(stuck: Stuck) -> tuple[Step, dict]:  # type: ignore[type-arg]
    """No step was refused (every step left was reduced away): cannot happen, as the
    representative interleaving is never reduced; report the first candidate's last step."""
    config = stuck.configs[0]
    assert config.last is not None
    return config.last, {config.state: config.candidate}


def _preceding(order: Order, step: Step) -> list[str]:
    """For each other node, the last of its steps that causally precede `step`."""
    found = []
    for node, count in enumerate(step.need):
        if node == step.node:
            continue
        if count == 0:
            found.append(f"node {node}: none of its events")
            continue
        before = order.recent(node, count - 1)
        where = f"{before.path}:{before.line} {before.label}" if before is not None \
            else f"its event {count}"
        found.append(f"node {node}: {count} event(s), up to {where}")
    return found
