"""The Python API: compile a spec, then check, prove, lint, simulate, fuzz or validate a trace.

Every function takes the spec as compiled by `compile_spec` (a `CompiledSpec`, or its IR
`.spec`), and options as the engine's own options class (all defaults when omitted); it
returns the engine's result, whose `.outcome` is an `Outcome` (ok / violation / limit).
Engines never print.  Each engine is imported when first called, so `import numaspec` stays
light: Z3 is loaded by `bmc`, `prove` and `lint`, Hypothesis by `fuzz`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import CompiledSpec

if TYPE_CHECKING:
    from numaspec.checker.fuzz import FuzzOptions, FuzzResult
    from numaspec.checker.results import CheckOptions, CheckResult
    from numaspec.checker.simulate import SimulateOptions, SimulationResult
    from numaspec.checker.smt.bmc import BmcOptions
    from numaspec.checker.smt.induction import ProveOptions, ProveResult
    from numaspec.checker.smt.lint import LintOptions, LintResult
    from numaspec.traces.frontier import FrontierOptions
    from numaspec.traces.validate import ValidationResult

Spec = ir.Spec | CompiledSpec


def _ir(spec: Spec) -> ir.Spec:
    return spec.spec if isinstance(spec, CompiledSpec) else spec


def check(spec: Spec, options: CheckOptions | None = None) -> CheckResult:
    """Explicit-state check of every property (`numaspec check`)."""
    from numaspec.checker.explicit import check as run
    from numaspec.checker.results import CheckOptions

    return run(_ir(spec), options or CheckOptions())


def bmc(spec: Spec, options: BmcOptions | None = None) -> CheckResult:
    """Bounded model checking with Z3 (`numaspec check --engine bmc`)."""
    from numaspec.checker.smt.bmc import BmcOptions
    from numaspec.checker.smt.bmc import bmc as run

    return run(_ir(spec), options or BmcOptions())


def prove(spec: Spec, options: ProveOptions | None = None) -> ProveResult:
    """k-induction of every invariant (`numaspec prove`)."""
    from numaspec.checker.smt.induction import ProveOptions
    from numaspec.checker.smt.induction import prove as run

    return run(_ir(spec), options or ProveOptions())


def lint(spec: Spec, options: LintOptions | None = None) -> LintResult:
    """Dead actions, vacuous invariants, redundant requires (`numaspec lint`)."""
    from numaspec.checker.smt.lint import lint as run

    return run(_ir(spec), options)


def simulate(spec: Spec, options: SimulateOptions | None = None) -> SimulationResult:
    """Random walks with every invariant checked and costs accounted (`numaspec simulate`)."""
    from numaspec.checker.simulate import SimulateOptions
    from numaspec.checker.simulate import simulate as run

    return run(_ir(spec), options or SimulateOptions())


def fuzz(spec: Spec, options: FuzzOptions | None = None) -> FuzzResult:
    """Hypothesis-driven stateful fuzzing, shrunk counterexamples (`numaspec fuzz`)."""
    from numaspec.checker.fuzz import FuzzOptions, FuzzResult
    from numaspec.checker.fuzz import fuzz as run
    from numaspec.model.findings import initial_or_finding
    from numaspec.model.machine import Model

    options = options or FuzzOptions()
    _, failed = initial_or_finding(Model(_ir(spec)))  # a failing `init` is a finding
    return run(_ir(spec), options) if failed is None else FuzzResult(options.seed,
                                                                     finding=failed)


def validate_trace(spec: Spec, trace: str | Path,
                   options: FrontierOptions | None = None) -> ValidationResult:
    """Whether the log or ITF trace at `trace` is a behaviour of `spec` (`numaspec trace`);
    a trace that cannot be read raises `SpecError`, as a bad spec does."""
    from numaspec.model.machine import Model
    from numaspec.traces.bind import Binder
    from numaspec.traces.formats.load import open_trace
    from numaspec.traces.frontier import FrontierOptions
    from numaspec.traces.validate import validate

    model, path = Model(_ir(spec)), str(trace)
    sources = spec.sources if isinstance(spec, CompiledSpec) else None
    return validate(model, Binder(model, path), open_trace(path).records,
                    options or FrontierOptions(), sources=sources)
