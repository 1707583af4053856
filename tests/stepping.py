"""Stepping a model by named action instances: a state and the actions that lead on from it
(tests of spec/lib/l4.numa and of the designs built on it)."""

from __future__ import annotations

from typing import Any

from numaspec.model.machine import Model, State


class Run:
    """A state of a spec, stepped by its actions with named arguments."""

    def __init__(self, model: Model, state: State | None = None):
        self.model = model
        self.state = model.initial_states()[0] if state is None else state

    def var(self, name: str) -> Any:
        return self.state[self.model.names.index(name)]

    def successors(self, action: str, **args: Any) -> list[State]:
        found = self.model.find_instance(action, args)
        assert len(found) == 1, f"{action}{args} names {len(found)} instances"
        return self.model.execute(self.state, found[0])

    def do(self, action: str, **args: Any) -> Run:
        """The one successor by `action` (asserted enabled and deterministic), which must
        satisfy every invariant."""
        after = self.successors(action, **args)
        assert len(after) == 1, f"{action}{args} is disabled"
        run = Run(self.model, after[0])
        assert self.model.violated_invariant(run.state) is None
        return run
