"""The JSONL event log (docs/design.md, "Traces"), written from a trace of the model.

First line `{"#meta": {"format": "numaspec-trace/1", "spec": ..., "constants": {...}}}`, then an
initial `{"state": {...}}` observation and one event per step:
`{"action": "fault", "args": {"n": 1, "v": 0}, "node": 1, "post": {...}}` where `post` holds
every variable after the step.  Values use the ITF encoding of traces/formats/itf_values.py.
"""

from __future__ import annotations

import json
from typing import Any

from numaspec.model.findings import Trace
from numaspec.model.machine import Model, State
from numaspec.spec.pipeline import CompiledSpec
from numaspec.traces.formats.itf_values import encode

FORMAT = "numaspec-trace/1"


def meta_line(compiled: CompiledSpec) -> dict[str, Any]:
    spec = compiled.spec
    constants = {name: encode(value, typ) for name, (value, typ) in spec.constants.items()}
    topology = {"nodes": spec.topology.nodes, "frames_per_node": spec.topology.frames_per_node,
                "distance": [list(row) for row in spec.topology.distance]}
    return {"#meta": {"format": FORMAT, "spec": spec.path, "constants": constants,
                      "topology": topology}}


def state_json(model: Model, state: State) -> dict[str, Any]:
    return {var.name: encode(value, var.type)
            for var, value in zip(model.spec.variables, state, strict=True)}


def event_lines(model: Model, trace: Trace) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = [{"state": state_json(model, trace.initial)}]
    before = trace.initial
    for step in trace.steps:
        params = model.params(step.instance)
        args = {p.name: encode(v, p.type) for p, v in zip(params, step.instance.args,
                                                           strict=True)}
        event: dict[str, Any] = {"action": model.action_name(step.instance), "args": args}
        node = model.node_of(before, step.instance)
        if node is not None:
            event["node"] = node
        event["post"] = state_json(model, step.state)
        lines.append(event)
        before = step.state
    return lines


def write_jsonl(path: str, model: Model, trace: Trace, compiled: CompiledSpec) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(meta_line(compiled), separators=(",", ":")) + "\n")
        for line in event_lines(model, trace):
            out.write(json.dumps(line, separators=(",", ":")) + "\n")
