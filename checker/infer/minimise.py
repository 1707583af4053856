"""Minimise an inductive set, keeping the lemmas the solver can afford at larger sizes.

Candidates are ranked by the size of their encoding: a conservation law summed over every
channel position of every key is far larger than the same law per owner.  The phases, each
query bounded by the deadline:

1. *Shed the costliest*: leave out the costliest half, quarter and eighth while the rest
   still suffices.  Without this, the solver's unsat cores tend to keep one costly law that
   stands in for several cheap lemmas, and `prove` pays for it at every larger size.
2. *Unsat cores* (repeated while the core shrinks): the lemmas the proof used.
3. *Shed the costliest* again among the few the cores kept (halving down to one), then
   *greedy*, costliest first: drop each lemma whose absence keeps the spec's invariants and
   the other lemmas inductive.

Large sets are asked on the incremental Houdini encoding; from `FRESH_BELOW` lemmas on,
each query is a fresh encoding of only those lemmas on `prove`'s solver (much faster).  A
fresh query that finds no answer within `PATIENCE` times the last successful one's time (at
least `MIN_PATIENCE` seconds) counts as "does not suffice": the lemma stays, which is always
sound (a set that does not suffice is never chosen), only less small.  Without this bound
one hard satisfiable query (the solver looking for a rare counterexample to induction) held
minimisation for a quarter of an hour at 4 nodes.
"""

from __future__ import annotations

import time

from numaspec.checker.smt.houdini import Houdini

FRESH_BELOW = 64  # lemmas: below this a fresh encoding beats the incremental one
PATIENCE = 5.0
MIN_PATIENCE = 30.0  # seconds
FIRST_PATIENCE = 300.0  # seconds, until a query has succeeded


def minimise(houdini: Houdini, kept: list[str]) -> tuple[list[str], bool]:
    """(a smaller set, inductive with the spec's invariants; whether minimisation finished
    before the deadline).  Only called when `kept` itself suffices."""
    weight = houdini.weights(kept)
    current = sorted(kept, key=lambda name: -weight[name])  # costliest first
    asker = _Asker(houdini)
    for phase in (_shed_large, _cores, _shed, _greedy):
        current, finished = phase(asker, current)
        if not finished:
            return _in_order(current, kept), False
    return _in_order(current, kept), True


class _Asker:
    """Whether a set suffices: incremental for large sets, fresh and time-boxed for small
    ones (False when the box is exceeded; None only when the deadline passed)."""

    def __init__(self, houdini: Houdini):
        self.houdini = houdini
        self.patience = FIRST_PATIENCE

    def __call__(self, live: list[str]) -> bool | None:
        if len(live) >= FRESH_BELOW:
            return self.houdini.suffices(live)
        start = time.monotonic()
        answer = self.houdini.suffices_alone(live, self.patience)
        if answer is None and not self.houdini.past_deadline():
            return False  # the time box, not the deadline: keep the lemma
        if answer:  # a proof: what a query that succeeds costs
            self.patience = max(MIN_PATIENCE, PATIENCE * (time.monotonic() - start))
        return answer


def _shed_large(asker: _Asker, current: list[str]) -> tuple[list[str], bool]:
    """The costliest half, quarter and eighth of a large set (a few incremental queries,
    each costly: the cores do the rest)."""
    if len(current) < FRESH_BELOW:
        return current, True
    return _shed(asker, current, smallest=max(1, len(current) // 8))


def _shed(asker: _Asker, current: list[str], smallest: int = 1) -> tuple[list[str], bool]:
    """Leave out the costliest `chunk` while the rest suffices; halve the chunk when not."""
    chunk = len(current) // 2
    while chunk >= smallest and len(current) > 1:
        rest = current[chunk:]
        answer = asker(rest)
        if answer is None:
            return current, False
        if answer:
            current = rest
            chunk = min(chunk, len(current) // 2)
        else:
            chunk //= 2
    return current, True


def _cores(asker: _Asker, current: list[str]) -> tuple[list[str], bool]:
    while current:
        answer, core = asker.houdini.core(current)
        if answer is None:
            return current, False
        if len(core) >= len(current):
            break
        current = [name for name in current if name in core]
    return current, True


def _greedy(asker: _Asker, current: list[str]) -> tuple[list[str], bool]:
    for name in list(current):
        rest = [n for n in current if n != name]
        answer = asker(rest)
        if answer is None:
            return current, False
        if answer:
            current = rest
    return current, True


def _in_order(chosen: list[str], kept: list[str]) -> list[str]:
    """`chosen` in the order of `kept` (the generation order, which the lemma file keeps)."""
    keep = set(chosen)
    return [name for name in kept if name in keep]
