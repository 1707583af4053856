"""Stateful fuzzing with Hypothesis: `fuzz` for the CLI, `spec_test` for pytest.

`fuzz` runs the spec's state machine (checker/fuzz/machine.py) for a number of examples in
batches, each batch seeded from the given seed, until the examples or the time budget are
used up, and returns the shrunk failure as a numaspec `Finding` (replayed through the model).
It uses no example database, so the same seed gives the same result; `spec_test` does use
Hypothesis's database, so a failure found once is replayed first on the next run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from numaspec.checker.fuzz.conformance import Conformance, load_factory
from numaspec.checker.fuzz.machine import Run, SpecFailure, build_machine
from numaspec.model.findings import Finding, Trace, replay
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec

BATCH = 100


@dataclass(frozen=True)
class FuzzOptions:
    examples: int = 100
    max_steps: int = 50
    seed: int = 0
    time_budget: float | None = None
    impl: str | None = None  # MODULE:FACTORY
    deadlock: bool = True


@dataclass
class FuzzResult:
    seed: int
    examples: int = 0
    steps: int = 0
    seconds: float = 0.0
    finding: Finding | None = None
    covered: set[str] = field(default_factory=set)

    @property
    def outcome(self) -> Outcome:
        return Outcome.VIOLATION if self.finding is not None else Outcome.OK

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else 0.0


def _settings(examples: int, max_steps: int, database: Any = None) -> settings:
    return settings(max_examples=examples, stateful_step_count=max_steps, deadline=None,
                    database=database, suppress_health_check=list(HealthCheck),
                    print_blob=False)


def fuzz(spec: ir.Spec, options: FuzzOptions) -> FuzzResult:
    """Fuzz `spec` (and the implementation, if any); never prints."""
    model = Model(spec)
    impl = Conformance(model, load_factory(options.impl), options.impl) if options.impl \
        else None
    result = FuzzResult(options.seed)
    start, batch = time.perf_counter(), 0
    while result.examples < options.examples:
        if options.time_budget is not None and time.perf_counter() - start > options.time_budget:
            break
        runs: list[Run] = []
        machine = build_machine(model, runs, options.deadlock, impl)
        hypothesis_seed(options.seed * 1_000_003 + batch)(machine)
        count = min(BATCH, options.examples - result.examples)
        try:
            run_state_machine_as_test(machine, settings=_settings(count, options.max_steps))
        except SpecFailure as failure:
            result.finding = _finding(model, runs[-1], failure)
        _account(result, model, runs)
        batch += 1
        if result.finding is not None:
            break
    result.seconds = time.perf_counter() - start
    if result.finding is not None:
        replay(model, result.finding)
    return result


def _account(result: FuzzResult, model: Model, runs: list[Run]) -> None:
    result.examples += len(runs)
    for run in runs:
        result.steps += len(run.steps)
        result.covered.update(model.action_name(s.instance) for s in run.steps)


def _finding(model: Model, run: Run, failure: SpecFailure) -> Finding:
    return Finding(failure.kind, failure.prop, failure.message, failure.span,  # type: ignore[arg-type]
                   Trace(run.initial, tuple(run.steps)), failing=failure.failing)


def spec_test(spec_path: str, impl: str | None = None, defines: tuple[str, ...] = (),
              settings: settings | None = None) -> type:
    """A `unittest.TestCase` class fuzzing the spec (and `impl`), for pytest to collect:

        TestPernode = spec_test("spec/examples/pernode.numa", impl="examples.pager_impl:correct")

    Hypothesis's example database is used, so a failure is replayed first next time."""
    spec = compile_spec(spec_path, list(defines)).spec
    model = Model(spec)
    runs: list[Run] = []
    conformance = Conformance(model, load_factory(impl), impl) if impl else None
    machine: type[RuleBasedStateMachine] = build_machine(model, runs, True, conformance)
    test_case = machine.TestCase
    test_case.settings = settings or _settings(100, 50, database=_default_database())
    return test_case  # type: ignore[no-any-return]


def _default_database() -> Any:
    from hypothesis.database import DirectoryBasedExampleDatabase

    return DirectoryBasedExampleDatabase(".hypothesis/examples")
