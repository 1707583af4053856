"""Reachable states of a small instance, by breadth-first search (symmetry-reduced).

Inference keeps the candidates that hold in every state found here (filter.py), and names,
for a counterexample to induction, the candidates that exclude it (classify.py).  States are kept
whole (one representative per orbit under `symmetric Node`); the search stops at
`max_states` or the deadline and says so (`complete` false): a candidate then holds on the
states seen, which Houdini (houdini.py) checks for all states anyway.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from numaspec.checker.explicit.symmetry import Symmetry, plain_fingerprint
from numaspec.model.machine import Instance, Model, State


@dataclass
class Sample:
    states: list[State] = field(default_factory=list)
    complete: bool = True
    seconds: float = 0.0
    index: dict[int, int] = field(default_factory=dict)  # fingerprint -> position
    parent: list[tuple[int, Instance | None]] = field(default_factory=list)


class Sampler:
    """The reachable states of `model` (one per orbit when the spec is symmetric)."""

    def __init__(self, model: Model, max_states: int = 200_000,
                 deadline: float | None = None):
        self.model, self.max_states, self.deadline = model, max_states, deadline
        spec = model.spec
        self.symmetry = Symmetry(spec) if "Node" in spec.symmetric else None
        self.fingerprint = self.symmetry.fingerprint if self.symmetry else plain_fingerprint

    def run(self) -> Sample:
        start = time.perf_counter()
        sample = Sample()
        queue: deque[int] = deque()
        for state in self.model.initial_states():
            self._add(sample, queue, state, -1, None)
        while queue:
            if len(sample.states) >= self.max_states or self._late():
                sample.complete = False
                break
            at = queue.popleft()
            for instance, nxt in self.model.safe_successors(sample.states[at]):
                self._add(sample, queue, nxt, at, instance)
        sample.seconds = time.perf_counter() - start
        return sample

    def _late(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def _add(self, sample: Sample, queue: deque[int], state: State, parent: int,
             via: Instance | None) -> None:
        key = self.fingerprint(state)
        if key in sample.index:
            return
        sample.index[key] = len(sample.states)
        sample.states.append(state)
        sample.parent.append((parent, via))
        queue.append(len(sample.states) - 1)
