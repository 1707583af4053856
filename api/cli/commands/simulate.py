"""`numaspec simulate`: random walks with invariant checks and a cost table."""

from __future__ import annotations

import argparse
import json
import sys

from numaspec.checker.simulate import (
    SimulateOptions,
    SimulationResult,
    WalkProgress,
    simulate,
    workload_names,
)
from numaspec.cli.costs import cost_table, costs_json
from numaspec.cli.html import add_html_option, write_finding_html
from numaspec.cli.options import add_spec_options, load_spec
from numaspec.cli.progress import ProgressLine
from numaspec.cli.render import finding_json
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.model.render import render_finding
from numaspec.spec.diagnostics import fail
from numaspec.traces.formats.jsonl import write_jsonl


def add_simulate(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("simulate", help="random walks: check invariants, measure costs",
                              description="Random walks through a spec; every invariant is "
                              "checked at every state; prints a counterexample or a cost table.")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--steps", type=_positive, default=1000, help="steps per walk (1000)")
    cmd.add_argument("--runs", type=_positive, default=1, help="number of walks (1)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (0)")
    cmd.add_argument("--no-deadlock", action="store_true",
                     help="a state without successors ends the walk instead of being an error")
    cmd.add_argument("--trace-out", metavar="FILE.jsonl", help="write the last walk as JSONL")
    cmd.add_argument("--workload", metavar="NAME",
                     help="pick instances by the weights of the spec's `workload NAME`")
    add_html_option(cmd)
    add_spec_options(cmd)
    cmd.set_defaults(run=simulate_command)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


class _ProgressBar(ProgressLine):
    def __init__(self, runs: int, steps: int):
        super().__init__()
        self.total = runs * steps

    def __call__(self, report: WalkProgress) -> None:
        rate = report.done / max(self.elapsed(), 1e-9)
        self.show(f"simulate: walk {report.run}, {report.done:,}/{self.total:,} steps "
                  f"({report.done / self.total:.0%}), {rate:,.0f} steps/s")


def simulate_command(args: argparse.Namespace) -> Outcome:
    compiled = load_spec(args.spec, args)
    if args.workload is not None and args.workload not in workload_names(compiled.spec):
        known = ", ".join(workload_names(compiled.spec)) or "none"
        raise fail("E004", f"--workload {args.workload}: the spec has no such workload "
                   f"(workloads: {known})", None)
    options = SimulateOptions(args.steps, args.runs, args.seed, not args.no_deadlock,
                              args.workload)
    bar = _ProgressBar(args.runs, args.steps)
    result = simulate(compiled.spec, options, bar)
    bar.close()
    model = Model(compiled.spec)
    if args.trace_out and result.last_trace is not None:
        write_jsonl(args.trace_out, model, result.last_trace, compiled)
    write_finding_html(args, model, result.finding, f"simulate {args.spec}")
    if args.json:
        print(json.dumps(_json(model, result), indent=2))
    else:
        print("\n".join(_text(args, model, result)))
    rate = result.steps / max(result.seconds, 1e-9)
    sys.stderr.write(f"{result.steps:,} steps in {result.seconds:.2f} s ({rate:,.0f} steps/s)\n")
    return result.outcome


def _text(args: argparse.Namespace, model: Model, result: SimulationResult) -> list[str]:
    head = (f"simulate {args.spec}: seed {result.seed}, {args.runs} walk(s) of at most "
            f"{args.steps:,} steps")
    if result.finding is not None:
        return [head, f"violation found in walk {result.runs} after "
                      f"{len(result.finding.trace.steps)} steps:",
                render_finding(model, result.finding)]
    finals = f", {result.ended_in_final} ended in a final state" if result.ended_in_final \
        else ""
    return [head, f"no violation in {result.steps:,} steps ({result.runs} walk(s){finals})",
            "", *cost_table(result)]


def _json(model: Model, result: SimulationResult) -> dict[str, object]:
    data: dict[str, object] = {"seed": result.seed, "walks": result.runs,
                               "steps": result.steps, "costs": costs_json(result)}
    data["violation"] = finding_json(model, result.finding) if result.finding else None
    return data
