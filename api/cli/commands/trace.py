"""`numaspec trace SPEC TRACE`: does a log of a real system describe a behaviour of the spec?

Exit 0: it conforms; 1: it does not (the report says where and why); 2: the spec, the trace
or an argument is malformed; 3: more candidate states than --max-frontier.
"""

from __future__ import annotations

import argparse
import sys

from numaspec.cli.annotations import add_format_option
from numaspec.cli.commands.trace_logs import (
    DEFAULT_MAX_HIDDEN,
    add_log_options,
    frontier_options,
    has_causal_metadata,
    logs_command,
)
from numaspec.cli.commands.trace_many import check_many, expand, is_itf
from numaspec.cli.envelope import emit
from numaspec.cli.html import add_html_option, check_html_option, write_divergence_html
from numaspec.cli.options import (
    add_spec_options,
    integer,
    one_standard_input,
    read_lemma_file,
    spec_source,
)
from numaspec.cli.outputs import check_file
from numaspec.cli.progress import ProgressLine
from numaspec.cli.render import diagnostics_json
from numaspec.cli.trace_files import add_itf_options, itf_style
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail
from numaspec.spec.topology.resolve import resolve_topology
from numaspec.traces.bind import Binder
from numaspec.traces.causal.open import OpenLog
from numaspec.traces.formats.itf import ItfWriter
from numaspec.traces.formats.load import compile_for, open_trace, spec_note
from numaspec.traces.formats.trace_map import TraceMap, read_map
from numaspec.traces.frontier import Path, Sink
from numaspec.traces.report import json_report, text_report
from numaspec.traces.validate import TraceProgress, ValidationResult, validate


def add_trace(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "trace", help="check a trace (JSONL event log or ITF) against a spec",
        description="Follow the candidate states of the spec event by event. Exit 0: the "
                    "trace conforms; 1: it does not (where and why); 2: malformed input; "
                    "3: --max-frontier reached.")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("traces", metavar="TRACE", nargs="+",
                     help="a JSONL event log or an ITF file (.json); - reads standard input; "
                          "several ITF files, a directory or a pattern of them: each checked "
                          "alone; several JSONL logs (or a directory of *.jsonl): one per "
                          "node, checked under their causal order")
    cmd.add_argument("--views", metavar="FILE.numa", action="append", default=[],
                     help="a module of parameterless funs: more views the trace may observe "
                          "(repeatable)")
    cmd.add_argument("--map", metavar="MAP.json",
                     help="rename another tool's variables, actions and picks and convert "
                          "its values (docs/traces.md, \"Other tools' traces\")")
    cmd.add_argument("--hidden", metavar="ACTION,...", default="",
                     help="actions that may happen without appearing in the trace")
    cmd.add_argument("--max-hidden", type=integer(0), metavar="K",
                     help=f"hidden steps allowed between two events ({DEFAULT_MAX_HIDDEN} "
                          "with --hidden)")
    cmd.add_argument("--max-frontier", type=integer(1), default=100_000, metavar="N",
                     help="stop (exit 3) beyond N candidate states (100000)")
    cmd.add_argument("--witness", metavar="FILE.itf.json",
                     help="write the matched behaviour (with hidden steps) as ITF")
    add_itf_options(cmd)
    add_log_options(cmd)
    add_html_option(cmd)
    add_format_option(cmd)
    add_spec_options(cmd)
    cmd.set_defaults(run=trace_command)


class _Progress(ProgressLine):
    def __call__(self, report: TraceProgress) -> None:
        rate = report.events / max(self.elapsed(), 1e-9)
        self.show(f"trace: line {report.line:,}, {report.events:,} events, "
                  f"{rate:,.0f} events/s")


