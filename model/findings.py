"""What every engine returns when a spec is broken: a `Finding` with a replayable `Trace`.

A trace starts in an initial state and lists the steps taken (instance and successor state).
A finding names what was violated; for a violation *during* a step (a failed assert, a
run-time error, channel overflow, a value out of range) `failing` is the instance whose
execution broke the spec from the trace's last state.  `replay` re-executes a finding through
the model; engines call it before they report, so a counterexample that does not replay is a
checker bug, never a user-visible answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.spec.ir import nodes as ir
from numaspec.spec.span import Span

Kind = Literal["invariant", "assert", "runtime", "overflow", "range", "deadlock", "liveness",
               "divergence"]


class CheckerBug(Exception):
    """An engine produced a counterexample that the model does not confirm."""


@dataclass(frozen=True)
class Step:
    instance: Instance
    state: State  # the state after the step


@dataclass(frozen=True)
class Trace:
    initial: State
    steps: tuple[Step, ...] = ()
    loop: int | None = None  # for a lasso: index of the state where the cycle starts

    @property
    def last(self) -> State:
        return self.steps[-1].state if self.steps else self.initial

    def states(self) -> list[State]:
        return [self.initial, *(s.state for s in self.steps)]


@dataclass(frozen=True)
class Finding:
    kind: Kind
    property: str | None
    message: str
    span: Span | None
    trace: Trace
    failing: Instance | None = None
    details: dict[str, Any] = field(default_factory=dict)


def invariant_finding(prop: ir.Property, reason: str, trace: Trace) -> Finding:
    """The last state of `trace` violates `prop` (`reason`: "is false", ...)."""
    return Finding("invariant", prop.name, f"invariant {prop.name} {reason}", prop.span, trace)


def step_finding(err: StepViolation, trace: Trace) -> Finding:
    """Executing `err.instance` from the last state of `trace` breaks the spec."""
    violation = err.violation
    return Finding(violation.kind, None, violation.message,  # type: ignore[arg-type]
                   violation.span, trace, failing=err.instance)


def init_finding(err: StepViolation) -> Finding:
    """`init` breaks the spec (`assert`, run-time error, range): a violation at step 0, with
    an empty trace from the default values and no failing instance."""
    violation = err.violation
    return Finding(violation.kind, None, violation.message,  # type: ignore[arg-type]
                   violation.span, Trace(err.state), details={"in": "init"})


def initial_or_finding(model: Model, limit: int | None = None,
                       ) -> tuple[list[State], Finding | None]:
    """The initial states, or none and the finding if running `init` breaks the spec (every
    engine asks this first, so a failing `init` is a violation, never a traceback).  With
    `limit` (`--max-states`), LimitReached once `init` builds more than `limit` outcomes."""
    try:
        return model.initial_states(limit), None
    except StepViolation as err:
        return [], init_finding(err)


def deadlock_finding(trace: Trace) -> Finding:
    return Finding("deadlock", None, "deadlock: no action is enabled and no `final` "
                   "predicate holds", None, trace)


def replay(model: Model, finding: Finding) -> None:
    """Raise `CheckerBug` unless `finding` is confirmed by executing its trace."""
    trace = finding.trace
    if finding.details.get("in") == "init":
        _confirm_init(model, finding)
        return
    if trace.initial not in model.initial_states():
        raise CheckerBug("the trace does not start in an initial state")
    state = trace.initial
    for number, step in enumerate(trace.steps, 1):
        if step.state not in model.execute(state, step.instance):
            raise CheckerBug(f"step {number} ({model.action_name(step.instance)}) does not "
                             "lead to the recorded state")
        state = step.state
    _confirm(model, finding, state)


def _confirm_init(model: Model, finding: Finding) -> None:
    try:
        model.initial_states()
    except StepViolation as err:
        if err.violation.kind == finding.kind and not finding.trace.steps:
            return
    raise CheckerBug("`init` runs without the reported violation")


def _confirm(model: Model, finding: Finding, state: State) -> None:
    if finding.kind == "invariant":
        violated = model.violated_invariant(state)
        if violated is None or violated[0].name != finding.property:
            raise CheckerBug(f"invariant {finding.property} holds at the end of the trace")
    elif finding.kind == "deadlock":
        if model.successors(state):
            raise CheckerBug("the last state of a deadlock trace has successors")
    elif finding.kind == "liveness":
        states, loop = finding.trace.states(), finding.trace.loop
        if loop is None or loop >= len(states):
            raise CheckerBug("a liveness counterexample without a loop")
        if loop < len(states) - 1 and states[loop] != states[-1]:
            raise CheckerBug("the loop of the lasso does not close")
    elif finding.kind in ("assert", "runtime", "overflow", "range"):
        assert finding.failing is not None
        try:
            model.execute(state, finding.failing)
        except StepViolation:
            return
        raise CheckerBug("the failing step executes without a violation")
