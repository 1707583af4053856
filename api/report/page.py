"""A finding as one self-contained HTML page: the chart, the steps, the violated property.

`finding_page(model, finding, title)` returns the page as a string (the CLI writes it).  Inline
CSS and script, SVG drawn here: the file needs no network.  `extra` sections (a trace
divergence, a counterexample to induction) are HTML built by their callers with the helpers
below (`state_table`, `section`)."""

from __future__ import annotations

from html import escape
from typing import Any

from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Model, State
from numaspec.model.render import describe_instance
from numaspec.report.assets import CSS, SCRIPT
from numaspec.report.chart import Chart, ChartStep, build_chart
from numaspec.report.svg import draw_chart
from numaspec.spec.ir import types as t
from numaspec.spec.ir.format import format_value
from numaspec.spec.ir.values import sorted_values
from numaspec.spec.ir.walk import state_reads


def finding_page(model: Model, finding: Finding, title: str,
                 extra: tuple[str, ...] = ()) -> str:
    """The report of `finding` (its trace, its violated property, `extra` sections)."""
    chart = build_chart(model, finding.trace, finding.failing,
                        f"violated: {finding.property or finding.kind}")
    return page(title, finding.message, chart, model, finding.trace,
                (violation_section(model, finding), *extra))


def page(title: str, subtitle: str, chart: Chart, model: Model, trace: Trace,
         sections: tuple[str, ...]) -> str:
    steps = [_initial_section(model, trace.initial, chart)]
    states = trace.states()
    steps += [_step_section(model, step, states[step.number - 1], states[step.number], chart)
              for step in chart.steps]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>",
        f'<main><div class="chart">{draw_chart(chart)}</div><div class="side">',
        *sections, *steps, "</div></main>", f"<script>{SCRIPT}</script></body></html>"])


def section(heading: str, body: str, css: str = "", ident: str = "") -> str:
    attrs = (f' class="{css}"' if css else "") + (f' id="{ident}"' if ident else "")
    return f"<section{attrs}><h2>{escape(heading)}</h2>{body}</section>"


def violation_section(model: Model, finding: Finding) -> str:
    """The violated property and the state that breaks it (the last of the trace)."""
    trace, count = finding.trace, len(finding.trace.steps)
    lines = [f"<p>{escape(finding.message)}</p>"]
    if finding.span is not None:
        lines.append(f"<p>declared at <code>{escape(str(finding.span))}</code></p>")
    if finding.failing is not None:
        verb = "diverges" if finding.kind == "divergence" else "fails"
        lines.append(f'<p class="failing">step {count + 1}: <code>'
                     f"{escape(describe_instance(model, finding.failing))}</code> {verb}"
                     f" from state {count}</p>")
    if trace.loop is not None:
        lines.append(f'<p class="loop-text">{escape(_loop_text(trace.loop, count))}</p>')
    lines.append(f"<h3>state {count}, the state that breaks it</h3>")
    lines.append(state_table(model, trace.last, read_by(model, finding.property)))
    prop = escape(finding.property or finding.kind)
    return (f'<section class="violated" id="violation" data-kind="{finding.kind}" '
            f'data-property="{prop}"><h2>violated: {prop}</h2>{"".join(lines)}</section>')


def read_by(model: Model, name: str | None) -> frozenset[str]:
    """The variables the invariant `name` reads (marked in the state that breaks it)."""
    for prop in model.spec.invariants:
        if prop.name == name:
            return frozenset(state_reads(prop.expr))
    return frozenset()


def _loop_text(loop: int, count: int) -> str:
    if loop == count:
        return f"the behaviour stays in state {count} forever: no fair action is enabled"
    return f"steps {loop + 1}..{count} repeat forever (state {count} is state {loop})"


def state_table(model: Model, state: State, marked: frozenset[str] = frozenset()) -> str:
    rows = []
    for var, value in zip(model.spec.variables, state, strict=True):
        css = ' class="broken"' if var.name in marked else ""
        rows.append(f'<tr{css}><td class="k">{escape(var.name)}</td><td class="v">'
                    f"{escape(format_value(value, var.type))}</td></tr>")
    return f'<table class="state">{"".join(rows)}</table>'


def _initial_section(model: Model, state: State, chart: Chart) -> str:
    loop = " in-loop" if chart.loop == 0 else ""
    return (f'<section class="step{loop}" id="step-0" data-step="0"><h3>0. '
            f"{escape(chart.start)}</h3>"
            f"<details open><summary>state 0</summary>{state_table(model, state)}</details>"
            "</section>")


def _step_section(model: Model, step: ChartStep, before: State, after: State,
                  chart: Chart) -> str:
    where = f" on node {step.node}" if step.node is not None else ""
    loop = " in-loop" if chart.loop is not None and step.number > chart.loop else ""
    c = step.cost
    cost = (f'<p class="cost">cost: {c["local"]} local, {c["remote"]} remote access(es) '
            f'(distance {c["access_cost"]}); {c["messages"]} message(s), '
            f'{c["remote_messages"]} to another node</p>')
    diff = "".join(f'<tr><td class="k">{escape(name)}</td><td class="v"><span class="old">'
                   f'{escape(old)}</span> → <span class="new">{escape(new)}</span></td></tr>'
                   for name, old, new in changed(model, before, after))
    return (f'<section class="step{loop}" id="step-{step.number}" data-step="{step.number}">'
            f"<h3>{step.number}. <code>{escape(step.label)}</code>{where}</h3>{cost}"
            f'<table class="diff">{diff or "<tr><td>(no variable changed)</td></tr>"}</table>'
            f"<details><summary>state {step.number}</summary>{state_table(model, after)}"
            "</details></section>")


def changed(model: Model, before: State, after: State) -> list[tuple[str, str, str]]:
    """(name, before, after) of each changed variable; maps per changed key ("—": absent)."""
    out: list[tuple[str, str, str]] = []
    for var, old, new in zip(model.spec.variables, before, after, strict=True):
        if old == new:
            continue
        if isinstance(var.type, t.MapType):
            out += _map_changes(var.name, var.type, old, new)
        else:
            out.append((var.name, format_value(old, var.type), format_value(new, var.type)))
    return out


def _map_changes(name: str, typ: t.MapType, old: Any, new: Any) -> list[tuple[str, str, str]]:
    out = []
    for key in sorted_values(set(old) | set(new)):
        if old.get(key, _ABSENT) != new.get(key, _ABSENT):
            shown = [format_value(m[key], typ.value) if key in m else "—" for m in (old, new)]
            out.append((f"{name}[{format_value(key, typ.key)}]", shown[0], shown[1]))
    return out


_ABSENT = object()