def trace_command(args: argparse.Namespace) -> Outcome | int:
    """One trace; several ITF traces, each on its own (trace_many.py); or several JSONL logs
    of one system, one per node, under their causal order (trace_logs.py).  SPEC, a TRACE
    or a --views file may be `-` (standard input), one of them only (E004)."""
    one_standard_input([("SPEC", args.spec), *(("TRACE", path) for path in args.traces),
                        *(("--views", path) for path in args.views)])
    args.spec, args.spec_texts = spec_source(args.spec)
    if _per_node_logs(args):
        return logs_command(args)
    paths = expand(args.traces)
    mapping = read_map(args.map) if args.map else None
    if len(paths) > 1 and all(is_itf(p) for p in paths):
        return check_many(args, paths, mapping, lambda model: frontier_options(args, model))
    if len(paths) > 1:
        raise fail("E004", f"{len(paths)} traces given: several traces must all be ITF files "
                   "(.itf.json) or all JSONL logs (one per node)", None)
    args.trace = paths[0]
    return _one_trace(args, mapping)


def _per_node_logs(args: argparse.Namespace) -> bool:
    """Whether the traces are per-node JSONL logs: --follow, --max-skew, a directory of
    *.jsonl files and no ITF file, or several traces none of which is ITF."""
    from pathlib import Path as FilePath

    if args.follow or args.max_skew is not None:
        return True
    if any(p != "-" and FilePath(p).is_dir() and any(FilePath(p).glob("*.jsonl"))
           and not any(FilePath(p).glob("*.itf.json")) for p in args.traces):
        return True
    return len(args.traces) > 1 and not any(is_itf(p) for p in args.traces)


def _one_trace(args: argparse.Namespace, mapping: TraceMap | None) -> Outcome:
    if args.witness:
        check_file(args.witness, "--witness")
    check_html_option(args)
    writer: ItfWriter | None = None
    matched: list[Path] = []  # with --html: the behaviour matched, for its chart
    try:
        topology = resolve_topology(args.topology) if args.topology else None
        trace = open_trace(args.trace)
        if mapping is not None:
            trace.records = mapping.apply(trace.records)
        if trace.format == "jsonl":
            causal, trace.records = has_causal_metadata(trace)
            if causal:
                return logs_command(args, OpenLog(trace.path, trace.header, trace.records))
        compiled, notes = compile_for(args.spec, trace.header, trace.path, args.defines,
                                      topology, view_files(args), args.spec_texts)
        note = spec_note(trace.header, args.spec, compiled.spec.name)
        notes += [note] if note else []
        model = Model(compiled.spec)
        options = frontier_options(args, model)
        if args.witness:
            writer = ItfWriter(args.witness, model, compiled, itf_style(args))
        progress = _Progress()
        result = validate(model, Binder(model, trace.path), trace.records, options,
                          _sink(writer, matched if args.html else None)
                          if writer or args.html else None, progress, compiled.sources)
        progress.close()
    except OSError as err:
        raise fail("E005", f"--witness {args.witness}: cannot write: "
                   f"{err.strerror or err}", None) from None
    finally:
        if writer is not None:
            writer.close()
    if result.stopped_by == "interrupted" and result.verdict == "diverges":
        notes.append("interrupted: the lines after the divergence were not all read")
    _print(args, trace.path, result, notes)
    write_divergence_html(args, model, result, matched)
    return result.outcome


def view_files(args: argparse.Namespace) -> tuple[tuple[str, str], ...]:
    """The `--views` side files, read (E001 if unreadable)."""
    return tuple(read_lemma_file(path) for path in args.views)


def _sink(writer: ItfWriter | None, matched: list[Path] | None) -> Sink:
    def write(step: Path) -> None:
        if matched is not None:
            matched.append(step)
        if writer is None:
            return
        extra = {"line": step.line} if step.line is not None else \
            ({"hidden": True} if step.instance is not None else {})
        writer.state(step.state, step.instance, extra)

    return write


def _print(args: argparse.Namespace, name: str, result: ValidationResult,
           notes: list[str]) -> None:
    if args.json:
        emit(args, {**json_report(name, args.spec, result, notes),
                    "diagnostics": diagnostics_json(result.warnings)})
    else:
        print("\n".join(text_report(name, args.spec, result, notes)))
    if args.witness:
        sys.stderr.write(f"witness written to {args.witness}\n")
