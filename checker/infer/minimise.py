"""Minimise an inductive set: first shrink it to the solver's unsat cores (the lemmas the
proof used; repeated while the core shrinks), then drop each lemma whose absence keeps the
spec's invariants and the other lemmas inductive (greedy, last generated first, so the
simpler survive; a success also shrinks the set to that query's core).  Each step is one
incremental query on the Houdini encoding, bounded by its deadline."""

from __future__ import annotations

from numaspec.checker.smt.houdini import Houdini


def minimise(houdini: Houdini, kept: list[str]) -> tuple[list[str], bool]:
    """(a smaller set, inductive with the spec's invariants; whether minimisation finished
    before the deadline).  Only called when `kept` itself suffices."""
    current = list(kept)
    while current:
        answer, core = houdini.core(current)
        if answer is None:
            return current, False
        if len(core) >= len(current):
            break
        current = core
    for name in reversed(list(current)):
        if name not in current:
            continue  # already left out by a core
        answer, core = houdini.core([n for n in current if n != name])
        if answer is None:
            return current, False
        if answer:
            current = core
    return current, True
