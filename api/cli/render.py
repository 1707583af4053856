"""The one rendering layer of the CLI: diagnostics, spec summaries and findings as text or
JSON (cost tables are in costs.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from numaspec.cli import exit_status as exitcodes
from numaspec.model.findings import Finding
from numaspec.model.machine import Instance, Model, State
from numaspec.model.render import changes, describe_instance
from numaspec.spec.diagnostics import Diagnostic, SpecError, render_all
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.span import Span
from numaspec.traces.formats.itf_values import encode


def render_diagnostics(diagnostics: Iterable[Diagnostic], sources: dict[str, str]) -> str:
    return render_all(diagnostics, sources)


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    """Diagnostics as objects: code, severity, message, where (file, line, column and the
    end, each null when unknown) and notes."""
    out = []
    for d in diagnostics:
        span = d.span
        out.append({
            "code": d.code, "severity": d.severity, "message": d.message,
            "file": span.file if span else None, "line": span.line if span else None,
            "column": span.col if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_col if span else None,
            "notes": [n.message for n in d.notes],
        })
    return out


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def spec_summary(spec: ir.Spec) -> dict[str, Any]:
    """Counts of what a spec declares, and a one-line text form of them."""
    types = spec.types
    properties = len(spec.invariants) + len(spec.reachables) + len(spec.finals) + len(
        spec.liveness)
    topo = spec.topology
    counts = {
        "spec": spec.name, "nodes": topo.nodes, "frames_per_node": topo.frames_per_node,
        "types": len(types), "variables": len(spec.variables), "actions": len(spec.actions),
        "properties": properties, "kernel_primitives": len(spec.kernels),
    }
    text = (f"{spec.kind} {spec.name} ({_plural(topo.nodes, 'node')}, "
            f"{_plural(topo.frames_per_node, 'frame')} per node): "
            f"{_plural(len(types), 'type')}, {_plural(len(spec.variables), 'variable')}, "
            f"{_plural(len(spec.actions), 'action')}, {_plural(properties, 'property')}"
            .replace("propertys", "properties"))
    counts["text"] = text
    return counts


def warning_text(warning: Diagnostic) -> str:
    """An engine's warning on one line: its message, then where (`file:line:col`)."""
    return f"{warning.message} ({warning.span})" if warning.span is not None else warning.message


def report_spec_error(err: SpecError) -> int:
    """Print the diagnostics of a bad spec or argument on stderr; the bad-input exit status
    (with --json the runner puts them in the envelope instead)."""
    sys.stderr.write(render_diagnostics(err.diagnostics, err.sources) + "\n")
    return exitcodes.BAD_INPUT


def location_json(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"file": span.file, "line": span.line, "column": span.col,
            "end_line": span.end_line, "end_column": span.end_col}


def state_json(model: Model, state: State) -> dict[str, Any]:
    """A state in ITF's encoding (every integer `{"#bigint": ...}`), by variable."""
    return {var.name: encode(value, var.type, bigint=True)
            for var, value in zip(model.spec.variables, state, strict=True)}


def instance_json(model: Model, instance: Instance, before: State | None) -> dict[str, Any]:
    """An action instance: its name, arguments (ITF values), node and text."""
    args = {p.name: encode(v, p.type, bigint=True)
            for p, v in zip(model.params(instance), instance.args, strict=True)}
    try:
        node = model.node_of(before, instance) if before is not None else None
    except EvalError:  # the failing step's `on` expression may itself fail
        node = None
    return {"action": model.action_name(instance), "args": args, "node": node,
            "text": describe_instance(model, instance)}


def finding_json(model: Model, finding: Finding) -> dict[str, object]:
    """A finding with structured steps: each step's action, arguments, node, the names of
    the variables it changed, the changes as text and the state after it."""
    steps, before = [], finding.trace.initial
    for number, step in enumerate(finding.trace.steps, 1):
        changed = [var.name for var, old, new in zip(model.spec.variables, before,
                                                     step.state, strict=True) if old != new]
        steps.append({"index": number, **instance_json(model, step.instance, before),
                      "changed": changed, "changes": changes(model, before, step.state),
                      "state": state_json(model, step.state)})
        before = step.state
    failing = instance_json(model, finding.failing, before) if finding.failing else None
    return {"kind": finding.kind, "property": finding.property, "message": finding.message,
            "location": location_json(finding.span),
            "initial": state_json(model, finding.trace.initial), "steps": steps,
            "failing": failing, "loop": finding.trace.loop}
