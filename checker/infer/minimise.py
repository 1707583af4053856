"""Minimise an inductive set: drop each lemma whose absence keeps the spec's invariants and
the other lemmas inductive (greedy, last generated first, so the simpler survive).  Each
trial is one incremental query on the Houdini encoding, bounded by its deadline."""

from __future__ import annotations

from numaspec.checker.infer.houdini import Houdini


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
