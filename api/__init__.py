"""numaspec: a formal model and conformance checker for NUMA-aware user-level memory
management on microkernels.

    import numaspec
    compiled = numaspec.compile_spec("spec/examples/pernode.numa", ["NODES=2"])
    result = numaspec.check(compiled)          # result.outcome is numaspec.Outcome.OK

The names below are imported on first use (PEP 562), so `import numaspec` loads neither
Z3, Hypothesis nor matplotlib; docs/api.md shows a whole session.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "compile_spec": "numaspec.spec.pipeline", "CompiledSpec": "numaspec.spec.pipeline",
    "SpecError": "numaspec.spec.diagnostics", "Diagnostic": "numaspec.spec.diagnostics",
    "Model": "numaspec.model.machine", "Outcome": "numaspec.model.outcome",
    "Finding": "numaspec.model.findings", "Trace": "numaspec.model.findings",
    "check": "numaspec.facade", "bmc": "numaspec.facade", "prove": "numaspec.facade",
    "lint": "numaspec.facade", "simulate": "numaspec.facade", "fuzz": "numaspec.facade",
    "validate_trace": "numaspec.facade",
    "CheckOptions": "numaspec.checker.results", "SimulateOptions": "numaspec.checker.simulate",
    "BmcOptions": "numaspec.checker.smt.bmc", "ProveOptions": "numaspec.checker.smt.induction",
    "LintOptions": "numaspec.checker.smt.lint", "FuzzOptions": "numaspec.checker.fuzz",
    "FrontierOptions": "numaspec.traces.frontier",
}
__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from numaspec.checker.fuzz import FuzzOptions
    from numaspec.checker.results import CheckOptions
    from numaspec.checker.simulate import SimulateOptions
    from numaspec.checker.smt.bmc import BmcOptions
    from numaspec.checker.smt.induction import ProveOptions
    from numaspec.checker.smt.lint import LintOptions
    from numaspec.facade import bmc, check, fuzz, lint, prove, simulate, validate_trace
    from numaspec.model.findings import Finding, Trace
    from numaspec.model.machine import Model
    from numaspec.model.outcome import Outcome
    from numaspec.spec.diagnostics import Diagnostic, SpecError
    from numaspec.spec.pipeline import CompiledSpec, compile_spec
    from numaspec.traces.frontier import FrontierOptions


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'numaspec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
