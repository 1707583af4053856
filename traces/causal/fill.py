"""Hidden steps before a step of per-node logs, for the first try (traces/causal/search.py).

Contract: `Fill(oracle, limit)` proposes runs of at most `limit` hidden steps after which a
step may be taken; every run it proposes is one the spec allows from the given state (each
hidden step executed, none that breaks the spec), so any witness built from them is sound.
Which runs are tried, and in which order, is only a matter of speed:

- `guided(state, step, clock)`: with vector clocks a node's counter also ticks for the
  events it does not log, so the gap between `step`'s clock and `clock` (each node's
  counter as far as the witness has gone) says how many hidden steps of which node must
  come before `step`: exactly those are tried, of the hidden actions placed on each node,
  in every order (states met twice with the same steps left are tried once);
- `closure(state, budget)`: the states reached by hidden steps of any node, breadth first
  (fewest hidden steps first), for logs whose clocks say nothing (message ids) or that the
  guided runs do not fit.
"""

from __future__ import annotations

from collections.abc import Iterator

from numaspec.model.machine import Instance, State, StepViolation
from numaspec.traces.causal.order import Step
from numaspec.traces.frontier import Frontier

Clock = tuple[int, ...]


class Fill:
    def __init__(self, oracle: Frontier, limit: int, nodes: int):
        self.oracle, self.limit, self.nodes = oracle, limit, nodes
        self.placed: dict[int, list[Instance]] = {}  # hidden instances by static node
        self.moving: list[Instance] = []  # those whose node depends on the state
        for instance in oracle.hidden:
            node = oracle.nodes.get(instance.number, -1)
            if node == -1:
                self.moving.append(instance)
            else:
                self.placed.setdefault(node, []).append(instance)

    # ------------------------------------------------------------ guided
    def gaps(self, step: Step, clock: Clock) -> tuple[int, ...] | None:
        """Hidden steps of each node that `step`'s clock says come before it (None: more
        than `limit`, or a clock that says nothing of the kind)."""
        vc, node = step.vc, step.node
        gaps = [max(0, vc[k] - clock[k] - (k == node)) for k in range(self.nodes)]
        total = sum(gaps)
        return tuple(gaps) if total <= self.limit else None

    def guided(self, state: State, gaps: tuple[int, ...]) -> Iterator[State]:
        """The states after `gaps[k]` hidden steps of each node k, in some order."""
        if not any(gaps):
            yield state
            return
        seen: set[tuple[int, tuple[int, ...]]] = set()
        yield from self._runs(state, gaps, seen)

    def _runs(self, state: State, gaps: tuple[int, ...],
              seen: set[tuple[int, tuple[int, ...]]]) -> Iterator[State]:
        key = (id(state), gaps)
        if key in seen:
            return
        seen.add(key)
        if not any(gaps):
            yield state
            return
        for node, left in enumerate(gaps):
            if not left:
                continue
            rest = (*gaps[:node], left - 1, *gaps[node + 1:])
            for nxt in self._steps_of(state, node):
                yield from self._runs(nxt, rest, seen)

    def _steps_of(self, state: State, node: int) -> list[State]:
        """The successors of `state` by the hidden actions placed on `node`."""
        found = []
        for instance in self.placed.get(node, ()):
            found += self._execute(state, instance)
        for instance in self.moving:
            if self.oracle.node(state, instance) == node:
                found += self._execute(state, instance)
        return found

    def _execute(self, state: State, instance: Instance) -> list[State]:
        try:
            return self.oracle.execute(state, instance)
        except StepViolation:
            return []  # a step that breaks the spec is not one taken unseen

    # ----------------------------------------------------------- closure
    def closure(self, state: State, budget: int) -> Iterator[tuple[State, int]]:
        """The states hidden steps reach from `state` (not `state` itself), each once, with
        how many hidden steps (at most `budget`), fewest first."""
        hidden_successors = self.oracle.hidden_successors
        level, seen = [state], {id(state)}
        for depth in range(1, budget + 1):
            reached = []
            for source in level:
                for _, target in hidden_successors(source):
                    if id(target) in seen:
                        continue
                    seen.add(id(target))
                    reached.append(target)
                    yield target, depth
            level = reached
