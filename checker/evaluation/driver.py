"""Drive a design through the model one memory access or global unmap at a time.

The model has no notion of a memory access: it has pagefault actions, enabled when the page is
not mapped.  A `Driver` supplies the accesses.  An access by node n to page v looks up the
design's view of what node n sees; if v is not mapped there, the design's `@pagefault` action
instance for (n, v) is executed (it must be enabled), then the access reaches the frame.
A global unmap executes the design's unmap action for (n, v), then delivers every message the
protocol sends (the enabled `receive` actions, lowest instance first) until none is left; a
design whose updates are steps rather than messages names those actions (`Design.internal`:
mitosis' replica updates) and they are run the same way.

Each executed step runs through a second model compiled with a `CostRecorder`, exactly as
`numaspec simulate` charges it, and every state is checked against the spec's invariants, so
no figure is ever measured on a run that breaks the design.  The access itself (user data, not
modelled by the spec) costs the distance from the node to the frame's node.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from numaspec.checker.evaluation.designs import Design
from numaspec.model.cost import CostRecorder, Costs
from numaspec.model.machine import Instance, Model, State
from numaspec.spec.ir import nodes as ir

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


class Driver:
    def __init__(self, spec: ir.Spec, design: Design):
        self.spec, self.design = spec, design
        self.model = Model(spec)
        self.recorder = _Recorder(spec)
        self.costed = Model(spec, hooks=self.recorder, read_hook=self.recorder.read)
        self.distance = spec.topology.distance
        self.per_node = spec.topology.frames_per_node
        self.faults = self._by_node_page(_pagefault_action(spec))
        self.unmaps = self._by_node_page(spec.action(design.unmap))
        internal = set(design.internal)
        self.receives = [i for i in self.model.instances
                         if spec.actions[i.action].receive is not None
                         or spec.actions[i.action].name in internal]
        self.first_touch = {} if design.first_touch is None else {
            i.args[0]: i for i in self.model.find_instance(design.first_touch, {})}
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

    def _by_node_page(self, action: ir.Action) -> dict[tuple[int, int], Instance]:
        if len(action.params) != 2:
            raise EvaluationError(f"{action.name} must take (n: Node, v: Page)")
        return {(i.args[0], i.args[1]): i
                for i in self.model.find_instance(action.name, {})}

    # ------------------------------------------------------------------ queries
    def sees(self) -> Any:
        """The design's view in the current state (computed once per state)."""
        if self._seen is None or self._seen[0] is not self.state:
            value = self._view_fn(self.state, [None] * max(self._view_slots, 1))
            self._seen = (self.state, value)
        return self._seen[1]

    def phase(self, name: str) -> Phase:
        return self.phases.setdefault(name, Phase())

    # ------------------------------------------------------------------ driving
    def access(self, node: int, page: int) -> None:
        """A thread on `node` reads `page`: a pagefault first if node does not map it.  The
        pagefault's messages (a design that forwards faults as IPC) are delivered and charged
        to the fault."""
        if (node, page) not in self.sees():
            touch = self.first_touch.get(node)
            if touch is not None and self.model.execute(self.state, touch):
                self.step(touch, "fault")
                self.settle("fault")
            if (node, page) not in self.sees():  # the replica made by `touch` may have it
                self.step(self.faults[(node, page)], "fault")
                self.settle("fault")
            if (node, page) not in self.sees():
                raise EvaluationError(f"{self.spec.name}: page {page} still unmapped on node "
                                      f"{node} after its pagefault")
        frame = self.sees()[(node, page)]
        self.accesses += 1
        self.data_cost += self.distance[node][int(frame) // self.per_node]

    def global_unmap(self, node: int, page: int) -> None:
        """`node` unmaps `page` everywhere; returns when every message has been handled."""
        self.step(self.unmaps[(node, page)], "unmap")
        self.global_unmaps += 1
        self.settle("unmap")

    def settle(self, phase: str) -> None:
        """Deliver messages (enabled receive actions, lowest instance first) until none;
        the design's internal actions (`Design.internal`) count as receives here."""
        for _ in range(MAX_DELIVERIES):
            ready = next((i for i in self.receives if self.model.execute(self.state, i)), None)
            if ready is None:
                return
            self.step(ready, phase)
        raise EvaluationError(f"{self.spec.name}: messages still pending after "
                              f"{MAX_DELIVERIES} deliveries")

    def step(self, instance: Instance, phase: str) -> None:
        """Execute `instance` (must be enabled and deterministic), charging it to `phase`."""
        action = self.spec.actions[instance.action]
        self.recorder.begin(self.model.node_of(self.state, instance),
                            "pagefault" in action.annotations)
        outcomes = self.costed.execute(self.state, instance)
        if len(outcomes) != 1:
            raise EvaluationError(f"{self.spec.name}: {action.name}{instance.args} has "
                                  f"{len(outcomes)} outcomes here (expected exactly one)")
        previous, self.state = self.state, outcomes[0]
        violated = self.model.violated_invariant(self.state, previous)
        if violated is not None:
            raise EvaluationError(f"{self.spec.name}: invariant {violated[0].name} "
                                  f"{violated[1]} after {action.name}{instance.args}")
        into = self.phase(phase)
        into.costs.add(self.recorder.current)
        into.accesses.update(self.recorder.by_variable)
        into.access_cost.update(self.recorder.cost_by_variable)


def _pagefault_action(spec: ir.Spec) -> ir.Action:
    """The `@pagefault` action of (node, page); a design may have others of one node
    (`Design.first_touch`)."""
    found = [a for a in spec.actions if "pagefault" in a.annotations and len(a.params) == 2]
    if len(found) != 1:
        raise EvaluationError(f"{spec.name} needs exactly one @pagefault action "
                              "(n: Node, v: Page)")
    return found[0]
