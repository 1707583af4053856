"""The vectorised stepper against the model's steps on the sample states."""

from __future__ import annotations

import pytest
from vector_helpers import SAMPLES, Samples, batch_of

from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.step import VectorStepper, ranked
from numaspec.model.machine import Model, State, StepViolation


@pytest.mark.parametrize("name", list(SAMPLES))
def test_stepper_agrees_with_the_model(name: str, samples: Samples) -> None:
    """Every instance on every sample state: the same successors in the same order (by
    state, instance, outcome: the interpreter's order), the same failing steps, the same
    invariant violations and the same truth of `reachable`s and `final`s."""
    spec, states = samples[name]
    states = states[:500]
    model, layout = Model(spec), Layout(spec)
    stepper = VectorStepper(model, layout)
    expected, expected_failing = [], set()
    for row, state in enumerate(states):
        for instance in model.instances:
            try:
                outcomes = model.execute(state, instance)
            except StepViolation:
                expected_failing.add((row, instance.number))
                continue
            expected += [(row, instance.number, nxt) for nxt in outcomes]
    batch = batch_of(layout, states)
    steps, _ = stepper.steps(batch)
    failing = {(int(r), int(v)) for s in steps
               for r, v in zip(s.failing_rows.tolist(), s.failing_via.tolist(), strict=True)}
    assert failing == expected_failing
    rows, via, _, _, after = ranked(steps, len(model.instances), layout)
    decoded: dict[bytes, State] = {}  # decoding is slow: once per distinct row
    found = [(r, v, decoded.get(a.tobytes()) or decoded.setdefault(a.tobytes(),
                                                                     layout.state(a)))
             for r, v, a in zip(rows.tolist(), via.tolist(), after, strict=True)
             if (r, v) not in failing]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert got == want, f"state {want[0]}, {model.instances[want[1]]}"
    columns = stepper.columns(batch)
    violating = [model.violated_invariant(s) is not None for s in states]
    assert stepper.violating(columns).tolist() == violating
    for prop in (*spec.reachables, *spec.finals):
        assert stepper.holds(prop, columns).tolist() == [model.holds(prop, s) for s in states]
    if name in ("kernels", "asserts", "steps"):
        assert expected_failing or name == "kernels"
