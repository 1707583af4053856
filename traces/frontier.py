"""The frontier engine: the set of spec states a trace may be in, followed event by event.

Contract: `Frontier(model, options)` starts at the initial states; `event(e)` and
`observe(o)` advance it and return None, or the `Rejection` (the candidates that all
refused) without changing it.  Between two events at most `options.max_hidden` steps of the
hidden actions may run: before an event or observation the frontier is closed under them
(`closure`), each candidate remembering how many hidden steps it has used since the last
event.  Candidates are deduplicated by state, keeping the fewest hidden steps.

Speed: a fully specified event on a single candidate without hidden actions executes that one
action instance (no enumeration of successors), and nothing is kept per event, so memory does
not grow with the trace.  Steps are memoised in a bounded table (`options.memo`), as in the
simulator: logs revisit states all the time; states are interned, so that sets of candidates
are keyed by identity and a state is hashed once, when it is first met.

With `options.witness` each candidate keeps a back-pointer to the steps that led to it;
whenever the frontier shrinks to one candidate those steps are certain and are handed to
`sink` in order and dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.model.outcome import LimitReached
from numaspec.spec.ir.walk import state_reads
from numaspec.traces.bind import BoundEvent, BoundObservation, Check


@dataclass(frozen=True)
class FrontierOptions:
    hidden: tuple[str, ...] = ()  # actions that may run without an event
    max_hidden: int = 0  # hidden steps allowed between two events
    max_frontier: int = 100_000  # more candidate states than this stops validation (exit 3)
    witness: bool = False  # keep the matched behaviour for `sink`
    memo: int = 200_000  # steps remembered (at least 1): past this, all are forgotten


class Path:
    """A step of a matched behaviour: `instance` (None for the initial state) led to `state`;
    `line` is the trace line of the event, None for a hidden step."""

    __slots__ = ("instance", "state", "line", "parent")

    def __init__(self, instance: Instance | None, state: State, line: int | None,
                 parent: Path | None):
        self.instance, self.state, self.line, self.parent = instance, state, line, parent


class Candidate:
    """What is known about a candidate state: hidden steps used since the last event (and
    which), hidden steps on its whole behaviour, and its path when a witness is kept."""

    __slots__ = ("used", "hidden", "total", "path")

    def __init__(self, used: int, hidden: tuple[Instance, ...], total: int, path: Path | None):
        self.used, self.hidden, self.total, self.path = used, hidden, total, path


@dataclass
class Rejection:
    """No candidate accepted the event or observation."""

    candidates: dict[State, Candidate]  # the closed frontier that refused it
    event: BoundEvent | None
    observation: BoundObservation | None


Sink = Callable[[Path], None]
Entry = tuple[State, Candidate]  # keyed by the state's id: see Frontier
_FRESH = Candidate(0, (), 0, None)


class Frontier:
    """The engine.  Every state it holds is canonical (interned in `_canonical`: equal states
    are the same object), so its sets of candidates are keyed by `id(state)` and a state is
    hashed only when it is first seen, not each time it is met again."""

    def __init__(self, model: Model, options: FrontierOptions, sink: Sink | None = None):
        self.model, self.options, self.sink = model, options, sink
        hidden = set(options.hidden)
        self.hidden = [i for i in model.instances if model.action_name(i) in hidden]
        self.closing = bool(self.hidden) and options.max_hidden > 0
        self.nodes = _static_nodes(model)
        self._memo: dict[tuple[int, int], tuple[State, list[State]]] = {}
        self._canonical: dict[State, State] = {}
        self._hidden_memo: dict[int, tuple[State, list[tuple[Instance, State]]]] = {}
        self._single: Entry | None = None
        self._states: dict[int, Entry] = {}
        for state in model.initial_states():
            state = self._canonical.setdefault(state, state)
            path = Path(None, state, None, None) if options.witness else None
            self._states[id(state)] = (state, Candidate(0, (), 0, path))
        self.largest = len(self._states)
        self._flushed: Path | None = None

    @property
    def frontier(self) -> dict[State, Candidate]:
        """The candidate states, by state."""
        entries = [self._single] if self._single is not None else self._states.values()
        return dict(entries)

    def _entries(self) -> dict[int, Entry]:
        if self._single is not None:
            return {id(self._single[0]): self._single}
        return self._states

    # ------------------------------------------------------------- events
    def event(self, event: BoundEvent) -> Rejection | None:
        self._forget()
        single = self._single
        if single is not None and len(event.instances) == 1 and not self.closing:
            if self._fast(single[0], single[1], event):
                return None
        closed = self.closure()
        found: dict[int, Entry] = {}
        for state, candidate in closed.values():
            for instance in event.instances:
                for nxt in self._steps(state, instance, event):
                    if id(nxt) not in found:
                        found[id(nxt)] = (nxt, self._after(candidate, instance, nxt,
                                                           event.line))
            self._bound(len(found))
        if not found:
            return Rejection(dict(closed.values()), event, None)
        self._advance(found)
        return None

    def _fast(self, state: State, candidate: Candidate, event: BoundEvent) -> bool:
        """The common case: one candidate, one instance, one successor."""
        instance = event.instances[0]
        if event.node is not None and self._node(state, instance) != event.node:
            return False
        try:
            nexts = self.execute(state, instance)
        except StepViolation:
            return False
        if len(nexts) != 1 or (event.post and not holds(nexts[0], event.post)):
            return False
        if candidate.path is None and candidate.total == 0:
            self._single = (nexts[0], _FRESH)
        else:
            nxt = nexts[0]
            self._advance({id(nxt): (nxt, self._after(candidate, instance, nxt, event.line))})
        return True

    def execute(self, state: State, instance: Instance) -> list[State]:
        """`model.execute`, remembered, its successors canonical.  A step is found by the
        identity of its state (the entry keeps the state alive: its id cannot be reused)."""
        key = (id(state), instance.number)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is state:
            return hit[1]
        canonical = self._canonical
        nexts = [canonical.setdefault(nxt, nxt) for nxt in self.model.execute(state, instance)]
        self._memo[key] = (state, nexts)
        return nexts

    def _forget(self) -> None:
        """Bounded memory: between two events, past `options.memo` remembered steps, forget
        them all, keeping the candidates canonical."""
        if len(self._memo) + len(self._hidden_memo) < self.options.memo:
            return
        self._memo.clear()
        self._hidden_memo.clear()
        self._canonical = {state: state for state, _ in self._entries().values()}

    def steps(self, state: State, instance: Instance, event: BoundEvent) -> list[State]:
        """The successors of `state` by `instance` that agree with `event` (its node and
        `post`), canonical and remembered."""
        return self._steps(state, instance, event)

    def hidden_successors(self, state: State) -> list[tuple[Instance, State]]:
        """Every step of a hidden action from `state` (remembered)."""
        return self._hidden_successors(state)

    def canonical(self, state: State) -> State:
        return self._canonical.setdefault(state, state)

    def forget(self, keep: list[State], limit: int | None = None) -> bool:
        """Bounded memory for another driver of the steps (traces/causal/): past `limit`
        (default `options.memo`) remembered steps, forget them, keeping `keep` canonical
        (True: the other states were forgotten, their ids may be reused)."""
        bound = self.options.memo if limit is None else min(limit, self.options.memo)
        if len(self._memo) + len(self._hidden_memo) < bound:
            return False
        self._memo.clear()
        self._hidden_memo.clear()
        self._canonical = {state: state for state in keep}
        return True

    def _steps(self, state: State, instance: Instance, event: BoundEvent) -> list[State]:
        if event.node is not None and self._node(state, instance) != event.node:
            return []
        try:
            nexts = self.execute(state, instance)
        except StepViolation:
            return []  # the step breaks the spec: not a behaviour the spec allows
        if event.post:
            return [nxt for nxt in nexts if holds(nxt, event.post)]
        return nexts

    def _after(self, candidate: Candidate, instance: Instance, nxt: State,
               line: int) -> Candidate:
        path = Path(instance, nxt, line, candidate.path) if self.options.witness else None
        return Candidate(0, (), candidate.total, path)

    def node(self, state: State, instance: Instance) -> int | None:
        """The node `instance` runs on in `state` (computed once if it cannot change)."""
        return self._node(state, instance)

    def _node(self, state: State, instance: Instance) -> int | None:
        node = self.nodes.get(instance.number, -1)
        return self.model.node_of(state, instance) if node == -1 else node

    # -------------------------------------------------------- observations
    def observe(self, observation: BoundObservation) -> Rejection | None:
        self._forget()
        closed = self.closure()
        kept = {key: entry for key, entry in closed.items()
                if holds(entry[0], observation.checks)}
        if not kept:
            return Rejection(dict(closed.values()), None, observation)
        self._advance(kept)
        return None

    # ------------------------------------------------------ hidden actions
    def closure(self) -> dict[int, Entry]:
        """The frontier and every state reachable from it by the hidden steps still allowed."""
        if not self.closing:
            return self._entries()
        closed = dict(self._entries())  # a copy: the frontier is kept if the event is refused
        limit = self.options.max_hidden
        work = [state for state, candidate in closed.values() if candidate.used < limit]
        while work:
            state = work.pop()
            candidate = closed[id(state)][1]
            for instance, nxt in self._hidden_successors(state):
                known = closed.get(id(nxt))
                if known is not None and known[1].used <= candidate.used + 1:
                    continue
                closed[id(nxt)] = (nxt, self._hidden_step(candidate, instance, nxt))
                if candidate.used + 1 < limit:
                    work.append(nxt)
            self._bound(len(closed))
        self.largest = max(self.largest, len(closed))
        return closed

    def _hidden_successors(self, state: State) -> list[tuple[Instance, State]]:
        """Every step of a hidden action from `state`, remembered like `execute`; a step
        that would break the spec is not one the system can have taken unseen."""
        hit = self._hidden_memo.get(id(state))
        if hit is not None and hit[0] is state:
            return hit[1]
        found = self.model.safe_successors(state, self.hidden, self.execute)
        self._hidden_memo[id(state)] = (state, found)
        return found

    def _hidden_step(self, candidate: Candidate, instance: Instance, nxt: State) -> Candidate:
        path = Path(instance, nxt, None, candidate.path) if self.options.witness else None
        return Candidate(candidate.used + 1, (*candidate.hidden, instance),
                         candidate.total + 1, path)

    # ----------------------------------------------------------- frontier
    def _bound(self, size: int) -> None:
        if size > self.options.max_frontier:
            raise LimitReached(f"--max-frontier {self.options.max_frontier}: {size:,} candidate "
                               "states")

    def _advance(self, found: dict[int, Entry]) -> None:
        self.largest = max(self.largest, len(found))
        if len(found) == 1:
            self._single = next(iter(found.values()))
            if self.sink is not None:
                self.flush(self._single[1])
        else:
            self._states, self._single = found, None

    def flush(self, candidate: Candidate) -> None:
        """Hand the steps that led to `candidate` and were not handed over yet to the sink."""
        steps = []
        path = candidate.path
        while path is not None and path is not self._flushed:
            steps.append(path)
            path = path.parent
        for step in reversed(steps):
            assert self.sink is not None
            self.sink(step)
        if candidate.path is not None:
            candidate.path.parent = None  # certain from here on: free the steps before it
            self._flushed = candidate.path

    def hidden_steps(self) -> int:
        """Hidden steps on the behaviour matched so far (the first candidate's)."""
        return next(iter(self._entries().values()))[1].total


def holds(state: State, checks: tuple[Check, ...]) -> bool:
    for check in checks:
        if not check.matches(state):
            return False
    return True


def _static_nodes(model: Model) -> dict[int, Any]:
    """The node of each instance whose `on` does not read the state (computed once)."""
    nodes: dict[int, Any] = {}
    initial = model.initial_states()[0]
    for instance in model.instances:
        action = model.spec.actions[instance.action]
        if action.on is not None and not state_reads(action.on):
            nodes[instance.number] = model.node_of(initial, instance)
    return nodes
