"""The compiled closures (model/compile/expr.py) and the reference evaluator
(spec/ir/evaluate.py) give the same value for every invariant of every spec of the corpus,
in every state of a random walk.  Two independent implementations of the expression
semantics: a disagreement is a bug in one of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from harness import ROOT

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.model.machine import Model
from numaspec.spec.ir.evaluate import Env, EvalError, evaluate
from numaspec.spec.pipeline import compile_spec

SPECS = sorted(str(p.relative_to(ROOT)) for p in [*(ROOT / "spec" / "examples").glob("*.numa"),
                                                  *(ROOT / "tests" / "corpus" / "good")
                                                  .glob("constructs.numa")])


def outcome(run: Callable[..., Any], *args: Any) -> object:
    try:
        return run(*args)
    except EvalError as err:
        return ("error", err.message)


@pytest.mark.parametrize("path", SPECS)
def test_invariants_agree_on_a_walk(path: str) -> None:
    spec = compile_spec(str(ROOT / path)).spec
    model = Model(spec)
    walk = simulate(spec, SimulateOptions(steps=300, seed=11, deadlock=False))
    assert walk.last_trace is not None
    states = walk.last_trace.states()
    properties = [*spec.invariants, *spec.reachables, *spec.finals]
    for prop in properties:
        compiled = model.exprs.compile(prop.expr)
        for state in states:
            slots = max(prop.locals_count, 1)
            fast = outcome(compiled, state, [None] * slots)
            env = Env(dict(zip(model.names, state, strict=True)), [None] * slots, spec.topology)
            slow = outcome(evaluate, prop.expr, env)
            if isinstance(fast, tuple) or isinstance(slow, tuple):
                assert isinstance(fast, tuple) and isinstance(slow, tuple), prop.name
            else:
                assert bool(fast) == bool(slow), (prop.name, state)
