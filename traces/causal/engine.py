"""The frontier of per-node logs: (state, position in each log), one step at a time.

Contract: `CausalFrontier(model, order, options)` starts at the initial states with no step
of any log taken; `advance()` takes one more step, in every way the causal order and the
spec allow: it returns None (the frontier moved on), DONE (some candidate has taken every
step of every log: the logs conform) or a `Stuck` (no candidate can take any step: each
refused step with the candidates that refused it).  It never enumerates linearisations:
candidates that reach the same state at the same positions are one, so the frontier is
bounded by the logs' concurrency, not by the number of their interleavings.

Partial-order reduction: after a step of node j, a step of node i < j that commutes with
it and was enabled before it is not taken, because the order "i's step, then j's" reaches
the same candidate (moving lower nodes' steps first, one adjacent swap at a time, ends in a
representative of every behaviour without such an inversion, which is explored).  Two steps
commute when the IR says they read and write disjoint state (traces/causal/independence.py)
or, failing that, when both orders from the state before them lead to the same state
(checked, memoised: P1's actions all touch the L4 page tables, at different keys).  A
candidate reached two ways reduces nothing after it (the reduction depends on the way), and
the reduction is off for steps that check observed state (`post`, `state` lines) and with
hidden actions, whose steps between two events could tell the orders apart.

`--max-skew S` with numeric `"ts"`: a step may not come after a step of another node whose
timestamp is more than S later (with skewed clocks, a step stamped more than S before
another happened before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import le
from typing import Any

from numaspec.model.machine import Model, State
from numaspec.model.outcome import LimitReached
from numaspec.traces.bind import BoundEvent
from numaspec.traces.causal.independence import Access, action_access, independent
from numaspec.traces.causal.order import Order, Step
from numaspec.traces.frontier import Candidate, Frontier, FrontierOptions, holds

DONE = "done"


@dataclass(frozen=True)
class CausalOptions:
    frontier: FrontierOptions
    max_skew: float | None = None


class Config:
    """A candidate: its state, how far it is in each log, the last step it took."""

    __slots__ = ("cut", "state", "candidate", "last", "before", "observations")

    def __init__(self, cut: tuple[int, ...], state: State, candidate: Candidate,
                 last: Step | None, before: State | None, observations: int):
        self.cut, self.state, self.candidate = cut, state, candidate
        self.last, self.before, self.observations = last, before, observations


@dataclass
class Stuck:
    """No candidate could take a step: per refused step, the candidate states refusing."""

    refused: list[tuple[Step, dict[State, Candidate]]]
    configs: list[Config]


class CausalFrontier:
    def __init__(self, model: Model, order: Order, options: CausalOptions):
        self.model, self.order, self.options = model, order, options
        self.oracle = Frontier(model, options.frontier)
        self.closing = self.oracle.closing
        self.access = action_access(model)
        nodes = order.nodes
        start = (0,) * nodes
        self.configs: dict[tuple[Any, ...], Config] = {}
        for state, candidate in self.oracle.frontier.items():
            self.configs[(start, id(state))] = Config(start, state, candidate, None, None, 0)
        self.largest = len(self.configs)
        self.levels = 0

    # --------------------------------------------------------------- step
    def advance(self) -> Stuck | str | None:
        found: dict[tuple[Any, ...], Config] = {}
        refused: dict[tuple[int, int], tuple[Step, dict[State, Candidate]]] = {}
        complete = False
        limit = self.options.frontier.max_frontier
        for config in self.configs.values():
            steps = self._enabled(config)
            if steps is None:
                complete = True
                continue
            closed = self._close(config)
            for step in steps:
                if not self._take(config, closed, step, found):
                    refused.setdefault((step.node, step.index), (step, {}))[1].update(closed)
            if len(found) > limit:
                raise LimitReached(f"--max-frontier {limit}: {len(found):,} candidates")
        if complete:
            return DONE
        if not found:
            return Stuck([refused[key] for key in sorted(refused)], list(self.configs.values()))
        self.configs = found
        self.levels += 1
        self.largest = max(self.largest, len(found))
        self.oracle.forget([config.state for config in found.values()])
        if not self.levels & 0xFF:
            self.order.drop(tuple(min(c.cut[k] for c in found.values())
                                  for k in range(self.order.nodes)))
        return None

    def _take(self, config: Config, closed: dict[State, Candidate], step: Step,
              found: dict[tuple[Any, ...], Config]) -> bool:
        cut = config.cut
        node = step.node
        after = (*cut[:node], cut[node] + 1, *cut[node + 1:])
        bound = step.bound
        taken = False
        observed = config.observations
        for state, candidate in closed.items():
            if isinstance(bound, BoundEvent):
                nexts = [nxt for instance in bound.instances
                         for nxt in self.oracle.steps(state, instance, bound)]
            else:
                nexts = [state] if holds(state, bound.checks) else []
                observed = config.observations + 1
            for nxt in nexts:
                taken = True
                key = (after, id(nxt))
                known = found.get(key)
                if known is None:
                    found[key] = Config(after, nxt, Candidate(0, (), candidate.total, None),
                                        step, state, observed)
                elif known.last is not step or known.before is not state:
                    known.last = None  # reached two ways: reduce nothing after it (sound)
        return taken

    # ---------------------------------------------------------- enabledness
    def enabled(self, config: Config, reduce: bool = True) -> list[Step] | None:
        """The steps `config` may take next (after the reduction, if `reduce`); None when
        it has taken every step of every log."""
        return self._enabled(config, reduce)

    def _enabled(self, config: Config, reduce: bool = True) -> list[Step] | None:
        """The steps `config` may take next; None when it has taken every step."""
        ready = self.ready(config.cut)
        if ready is None or config.last is None or not reduce:
            return ready
        return [head for head in ready if not self._reduced(head, config.last, config)]

    def ready(self, cut: tuple[int, ...]) -> list[Step] | None:
        """The steps causally ready at `cut` (a new list; `--max-skew` applied), None when
        `cut` is past every step of every log."""
        heads = self.order.heads(cut)
        ready = [head for head in heads
                 if head is not None and all(map(le, head.need, cut))]
        if not ready and all(head is None for head in heads):
            return None
        if self.options.max_skew is not None:
            # timestamps that contradict the causal order would leave no step: ignored
            ready = [head for head in ready if not self._too_late(head, heads)] or ready
        return ready

    def _too_late(self, step: Step, heads: list[Step | None]) -> bool:
        skew = self.options.max_skew
        assert skew is not None
        if step.ts is None:
            return False
        return any(other is not None and other is not step and other.ts is not None
                   and other.ts + skew < step.ts for other in heads)

    def _reduced(self, step: Step, last: Step, config: Config) -> bool:
        """Partial-order reduction: `step` commutes with the `last` step and could have come
        first, and the order with the lower node first is the one explored."""
        if self.closing or step.node >= last.node or step.need[last.node] > last.index:
            return False
        if self.options.max_skew is not None and step.ts is not None and \
                last.ts is not None and last.ts + self.options.max_skew < step.ts:
            return False
        mine, theirs = self._access(step), self._access(last)
        if mine is None or theirs is None:
            return False
        return independent(mine, theirs) or self._commute(step, last, config)

    def _commute(self, step: Step, last: Step, config: Config) -> bool:
        """Whether `step` and `last`, from the state before `last`, commute there: both
        orders are enabled and lead to the one same state (checked on the states, for steps
        of one instance each and one successor; states are canonical, so `is` compares)."""
        before = config.before
        if before is None:
            return False
        one = self._one
        first = one(before, step)
        if first is None:
            return False
        both = one(first, last)
        return both is not None and both is one(config.state, step)

    def _one(self, state: State, step: Step) -> State | None:
        bound = step.bound
        assert isinstance(bound, BoundEvent)
        if len(bound.instances) != 1:
            return None
        nexts = self.oracle.steps(state, bound.instances[0], bound)
        return nexts[0] if len(nexts) == 1 else None

    def _access(self, step: Step) -> Access | None:
        bound = step.bound
        if not isinstance(bound, BoundEvent) or bound.post or not bound.instances:
            return None
        return self.access[bound.instances[0].action]

    # ------------------------------------------------------ hidden actions
    def _close(self, config: Config) -> dict[State, Candidate]:
        """The config's state and those its hidden steps still allowed reach."""
        if not self.closing:
            return {config.state: config.candidate}
        limit = self.options.frontier.max_hidden
        closed = {config.state: config.candidate}
        work = [config.state] if config.candidate.used < limit else []
        while work:
            state = work.pop()
            candidate = closed[state]
            for instance, nxt in self.oracle.hidden_successors(state):
                known = closed.get(nxt)
                if known is not None and known.used <= candidate.used + 1:
                    continue
                closed[nxt] = Candidate(candidate.used + 1, (*candidate.hidden, instance),
                                        candidate.total + 1, None)
                if candidate.used + 1 < limit:
                    work.append(nxt)
        return closed
