"""The one reporting layer: renders diagnostics and results as text or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from numaspec.cli import exit_status as exitcodes
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


def report_spec_error(err: SpecError, as_json: bool) -> int:
    """Print the diagnostics of a bad spec or argument; the bad-input exit status."""
    if as_json:
        print(json.dumps({"ok": False, "diagnostics": diagnostics_json(err.diagnostics)},
                         indent=2))
    else:
        sys.stderr.write(render_diagnostics(err.diagnostics, err.sources) + "\n")
    return exitcodes.BAD_INPUT
