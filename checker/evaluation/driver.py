"""Drive a design through the model one memory access or global unmap at a time.

The model has no notion of a memory access: it has pagefault actions, enabled when the page is
not mapped.  A `Driver` supplies the accesses.  An access by node n to page v looks up the
design's view of what node n sees; if v is not mapped there, an enabled instance of the
design's fault actions *for (n, v)* is executed (default: the spec's `@pagefault` actions),
and again until n maps v (numaPTE's first touch of a node creates its replica, then faults),
then the access reaches the frame.  A global unmap executes the design's unmap action for
(n, v).  After either, the driver delivers every message the protocol sends (the enabled
`receive` actions) and runs the design's `follow` actions for (n, v) (steps that continue the
operation without a message: a remote page-table write, a batch's flush), lowest instance
first, until none is enabled.

An instance acts *for (n, v)* when its last `Node` argument is n and its other arguments (the
page, if it has one) are v: `fault(n, v)`, `touch(n)`, `copy(a, n)` (a holder copies to n),
`remote_write(n, m, v)` does not (its last node is m) but is a follow action of n, which
matches on the first `Node` argument instead.

Rounds: every message carries the length of the causal chain that produced it.  A node's
clock is the highest round it has received; a step sends its messages in round clock + 1, and
a TLB shootdown inside a step (`l4.tlb_flush`: an IPI and its acknowledgement, synchronous)
takes two rounds, clock + 1 and clock + 2, before the step's own sends.  The rounds of an
operation are the highest round of any of its messages (0: it sent none).

Each executed step runs through a second model compiled with a `CostRecorder`, exactly as
`numaspec simulate` charges it, and every state is checked against the spec's invariants, so
no figure is ever measured on a run that breaks the design.  The access itself (user data, not
modelled by the spec) costs the distance from the node to the frame's node.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from numaspec.checker.evaluation.designs import Design
from numaspec.model.cost import CostRecorder, Costs
from numaspec.model.machine import Instance, Model, State
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.types import NodeType

MAX_DELIVERIES = 10_000  # messages delivered after one unmap before the run is declared stuck
KERNEL_DATA = ("l4.pt", "l4.mdb")  # the kernel's page tables and mapping database


class EvaluationError(Exception):
    """A design cannot run the experiment (a disabled fault, a broken invariant, ...)."""


class _Recorder(CostRecorder):
    """A CostRecorder that also counts every attributed access, and its distance, by
    variable, local or not (Costs has remote accesses by variable only)."""

    def begin(self, node: int | None, pagefault: bool) -> None:
        super().begin(node, pagefault)
        self.by_variable: Counter[str] = Counter()
        self.cost_by_variable: Counter[str] = Counter()
        self.sent: list[tuple[str, Any]] = []  # (channel, index) of each send, in order

    def send(self, channel: str, st: Any, env: list[Any], index: Any) -> None:
        self.sent.append((channel, index))
        super().send(channel, st, env, index)

    def _access(self, var: str, place: int) -> None:
        if self.node is not None:
            self.by_variable[var] += 1
            self.cost_by_variable[var] += self.distance[self.node][place]
        super()._access(var, place)


@dataclass
class Phase:
    """The costs of the steps of one kind ("fault", "unmap"), and all their accesses by
    variable (local and remote): how many, and their summed distance."""

    costs: Costs = field(default_factory=Costs)
    accesses: Counter[str] = field(default_factory=Counter)
    access_cost: Counter[str] = field(default_factory=Counter)

    def kernel_data(self) -> tuple[int, int, int]:
        """(all, remote, distance-weighted) accesses to the page tables and the MDB."""
        return (sum(self.accesses[var] for var in KERNEL_DATA),
                sum(self.costs.remote_by_variable[var] for var in KERNEL_DATA),
                sum(self.access_cost[var] for var in KERNEL_DATA))


class Rounds:
    """The causal rounds of the messages of one operation (see the module docstring): a
    shadow of every channel's FIFO holding each message's round, and each node's clock."""

    def __init__(self) -> None:
        self.queues: dict[tuple[str, Any], list[int]] = {}
        self.clock: Counter[int] = Counter()
        self.highest = 0

    def restart(self) -> None:
        """A new operation: messages still queued from earlier ones count as round 0."""
        self.queues = {key: [0] * len(queue) for key, queue in self.queues.items()}
        self.clock, self.highest = Counter(), 0

    def step(self, node: int | None, received: tuple[str, Any] | None, shootdown: bool,
             sent: Sequence[tuple[str, Any]]) -> None:
        """Account one step on `node` that popped the head of `received` (or nothing)."""
        clock = self.clock[node] if node is not None else 0
        if received is not None:
            queue = self.queues.get(received, [])
            clock = max(clock, queue.pop(0) if queue else 0)
        if shootdown:
            clock += 2  # the IPIs in round clock + 1, their acknowledgements in clock + 2
            self.highest = max(self.highest, clock)
        for key in sent:
            self.queues.setdefault(key, []).append(clock + 1)
            self.highest = max(self.highest, clock + 1)
        if node is not None:
            self.clock[node] = clock


