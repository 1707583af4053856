"""`numaspec report TRACE [--spec SPEC] -o FILE.html`: the HTML report of a trace written
earlier (`--trace-out` of check, simulate, fuzz; an ITF witness of `trace`).

The trace must be complete (every variable of every state, as numaspec writes it).  What it
shows broken is found again on the model: an invariant false in its last state, a lasso's
loop, a deadlock; otherwise the report is the chart of the walk.
"""

from __future__ import annotations

import argparse

from numaspec.cli.html import write_page
from numaspec.cli.options import STDIN, add_spec_options, one_standard_input, spec_source
from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail
from numaspec.spec.topology.resolve import resolve_topology
from numaspec.traces.formats.load import compile_for, load_trace, open_trace


def add_report(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "report", help="write the HTML report of a trace file (ITF or JSONL)",
        description="Draw a trace written by numaspec (ITF .itf.json or JSONL) as a "
                    "self-contained HTML page: message sequence chart, steps, the violated "
                    "property. Exit 0: written; 2: bad input.")
    cmd.add_argument("trace", metavar="TRACE", help="the trace; - reads standard input")
    cmd.add_argument("--spec", metavar="SPEC",
                     help="the spec (default: the one named in the trace's header); "
                          "- reads standard input")
    cmd.add_argument("-o", "--output", metavar="FILE.html", required=True)
    add_spec_options(cmd)
    cmd.set_defaults(run=report_command)


def report_command(args: argparse.Namespace) -> Outcome:
    """TRACE or --spec may be `-` (standard input), not both (E004); the trace is opened
    once, so a pipe works."""
    one_standard_input([("--spec", args.spec), ("TRACE", args.trace)])
    texts = None
    if args.spec is not None:
        args.spec, texts = spec_source(args.spec)
    opened = open_trace(args.trace)
    header = opened.header.data if opened.header is not None else {}
    meta = opened.document.meta if opened.document is not None else header
    spec_path = args.spec or meta.get("source") or meta.get("spec")
    if not spec_path:
        raise fail("E032", f"{opened.path} does not name its spec: give --spec SPEC", None)
    if texts is None and spec_path == STDIN:
        raise fail("E032", f"{opened.path} was written for a spec read from standard input: "
                   "give --spec SPEC (- to read it from standard input again)", None)
    topology = resolve_topology(args.topology) if args.topology else None
    compiled, _ = compile_for(spec_path, opened.header, opened.path, args.defines, topology,
                              texts=texts)
    model = Model(compiled.spec)
    trace = load_trace(model, opened)
    if trace.initial not in model.initial_states():
        raise fail("E032", f"{opened.path} does not start in an initial state of {spec_path}",
                   None)
    from numaspec.report.page import finding_page

    finding = found_again(model, trace, meta.get("description"))
    write_page(args.output, finding_page(model, finding, f"{opened.path} ({spec_path})"))
    return Outcome.OK


def found_again(model: Model, trace: Trace, description: str | None) -> Finding:
    """What the trace shows broken, evaluated again on the model."""
    violated = model.violated_invariant(trace.last)
    if violated is not None:
        prop, reason = violated
        return Finding("invariant", prop.name, f"invariant {prop.name} {reason}", prop.span,
                       trace)
    if trace.loop is not None:
        return Finding("liveness", None, description or "a lasso: the loop repeats forever",
                       None, trace)
    if not model.successors(trace.last):
        return Finding("deadlock", None, description or "deadlock: no action is enabled",
                       None, trace)
    return Finding("invariant", None, description or "a trace: no violation in its last "
                   "state", None, trace)
