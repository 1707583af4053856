"""ITF traces (Apalache ADR-015, revised 2023-09-14), the format counterexamples are written in.

`{"#meta": {...}, "vars": [...], "states": [{"#meta": {"index": i}, var: value, ...}],
"loop": k}`.  Every state lists every variable; values use traces/formats/itf_values.py with
every integer as `{"#bigint": "..."}`; `#meta.varTypes` gives each variable's type (Apalache
needs it to read a trace).  Names and the `mbt::` fields follow an `ItfStyle`
(traces/formats/itf_style.py).  The
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
from numaspec.traces.formats.itf_style import (
    ACTION_TAKEN,
    NONDET_PICKS,
    ItfStyle,
    mbt_fields,
    var_types,
)
from numaspec.traces.formats.itf_values import encode
from numaspec.traces.formats.jsonl import meta_line

DEFAULT_STYLE = ItfStyle()


def document_meta(compiled: CompiledSpec, finding: Finding | None = None,
                  style: ItfStyle = DEFAULT_STYLE) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "ITF", "format-description":
                            "https://apalache-mc.org/docs/adr/015adr-trace.html",
                            "source": compiled.spec.path, "generated-by": "numaspec"}
    header = meta_line(compiled)["#meta"]
    spec = compiled.spec
    meta["constants"] = {name: encode(value, typ, bigint=True)
                         for name, (value, typ) in spec.constants.items()}
    meta["topology"] = header["topology"]
    meta["varTypes"] = var_types(spec, style)
    if style.names != "numaspec":
        meta["names"] = style.names  # read back: `::` in a name is `.`
    if finding is not None:
        meta["status"] = "violation"
        meta["description"] = finding.message
    return meta


def variables(model: Model, style: ItfStyle) -> list[str]:
    """The document's "vars": every variable, then the `mbt::` fields if written."""
    names = [style.name(v.name) for v in model.spec.variables]
    return [*names, ACTION_TAKEN, NONDET_PICKS] if style.mbt else names


def state_document(model: Model, index: int, state: State, instance: Instance | None,
                   extra: dict[str, Any] | None = None,
                   style: ItfStyle = DEFAULT_STYLE) -> dict[str, Any]:
    """One element of "states": its `#meta` (index, the action that led to it) and values."""
    meta: dict[str, Any] = {"index": index}
    if instance is not None:
        params = model.params(instance)
        meta["action"] = model.action_name(instance)
        meta["args"] = {p.name: encode(v, p.type, bigint=True)
                        for p, v in zip(params, instance.args, strict=True)}
    meta.update(extra or {})
    values = {style.name(var.name): encode(value, var.type, bigint=True)
              for var, value in zip(model.spec.variables, state, strict=True)}
    if style.mbt:
        values.update(mbt_fields(model, instance))
    return {"#meta": meta, **values}


def itf_document(model: Model, trace: Trace, compiled: CompiledSpec,
                 finding: Finding | None = None,
                 style: ItfStyle = DEFAULT_STYLE) -> dict[str, Any]:
    states = [state_document(model, 0, trace.initial, None, style=style)]
    for number, step in enumerate(trace.steps, 1):
        states.append(state_document(model, number, step.state, step.instance, style=style))
    document: dict[str, Any] = {"#meta": document_meta(compiled, finding, style),
                                "vars": variables(model, style),
                                "states": states}
    if trace.loop is not None:
        document["loop"] = trace.loop
    return document


def write_itf(path: str, model: Model, trace: Trace, compiled: CompiledSpec,
              finding: Finding | None = None, style: ItfStyle = DEFAULT_STYLE) -> None:
    """The whole document: the head indented, one line per state (large traces stay
    readable and diffable)."""
    document = itf_document(model, trace, compiled, finding, style)
    states = document.pop("states")
    loop = document.pop("loop", None)
    head = json.dumps(document, indent=1)[:-2]
    body = ",\n".join("  " + json.dumps(state) for state in states)
    tail = f',\n "loop": {loop}' if loop is not None else ""
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'{head},\n "states": [\n{body}\n ]{tail}\n}}\n')


class ItfWriter:
    """An ITF document written state by state; `close()` finishes it."""

    def __init__(self, path: str, model: Model, compiled: CompiledSpec,
                 style: ItfStyle = DEFAULT_STYLE):
        self.model, self.count, self.style = model, 0, style
        self.out: IO[str] = open(path, "w", encoding="utf-8")  # noqa: SIM115 - see close()
        head = {"#meta": document_meta(compiled, None, style),
                "vars": variables(model, style)}
        self.out.write(json.dumps(head, indent=1)[:-2] + ',\n "states": [\n')

    def state(self, state: State, instance: Instance | None,
              extra: dict[str, Any] | None = None) -> None:
        document = state_document(self.model, self.count, state, instance, extra,
                                  self.style)
        self.out.write((",\n" if self.count else "") + "  " + json.dumps(document))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n ]\n}\n")
        self.out.close()
