"""`numaspec trace SPEC LOG...` with per-node logs (or `--follow`): the causal validator.

Several logs (or a directory of `*.jsonl`), one per node, are checked under their causal
order (traces/causal/).  One log is checked this way too with `--follow` or `--max-skew`, or
when one of its first 64 events carries causal metadata ("vc", "sent", "received"): then it
is a merged stream whose events say their "node".  SIGTERM ends the run like Ctrl-C, with
partial results.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from types import FrameType

from numaspec.cli.envelope import emit
from numaspec.cli.options import seconds
from numaspec.cli.render import diagnostics_json
from numaspec.model.findings import initial_or_finding
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail
from numaspec.spec.topology.resolve import resolve_topology
from numaspec.traces.causal.engine import CausalOptions
from numaspec.traces.causal.follow import Activity
from numaspec.traces.causal.open import OpenLog, expand, header_of, open_logs, order_for
from numaspec.traces.causal.validate import validate_logs
from numaspec.traces.formats.load import TraceFile, compile_for, spec_note
from numaspec.traces.frontier import FrontierOptions
from numaspec.traces.records import Event, Record
from numaspec.traces.report import json_report, text_report

DEFAULT_IDLE = 2.0  # seconds without a new line before --follow ends
DEFAULT_MAX_HIDDEN = 8
LOOK_AHEAD = 64  # records of a single log read to tell a merged stream of per-node logs


def add_log_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--follow", action="store_true",
                     help="validate the logs while they are written (as tail -f)")
    cmd.add_argument("--idle-timeout", type=seconds, default=None, metavar="S",
                     help=f"with --follow: end when no log grew for S seconds ({DEFAULT_IDLE})")
    cmd.add_argument("--max-skew", type=_skew, default=None, metavar="S",
                     help="clocks of the nodes differ by at most S (the units of \"ts\"): "
                          "an event stamped more than S before another happened before it")


def _skew(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, not {text!r}")
    return value


def causal_wanted(args: argparse.Namespace) -> bool:
    return len(args.traces) > 1 or args.follow or any(
        p != "-" and _is_dir(p) for p in args.traces) or args.max_skew is not None


def _is_dir(path: str) -> bool:
    from pathlib import Path

    return Path(path).is_dir()


def has_causal_metadata(trace: TraceFile) -> tuple[bool, Iterator[Record]]:
    """Whether a single log is a merged stream of per-node logs: one of its first LOOK_AHEAD
    events has causal metadata (`vc`, `sent`, `received`); and its records (the ones read to
    tell, then the rest).  A log on a pipe, a FIFO or standard input is judged by its first
    event alone, so that it is not held back waiting for more lines (its matches are then
    reported as they come, and on Ctrl-C)."""
    from pathlib import Path as FilePath

    streaming = not FilePath(trace.path).is_file()
    ahead: list[Record] = []
    for record in trace.records:
        ahead.append(record)
        if isinstance(record, Event) and (record.vc is not None or record.sent or
                                          record.received is not None):
            return True, _chain(ahead, trace.records)
        if len(ahead) >= LOOK_AHEAD or (streaming and isinstance(record, Event)):
            break
    return False, _chain(ahead, trace.records)


def _chain(first: list[Record], rest: Iterator[Record]) -> Iterator[Record]:
    yield from first
    yield from rest


def logs_command(args: argparse.Namespace, single: OpenLog | None = None) -> Outcome:
    """Validate per-node logs (or the merged stream `single`, already opened)."""
    for flag in ("witness", "html"):
        if getattr(args, flag, None):
            raise fail("E004", f"--{flag} is not supported with per-node logs or --follow",
                       None)
    if args.idle_timeout is not None and not args.follow:
        raise fail("E004", "--idle-timeout needs --follow", None)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(args, single)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def frontier_options(args: argparse.Namespace, model: Model) -> FrontierOptions:
    """The frontier's options from --hidden, --max-hidden and --max-frontier (E004); E526
    first if the spec's `init` fails (no initial state for a trace to start from)."""
    _, failed = initial_or_finding(model)
    if failed is not None:
        raise fail("E526", f"the spec's `init` fails ({failed.message}): it has no behaviour "
                   "a trace could follow; check the spec (numaspec check)", failed.span)
    hidden = tuple(name.strip() for name in args.hidden.split(",") if name.strip())
    known = [a.name for a in model.spec.actions]
    for name in hidden:
        if name not in known:
            raise fail("E004", f"--hidden {name}: the spec has no action {name} (actions: "
                       f"{', '.join(known)})", None)
    if args.max_hidden is not None and not hidden:
        raise fail("E004", "--max-hidden needs --hidden ACTION,...", None)
    max_hidden = args.max_hidden if args.max_hidden is not None else DEFAULT_MAX_HIDDEN
    return FrontierOptions(hidden, max_hidden if hidden else 0, args.max_frontier,
                           witness=bool(getattr(args, "witness", None) or
                                        getattr(args, "html", None)))


def _run(args: argparse.Namespace, single: OpenLog | None) -> Outcome:
    topology = resolve_topology(args.topology) if args.topology else None
    activity = Activity(args.idle_timeout if args.idle_timeout is not None else DEFAULT_IDLE) \
        if args.follow else None
    paths = expand(args.traces)
    logs = [single] if single is not None else open_logs(paths, activity)
    merged = len(logs) == 1
    header = header_of(logs)
    compiled, notes = compile_for(args.spec, header, logs[0].path, args.defines, topology,
                                  texts=args.spec_texts)
    note = spec_note(header, args.spec, compiled.spec.name)
    notes += [note] if note else []
    model = Model(compiled.spec)
    frontier = frontier_options(args, model)
    order = order_for(model, logs, merged, lenient=bool(frontier.hidden))
    reopen = None if single is not None or args.follow or "-" in paths else \
        (lambda: order_for(model, open_logs(paths, None), merged, bool(frontier.hidden)))
    if args.follow:  # set up (the signal handler in place): SIGTERM now ends it with results
        sys.stderr.write(f"following {', '.join(paths)}: the run ends after "
                         f"{activity.idle_timeout if activity else 0:g} s without a new line, "
                         "at the end of a pipe, or on Ctrl-C / SIGTERM\n")
        sys.stderr.flush()
    result = validate_logs(model, order, CausalOptions(frontier, args.max_skew), None,
                           compiled.sources, reopen, drain=not args.follow)
    name = ", ".join(log.path for log in logs)
    if args.json:
        emit(args, {**json_report(name, args.spec, result, notes),
                    "diagnostics": diagnostics_json(result.warnings)})
    else:
        print("\n".join(text_report(name, args.spec, result, notes)))
    return result.outcome
