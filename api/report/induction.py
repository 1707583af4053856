"""The report of a counterexample to induction (`prove`): a state that satisfies every
invariant, the step(s) taken from it, and the state where the property is false.  The
first state need not be reachable: the page says so, as the text report does."""

from __future__ import annotations

from html import escape

from numaspec.model.findings import Trace
from numaspec.model.machine import Model
from numaspec.model.render import describe_instance
from numaspec.report.chart import build_chart
from numaspec.report.page import page, read_by, state_table


def induction_page(model: Model, cti: Trace, failed: str, what: str, title: str) -> str:
    """`failed`: the property the step breaks; `what`: how (`unmap_complete is false`)."""
    chart = build_chart(model, cti, verdict=f"not inductive: {what}")
    chart.start = "a state satisfying every invariant"
    actions = " then ".join(f"<code>{escape(describe_instance(model, s.instance))}</code>"
                            for s in cti.steps)
    count = len(cti.steps)
    body = (f"<p>from state 0, which satisfies every invariant, {actions} lead(s) to state "
            f"{count}, where {escape(what)}. It need not be reachable: if it is not, add an "
            "invariant (<code>@lemma</code>) that rules out state 0.</p>"
            f"<h3>state 0: every invariant holds</h3>{state_table(model, cti.initial)}"
            f"<h3>state {count}: {escape(what)}</h3>"
            f"{state_table(model, cti.last, read_by(model, failed))}")
    section = (f'<section class="violated" id="violation" data-kind="cti" '
               f'data-property="{escape(failed)}"><h2>counterexample to induction: '
               f"{escape(failed)}</h2>{body}</section>")
    return page(title, f"not proved: counterexample to induction for {failed}", chart, model,
                cti, (section,))
