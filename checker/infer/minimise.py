"""Minimise an inductive set: drop each lemma whose absence keeps the spec's invariants and
the other lemmas inductive (greedy, last generated first, so the simpler survive)."""

from __future__ import annotations

import time
from dataclasses import replace

from numaspec.checker.smt.inductive_step import InductiveStep, ProveOptions
from numaspec.spec.ir import nodes as ir


def inductive(spec: ir.Spec, names: set[str], lemmas: set[str]) -> bool:
    """Whether the invariants of `spec` not in `lemmas`, with those named in `names`, are
    inductive (1-induction step, every obligation)."""
    keep = tuple(p for p in spec.invariants if p.name not in lemmas or p.name in names)
    return InductiveStep(replace(spec, invariants=keep), ProveOptions(k=1)).step_only() \
        .verdict == "proved"


def minimise(spec: ir.Spec, kept: list[str], deadline: float | None) -> tuple[list[str], bool]:
    """(a smaller inductive set, whether minimisation finished before the deadline)."""
    lemmas = set(kept)
    current = list(kept)
    for name in reversed(kept):
        if deadline is not None and time.monotonic() > deadline:
            return current, False
        trial = set(current) - {name}
        if inductive(spec, trial, lemmas):
            current = [n for n in current if n != name]
    return current, True
