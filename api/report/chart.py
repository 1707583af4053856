"""A trace as a message sequence chart: lanes (nodes), steps on lanes, messages between steps.

`build_chart(model, trace)` attributes each step to the node it runs on (its `on n`, as
model/cost.py and model/render.py do) and finds the messages by comparing the channels of
consecutive states: an entry that appears at the back of a queue was sent by the step, the
entry that leaves the front of the queue the step receives from was received by it.  Queues
are FIFO, so each received message is the oldest one pending in its queue.  A message still
pending at the end is *in flight* (drawn as an open arrow).  Messages already in a channel in
the initial state count as sent by step 0.  Nothing here prints or draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numaspec.model.cost import CostRecorder
from numaspec.model.findings import Trace
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.model.render import changes, describe_instance
from numaspec.spec.ir import types as t
from numaspec.spec.ir.format import format_value

QueueKey = tuple[str, Any]  # (channel name, index or None)


@dataclass
class ChartStep:
    number: int  # 1-based: step n leads from state n-1 to state n
    label: str  # `fault(n=0, v=0)`
    node: int | None  # None: an action without `on`
    changes: list[str]
    cost: dict[str, int]  # local, remote accesses, messages of the step


@dataclass
class Message:
    channel: str  # `req[2]`
    payload: str
    sent: int  # the sending step (0: already in flight in the initial state)
    source: int | None  # the lane of the sender
    received: int | None = None  # the receiving step; None: still in flight at the end
    target: int | None = None  # the lane of the receiver (or of the channel's node)


@dataclass
class Chart:
    nodes: int
    steps: list[ChartStep] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    loop: int | None = None  # the state where the lasso's cycle starts
    failing: ChartStep | None = None  # the step that fails from the last state, if any
    verdict: str | None = None  # what the chart shows broken (drawn after the last step)
    start: str = "initial state"  # what the first state is

    @property
    def unplaced(self) -> bool:
        """Whether some step runs on no node (it then gets a lane of its own)."""
        steps = [*self.steps, *([self.failing] if self.failing else [])]
        return any(step.node is None for step in steps)

    @property
    def tail(self) -> int:
        """The row where messages still in flight end: after the steps (and failing step)."""
        return len(self.steps) + (2 if self.failing else 1)

    @property
    def rows(self) -> int:
        """Rows of the drawing: the initial state, the steps, the failing step, the messages
        in flight, the verdict."""
        in_flight = any(m.received is None for m in self.messages)
        return self.tail + (1 if in_flight else 0) + 1


def build_chart(model: Model, trace: Trace, failing: Instance | None = None,
                verdict: str | None = None) -> Chart:
    """The chart of `trace`; `failing` is an instance that fails from its last state."""
    return ChartBuilder(model).build(trace, failing, verdict)


class ChartBuilder:
    """Builds charts of one model; keep one to draw many (it compiles the cost model once)."""

    def __init__(self, model: Model):
        self.model, self.channels, self.costs = model, _Channels(model), _StepCosts(model)

    def build(self, trace: Trace, failing: Instance | None = None,
              verdict: str | None = None) -> Chart:
        return _build(self.model, self.channels, self.costs, trace, failing, verdict)


def _build(model: Model, channels: _Channels, costs: _StepCosts, trace: Trace,
           failing: Instance | None, verdict: str | None) -> Chart:
    chart = Chart(model.spec.topology.nodes, loop=trace.loop, verdict=verdict)
    messages = _Messages(channels, chart, trace.initial)
    previous = trace.initial
    for number, step in enumerate(trace.steps, 1):
        node = model.node_of(previous, step.instance)
        chart.steps.append(ChartStep(number, describe_instance(model, step.instance), node,
                                     changes(model, previous, step.state),
                                     costs.of(previous, step.instance, node)))
        messages.step(number, node, step.instance, previous, step.state)
        previous = step.state
    if failing is not None:
        node = model.node_of(previous, failing)
        chart.failing = ChartStep(len(trace.steps) + 1, describe_instance(model, failing), node,
                                  [], costs.of(previous, failing, node))
    return chart


class _Messages:
    """The messages pending in each queue, matched FIFO to the steps that receive them."""

    def __init__(self, channels: _Channels, chart: Chart, initial: State):
        self.channels, self.chart = channels, chart
        self.pending: dict[QueueKey, list[Message]] = {}
        for key, queue in channels.queues(initial).items():
            self.pending[key] = [channels.message(key, item, 0, None) for item in queue]
            chart.messages += self.pending[key]

    def step(self, number: int, node: int | None, instance: Instance, before: State,
             after: State) -> None:
        received = self.channels.received_key(before, instance)
        old_queues, new_queues = self.channels.queues(before), self.channels.queues(after)
        for key in sorted(set(old_queues) | set(new_queues), key=repr):
            old, new = old_queues.get(key, ()), new_queues.get(key, ())
            popped = 1 if key == received and old else 0
            pending = self.pending.setdefault(key, [])
            for message in pending[:popped]:
                message.received, message.target = number, node
            del pending[:popped]
            for item in new[len(old) - popped:]:
                message = self.channels.message(key, item, number, node)
                pending.append(message)
                self.chart.messages.append(message)


class _Channels:
    """The channel variables of a spec, read as FIFO queues keyed by (channel, index)."""

    def __init__(self, model: Model):
        self.model = model
        self.vars = [(i, v) for i, v in enumerate(model.spec.variables) if v.channel is not None]

    def queues(self, state: State) -> dict[QueueKey, tuple[Any, ...]]:
        out: dict[QueueKey, tuple[Any, ...]] = {}
        for i, var in self.vars:
            value = state[i]
            if var.channel is not None and var.channel.index is None:
                out[(var.name, None)] = tuple(value)
            else:
                out.update({(var.name, key): tuple(queue) for key, queue in value.items()})
        return out

    def received_key(self, state: State, instance: Instance) -> QueueKey | None:
        """The queue the step of `instance` receives from, or None if it receives nothing."""
        compiled = self.model.actions[instance.action]
        receive = compiled.action.receive
        if receive is None:
            return None
        if receive.index is None:
            return (receive.channel, None)
        env: list[Any] = [None] * compiled.slots
        for slot, value in zip(compiled.params, instance.args, strict=True):
            env[slot] = value
        return (receive.channel, self.model.exprs.compile(receive.index)(state, env))

    def message(self, key: QueueKey, item: Any, sent: int, source: int | None) -> Message:
        var = next(v for _, v in self.vars if v.name == key[0])
        assert var.channel is not None
        index = var.channel.index
        name = key[0] if index is None else f"{key[0]}[{format_value(key[1], index)}]"
        # An open arrow points at the node the channel is indexed by, when it is one.
        target = key[1] if isinstance(index, t.NodeType) else None
        return Message(name, format_value(item, var.channel.message), sent, source,
                       target=target)


class _StepCosts:
    """The NUMA cost of one step, by a model compiled with the cost recorder's hooks."""

    def __init__(self, model: Model):
        self.recorder = CostRecorder(model.spec)
        self.costed = Model(model.spec, hooks=self.recorder, read_hook=self.recorder.read)

    def of(self, state: State, instance: Instance, node: int | None) -> dict[str, int]:
        action = self.costed.spec.actions[instance.action]
        self.recorder.begin(node, "pagefault" in action.annotations)
        try:
            self.costed.execute(state, instance)
        except StepViolation:
            pass  # the failing step of a finding: the costs up to the failure
        c = self.recorder.current
        return {"local": c.local_accesses, "remote": c.remote_accesses,
                "messages": c.messages, "remote_messages": c.remote_messages,
                "access_cost": c.access_cost}
