"""Shortening a counterexample: the same violation, reached in as few steps as can be found.

A random walk finds a bug after hundreds of steps although a dozen suffice.  `shorten` takes a
`Finding` and returns one of the same violation (same kind, property and source position)
that is no longer, in three passes:
1. cut the loops: a walk that revisits a state skips what it did in between;
2. delta debugging (ddmin) on the remaining moves: a move list replays from the walk's initial
   state (a `choose` takes the recorded successor when it is still possible, else the first);
   a sublist that still ends in the violation replaces the list;
3. breadth-first search from every initial state, bounded by the length found so far: the
   shortest trace of the violation, if the search ends within the budget.
The passes stop at `Budget.deadline` (the first pass always runs, it is linear) and the search
at `Budget.max_states`; the result is replayed through the model before it is returned.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from numaspec.model.findings import Finding, Step, Trace, invariant_finding, replay, step_finding
from numaspec.model.machine import Instance, Model, State, StepViolation


@dataclass(frozen=True)
class Budget:
    deadline: float | None = None  # a time.perf_counter() value
    max_states: int = 50_000  # states the breadth-first search may visit

    def spent(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline


# A move: an instance and the successor it took in the original (a hint for `choose`).
_Move = tuple[Instance, State | None]


def _key(finding: Finding) -> tuple[Any, ...]:
    return finding.kind, finding.property, finding.span


class _Replayer:
    """Runs move lists from an initial state; a run that meets the target violation yields
    its finding (cut there), any other outcome None."""

    def __init__(self, model: Model, target: Finding):
        self.model, self.key = model, _key(target)
        self.deadlock = target.kind == "deadlock"

    def run(self, initial: State, moves: list[_Move]) -> Finding | None:
        model, state, steps = self.model, initial, list[Step]()
        stop, found = self._invariant(state, None, Trace(initial))
        if stop:
            return found
        for instance, hint in moves:
            try:
                successors = model.execute(state, instance)
            except StepViolation as err:
                finding = step_finding(err, Trace(initial, tuple(steps)))
                return finding if _key(finding) == self.key else None
            if not successors:
                return None  # the move is disabled here
            nxt = hint if hint in successors else successors[0]
            steps.append(Step(instance, nxt))
            stop, found = self._invariant(nxt, state, Trace(initial, tuple(steps)))
            if stop:
                return found
            state = nxt
        return self._deadlock(Trace(initial, tuple(steps)))

    def _invariant(self, state: State, parent: State | None,
                   trace: Trace) -> tuple[bool, Finding | None]:
        """(whether an invariant is violated, the finding if it is the target's)."""
        violated = self.model.violated_invariant(state, parent)
        if violated is None:
            return False, None
        finding = invariant_finding(*violated, trace)
        return True, finding if _key(finding) == self.key else None

    def _deadlock(self, trace: Trace) -> Finding | None:
        if not self.deadlock or not self.stuck(trace.last):
            return None
        return Finding("deadlock", None, "deadlock: no action is enabled", None, trace)

    def stuck(self, state: State) -> bool:
        try:
            if self.model.successors(state):
                return False
        except StepViolation:
            return False
        return not any(self.model.holds(p, state) for p in self.model.spec.finals)


def _moves(finding: Finding) -> list[_Move]:
    moves: list[_Move] = [(s.instance, s.state) for s in finding.trace.steps]
    if finding.failing is not None:
        moves.append((finding.failing, None))
    return moves


def _cut_loops(finding: Finding) -> list[_Move]:
    """The walk's moves without the cycles: from each state, go on from its last visit."""
    states = finding.trace.states()
    last = {state: index for index, state in enumerate(states)}
    moves: list[_Move] = []
    steps, at = finding.trace.steps, 0
    while at < len(steps):
        at = last[states[at]]
        if at < len(steps):
            moves.append((steps[at].instance, steps[at].state))
            at += 1
    if finding.failing is not None:
        moves.append((finding.failing, None))
    return moves


def _ddmin(replayer: _Replayer, initial: State, best: Finding, budget: Budget) -> Finding:
    """Delta debugging: remove chunks of moves while the violation is still reached."""
    moves, parts = _moves(best), 2
    while len(moves) >= 2 and not budget.spent():
        size = -(-len(moves) // parts)
        for start in range(0, len(moves), size):
            found = replayer.run(initial, moves[:start] + moves[start + size:])
            if found is not None:
                best, moves, parts = found, _moves(found), max(parts - 1, 2)
                break
            if budget.spent():
                return best
        else:
            if parts >= len(moves):
                return best
            parts = min(2 * parts, len(moves))
    return best


def _breadth_first(replayer: _Replayer, bound: int, budget: Budget) -> Finding | None:
    """The shortest trace (fewer than `bound` + 1 steps) to the target, or None."""
    model = replayer.model
    parents: dict[State, tuple[State, Instance] | None] = {}
    frontier: deque[tuple[State, int]] = deque()
    for state in model.initial_states():
        if state not in parents:
            parents[state] = None
            if model.violated_invariant(state) is None:
                frontier.append((state, 0))
            else:
                found = replayer.run(state, [])
                if found is not None:
                    return found
    while frontier:
        state, depth = frontier.popleft()
        if len(parents) > budget.max_states or budget.spent():
            return None
        last = _expand(replayer, state, depth < bound, parents, frontier, depth)
        if last is not None:
            return replayer.run(_root(parents, state), _path(parents, state) + last)
    return None


def _expand(replayer: _Replayer, state: State, deeper: bool,
            parents: dict[State, tuple[State, Instance] | None],
            frontier: deque[tuple[State, int]], depth: int) -> list[_Move] | None:
    """Enqueue the successors of `state`; the final moves from it to the target, if any."""
    model, found_any = replayer.model, False
    for instance in model.instances:
        try:
            successors = model.execute(state, instance)
        except StepViolation:
            if replayer.run(state, [(instance, None)]) is not None:
                return [(instance, None)]
            continue
        found_any = found_any or bool(successors)
        for nxt in successors:
            if nxt in parents or not deeper:
                continue
            parents[nxt] = (state, instance)
            violated = model.violated_invariant(nxt, state)
            if violated is not None:
                if replayer.run(nxt, []) is not None:
                    return [(instance, nxt)]
                continue
            frontier.append((nxt, depth + 1))
    if not found_any and replayer.deadlock and replayer.stuck(state):
        return []
    return None


def _path(parents: dict[State, tuple[State, Instance] | None], state: State) -> list[_Move]:
    moves: list[_Move] = []
    while (link := parents[state]) is not None:
        moves.append((link[1], state))
        state = link[0]
    return moves[::-1]


def _root(parents: dict[State, tuple[State, Instance] | None], state: State) -> State:
    while (link := parents[state]) is not None:
        state = link[0]
    return state


def shorten(model: Model, finding: Finding, budget: Budget | None = None) -> Finding:
    """A counterexample of the same violation as `finding`, no longer; replayed."""
    budget = budget or Budget()
    replayer, initial = _Replayer(model, finding), finding.trace.initial
    best = replayer.run(initial, _cut_loops(finding)) or finding
    if not budget.spent():
        best = _ddmin(replayer, initial, best, budget)
    if not budget.spent() and best.trace.steps:
        best = _breadth_first(replayer, len(best.trace.steps) - 1, budget) or best
    replay(model, best)
    return best
