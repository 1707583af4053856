"""From a Z3 model to the engine-neutral counterexample types (model/findings.py).

The solver's states are decoded to runtime values and every step is re-found among the
model's successors, so what is reported is an execution of the model, not of the encoding.
Anything the model does not confirm is a `CheckerBug` (an encoding error), never a verdict.
"""

from __future__ import annotations

import z3

from numaspec.checker.smt.decode import decode
from numaspec.checker.smt.system import State as SymState
from numaspec.model.findings import (
    CheckerBug,
    Finding,
    Step,
    Trace,
    deadlock_finding,
    invariant_finding,
    step_finding,
)
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.spec.ir import nodes as ir


def decode_state(spec: ir.Spec, solution: z3.ModelRef, state: SymState) -> State:
    return tuple(decode(solution, state[v.name], v.type) for v in spec.variables)


def connect(model: Model, states: list[State], start: int = 0) -> list[Step]:
    """The steps that lead through `states` (raises CheckerBug if one is not a step)."""
    steps = []
    for number, (here, there) in enumerate(zip(states, states[1:], strict=False), start + 1):
        for instance, nxt in _successors(model, here):
            if nxt == there:
                steps.append(Step(instance, nxt))
                break
        else:
            raise CheckerBug(f"SMT encoding: step {number} of the solver's path is not a step "
                             "of the model")
    return steps


def _successors(model: Model, state: State) -> list[tuple[Instance, State]]:
    """The model's successors, skipping instances that fail (the solver's step is not one)."""
    return model.safe_successors(state)


def first_failure(model: Model, state: State) -> StepViolation | None:
    """The first instance (in the model's order) whose step from `state` breaks the spec."""
    for instance in model.instances:
        try:
            model.execute(state, instance)
        except StepViolation as err:
            return err
    return None


def violation_at(model: Model, trace: Trace) -> Finding:
    """The finding the last state of `trace` shows: a violated invariant, else a failing step."""
    state = trace.last
    violated = model.violated_invariant(state)
    if violated is not None:
        return invariant_finding(*violated, trace)
    failure = first_failure(model, state)
    if failure is not None:
        return step_finding(failure, trace)
    raise CheckerBug("SMT encoding: the solver's last state violates nothing in the model")


def deadlock_at(model: Model, trace: Trace) -> Finding:
    if model.successors(trace.last):
        raise CheckerBug("SMT encoding: the solver's deadlock state has successors")
    return deadlock_finding(trace)