class Driver:
    def __init__(self, spec: ir.Spec, design: Design, check_invariants: bool = True):
        """`check_invariants`: check every state against the spec's invariants (False: a
        run whose states another run of the same trajectory has checked already, or sizes
        where checking costs far more than running, as the caller states)."""
        self.spec, self.design = spec, design
        self.check_invariants = check_invariants
        self.model = Model(spec)
        self.recorder = _Recorder(spec)
        self.costed = Model(spec, hooks=self.recorder, read_hook=self.recorder.read)
        self.distance = spec.topology.distance
        self.per_node = spec.topology.frames_per_node
        self.faults = self._for_node_page(_fault_actions(spec, design))
        self.unmaps = self._for_node_page([spec.action(design.unmap)])
        self.follows = self._for_node_page([spec.action(a) for a in design.follow], first=True)
        self.receives = [i for i in self.model.instances
                         if spec.actions[i.action].receive is not None]
        self.rounds = Rounds()
        view = next((p for p in spec.views if p.name == design.view), None)
        if view is None:
            raise EvaluationError(f"{spec.name} has no view `{design.view}`")
        self._view_fn, self._view_slots = self.model.exprs.compile(view.expr), view.locals_count
        self.state: State = self.model.initial_states()[0]
        self._seen: tuple[State, Any] | None = None
        self.phases: dict[str, Phase] = {}
        self.accesses = 0
        self.global_unmaps = 0
        self.data_cost = 0  # sum of distances from accessing node to frame

    def _for_node_page(self, actions: Sequence[ir.Action],
                       first: bool = False) -> dict[tuple[int, int | None], list[Instance]]:
        """The instances of `actions` by the (node, page) they act for: the last `Node`
        argument (the first with `first`) and the other argument (None: no page argument,
        they act for every page).  Each list is in instance order."""
        found: dict[tuple[int, int | None], list[Instance]] = {}
        for action in actions:
            nodes = [k for k, p in enumerate(action.params) if isinstance(p.type, NodeType)]
            others = [k for k in range(len(action.params)) if k not in nodes]
            if not nodes or len(others) > 1:
                raise EvaluationError(f"{action.name} must take a node (and a page)")
            at = nodes[0] if first else nodes[-1]
            for i in self.model.find_instance(action.name, {}):
                page = i.args[others[0]] if others else None
                found.setdefault((i.args[at], page), []).append(i)
        for instances in found.values():
            instances.sort(key=lambda i: i.number)
        return found

    def acting(self, table: dict[tuple[int, int | None], list[Instance]], node: int,
               page: int) -> list[Instance]:
        """The instances of `table` that act for (node, page), in instance order."""
        both = table.get((node, page), []) + table.get((node, None), [])
        return sorted(both, key=lambda i: i.number)

    # ------------------------------------------------------------------ queries
    def sees(self) -> Any:
        """The design's view in the current state (computed once per state)."""
        if self._seen is None or self._seen[0] is not self.state:
            value = self._view_fn(self.state, [None] * max(self._view_slots, 1))
            if not self.design.paged:  # Map[Node, Frame]: what each node maps at page 0
                value = {(node, 0): frame for node, frame in value.items()}
            self._seen = (self.state, value)
        return self._seen[1]

    def phase(self, name: str) -> Phase:
        return self.phases.setdefault(name, Phase())

    # ------------------------------------------------------------------ driving
    def access(self, node: int, page: int) -> None:
        """A thread on `node` reads `page`: a pagefault first if node does not map it.  The
        pagefault's messages (a design that forwards faults as IPC) are delivered and charged
        to the fault."""
        candidates = self.acting(self.faults, node, page)
        for _ in range(len(candidates) + 1):
            if (node, page) in self.sees():
                break
            ready = self._first_enabled(candidates)
            if ready is None:
                raise EvaluationError(f"{self.spec.name}: page {page} unmapped on node "
                                      f"{node} and no fault of it is enabled")
            self.step(ready, "fault")
            self.settle("fault", node, page)
        if (node, page) not in self.sees():
            raise EvaluationError(f"{self.spec.name}: page {page} still unmapped on node "
                                  f"{node} after its pagefaults")
        frame = self.sees()[(node, page)]
        self.accesses += 1
        self.data_cost += self.distance[node][int(frame) // self.per_node]

    def global_unmap(self, node: int, page: int) -> None:
        """`node` unmaps `page` everywhere; returns when every message has been handled.
        `rounds.highest` is then the unmap's number of rounds."""
        self.rounds.restart()
        start = self._first_enabled(self.acting(self.unmaps, node, page))
        if start is None:
            raise EvaluationError(f"{self.spec.name}: {self.design.unmap} of page {page} by "
                                  f"node {node} is not enabled")
        self.step(start, "unmap")
        self.global_unmaps += 1
        self.settle("unmap", node, page)

    def settle(self, phase: str, node: int, page: int) -> None:
        """Deliver messages and run the follow actions for (node, page) (enabled instances,
        lowest first) until none is enabled."""
        candidates = sorted(self.receives + self.acting(self.follows, node, page),
                            key=lambda i: i.number)
        for _ in range(MAX_DELIVERIES):
            ready = self._first_enabled(candidates)
            if ready is None:
                return
            self.step(ready, phase)
        raise EvaluationError(f"{self.spec.name}: messages still pending after "
                              f"{MAX_DELIVERIES} deliveries")

    def _first_enabled(self, candidates: Sequence[Instance]) -> Instance | None:
        return next((i for i in candidates if self.model.execute(self.state, i)), None)

    def step(self, instance: Instance, phase: str) -> None:
        """Execute `instance` (must be enabled and deterministic), charging it to `phase`."""
        action = self.spec.actions[instance.action]
        node = self.model.node_of(self.state, instance)
        self.recorder.begin(node, "pagefault" in action.annotations)
        outcomes = self.costed.execute(self.state, instance)
        if len(outcomes) != 1:
            raise EvaluationError(f"{self.spec.name}: {action.name}{instance.args} has "
                                  f"{len(outcomes)} outcomes here (expected exactly one)")
        previous, self.state = self.state, outcomes[0]
        received = None if action.receive is None else \
            (action.receive.channel, self._popped(action.receive.channel, previous))
        self.rounds.step(node, received, self.recorder.current.kernel_calls["l4.tlb_flush"] > 0,
                         self.recorder.sent)
        violated = None if not self.check_invariants else \
            self.model.violated_invariant(self.state, previous)
        if violated is not None:
            raise EvaluationError(f"{self.spec.name}: invariant {violated[0].name} "
                                  f"{violated[1]} after {action.name}{instance.args}")
        into = self.phase(phase)
        into.costs.add(self.recorder.current)
        into.accesses.update(self.recorder.by_variable)
        into.access_cost.update(self.recorder.cost_by_variable)


    def _popped(self, channel: str, previous: State) -> Any:
        """The index of `channel` whose head the last step received (None: not indexed): the
        FIFO that lost one message more than the step sent to it."""
        slot = self.model.exprs.index[channel]
        before, after = previous[slot], self.state[slot]
        if not isinstance(before, Mapping):
            return None
        sent = Counter(index for name, index in self.recorder.sent if name == channel)
        return next((k for k in before if len(before[k]) - len(after[k]) + sent[k] == 1), None)


def _fault_actions(spec: ir.Spec, design: Design) -> list[ir.Action]:
    if design.fault:
        return [spec.action(name) for name in design.fault]
    found = [a for a in spec.actions if "pagefault" in a.annotations]
    if not found:
        raise EvaluationError(f"{spec.name} has no @pagefault action (name the design's "
                              "fault actions)")
    return found
