"""ITF traces (Apalache ADR-015), the format counterexamples are written in.

`{"#meta": {...}, "vars": [...], "states": [{"#meta": {"index": i}, var: value, ...}],
"loop": k}`.  Every state lists every variable; values use traces/formats/itf_values.py.  The
action that led to each state is recorded in the state's `#meta` (`"action"` and
`"args"`), in the spirit of Quint's `mbt::actionTaken`, so a counterexample replays without
guessing.  The document's `#meta` also carries the spec's constants and topology (as the
JSONL header does), so that `numaspec trace` checks the trace against the same instance of the spec.

`ItfWriter` writes the same document as a stream of states (the witness of `numaspec trace`).
"""

from __future__ import annotations

import json
from typing import IO, Any

from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Instance, Model, State
from numaspec.spec.pipeline import CompiledSpec
from numaspec.traces.formats.itf_values import encode
from numaspec.traces.formats.jsonl import meta_line, state_json


def document_meta(compiled: CompiledSpec, finding: Finding | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "ITF", "format-description":
                            "https://apalache-mc.org/docs/adr/015adr-trace.html",
                            "source": compiled.spec.path, "generated-by": "numaspec"}
    header = meta_line(compiled)["#meta"]
    meta["constants"], meta["topology"] = header["constants"], header["topology"]
    if finding is not None:
        meta["status"] = "violation"
        meta["description"] = finding.message
    return meta


def state_document(model: Model, index: int, state: State, instance: Instance | None,
                   extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One element of "states": its `#meta` (index, the action that led to it) and values."""
    meta: dict[str, Any] = {"index": index}
    if instance is not None:
        params = model.params(instance)
        meta["action"] = model.action_name(instance)
        meta["args"] = {p.name: encode(v, p.type)
                        for p, v in zip(params, instance.args, strict=True)}
    meta.update(extra or {})
    return {"#meta": meta, **state_json(model, state)}


def itf_document(model: Model, trace: Trace, compiled: CompiledSpec,
                 finding: Finding | None = None) -> dict[str, Any]:
    states = [state_document(model, 0, trace.initial, None)]
    for number, step in enumerate(trace.steps, 1):
        states.append(state_document(model, number, step.state, step.instance))
    document: dict[str, Any] = {"#meta": document_meta(compiled, finding),
                                "vars": [v.name for v in model.spec.variables],
                                "states": states}
    if trace.loop is not None:
        document["loop"] = trace.loop
    return document


def write_itf(path: str, model: Model, trace: Trace, compiled: CompiledSpec,
              finding: Finding | None = None) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(itf_document(model, trace, compiled, finding), out, indent=1)
        out.write("\n")


class ItfWriter:
    """An ITF document written state by state; `close()` finishes it."""

    def __init__(self, path: str, model: Model, compiled: CompiledSpec):
        self.model, self.count = model, 0
        self.out: IO[str] = open(path, "w", encoding="utf-8")  # noqa: SIM115 - see close()
        head = {"#meta": document_meta(compiled),
                "vars": [v.name for v in model.spec.variables]}
        self.out.write(json.dumps(head, indent=1)[:-2] + ',\n "states": [\n')

    def state(self, state: State, instance: Instance | None,
              extra: dict[str, Any] | None = None) -> None:
        document = state_document(self.model, self.count, state, instance, extra)
        self.out.write((",\n" if self.count else "") + "  " + json.dumps(document))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n ]\n}\n")
        self.out.close()
