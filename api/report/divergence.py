"""The report of a trace that does not conform: the matched behaviour as a chart, the last
matched event, the event no behaviour allows, and why each candidate state refused it (each
failed `require` with the values of its operands, from traces/explain.py)."""

from __future__ import annotations

from html import escape

from numaspec.model.findings import Trace
from numaspec.model.machine import Model
from numaspec.report.chart import build_chart
from numaspec.report.page import page, section, state_table
from numaspec.traces.explain import CandidateReport
from numaspec.traces.validate import Divergence


def divergence_page(model: Model, matched: Trace, divergence: Divergence, title: str) -> str:
    """`matched`: the behaviour the trace followed up to its last matched event."""
    verdict = f"line {divergence.line}: {divergence.label}: no behaviour allows it"
    chart = build_chart(model, matched, verdict=verdict)
    subtitle = f"does not conform at line {divergence.line}"
    return page(title, subtitle, chart, model, matched,
                (_divergence_section(model, matched, divergence),))


def _divergence_section(model: Model, matched: Trace, divergence: Divergence) -> str:
    last = (f"line {divergence.last_matched_line}" if divergence.last_matched_line
            else "none (the divergence is at the first event)")
    parts = [f"<p>the first {divergence.matched_events} event(s) match; last matched event: "
             f"{escape(last)} (step {len(matched.steps)} of the chart)</p>",
             f'<p>line {divergence.line}: <code class="event">{escape(divergence.text.strip())}'
             f"</code></p>",
             f"<p>the spec allows {divergence.candidate_count} candidate state(s) here; "
             "none accepts it:</p>"]
    parts += [_candidate(number, report)
              for number, report in enumerate(divergence.candidates, 1)]
    if divergence.candidate_count > len(divergence.candidates):
        parts.append(f"<p>... and {divergence.candidate_count - len(divergence.candidates)} "
                     "more candidate(s)</p>")
    parts.append(f"<h3>state {len(matched.steps)}, after the last matched event (the first "
                 f"candidate)</h3>{state_table(model, matched.last)}")
    return (f'<section class="violated" id="violation" data-kind="divergence" '
            f'data-property="{escape(divergence.label)}" data-line="{divergence.line}">'
            f"<h2>divergence: {escape(divergence.label)}</h2>{''.join(parts)}</section>")


def _candidate(number: int, report: CandidateReport) -> str:
    after = f" (after hidden {', '.join(report.hidden)})" if report.hidden else ""
    rows = "".join(f'<li class="reason" data-kind="{escape(r.kind)}"><code>'
                   f"{escape(r.instance or '')}</code> {escape(r.message)}</li>"
                   for r in report.reasons)
    more = f"<li>... and {report.unexplained} more instance(s)</li>" if report.unexplained \
        else ""
    return section(f"candidate {number}{after}", f"<ul>{rows}{more}</ul>", "candidate")
