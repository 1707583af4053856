"""k-induction: prove that the invariants hold in every reachable state, for any depth.

The property proved is the conjunction P of every invariant (lemmas included) and "no action
instance fails" (the latter only as an obligation, see `_assumption`).  Base case: no
violation of P within k-1 steps of an initial state (bounded model checking, so a failure
here is a real counterexample).  Inductive step: from any k
consecutive type-correct states that satisfy P and are linked by steps, the next state
satisfies P.  Every invariant is an obligation of the step, so assuming the others is sound
(they are proved together); a failed obligation yields a *counterexample to induction*: the
k+1 states and the actions, which the model confirms before it is reported.
"""

from __future__ import annotations

import time

from numaspec.checker.smt.bmc import INTERRUPT, Bmc, BmcOptions
from numaspec.checker.smt.inductive_step import (
    NO_FAILURE,
    InductiveStep,
    ProveOptions,
    ProveResult,
    ProveVerdict,
    invariants_of,
    orbit_representatives,
)
from numaspec.spec.ir import nodes as ir

__all__ = ["NO_FAILURE", "ProveOptions", "ProveResult", "ProveVerdict", "Prover", "base_case",
           "invariants_of",
           "orbit_representatives", "prove"]


class Prover(InductiveStep):
    """k-induction: the base case by bounded model checking, then the inductive step."""

    def run(self) -> ProveResult:
        result = base_case(self.spec, self.options, self.start)
        if result.verdict == "proved":
            self._step(result)
        result.seconds = time.perf_counter() - self.start
        return result


def base_case(spec: ir.Spec, options: ProveOptions, start: float) -> ProveResult:
    """The base case of k-induction by bounded model checking: a result that is "proved"
    if no behaviour of fewer than k steps breaks an invariant (the step is then to do),
    else the violation, or "unknown" at a limit.  Shared by prove_distributed."""
    result = ProveResult("proved", options.k)
    base = Bmc(spec, BmcOptions(depth=options.k - 1, deadlock=False, timeout=options.timeout,
                                induction=False, symmetry=options.symmetry)).run()
    result.base_seconds = time.perf_counter() - start
    if base.verdict == "violated":
        result.verdict, result.finding = "violated", base.finding
        result.failed = base.finding.property if base.finding else None
    elif base.verdict == "limit":
        if (base.stopped_by or "").startswith(INTERRUPT):
            raise KeyboardInterrupt  # not a solver that gave up: the caller reports it
        result.verdict, result.reason = "unknown", base.stopped_by
    return result


def prove(spec: ir.Spec, options: ProveOptions) -> ProveResult:
    """k-induction over every invariant of `spec` (never prints)."""
    return Prover(spec, options).run()
