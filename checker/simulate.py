"""Random walks through a spec: every invariant checked at every state, costs accounted.

Configure with `SimulateOptions`, run with `simulate`, render the `SimulationResult` with the
reporting layer; this module never prints.  A walk picks uniformly among the enabled
(instance, successor) pairs of its state, using `random.Random(seed)`: the same spec, options
and seed give the same walk.  The first violation ends the whole simulation; it is replayed
through the model before it is returned.  With `shorten` (the default) it is then shortened
(checker/shorten.py: loops cut, delta debugging, a breadth-first search bounded by the walk's
length), and the shorter counterexample, replayed too, is the one returned; `walk_length`
keeps the walk's.  `timeout` bounds the walks and the shortening together; at the timeout or
on Ctrl-C the result so far is returned with `stopped_by` set.

Successors, invariant verdicts and step costs are pure functions of the state (and instance),
so they are memoised: walks revisit states often (P1 with 3 nodes has 12,496 states), and a
cached step costs one dictionary lookup.  The caches are bounded by `CACHE_STATES`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from numaspec.checker.shorten import Budget, shorten
from numaspec.model.cost import CostRecorder, Costs
from numaspec.model.findings import (
    Finding,
    Step,
    Trace,
    initial_or_finding,
    invariant_finding,
    replay,
    step_finding,
)
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.model.outcome import Outcome, Progress
from numaspec.model.render import describe_instance
from numaspec.spec.diagnostics import Note, fail
from numaspec.spec.ir import nodes as ir
from numaspec.spec.span import Span


class WalkProgress(NamedTuple):
    """How far `simulate` got: the walk (from 1), steps in this walk, steps in all."""

    run: int
    step: int
    done: int


CACHE_STATES = 200_000


@dataclass(frozen=True)
class SimulateOptions:
    steps: int = 1000
    runs: int = 1
    seed: int = 0
    deadlock: bool = True  # report a state without successors (unless `final`) as a violation
    workload: str | None = None  # a `workload` of the spec: weights for picking instances
    timeout: float | None = None  # seconds for the walks and the shortening together
    shorten: bool = True  # shorten a counterexample found (checker/shorten.py)
    keep_traces: int = 1  # how many walks to keep in `SimulationResult.traces` (the last ones)


@dataclass
class SimulationResult:
    seed: int
    runs: int = 0
    steps: int = 0
    finding: Finding | None = None
    costs: dict[str, Costs] = field(default_factory=dict)  # by action, in spec order
    total: Costs = field(default_factory=Costs)
    ended_in_final: int = 0  # walks that stopped in a `final` state
    seconds: float = 0.0  # the walks'
    shorten_seconds: float = 0.0  # shortening the counterexample (and replaying it)
    last_trace: Trace | None = None  # the last walk (the violating one if there is a finding)
    traces: list[Trace] = field(default_factory=list)  # the last `keep_traces` walks, in order
    walk_length: int | None = None  # steps of the walk's counterexample, before shortening
    stopped_by: str | None = None  # "timeout" or "interrupted": the walks did not all run

    @property
    def outcome(self) -> Outcome:
        if self.finding is not None:
            return Outcome.VIOLATION
        return Outcome.LIMIT if self.stopped_by is not None else Outcome.OK


class _Stop(Exception):
    """The timeout: the walks end here."""


class _Node:
    """A visited state with everything computed about it, so a revisit costs nothing."""

    __slots__ = ("state", "edges", "weights", "checked", "costs")

    def __init__(self, state: State):
        self.state = state
        self.edges: list[tuple[Instance, _Node]] | None = None
        self.weights: list[int] | None = None
        self.checked = False
        self.costs: dict[Instance, Costs] = {}


class _Walker:
    def __init__(self, spec: ir.Spec, options: SimulateOptions,
                 progress: Progress[WalkProgress] | None):
        self.model = Model(spec)
        self.recorder = CostRecorder(spec)
        self.costed = Model(spec, hooks=self.recorder, read_hook=self.recorder.read)
        self.options = options
        self.progress = progress
        self.rng = random.Random(options.seed)
        self.result = SimulationResult(options.seed)
        self.result.costs = {a.name: Costs() for a in spec.actions}
        self.nodes: dict[State, _Node] = {}
        self.weigh = _weigher(self.model, options.workload)
        self.deadline = None if options.timeout is None else \
            time.perf_counter() + options.timeout
        # How often each (action, costs) was incurred: summed once, at the end.
        self.tally: dict[int, tuple[str, Costs, int]] = {}

    def run(self) -> SimulationResult:
        start = time.perf_counter()
        try:
            self._walks()
        except _Stop:
            self.result.stopped_by = "timeout"
        except KeyboardInterrupt:
            self.result.stopped_by = "interrupted"
        for name, costs, times in self.tally.values():
            self.result.costs[name].add(costs, times)
            self.result.total.add(costs, times)
        self.result.seconds = time.perf_counter() - start
        if self.result.finding is not None:
            replay(self.model, self.result.finding)
            self.result.walk_length = len(self.result.finding.trace.steps)
            if self.options.shorten and self.result.stopped_by is None and \
                    self.result.finding.trace.steps:
                self._shorten()
        self.result.shorten_seconds = time.perf_counter() - start - self.result.seconds
        return self.result

    def _walks(self) -> None:
        initial, failed = initial_or_finding(self.model)
        if failed is not None:  # `init` breaks the spec: no walk can start
            self.result.finding = failed
            return
        for run in range(1, self.options.runs + 1):
            self.result.runs = run
            if self._walk(run, self.rng.choice(initial)):
                return

    def _shorten(self) -> None:
        """Replace the finding by a shorter one (the walk's is kept if Ctrl-C comes first)."""
        assert self.result.finding is not None
        try:
            self.result.finding = shorten(self.model, self.result.finding,
                                          Budget(deadline=self.deadline))
        except KeyboardInterrupt:
            self.result.stopped_by = "interrupted"

    def _expired(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline

    def _walk(self, run: int, state: State) -> bool:
        """One walk; True if it found a violation."""
        if self._expired():
            raise _Stop
        steps: list[Step] = []
        try:
            return self._steps(run, self._intern(state), steps)
        finally:
            self.result.last_trace = Trace(state, tuple(steps))
            self.result.traces.append(self.result.last_trace)
            del self.result.traces[:-self.options.keep_traces or None]

    def _steps(self, run: int, node: _Node, steps: list[Step]) -> bool:
        initial, previous = node.state, None
        for number in range(self.options.steps + 1):
            if not node.checked and self._violates(node, initial, steps, previous):
                return True
            if number == self.options.steps:
                return False
            try:
                edges = node.edges if node.edges is not None else self._expand(node)
            except StepViolation as err:
                return self._step_violation(err, initial, steps)
            if not edges:
                return self._stuck(node.state, initial, steps)
            if self.weigh is None:
                instance, target = self.rng.choice(edges)
            else:
                if node.weights is None:
                    node.weights = [self.weigh(node.state, i) for i, _ in edges]
                if not any(node.weights):
                    return False  # the workload gives every enabled instance weight 0
                instance, target = self.rng.choices(edges, node.weights)[0]
            self._account(node, instance)
            steps.append(Step(instance, target.state))
            previous, node = node.state, target
            self.result.steps += 1
            if self.result.steps % 1000 == 0:
                if self._expired():
                    raise _Stop
                if self.progress is not None:
                    self.progress(WalkProgress(run, number + 1, self.result.steps))
        return False

    def _intern(self, state: State) -> _Node:
        node = self.nodes.get(state)
        if node is None:
            if len(self.nodes) >= CACHE_STATES:
                self.nodes.clear()  # bounded memory: forget, recompute on demand
            node = self.nodes[state] = _Node(state)
        return node

    def _expand(self, node: _Node) -> list[tuple[Instance, _Node]]:
        node.edges = [(instance, self._intern(nxt))
                      for instance, nxt in self.model.successors(node.state)]
        return node.edges

    def _violates(self, node: _Node, initial: State, steps: list[Step],
                  previous: State | None) -> bool:
        node.checked = True
        violated = self.model.violated_invariant(node.state, previous)
        if violated is None:
            return False
        self.result.finding = invariant_finding(*violated, Trace(initial, tuple(steps)))
        return True

    def _step_violation(self, err: StepViolation, initial: State, steps: list[Step]) -> bool:
        self.result.finding = step_finding(err, Trace(initial, tuple(steps)))
        return True

    def _stuck(self, state: State, initial: State, steps: list[Step]) -> bool:
        if any(self.model.holds(p, state) for p in self.model.spec.finals):
            self.result.ended_in_final += 1
            return False
        if not self.options.deadlock:
            return False
        self.result.finding = Finding("deadlock", None, "deadlock: no action is enabled",
                                      None, Trace(initial, tuple(steps)))
        return True

    def _account(self, node: _Node, instance: Instance) -> None:
        costs = node.costs.get(instance)
        if costs is None:
            action = self.model.spec.actions[instance.action]
            self.recorder.begin(self.model.node_of(node.state, instance),
                                "pagefault" in action.annotations)
            self.costed.execute(node.state, instance)
            costs = node.costs[instance] = self.recorder.current
        key = id(costs)
        entry = self.tally.get(key)
        if entry is None:
            name = self.model.spec.actions[instance.action].name
            self.tally[key] = (name, costs, 1)
        else:
            self.tally[key] = (entry[0], costs, entry[2] + 1)


def workload_names(spec: ir.Spec) -> list[str]:
    return [w.name for w in spec.workloads]


def _weigher(model: Model, name: str | None) -> Callable[[State, Instance], int] | None:
    """weight(state, instance) for the workload `name` (unlisted actions weigh 1)."""
    if name is None:
        return None
    workload = next(w for w in model.spec.workloads if w.name == name)
    by_action: dict[int, tuple[Any, int, tuple[int, ...], Span]] = {}
    for weight in workload.weights:
        number = [a.name for a in model.spec.actions].index(weight.action)
        by_action[number] = (model.exprs.compile(weight.expr), weight.locals_count,
                             tuple(p.slot for p in weight.params), weight.span)

    def weigh(state: State, instance: Instance) -> int:
        entry = by_action.get(instance.action)
        if entry is None:
            return 1
        fn, slots, params, span = entry
        env: list[Any] = [None] * slots
        for slot, value in zip(params, instance.args, strict=True):
            env[slot] = value
        value = fn(state, env)
        if value < 0:  # a mistake in the workload, not a behaviour of the spec: bad input
            raise fail("E410", f"workload {name} gives {describe_instance(model, instance)} the "
                       f"negative weight {value}", span,
                       Note("weights are relative frequencies: 0 or more"))
        return int(value)

    return weigh


def simulate(spec: ir.Spec, options: SimulateOptions,
             progress: Progress[WalkProgress] | None = None) -> SimulationResult:
    """Random walks of `options.runs` × at most `options.steps` steps."""
    return _Walker(spec, options, progress).run()
