"""Swarms (SPIN's swarm verification): `simulate --workers N` and `fuzz --workers N`.

Every worker runs the one-process engine (checker/simulate.py, checker/fuzz/) on its share of
the walks or examples with a seed of its own: worker i uses seed S + i, so the seed printed
with a violation reproduces it in one process (`--seed S+i` and that worker's share: the
walk number for simulate, the examples for fuzz).  The results are merged: steps, walks
and examples added up, cost tables summed, coverage joined.  The first violation sets a
Dask `Event` that every other worker looks at (at most every `LOOK_SECONDS`) and stops at;
its partial counts are merged too.
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from distributed import Event

from numaspec.checker.distributed.cluster import Session
from numaspec.checker.fuzz import FuzzOptions, FuzzResult, fuzz
from numaspec.checker.simulate import SimulateOptions, SimulationResult, WalkProgress, simulate
from numaspec.model.cost import Costs
from numaspec.spec.ir import nodes as ir

LOOK_SECONDS = 0.2  # between a worker's looks at the stop event


@dataclass
class Swarm:
    """A merged swarm: the result (its `seed` the one that reproduces the violation), each
    worker's seed, and the seconds of the whole run (wall clock)."""

    result: Any  # SimulationResult or FuzzResult
    seeds: list[int] = field(default_factory=list)
    share: int = 0  # the walks or examples of the worker that found the violation
    seconds: float = 0.0

    @property
    def steps_per_second(self) -> float:
        return self.result.steps / self.seconds if self.seconds > 0 else 0.0


class _Stopper:
    """Asked by a worker's engine: has another worker found a violation?"""

    def __init__(self, name: str):
        self.event, self.last, self.stopped = Event(name), 0.0, False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self.stopped and now - self.last >= LOOK_SECONDS:
            self.last, self.stopped = now, self.event.is_set()
        return self.stopped


def shares(total: int, workers: int) -> list[int]:
    """`total` split as evenly as can be (the first ones one more)."""
    return [total // workers + (i < total % workers) for i in range(workers)]


# ------------------------------------------------------------------- simulate
def _simulate_task(spec: ir.Spec, options: SimulateOptions, event: str) -> SimulationResult:
    stopper = _Stopper(event)

    def progress(_: WalkProgress) -> None:
        if stopper():
            raise KeyboardInterrupt  # simulate's own way to stop with the partial results

    return simulate(spec, options, progress)


def simulate_swarm(spec: ir.Spec, options: SimulateOptions, session: Session,
                   check: Callable[[], None] | None = None) -> Swarm:
    """`options.runs` walks spread over the workers (never prints)."""
    counts = [c for c in shares(options.runs, session.size) if c]
    seeds = [options.seed + i for i in range(len(counts))]
    event = _event_name(session)
    tasks = [session.submit(i, _simulate_task, spec, replace(options, seed=s, runs=c),
                            event) for i, (s, c) in enumerate(zip(seeds, counts,
                                                                              strict=True))]
    start = time.perf_counter()
    results, first = _collect(session, tasks, event, check)
    merged = SimulationResult(seeds[first] if first is not None else options.seed)
    merged.costs = {a.name: Costs() for a in spec.actions}
    for part in results:
        _add_walks(merged, part)
    if first is not None:
        found = next(r for r in results if r.seed == seeds[first])
        merged.finding, merged.walk_length = found.finding, found.walk_length
        merged.runs, merged.last_trace = found.runs, found.last_trace
        merged.stopped_by = found.stopped_by
    return Swarm(merged, seeds, counts[first] if first is not None else 0,
                 time.perf_counter() - start)


def _add_walks(merged: SimulationResult, part: SimulationResult) -> None:
    merged.runs += part.runs
    merged.steps += part.steps
    merged.ended_in_final += part.ended_in_final
    merged.seconds = max(merged.seconds, part.seconds)
    merged.last_trace = part.last_trace
    if part.stopped_by is not None and part.finding is None:
        merged.stopped_by = part.stopped_by
    merged.total.add(part.total)
    for name, costs in part.costs.items():
        merged.costs[name].add(costs)


# ----------------------------------------------------------------------- fuzz
def _fuzz_task(spec: ir.Spec, options: FuzzOptions, event: str) -> FuzzResult:
    from hypothesis.errors import HypothesisDeprecationWarning

    # The worker's own threads (Dask's event loop) use the global `random` while a rule
    # draws; Hypothesis takes that for the rule's doing and warns at every draw.  The draws
    # do not depend on it: the warning is noise here, and only here.
    warnings.filterwarnings("ignore", category=HypothesisDeprecationWarning)
    return fuzz(spec, options, _Stopper(event))


def fuzz_swarm(spec: ir.Spec, options: FuzzOptions, session: Session,
               check: Callable[[], None] | None = None) -> Swarm:
    """`options.examples` spread over the workers (never prints)."""
    counts = [c for c in shares(options.examples, session.size) if c]
    seeds = [options.seed + i for i in range(len(counts))]
    event = _event_name(session)
    tasks = [session.submit(i, _fuzz_task, spec, replace(options, seed=s, examples=c),
                            event) for i, (s, c) in enumerate(zip(seeds, counts,
                                                                              strict=True))]
    start = time.perf_counter()
    results, first = _collect(session, tasks, event, check)
    merged = FuzzResult(seeds[first] if first is not None else options.seed)
    for part in results:
        merged.examples += part.examples
        merged.steps += part.steps
        merged.covered |= part.covered
        if part.stopped_by is not None and part.finding is None:
            merged.stopped_by = part.stopped_by
    if first is not None:
        found = next(r for r in results if r.seed == seeds[first])
        merged.finding, merged.shrunk = found.finding, found.shrunk
        merged.stopped_by = found.stopped_by
    merged.seconds = time.perf_counter() - start
    return Swarm(merged, seeds, counts[first] if first is not None else 0, merged.seconds)


def _event_name(session: Session) -> str:
    """A stop event of its own for each swarm: a session may run several, one after the
    other, and an event stays set."""
    return f"{session.run_id}-{uuid.uuid4().hex[:8]}"


def _collect(session: Session, tasks: list[Any], event: str,
             check: Callable[[], None] | None) -> tuple[list[Any], int | None]:
    """Every worker's result, and the position of the first to find a violation (then
    the others are told to stop)."""
    results: list[Any] = [None] * len(tasks)
    first = None
    for position, result in session.completed(tasks, check):
        results[position] = result
        if result.finding is not None and first is None:
            first = position
            Event(event, client=session.client).set()
    return results, first
