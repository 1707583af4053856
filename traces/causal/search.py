"""A fast first try for per-node logs: one interleaving followed greedily, depth first.

Contract: `speculate(engine, window)` looks for one interleaving of the logs that the spec
allows.  It keeps one point (state, position in each log) and takes, from it, a step of
some log that is causally ready (everything it needs taken) and that the spec accepts (the
ready steps in the order of their timestamps, then of their nodes).  With hidden actions, a
step may come after at most `--max-hidden` hidden steps (traces/causal/fill.py): first those
its vector clock says its node and the others took before it, then any, fewest first.  A
point with no move left is backed out of, to the last point that had another, never into a
point known to fail, and at most `window` points back.  It returns True when it took every
step of every log (the logs conform: the steps taken are the witness, a linearisation of the
causal order that the spec allows, each run of hidden steps within the bound) and False
when it gave up; then the exact frontier (traces/causal/engine.py) decides and explains,
from the start, so a divergence is always the exact frontier's.  It is only an
acceleration: a conforming run of a real system usually has one interleaving that works all
along, found at the cost of one state per event.  Memory is bounded by `window`, the table
of failed points and the oracle's step memo (each forgotten when full; the memo at `MEMO`
steps); the steps every kept point is past are dropped from the logs.
"""

from __future__ import annotations

from collections.abc import Iterator

from numaspec.model.machine import State
from numaspec.traces.bind import BoundEvent
from numaspec.traces.causal.engine import CausalFrontier, Config
from numaspec.traces.causal.fill import Clock, Fill
from numaspec.traces.causal.order import Step
from numaspec.traces.frontier import Candidate, holds

FAILED_LIMIT = 50_000  # failed points remembered: past this, all are forgotten
TIDY_EVERY = 1024  # steps between two looks at the memory bounds
# steps remembered: one state at a time revisits mostly recent states (on a 4-node P1 log of
# 1 M events, 20,000 is as fast as 200,000 and holds a third of the memory)
MEMO = 20_000

# a move: the step, the state after it, the hidden steps before it, the clock after it
Move = tuple[Step, State, int, Clock | None]
# a point: (cut, state, hidden steps in all, observations, clock (with hidden actions: each
# node's counter as far as the witness has gone), the moves from it not tried yet)
Point = tuple[tuple[int, ...], State, int, int, Clock | None, Iterator[Move]]


def speculate(engine: CausalFrontier, window: int) -> bool:
    return _Search(engine).run(window)


class _Search:
    def __init__(self, engine: CausalFrontier):
        self.engine, self.order, self.oracle = engine, engine.order, engine.oracle
        limit = engine.options.frontier.max_hidden if engine.closing else 0
        self.fill = Fill(engine.oracle, limit, engine.order.nodes) if limit else None
        self.failed: set[tuple[tuple[int, ...], int]] = set()

    def run(self, window: int) -> bool:
        """The depth-first search (see the module's docstring)."""
        clock = (0,) * self.order.nodes if self.fill is not None else None
        stack = [self._point(c.cut, c.state, 0, 0, clock)
                 for c in reversed(list(self.engine.configs.values()))]
        point = stack.pop()  # the first initial state; the others are tried after it
        taken = 0
        failed = self.failed
        while True:
            cut, state, total, observed, _, moves = point
            move = next(moves, None)
            if move is None:
                self._fail((cut, id(state)))
                if not stack:
                    return False
                point = stack.pop()
                continue
            step, nxt, hidden, after_clock = move
            node = step.node
            after = (*cut[:node], cut[node] + 1, *cut[node + 1:])
            if (after, id(nxt)) in failed:
                continue
            stack.append(point)
            event = isinstance(step.bound, BoundEvent)
            point = self._point(after, nxt, total + hidden, observed + (not event),
                                after_clock)
            if point[5] is _DONE:
                self._finish(point)
                return True
            taken += 1
            if not taken % TIDY_EVERY:
                self._tidy(stack, point, window)

    def _point(self, cut: tuple[int, ...], state: State, total: int, observed: int,
               clock: Clock | None) -> Point:
        ready = self.engine.ready(cut)
        if ready is None:
            return cut, state, total, observed, clock, _DONE
        if len(ready) > 1:
            ready.sort(key=_preference)
        moves = self._moves(state, ready) if clock is None else \
            self._hidden_moves(state, ready, clock)
        return cut, state, total, observed, clock, moves

    def _moves(self, state: State, ready: list[Step]) -> Iterator[Move]:
        accept = self._accept
        for step in ready:
            for nxt in accept(state, step):
                yield step, nxt, 0, None

    def _hidden_moves(self, state: State, ready: list[Step], clock: Clock) -> Iterator[Move]:
        """With hidden actions: each ready step after the hidden steps its clock asks for,
        then after none, then after any (the fewest first)."""
        fill, accept = self.fill, self._accept
        assert fill is not None
        guided = []
        for step in ready:
            gaps = fill.gaps(step, clock)
            if gaps is None:
                continue
            guided.append((step, gaps))
            for filled in fill.guided(state, gaps):
                for nxt in accept(filled, step):
                    yield step, nxt, sum(gaps), _tick(clock, step, gaps)
        for step, gaps in guided:
            if any(gaps):
                for nxt in accept(state, step):
                    yield step, nxt, 0, _tick(clock, step, None)
        for filled, depth in fill.closure(state, fill.limit):
            for step in ready:
                for nxt in accept(filled, step):
                    yield step, nxt, depth, _tick(clock, step, None)

    def _accept(self, state: State, step: Step) -> list[State]:
        """The states after `step` from `state` (none: the spec refuses it there)."""
        bound = step.bound
        if isinstance(bound, BoundEvent):
            instances = bound.instances
            if len(instances) == 1:
                return self.oracle.steps(state, instances[0], bound)
            return [nxt for instance in instances
                    for nxt in self.oracle.steps(state, instance, bound)]
        return [state] if holds(state, bound.checks) else []

    def _fail(self, key: tuple[tuple[int, ...], int]) -> None:
        """No move from this point: remembered."""
        if len(self.failed) > FAILED_LIMIT:
            self.failed.clear()
        self.failed.add(key)

    def _tidy(self, stack: list[Point], point: Point, window: int) -> None:
        """Memory bounds: at most `window` points to back up to; the oracle's memo (its
        states kept canonical) and the logs' steps every kept point is past."""
        if len(stack) > window:
            del stack[:len(stack) - window // 2]
        keep = [p[1] for p in stack]
        keep.append(point[1])
        if self.oracle.forget(keep, MEMO):
            self.failed.clear()  # state ids may be reused once the states are forgotten
        self.order.drop(stack[0][0] if stack else point[0])

    def _finish(self, point: Point) -> None:
        cut, state, total, observed, _, _ = point
        self.engine.configs = {(cut, id(state)): Config(
            cut, state, Candidate(0, (), total, None), None, None, observed)}
        self.engine.levels = sum(cut)


def _tick(clock: Clock, step: Step, gaps: tuple[int, ...] | None) -> Clock:
    """The clock after the hidden steps `gaps` (None: not told) and `step`."""
    node = step.node
    if gaps is None:
        return tuple(max(c, v) if k == node else c
                     for k, (c, v) in enumerate(zip(clock, step.vc, strict=True)))
    return tuple(step.vc[k] if k == node else c + gaps[k] for k, c in enumerate(clock))


def _preference(step: Step) -> tuple[float, int, int]:
    return (step.ts if step.ts is not None else 0.0, sum(step.vc), step.node)


def _done() -> Iterator[Move]:
    yield from ()


_DONE: Iterator[Move] = _done()
