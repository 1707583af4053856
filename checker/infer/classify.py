"""Is a counterexample to induction a bug or a weak invariant?

`prove` answers "not proved" with k+1 states that need not be reachable.  Here the explicit
engine searches the same instance (the CTI's size): a reachable state that breaks an
invariant is a real violation, reported with its replayed trace; a complete search without
one means no reachable state breaks the invariants, so the CTI's first state (whose
successor breaks one) is unreachable and the invariant is too weak.  Then the candidate
grammar (candidates.py), filtered on the reachable states, names the lemmas that would
exclude that state.  A search cut by its limit leaves the question open.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from numaspec.checker.explicit import check
from numaspec.checker.infer.candidates import Grammar, candidates
from numaspec.checker.infer.filter import compile_with, holding
from numaspec.checker.infer.sample import Sampler
from numaspec.checker.results import CheckOptions
from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir
from numaspec.spec.syntax.parser import parse_module

CtiKind = Literal["reachable", "unreachable", "unknown"]


@dataclass
class CtiClass:
    kind: CtiKind
    finding: Finding | None = None  # "reachable": a real violation, its trace replayed
    states: int = 0  # reachable states searched (orbits under symmetry)
    excluding: list[str] = field(default_factory=list)  # lemmas true when reachable, false
    reason: str = ""  # "unknown": why the search did not decide
    seconds: float = 0.0


def classify_cti(path: str, spec: ir.Spec, source: str, defines: tuple[str, ...],
                 cti: Trace, budget: float = 60.0, suggest: int = 3,
                 symmetry: bool = True) -> CtiClass:
    """Classify the CTI `cti` of `spec` (compiled from `path` with `defines`) within
    `budget` seconds of explicit search (never prints); `symmetry` False ignores the spec's
    `symmetric Node`, as `prove --no-symmetry` does."""
    start = time.monotonic()
    found = check(spec, CheckOptions(symmetry=symmetry, deadlock=False, liveness=False,
                                     timeout=budget))
    result = CtiClass("unknown", states=found.stats.distinct_states)
    if found.verdict == "violated":
        result.kind, result.finding = "reachable", found.finding
    elif found.verdict == "holds":
        result.kind = "unreachable"
        left = budget - (time.monotonic() - start)
        if suggest and left > 0:
            result.excluding = _excluding(path, spec, source, defines, cti, left)[:suggest]
    else:
        result.reason = found.stopped_by or "a limit"
    result.seconds = time.monotonic() - start
    return result


def _excluding(path: str, spec: ir.Spec, source: str, defines: tuple[str, ...],
               cti: Trace, budget: float) -> list[str]:
    """Candidates true in every reachable state and false in the CTI's first state, the
    shortest first."""
    pool = candidates(spec, parse_module(source, spec.path), Grammar(), source)
    sizes = (f"NODES={spec.topology.nodes}",)
    compiled = compile_with(path, (*defines, *sizes), [*pool])
    model = Model(compiled.spec)
    sample = Sampler(model, deadline=time.monotonic() + budget).run()
    if not sample.complete:
        return []
    kept, _ = holding(compiled.spec, compiled.kept, sample.states)
    false_there = set(kept) - set(holding(compiled.spec, compiled.kept, [cti.initial])[0])
    return sorted(false_there, key=lambda text: (len(text), text))
