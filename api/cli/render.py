"""The one rendering layer of the CLI: diagnostics, spec summaries and findings as text or
JSON (cost tables are in costs.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from numaspec.cli import exit_status as exitcodes
from numaspec.model.findings import Finding
from numaspec.model.machine import Model
from numaspec.model.render import changes, describe_instance
from numaspec.spec.diagnostics import Diagnostic, SpecError, render_all
from numaspec.spec.ir import nodes as ir


def render_diagnostics(diagnostics: Iterable[Diagnostic], sources: dict[str, str]) -> str:
    return render_all(diagnostics, sources)


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    out = []
    for d in diagnostics:
        span = d.span
        out.append({
            "code": d.code, "severity": d.severity, "message": d.message,
            "file": span.file if span else None, "line": span.line if span else None,
            "column": span.col if span else None,
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


def report_spec_error(err: SpecError, as_json: bool) -> int:
    """Print the diagnostics of a bad spec or argument; the bad-input exit status."""
    if as_json:
        print(json.dumps({"ok": False, "diagnostics": diagnostics_json(err.diagnostics)},
                         indent=2))
    else:
        sys.stderr.write(render_diagnostics(err.diagnostics, err.sources) + "\n")
    return exitcodes.BAD_INPUT


def finding_json(model: Model, finding: Finding) -> dict[str, object]:
    steps, before = [], finding.trace.initial
    for step in finding.trace.steps:
        steps.append({"action": describe_instance(model, step.instance),
                      "changes": changes(model, before, step.state)})
        before = step.state
    span = finding.span
    return {"kind": finding.kind, "property": finding.property, "message": finding.message,
            "location": str(span) if span else None, "steps": steps,
            "failing": describe_instance(model, finding.failing) if finding.failing else None,
            "loop": finding.trace.loop}
