"""Random walks through a spec: every invariant checked at every state, costs accounted.

Configure with `SimulateOptions`, run with `simulate`, render the `SimulationResult` with the
reporting layer; this module never prints.  A walk picks uniformly among the enabled
(instance, successor) pairs of its state, using `random.Random(seed)`: the same spec, options
and seed give the same walk.  The first violation ends the whole simulation; it is replayed
through the model before it is returned.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from numaspec.checker.findings import Finding, Step, Trace, replay
from numaspec.model.cost import CostRecorder, Costs
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.spec import ir

Progress = Callable[[int, int, int], None]  # (run, steps in this run, total steps)


@dataclass(frozen=True)
class SimulateOptions:
    steps: int = 1000
    runs: int = 1
    seed: int = 0
    deadlock: bool = True  # report a state without successors (unless `final`) as a violation


@dataclass
class SimulationResult:
    seed: int
    runs: int = 0
    steps: int = 0
    finding: Finding | None = None
    costs: dict[str, Costs] = field(default_factory=dict)  # by action, in spec order
    total: Costs = field(default_factory=Costs)
    ended_in_final: int = 0  # walks that stopped in a `final` state
    seconds: float = 0.0
    last_trace: Trace | None = None  # the last walk (the violating one if there is a finding)


class _Walker:
    def __init__(self, spec: ir.Spec, options: SimulateOptions, progress: Progress | None):
        self.model = Model(spec)
        self.recorder = CostRecorder(spec)
        self.costed = Model(spec, hooks=self.recorder, read_hook=self.recorder.read)
        self.options = options
        self.progress = progress
        self.rng = random.Random(options.seed)
        self.result = SimulationResult(options.seed)
        self.result.costs = {a.name: Costs() for a in spec.actions}

    def run(self) -> SimulationResult:
        start = time.perf_counter()
        initial = self.model.initial_states()
        for run in range(1, self.options.runs + 1):
            self.result.runs = run
            if self._walk(run, self.rng.choice(initial)):
                break
        self.result.seconds = time.perf_counter() - start
        if self.result.finding is not None:
            replay(self.model, self.result.finding)
        return self.result

    def _walk(self, run: int, state: State) -> bool:
        """One walk; True if it found a violation."""
        trace = Trace(state)
        steps: list[Step] = []
        try:
            return self._steps(run, state, trace, steps)
        finally:
            self.result.last_trace = Trace(trace.initial, tuple(steps))

    def _steps(self, run: int, state: State, trace: Trace, steps: list[Step]) -> bool:
        for number in range(self.options.steps + 1):
            if self._check_state(state, trace, steps):
                return True
            if number == self.options.steps:
                return False
            try:
                choices = self.model.successors(state)
            except StepViolation as err:
                return self._step_violation(err, trace, steps)
            if not choices:
                return self._stuck(state, trace, steps)
            instance, state = self.rng.choice(choices)
            self._account(steps[-1].state if steps else trace.initial, instance)
            steps.append(Step(instance, state))
            self.result.steps += 1
            if self.progress is not None and self.result.steps % 1000 == 0:
                self.progress(run, number + 1, self.result.steps)
        return False

    def _check_state(self, state: State, trace: Trace, steps: list[Step]) -> bool:
        violated = self.model.violated_invariant(state)
        if violated is None:
            return False
        prop, reason = violated
        self.result.finding = Finding("invariant", prop.name, f"invariant {prop.name} {reason}",
                                      prop.span, Trace(trace.initial, tuple(steps)))
        return True

    def _step_violation(self, err: StepViolation, trace: Trace, steps: list[Step]) -> bool:
        violation = err.violation
        self.result.finding = Finding(
            violation.kind, None, violation.message, violation.span,  # type: ignore[arg-type]
            Trace(trace.initial, tuple(steps)), failing=err.instance)
        return True

    def _stuck(self, state: State, trace: Trace, steps: list[Step]) -> bool:
        if any(self.model.holds(p, state) for p in self.model.spec.finals):
            self.result.ended_in_final += 1
            return False
        if not self.options.deadlock:
            return False
        self.result.finding = Finding("deadlock", None, "deadlock: no action is enabled",
                                      None, Trace(trace.initial, tuple(steps)))
        return True

    def _account(self, before: State, instance: Instance) -> None:
        action = self.model.spec.actions[instance.action]
        self.recorder.begin(self.model.node_of(before, instance),
                            "pagefault" in action.annotations)
        self.costed.execute(before, instance)
        self.result.costs[action.name].add(self.recorder.current)
        self.result.total.add(self.recorder.current)


def simulate(spec: ir.Spec, options: SimulateOptions,
             progress: Progress | None = None) -> SimulationResult:
    """Random walks of `options.runs` × at most `options.steps` steps."""
    return _Walker(spec, options, progress).run()
