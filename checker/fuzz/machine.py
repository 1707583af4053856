"""A spec as a Hypothesis `RuleBasedStateMachine`: one rule per action, every invariant an
`@invariant`, violations as assertion failures that Hypothesis shrinks.

A spec with several initial states starts each run from one of them (an `initialize` rule
draws it).  Each rule is enabled (its precondition) when some instance of its action is
enabled in the current state, and draws the instance among the enabled ones
(`st.sampled_from`, which shrinks towards the first instance), then one of its successors.  A
state without an enabled action is handled by the `stutter` rule: a deadlock unless a `final`
predicate holds.  With an implementation attached (checker/fuzz/conformance.py) every step is
also applied to it and its observation compared with the model's state.  The steps of the
current run are kept in `self.steps` so that the shrunk failure can be replayed and printed as
a numaspec trace; `Run.failure` marks the runs that failed (the first of them ends the count
of examples: the runs after it are Hypothesis's shrinking).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from numaspec.model.findings import Step
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.model.render import describe_instance


class SpecFailure(AssertionError):
    """A property of the spec failed (or the implementation diverged) in the current run."""

    def __init__(self, kind: str, message: str, prop: str | None = None,
                 failing: Instance | None = None, span: Any = None):
        super().__init__(message)
        self.kind, self.message, self.prop, self.failing, self.span = (
            kind, message, prop, failing, span)
        self.context: tuple[Model, Run] | None = None
        self.reproduction: list[str] = []  # lines that replay the failure (checker/fuzz/testing.py)

    def __str__(self) -> str:
        """The message, and (for pytest's report) the run as a numaspec trace and how to
        reproduce it."""
        if self.context is None:
            return self.message
        from numaspec.model.findings import Finding, Trace
        from numaspec.model.render import render_finding

        model, run = self.context
        finding = Finding(self.kind, self.prop, self.message, self.span,  # type: ignore[arg-type]
                          Trace(run.initial, tuple(run.steps)), failing=self.failing)
        return "\n".join(["", render_finding(model, finding), *self.reproduction])


class Shown:
    """A drawn value that Hypothesis's report shows as `show(value)` (`fault(n=0, v=0)`),
    not as the model's internal tuples of FrozenMaps; the text is made only if shown."""

    __slots__ = ("value", "show")

    def __init__(self, value: Any, show: Callable[[Any], str]):
        self.value, self.show = value, show

    def __repr__(self) -> str:
        return self.show(self.value)


def _traced(model: Model, method: Callable[..., None]) -> Callable[..., None]:
    """`method`, attaching the current run (and its reproduction, if the machine has a
    `reproduce`) to any SpecFailure it raises."""
    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> None:
        if self.stop():  # Ctrl-C, raised here: a frame where Python does not swallow it
            raise KeyboardInterrupt
        try:
            method(self, *args, **kwargs)
        except SpecFailure as failure:
            failure.context = (model, self.run)
            failure.reproduction = self.reproduce(self.run, failure)
            self.run.failure = self.run.failure or failure
            raise

    return run


class Run:
    """The steps of one run of the state machine (the last run is the shrunk failure)."""

    def __init__(self, initial: State):
        self.initial = initial
        self.steps: list[Step] = []
        self.failure: SpecFailure | None = None  # what ended the run, if it failed


Reproduce = Callable[[Run, SpecFailure], list[str]]


def build_machine(model: Model, runs: list[Run], deadlock: bool = True,
                  impl: Any = None, stop: Callable[[], bool] | None = None,
                  reproduce: Reproduce | None = None) -> type[RuleBasedStateMachine]:
    """A RuleBasedStateMachine class for `model`; every run is appended to `runs`.

    `impl`, if given, is a `Conformance` (checker/fuzz/conformance.py) driven in lockstep.
    `stop`, if given, is asked before every rule: True raises KeyboardInterrupt there (the
    CLI's Ctrl-C handler sets it, since a KeyboardInterrupt raised by the signal itself can
    land in a garbage-collector callback of Hypothesis, where Python ignores it).
    `reproduce`, if given, gives the lines that replay a failure (for pytest's report)."""
    initial = model.initial_states()
    by_action: dict[int, list[Instance]] = {}
    for instance in model.instances:
        by_action.setdefault(instance.action, []).append(instance)

    def setup(self: Any) -> None:
        RuleBasedStateMachine.__init__(self)
        self.state = initial[0]
        self.run = Run(self.state)
        runs.append(self.run)
        self.impl = impl.start() if impl is not None else None

    cache: dict[tuple[State, int], list[tuple[Instance, list[State]]]] = {}

    def enabled(self: Any, action: int) -> list[tuple[Instance, list[State]]]:
        # A pure function of the state: memoised, since shrinking revisits states constantly.
        key = (self.state, action)
        found = cache.get(key)
        if found is None:
            if len(cache) > 100_000:
                cache.clear()
            found = cache[key] = _enabled(self.state, action)
        return found

    def _enabled(state: State, action: int) -> list[tuple[Instance, list[State]]]:
        found = []
        for instance in by_action.get(action, ()):
            try:
                outcomes = model.execute(state, instance)
            except StepViolation:
                outcomes = [state]  # enabled: taking it reports the violation
            if outcomes:
                found.append((instance, outcomes))
        return found

    namespace: dict[str, Any] = {"__init__": setup, "enabled": enabled,
                                 "stop": staticmethod(stop or (lambda: False)),
                                 "reproduce": staticmethod(reproduce or (lambda run, f: []))}
    if len(initial) > 1:
        namespace["start"] = _initial_rule(model, initial)
    for number, action in enumerate(model.spec.actions):
        namespace[_rule_name(action.name)] = _action_rule(model, number)
    namespace["stutter"] = _stutter_rule(model, by_action, deadlock)
    if impl is not None:
        namespace["refuse"] = _refusal_rule(model)
    namespace["invariants_hold"] = _invariant_check(model)
    return type("SpecMachine", (RuleBasedStateMachine,), namespace)


def _initial_rule(model: Model, initial: list[State]) -> Callable[..., None]:
    """Start from any initial state (drawn, so shrinking prefers the first); with an
    implementation, from one its first observation agrees with."""
    def start(self: Any, data: Any) -> None:
        candidates = initial if self.impl is None else self.impl.initial(initial)
        shown = [Shown(s, lambda s: f"initial state {initial.index(s) + 1}") for s in candidates]
        chosen = data.draw(st.sampled_from(shown), label="initial state").value
        self.state = self.run.initial = chosen

    return initialize(data=st.data())(_traced(model, start))


def _rule_name(action: str) -> str:
    return "do_" + action.replace(".", "_")


def _action_rule(model: Model, number: int) -> Callable[..., None]:
    describe = functools.partial(describe_instance, model)

    def is_enabled(self: Any) -> bool:
        return bool(self.enabled(number))

    def step(self: Any, data: Any) -> None:
        shown = [Shown(i, describe) for i, _ in self.enabled(number)]
        instance = data.draw(st.sampled_from(shown), label="instance").value
        try:
            outcomes = model.execute(self.state, instance)
        except StepViolation as err:
            raise SpecFailure(err.violation.kind, err.violation.message, None, instance,
                              err.violation.span) from None
        nxt = outcomes[0] if len(outcomes) == 1 else outcomes[
            data.draw(st.sampled_from(range(len(outcomes))), label="successor")]
        if self.impl is not None:
            nxt = self.impl.step(instance, self.state, outcomes, len(self.run.steps) + 1)
        self.state = nxt
        self.run.steps.append(Step(instance, nxt))

    step.__name__ = _rule_name(model.spec.actions[number].name)
    return precondition(is_enabled)(rule(data=st.data())(_traced(model, step)))


def _stutter_rule(model: Model, by_action: dict[int, list[Instance]],
                  deadlock: bool) -> Callable[..., None]:
    def stuck(self: Any) -> bool:
        return not any(self.enabled(number) for number in by_action)

    def stutter(self: Any) -> None:
        if deadlock and not any(model.holds(p, self.state) for p in model.spec.finals):
            raise SpecFailure("deadlock", "deadlock: no action is enabled")

    return precondition(stuck)(rule()(_traced(model, stutter)))


def _refusal_rule(model: Model) -> Callable[..., None]:
    """Offer the implementation an instance the spec disables: it must refuse (raise)."""
    describe = functools.partial(describe_instance, model)

    def refuse(self: Any, data: Any) -> None:
        enabled = {instance for number in range(len(model.spec.actions))
                   for instance, _ in self.enabled(number)}
        disabled = [instance for instance in model.instances if instance not in enabled]
        if disabled:
            instance = data.draw(st.sampled_from(
                [Shown(i, describe) for i in disabled]), label="refused").value
            self.impl.refuse(instance, self.state, len(self.run.steps) + 1)

    return rule(data=st.data())(_traced(model, refuse))


def _invariant_check(model: Model) -> Callable[..., None]:
    def invariants_hold(self: Any) -> None:
        violated = model.violated_invariant(self.state)
        if violated is not None:
            prop, reason = violated
            raise SpecFailure("invariant", f"invariant {prop.name} {reason}", prop.name,
                              span=prop.span)

    return invariant()(_traced(model, invariants_hold))
