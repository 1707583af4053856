"""Counterexamples as text: numbered steps, each action with its arguments and node, and the
variables it changed; a final line names the violated property and where it is declared."""

from __future__ import annotations

from typing import Any

from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Instance, Model, State
from numaspec.spec.ir import types as t
from numaspec.spec.ir.format import format_value
from numaspec.spec.ir.values import FrozenMap, default_value, sorted_values


def describe_instance(model: Model, instance: Instance) -> str:
    """`fault(n=1, v=0)`."""
    args = ", ".join(f"{p.name}={format_value(v, p.type)}"
                     for p, v in zip(model.params(instance), instance.args, strict=True))
    return f"{model.action_name(instance)}({args})"


def render_trace(model: Model, trace: Trace) -> list[str]:
    start = "  <- the loop starts here" if trace.loop == 0 and trace.steps else ""
    lines = [f"  0  initial state{start}"]
    lines += [f"       {line}" for line in _initial(model, trace.initial)]
    previous = trace.initial
    for number, step in enumerate(trace.steps, 1):
        node = model.node_of(previous, step.instance)
        where = f" on node {node}" if node is not None else ""
        loop = "  <- the loop starts after this step" if trace.loop == number and \
            trace.loop < len(trace.steps) else ""
        lines.append(f"{number:3}  {describe_instance(model, step.instance)}{where}{loop}")
        lines += [f"       {change}" for change in changes(model, previous, step.state)]
        previous = step.state
    return lines


def render_finding(model: Model, finding: Finding) -> str:
    lines = render_trace(model, finding.trace)
    where = f" ({finding.span})" if finding.span is not None else ""
    count = len(finding.trace.steps)
    if finding.failing is not None:
        verb = "diverges" if finding.kind == "divergence" else "fails"
        lines.append(f"{count + 1:3}  {describe_instance(model, finding.failing)} {verb}")
    elif finding.details.get("in") == "init":
        lines.append("       init fails")
    loop = finding.trace.loop
    if loop is not None and loop == count:
        lines.append("       ... and stays in this state forever: no fair action is enabled")
    elif loop is not None:
        lines.append(f"       ... and repeats steps {loop + 1}..{count} forever (state {count} "
                     f"is state {loop})")
    lines.append(f"violation: {finding.message}{where}")
    return "\n".join(lines)


def _initial(model: Model, state: State) -> list[str]:
    shown = []
    for var, value in zip(model.spec.variables, state, strict=True):
        if value != default_value(var.type) and not _all_empty_queues(value):
            shown.append(f"{var.name} = {format_value(value, var.type)}")
    return shown or ["(every variable has its default value)"]


def _all_empty_queues(value: Any) -> bool:
    return isinstance(value, FrozenMap) and all(v == () for v in value.values()) and bool(value)


def changes(model: Model, before: State, after: State) -> list[str]:
    """The changed variables, as assignments a reader can follow."""
    out: list[str] = []
    for var, old, new in zip(model.spec.variables, before, after, strict=True):
        if old != new:
            out += _change(var.name, var.type, old, new)
    return out


def _change(name: str, typ: t.Type, old: Any, new: Any) -> list[str]:
    if isinstance(typ, t.MapType):
        key_type, value_type = typ.key, typ.value
        lines = []
        for key in sorted_values(set(old) | set(new)):
            shown = format_value(key, key_type)
            if key not in new:
                lines.append(f"delete {name}[{shown}]")
            elif key not in old or old[key] != new[key]:
                lines.append(f"{name}[{shown}] := {format_value(new[key], value_type)}")
        return lines
    if isinstance(typ, t.SetType):
        added, removed = new - old, old - new
        lines = []
        if added:
            lines.append(f"{name} += {format_value(frozenset(added), typ)}")
        if removed:
            lines.append(f"{name} -= {format_value(frozenset(removed), typ)}")
        return lines
    return [f"{name} := {format_value(new, typ)}"]
