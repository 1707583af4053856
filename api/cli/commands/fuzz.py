"""`numaspec fuzz`: stateful fuzzing of a spec (and of an implementation) with Hypothesis."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from numaspec.cli.cluster import add_cluster_options, cluster_session, distributed
from numaspec.cli.commands.simulate import swarm_lines
from numaspec.cli.envelope import emit
from numaspec.cli.html import add_html_option, check_html_option, write_finding_html
from numaspec.cli.options import add_spec_options, integer, load_spec, seconds
from numaspec.cli.outputs import check_directory, check_file, write_finding_trace
from numaspec.cli.render import finding_json
from numaspec.cli.trace_files import add_itf_options, itf_style
from numaspec.model.findings import initial_or_finding
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.model.render import render_finding

if TYPE_CHECKING:
    from numaspec.checker.fuzz import FuzzResult


def add_fuzz(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "fuzz", help="stateful fuzzing with Hypothesis (optionally of an implementation)",
        description="Hypothesis drives the spec (and, with --impl, an implementation in "
                    "lockstep) through random action sequences; a failure is shrunk and "
                    "printed as a numaspec counterexample. Exit 1 on a violation or "
                    "divergence.")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--examples", type=integer(1), default=100, help="sequences to try (100)")
    cmd.add_argument("--max-steps", type=integer(1), default=50, help="steps per sequence (50)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (0)")
    cmd.add_argument("--time-budget", type=seconds, metavar="SEC",
                     help="stop starting new batches of examples after SEC seconds")
    cmd.add_argument("--impl", metavar="MODULE:FACTORY",
                     help="an implementation to drive in lockstep (docs/fuzzing.md)")
    cmd.add_argument("--no-deadlock", action="store_true", help="do not report deadlocks")
    cmd.add_argument("--trace-out", metavar="FILE",
                     help="write the shrunk counterexample as ITF (.itf.json) or JSONL (.jsonl)")
    cmd.add_argument("--database", metavar="DIR",
                     help="keep Hypothesis's example database in DIR (failures found are "
                          "replayed first next time); without it nothing is written")
    add_itf_options(cmd)
    add_html_option(cmd)
    add_cluster_options(cmd, "run the examples as a swarm (worker i: seed SEED+i)")
    add_spec_options(cmd)
    cmd.set_defaults(run=fuzz_command)


def fuzz_command(args: argparse.Namespace) -> Outcome | int:
    if args.trace_out:
        check_file(args.trace_out, "--trace-out")
    check_html_option(args)
    if args.database:
        check_directory(args.database, "--database")
    compiled = load_spec(args.spec, args)
    from numaspec.checker.fuzz import (  # Hypothesis: only when fuzzing
        FuzzOptions,
        FuzzResult,
        fuzz,
    )

    options = FuzzOptions(args.examples, args.max_steps, args.seed, args.time_budget,
                          args.impl, not args.no_deadlock, args.database)
    model = Model(compiled.spec)
    _, init_failed = initial_or_finding(model)  # a failing `init`: a finding, no traceback
    swarm = None
    if init_failed is None and distributed(args):
        with cluster_session(args) as session:  # E060 before Dask is imported
            from numaspec.checker.distributed.swarm import fuzz_swarm

            swarm = fuzz_swarm(compiled.spec, options, session)
        result = swarm.result
    elif init_failed is None:
        with _ctrl_c() as stop:
            result = fuzz(compiled.spec, options, stop.is_set)
    else:
        result = FuzzResult(options.seed, finding=init_failed)
    if args.json:
        emit(args, _json(model, result))
    else:
        print("\n".join(_text(args, model, result) + swarm_lines(
            args, swarm, f"--examples {swarm.share if swarm else 0} "
                         f"--max-steps {args.max_steps}")), flush=True)
    failed = write_finding_trace(args.trace_out, model, result.finding, compiled,
                                 itf_style(args))
    if failed is not None:
        return failed
    write_finding_html(args, model, result.finding, f"fuzz {args.spec}")
    return result.outcome


@contextlib.contextmanager
def _ctrl_c() -> Iterator[threading.Event]:
    """The first Ctrl-C sets the event (the engine stops at its next step and returns the
    partial results); a second one interrupts at once."""
    stop = threading.Event()

    def first(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    try:
        previous = signal.signal(signal.SIGINT, first)
    except ValueError:  # not the main thread (an embedding program): no handler
        yield stop
        return
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _text(args: argparse.Namespace, model: Model, result: FuzzResult) -> list[str]:
    target = f" against {args.impl}" if args.impl else ""
    lines = [f"fuzz {args.spec}{target}: seed {result.seed}"]
    if result.finding is not None:
        count = len(result.finding.trace.steps)
        how = "shrunk to" if result.shrunk else "interrupted while shrinking, at"
        lines += [f"{result.finding.kind} found and {how} {count} step(s):",
                  render_finding(model, result.finding)]
    elif result.stopped_by == "interrupted":
        lines.append(f"interrupted: no violation in the {result.examples:,} examples run "
                     "(incomplete)")
    else:
        lines.append(f"no violation in {result.examples:,} examples")
    covered = sorted(result.covered)
    missing = sorted({a.name for a in model.spec.actions} - result.covered)
    lines += ["", f"examples: {result.examples:,}, steps: {result.steps:,}, "
                  f"{result.steps_per_second:,.0f} steps/s, {result.seconds:.1f} s",
              f"actions covered: {', '.join(covered) or 'none'}"]
    if missing:
        lines.append(f"warning: actions never taken: {', '.join(missing)}")
    return lines


def _json(model: Model, result: FuzzResult) -> dict[str, object]:
    return {"seed": result.seed, "examples": result.examples, "steps": result.steps,
            "seconds": round(result.seconds, 3), "covered": sorted(result.covered),
            "stopped_by": result.stopped_by, "shrunk": result.shrunk,
            "violation": finding_json(model, result.finding) if result.finding else None}
