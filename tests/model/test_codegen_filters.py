"""The generated expressions test each conjunct of a filter right after the last binder it
mentions and remember a nested quantifier that depends on no binder once per evaluation
(model/compile/codegen/): the same values as the reference evaluator (spec/ir/evaluate.py)
in every reachable state of tests/corpus/codegen/filters.numa, run-time errors included,
and the rewrites do happen."""

from __future__ import annotations

from typing import Any

from harness import ROOT

from numaspec.model.compile.codegen import expr as codegen
from numaspec.model.compile.codegen.memo import repeated_invariants
from numaspec.model.machine import Model, State
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.evaluate import Env, EvalError, evaluate
from numaspec.spec.pipeline import compile_spec

FILTERS = ROOT / "tests" / "corpus" / "codegen" / "filters.numa"


def every_state(model: Model) -> list[State]:
    """Every state reachable through the actions, invariants ignored."""
    seen = dict.fromkeys(model.initial_states())
    frontier = list(seen)
    while frontier:
        state = frontier.pop()
        for instance in model.instances:
            for successor in model.execute(state, instance):
                if successor not in seen:
                    seen[successor] = None
                    frontier.append(successor)
    return list(seen)


def outcome(run: Any, *args: Any) -> object:
    try:
        return bool(run(*args))
    except EvalError as err:
        return ("error", err.message)


def test_generated_code_agrees_with_the_reference_everywhere() -> None:
    spec = compile_spec(str(FILTERS)).spec
    model = Model(spec)
    states = every_state(model)
    errors = 0
    for prop in spec.invariants:
        compiled = model.exprs.compile(prop.expr)
        slots = max(prop.locals_count, 1)
        for state in states:
            env = Env(dict(zip(model.names, state, strict=True)), [None] * slots, spec.topology)
            want = outcome(evaluate, prop.expr, env)
            assert outcome(compiled, state, [None] * slots) == want, (prop.name, state)
            errors += isinstance(want, tuple)
    assert len(states) > 100 and errors > 0  # the corpus spec reaches its failing lookups


def invariant(name: str) -> ir.Property:
    return next(p for p in compile_spec(str(FILTERS)).spec.invariants if p.name == name)


def test_a_conjunct_is_tested_after_its_last_binder() -> None:
    quantifier = invariant("two_owners").expr
    assert isinstance(quantifier, ir.Quantifier) and quantifier.where is not None
    levels = [level for level, _ in codegen._conjunct_levels(quantifier.bindings,
                                                             quantifier.where)]
    assert levels == [1, 2]  # owned(v, x) after x, owned(v, y) after y


def test_no_conjunct_moves_past_a_binder_over_a_set() -> None:
    quantifier = invariant("over_a_set").expr
    assert isinstance(quantifier, ir.Quantifier) and quantifier.where is not None
    assert [level for level, _ in codegen._conjunct_levels(quantifier.bindings,
                                                           quantifier.where)] == [1]


def test_a_nested_map_that_no_binder_changes_is_remembered() -> None:
    assert len(repeated_invariants(invariant("remembered_lookup").expr)) == 1
    # two uses of table() inside the one over n: both remembered, none depends on n
    assert len(repeated_invariants(invariant("nested_remembered").expr)) >= 1
    assert repeated_invariants(invariant("counted").expr) == {}  # nothing nested
