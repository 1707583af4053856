"""The state of one exploration: the path walked so far and a counterexample to follow.

A `Session` starts at an initial state, lists the moves from the current state (each enabled
instance with each of its successor states, and the instances whose step fails), takes one
(`step`), goes back, and can load a counterexample (`load`) whose next step the page offers.
`view()` is everything the page shows, as JSON-ready data.  Not thread-safe by itself: the
server holds a lock around every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.model.render import describe_instance
from numaspec.report.chart import ChartBuilder
from numaspec.report.page import changed
from numaspec.report.svg import draw_chart
from numaspec.spec.ir.format import format_value


@dataclass(frozen=True)
class Move:
    instance: Instance
    state: State | None  # None: the step fails
    failure: str | None = None


class Session:
    def __init__(self, model: Model):
        self.model = model
        self.initials = model.initial_states()
        self.path: list[tuple[Instance | None, State]] = [(None, self.initials[0])]
        self.plan: list[tuple[Instance, State]] | None = None  # a loaded counterexample
        self.finding: Finding | None = None
        self.charts = ChartBuilder(model)

    # ----------------------------------------------------------------- moves
    @property
    def state(self) -> State:
        return self.path[-1][1]

    def moves(self) -> list[Move]:
        found = []
        for instance in self.model.instances:
            try:
                found += [Move(instance, nxt) for nxt in self.model.execute(self.state, instance)]
            except StepViolation as err:
                found.append(Move(instance, None, err.violation.message))
        return found

    def reset(self, initial: int) -> None:
        if not 0 <= initial < len(self.initials):
            raise ValueError(f"no initial state {initial}")
        self.path = [(None, self.initials[initial])]

    def step(self, index: int) -> None:
        moves = self.moves()
        if not 0 <= index < len(moves) or moves[index].state is None:
            raise ValueError(f"no move {index} from this state")
        move = moves[index]
        assert move.state is not None
        self.path.append((move.instance, move.state))

    def back(self) -> None:
        if len(self.path) > 1:
            self.path.pop()

    def load(self, finding: Finding) -> None:
        """Follow `finding`'s trace: restart at its initial state, offer its steps."""
        trace = finding.trace
        if trace.initial not in self.initials:
            raise ValueError("the counterexample does not start in an initial state")
        self.finding = finding
        self.path = [(None, trace.initial)]
        self.plan = [(s.instance, s.state) for s in trace.steps]

    def _planned(self) -> int | None:
        """The index (in `moves()`) of the loaded counterexample's next step, if on it."""
        depth = len(self.path) - 1
        if self.plan is None or depth >= len(self.plan):
            return None
        if [s for _, s in self.path[1:]] != [s for _, s in self.plan[:depth]]:
            return None
        want = self.plan[depth]
        for index, move in enumerate(self.moves()):
            if (move.instance, move.state) == want:
                return index
        return None

    # ------------------------------------------------------------------ view
    def trace(self) -> Trace:
        from numaspec.model.findings import Step

        return Trace(self.path[0][1], tuple(Step(i, s) for i, s in self.path[1:]
                                            if i is not None))

    def view(self) -> dict[str, Any]:
        model, state = self.model, self.state
        moves, planned = self.moves(), self._planned()
        violated = model.violated_invariant(state)
        violation = f"invariant {violated[0].name} {violated[1]}" if violated else (
            "deadlock: no action is enabled" if not any(m.state for m in moves) else None)
        chart = self.charts.build(self.trace(), verdict=violation)
        in_flight = sum(1 for m in chart.messages if m.received is None)
        return {
            "depth": len(self.path) - 1,
            "initials": len(self.initials),
            "state": [{"name": v.name, "value": format_value(x, v.type)}
                      for v, x in zip(model.spec.variables, state, strict=True)],
            "moves": [self._move(i, m, planned) for i, m in enumerate(moves)],
            "invariants": [{"name": p.name, "holds": model.holds(p, state)}
                           for p in model.spec.invariants],
            "violation": violation,
            "in_flight": in_flight,
            "chart": draw_chart(chart, highlight=len(self.path) - 1),
            "plan": None if self.plan is None else {
                "steps": len(self.plan), "next": planned,
                "done": planned is None and len(self.path) - 1 == len(self.plan),
                "message": self.finding.message if self.finding else ""},
        }

    def _move(self, index: int, move: Move, planned: int | None) -> dict[str, Any]:
        node = self.model.node_of(self.state, move.instance)
        changes = [] if move.state is None else [
            f"{name}: {old} → {new}" for name, old, new in changed(self.model, self.state,
                                                                   move.state)]
        return {"index": index, "label": describe_instance(self.model, move.instance),
                "action": self.model.action_name(move.instance), "node": node,
                "fails": move.failure, "changes": changes, "planned": index == planned}
