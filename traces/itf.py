"""ITF traces (Apalache ADR-015), the format counterexamples are written in.

`{"#meta": {...}, "vars": [...], "states": [{"#meta": {"index": i}, var: value, ...}],
"loop": k}`.  Every state lists every variable; values use traces/values.py.  The action that
led to each state is recorded in the state's `#meta` (`"action"` and `"args"`), in the spirit
of Quint's `mbt::actionTaken`, so a counterexample replays without guessing.
"""

from __future__ import annotations

import json
from typing import Any

from numaspec.checker.findings import Finding, Trace
from numaspec.model.machine import Model
from numaspec.spec.pipeline import CompiledSpec
from numaspec.traces.jsonl import state_json
from numaspec.traces.values import encode


def itf_document(model: Model, trace: Trace, compiled: CompiledSpec,
                 finding: Finding | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "ITF", "format-description":
                            "https://apalache-mc.org/docs/adr/015adr-trace.html",
                            "source": compiled.spec.path, "generated-by": "numaspec"}
    if finding is not None:
        meta["status"] = "violation"
        meta["description"] = finding.message
    states = [{"#meta": {"index": 0}, **state_json(model, trace.initial)}]
    for number, step in enumerate(trace.steps, 1):
        params = model.params(step.instance)
        args = {p.name: encode(v, p.type) for p, v in zip(params, step.instance.args,
                                                           strict=True)}
        states.append({"#meta": {"index": number, "action": model.action_name(step.instance),
                                 "args": args}, **state_json(model, step.state)})
    document: dict[str, Any] = {"#meta": meta, "vars": [v.name for v in model.spec.variables],
                                "states": states}
    if trace.loop is not None:
        document["loop"] = trace.loop
    return document


def write_itf(path: str, model: Model, trace: Trace, compiled: CompiledSpec,
              finding: Finding | None = None) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(itf_document(model, trace, compiled, finding), out, indent=1)
        out.write("\n")
