"""A quotient lasso made concrete: a real behaviour, executed by the model and checked.

The stem follows the quotient path: from each state it takes the first step (in instance
order) into the next node's orbit, which exists because the group maps the representative's
steps onto the state's.  The loop is built inside the concrete component D of the state x
where the stem ends (the states reachable from x through the orbits of the quotient component:
exactly D, since the images of D are disjoint and none reaches another), one fair instance at
a time: for each fair instance that the loop so far neither takes nor finds disabled somewhere,
a shortest path to a state of D where it is disabled or to a step of it inside D; then back to
x.  D is fair (fair.py), so each of these exists.  `confirm_fair_lasso` then checks the result
against the model: the loop closes, the conclusion is false from the premise state on, and
every fair instance is taken in the loop or disabled in one of its states (or, for a stutter,
disabled at the last state).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numaspec.checker.explicit.quotient.graph import Quotient
from numaspec.model.findings import CheckerBug, Step, Trace
from numaspec.model.machine import Instance, Model, State

Goal = Callable[[State], list[Step] | None]  # the steps that end a search at a state, or None


def lift(graph: Quotient, nodes: list[int]) -> tuple[State, list[Step]]:
    """A concrete path through the orbits of the quotient path `nodes` (from an initial
    node)."""
    model = graph.model
    state = graph.state(nodes[0])
    steps: list[Step] = []
    for target in nodes[1:]:
        successors = model.safe_successors(state)
        keys = graph.keys([nxt for _, nxt in successors])
        hit = next(k for k, key in enumerate(keys.tolist()) if key == graph.node_keys[target])
        instance, state = successors[hit]
        steps.append(Step(instance, state))
    return graph.state(nodes[0]), steps


class ConcreteComponent:
    """The concrete component of a state `start`: states whose orbit key is in `keys`."""

    def __init__(self, graph: Quotient, keys: set[int], start: State):
        self.graph, self.model, self.keys, self.start = graph, graph.model, keys, start

    def inside(self, states: list[State]) -> list[bool]:
        return [k in self.keys for k in self.graph.keys(states).tolist()] if states else []

    def search(self, start: State, goal: Goal) -> list[Step]:
        """The steps of a shortest path inside the component from `start` to a state where
        `goal` answers, followed by `goal`'s steps."""
        back: dict[State, tuple[State, Instance] | None] = {start: None}
        level = [start]
        while level:
            following: list[tuple[State, Instance, State]] = []
            for state in level:
                ending = goal(state)
                if ending is not None:
                    return self._path(back, state) + ending
                following += [(state, i, n) for i, n in self.model.safe_successors(state)
                              if n not in back]
            level = []
            for (state, instance, nxt), ok in zip(following, self.inside(
                    [n for _, _, n in following]), strict=True):
                if ok and nxt not in back:
                    back[nxt] = (state, instance)
                    level.append(nxt)
        raise AssertionError("no path inside a strongly connected component")

    @staticmethod
    def _path(back: dict[State, tuple[State, Instance] | None], state: State) -> list[Step]:
        steps = []
        while (link := back[state]) is not None:
            steps.append(Step(link[1], state))
            state = link[0]
        return steps[::-1]

    def step_or_disabled(self, instance: Instance) -> Goal:
        """A goal: a state where `instance` is disabled, or a step of it inside."""
        def goal(state: State) -> list[Step] | None:
            outcomes = self.model.execute(state, instance)
            if not outcomes:
                return []
            for nxt, ok in zip(outcomes, self.inside(outcomes), strict=True):
                if ok:
                    return [Step(instance, nxt)]
            return None
        return goal

    def fair_loop(self, fair: list[Instance]) -> list[Step]:
        """A cycle from `start` back to it that is weakly fair to every instance of `fair`."""
        steps: list[Step] = []
        state = self.start
        for instance in fair:
            if not _satisfied(self.model, self.start, steps, instance):
                steps += self.search(state, self.step_or_disabled(instance))
                state = steps[-1].state if steps else state
        if not steps:  # every fair instance is disabled at start: any step inside will do
            steps += self.search(state, self._any_step)
            state = steps[-1].state
        return steps + self.search(state, lambda s: [] if s == self.start else None)

    def _any_step(self, state: State) -> list[Step] | None:
        successors = self.model.safe_successors(state)
        for (instance, nxt), ok in zip(successors, self.inside([n for _, n in successors]),
                                       strict=True):
            if ok:
                return [Step(instance, nxt)]
        return None


def _satisfied(model: Model, start: State, steps: list[Step], instance: Instance) -> bool:
    """`instance` is taken in `steps` or disabled in one of the states they pass through."""
    if any(step.instance == instance for step in steps):
        return True
    return any(not model.execute(s, instance) for s in [start, *(st.state for st in steps)])


def confirm_fair_lasso(model: Model, trace: Trace, premise_at: int, fair: list[Instance],
                       conclusion: Callable[[State], Any]) -> None:
    """Raise CheckerBug unless `trace` is a weakly fair lasso whose states from `premise_at`
    on all falsify the conclusion (the premise state's own truth is the caller's)."""
    states, loop = trace.states(), trace.loop
    if loop is None or loop >= len(states) or (loop < len(states) - 1
                                               and states[loop] != states[-1]):
        raise CheckerBug("the lifted lasso does not close")
    if any(conclusion(s) for s in states[premise_at:]):
        raise CheckerBug("the lifted lasso reaches the conclusion")
    cycle = list(trace.steps[loop:])
    for instance in fair:
        if cycle and _satisfied(model, states[loop], cycle, instance):
            continue
        if not cycle and not model.execute(states[-1], instance):
            continue
        raise CheckerBug(f"the lifted lasso is unfair to {model.action_name(instance)}")
