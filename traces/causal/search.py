"""A fast first try for per-node logs: one interleaving followed depth first.

Contract: `speculate(engine, window)` looks for one interleaving of the logs that the spec
allows, depth first (the candidate's steps in the order of their timestamps, then of their
nodes), backing up at a refusal, never into a candidate known to fail, and at most `window`
steps back.  It returns True when it found one (the logs conform: that interleaving is the
witness) and False when it gave up; then the exact frontier (traces/causal/engine.py) decides
and explains, from the start.  It is only an acceleration: a conforming run of a real system
usually has one interleaving that works all along, which this finds at the cost of one
candidate per event instead of a frontier of them.  Memory is bounded by `window` and by the
table of failed candidates (cleared when full).
"""

from __future__ import annotations

from collections.abc import Iterator

from numaspec.traces.bind import BoundEvent
from numaspec.traces.causal.engine import CausalFrontier, Config
from numaspec.traces.causal.order import Step
from numaspec.traces.frontier import Candidate, holds

FAILED_LIMIT = 200_000


def speculate(engine: CausalFrontier, window: int) -> bool:
    start = next(iter(engine.configs.values()))
    first = engine.enabled(start, reduce=False)
    if first is None:
        return True
    stack: list[tuple[Config, Iterator[Config]]] = [(start, _successors(engine, start, first))]
    failed: set[tuple[tuple[int, ...], int]] = set()
    while stack:
        config, successors = stack[-1]
        nxt = next(successors, None)
        if nxt is None:
            stack.pop()
            failed.add((config.cut, id(config.state)))
            if len(failed) > FAILED_LIMIT:
                failed.clear()
            continue
        if (nxt.cut, id(nxt.state)) in failed:
            continue
        steps = engine.enabled(nxt, reduce=False)
        if steps is None:  # every step of every log taken
            engine.configs = {(nxt.cut, id(nxt.state)): nxt}
            engine.levels = sum(nxt.cut)
            return True
        stack.append((nxt, _successors(engine, nxt, steps)))
        if len(stack) > window:
            del stack[:len(stack) - window // 2]
            engine.oracle.forget([c.state for c, _ in stack])
            engine.order.drop(stack[0][0].cut)
    return False


def _successors(engine: CausalFrontier, config: Config, steps: list[Step]) -> Iterator[Config]:
    if len(steps) > 1:
        steps.sort(key=lambda s: (s.ts if s.ts is not None else 0.0, s.node))
    cut = config.cut
    for step in steps:
        node = step.node
        after = (*cut[:node], cut[node] + 1, *cut[node + 1:])
        bound = step.bound
        if isinstance(bound, BoundEvent):
            nexts = [nxt for instance in bound.instances
                     for nxt in engine.oracle.steps(config.state, instance, bound)]
            observations = config.observations
        else:
            nexts = [config.state] if holds(config.state, bound.checks) else []
            observations = config.observations + 1
        for nxt in nexts:
            yield Config(after, nxt, Candidate(0, (), 0, None), step, config.state,
                         observations)
