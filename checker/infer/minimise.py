"""Minimise an inductive set: drop each lemma whose absence keeps the spec's invariants and
the other lemmas inductive (greedy, last generated first, so the simpler survive).  Each
trial is one incremental query on the Houdini encoding; the result is checked once more
with the full inductive step (which adds "no step fails")."""

from __future__ import annotations

import time
from dataclasses import replace

from numaspec.checker.infer.houdini import Houdini
from numaspec.checker.smt.inductive_step import InductiveStep, ProveOptions
from numaspec.spec.ir import nodes as ir


def inductive(spec: ir.Spec, names: set[str], lemmas: set[str],
              deadline: float | None = None) -> bool | None:
    """Whether the invariants of `spec` not in `lemmas`, with those named in `names`, are
    inductive (1-induction step, every obligation); None if the deadline cut a query."""
    keep = tuple(p for p in spec.invariants if p.name not in lemmas or p.name in names)
    left = None if deadline is None else max(deadline - time.monotonic(), 0.001)
    verdict = InductiveStep(replace(spec, invariants=keep),
                            ProveOptions(k=1, timeout=left)).step_only().verdict
    return None if verdict == "unknown" else verdict == "proved"


def minimise(houdini: Houdini, kept: list[str]) -> tuple[list[str], bool]:
    """(a smaller set, inductive with the spec's invariants; whether minimisation finished
    before the deadline).  Only called when `kept` itself suffices."""
    current = list(kept)
    for name in reversed(kept):
        trial = [n for n in current if n != name]
        answer = houdini.suffices(trial)
        if answer is None:
            return current, False
        if answer:
            current = trial
    return current, True
