"""Stateful fuzzing with Hypothesis: `fuzz` for the CLI, `spec_test` for pytest.

`fuzz` runs the spec's state machine (checker/fuzz/machine.py) for a number of examples in
batches, each batch seeded from the given seed, until the examples or the time budget are
used up, and returns the shrunk failure as a numaspec `Finding` (replayed through the model).
It uses no example database unless given a directory for one (`--database DIR`), so the same
seed gives the same result, and it writes nothing into the working directory.  `spec_test`
and `conforms`, for pytest (checker/fuzz/testing.py), behave like Hypothesis there: its
profiles and settings, its example database.
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.stateful import run_state_machine_as_test

from numaspec.checker.fuzz.conformance import Conformance, load_factory
from numaspec.checker.fuzz.machine import Run, SpecFailure, build_machine
from numaspec.checker.fuzz.testing import conforms, spec_test
from numaspec.model.findings import Finding, Trace, replay
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.ir import nodes as ir

BATCH = 100
__all__ = ["FuzzOptions", "FuzzResult", "conforms", "fuzz", "spec_test"]


@dataclass(frozen=True)
class FuzzOptions:
    examples: int = 100
    max_steps: int = 50
    seed: int = 0
    time_budget: float | None = None
    impl: str | None = None  # MODULE:FACTORY
    deadlock: bool = True
    database: str | None = None  # a directory for Hypothesis's example database


@dataclass
class FuzzResult:
    seed: int
    examples: int = 0  # runs generated (not those of shrinking), up to the first failure
    steps: int = 0
    seconds: float = 0.0
    finding: Finding | None = None
    covered: set[str] = field(default_factory=set)
    stopped_by: str | None = None  # "interrupted" (Ctrl-C): the counts are partial
    shrunk: bool = True  # False: Ctrl-C came while shrinking; the finding is the smallest yet

    @property
    def outcome(self) -> Outcome:
        if self.finding is not None:
            return Outcome.VIOLATION
        return Outcome.LIMIT if self.stopped_by is not None else Outcome.OK

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else 0.0


def _settings(examples: int, max_steps: int, database: Any = None) -> settings:
    # report_multiple_bugs=False: two distinct failures would otherwise come as an
    # ExceptionGroup; one shrunk failure is what a counterexample is.  No explain phase: its
    # notes are never shown, and it can take many times as long as the shrinking.
    return settings(max_examples=examples, stateful_step_count=max_steps, deadline=None,
                    database=database, suppress_health_check=list(HealthCheck),
                    print_blob=False, report_multiple_bugs=False,
                    phases=[p for p in Phase if p is not Phase.explain])


def fuzz(spec: ir.Spec, options: FuzzOptions,
         stop: Callable[[], bool] | None = None) -> FuzzResult:
    """Fuzz `spec` (and the implementation, if any); never prints.  Nothing is written to
    the working directory: Hypothesis's own files go to a temporary directory, its example
    database to `options.database` if given.  Ctrl-C ends the run with the partial counts
    (`stopped_by`), and with the failure found so far if there is one; so does `stop()`
    becoming true (asked before every step).  Raises SpecError (E006) if the implementation
    cannot be loaded or does not fit the adapter contract."""
    model = Model(spec)
    impl = None
    if options.impl:
        impl = Conformance(model, load_factory(options.impl), options.impl)
        impl.probe()
    result = FuzzResult(options.seed)
    start, batch, runs, count = time.perf_counter(), 0, list[Run](), 0
    with _storage(options.database) as database:
        try:
            while result.examples < options.examples and not _spent(options, start):
                runs = []
                count = min(BATCH, options.examples - result.examples)
                result.finding = _batch(model, options, impl, runs, batch, count, database,
                                        stop)
                _account(result, model, runs, count)
                runs, batch = [], batch + 1
                if result.finding is not None:
                    break
        except KeyboardInterrupt:
            result.stopped_by = "interrupted"
            _account(result, model, runs, count)
            result.finding = _last_failure(model, runs)
            result.shrunk = result.finding is None
    result.seconds = time.perf_counter() - start
    if result.finding is not None:
        replay(model, result.finding)
    return result


def _spent(options: FuzzOptions, start: float) -> bool:
    return options.time_budget is not None and \
        time.perf_counter() - start > options.time_budget


def _batch(model: Model, options: FuzzOptions, impl: Conformance | None, runs: list[Run],
           batch: int, count: int, database: Any,
           stop: Callable[[], bool] | None) -> Finding | None:
    """One batch of `count` examples, seeded from the seed and the batch number; the shrunk
    failure, if any."""
    machine = build_machine(model, runs, options.deadlock, impl, stop)
    hypothesis_seed(options.seed * 1_000_003 + batch)(machine)
    try:
        with _collector_paused():
            run_state_machine_as_test(machine, settings=_settings(count, options.max_steps,
                                                                  database))
    except SpecFailure as failure:
        return _finding(model, runs[-1], failure)
    except Exception:  # e.g. Hypothesis's Flaky (a failure that did not replay)
        if not any(run.failure for run in runs):
            raise
        return _last_failure(model, runs)
    return None


def _last_failure(model: Model, runs: list[Run]) -> Finding | None:
    """The last failing run's finding (while shrinking: the smallest failure so far)."""
    failed = [run for run in runs if run.failure is not None]
    return _finding(model, failed[-1], failed[-1].failure) if failed else None  # type: ignore[arg-type]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Run the body with Python's cyclic garbage collector off, and collect after it.
    Hypothesis holds the values it drew through weak references and reuses those still alive
    when it mutates examples, so the moments the collector happens to run (they depend on
    allocations elsewhere in the process) would change which examples a seed generates."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


@contextlib.contextmanager
def _storage(directory: str | None) -> Iterator[Any]:
    """Hypothesis's home in a temporary directory for the run (it would create
    `.hypothesis/` in the working directory), unless HYPOTHESIS_STORAGE_DIRECTORY says where;
    the example database in `directory`, if given."""
    from hypothesis.configuration import set_hypothesis_home_dir
    from hypothesis.database import DirectoryBasedExampleDatabase

    database = DirectoryBasedExampleDatabase(directory) if directory else None
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield database
        return
    with tempfile.TemporaryDirectory(prefix="numaspec-fuzz-") as home:
        set_hypothesis_home_dir(home)
        try:
            yield database
        finally:
            set_hypothesis_home_dir(None)


def _account(result: FuzzResult, model: Model, runs: list[Run], count: int) -> None:
    """Count the runs up to the first that failed (those after it are shrinking), at most
    the `count` the batch asked for (Hypothesis also starts runs it abandons, and does not
    count them either)."""
    failed = next((i for i, run in enumerate(runs) if run.failure is not None), None)
    generated = (runs if failed is None else runs[:failed + 1])[:count]
    result.examples += len(generated)
    for run in generated:
        result.steps += len(run.steps)
        result.covered.update(model.action_name(s.instance) for s in run.steps)


def _finding(model: Model, run: Run, failure: SpecFailure) -> Finding:
    return Finding(failure.kind, failure.prop, failure.message, failure.span,  # type: ignore[arg-type]
                   Trace(run.initial, tuple(run.steps)), failing=failure.failing)
