"""`numaspec simulate`: random walks with invariant checks and a cost table."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from numaspec.checker.simulate import (
    SimulateOptions,
    SimulationResult,
    WalkProgress,
    simulate,
    workload_names,
)
from numaspec.cli.cluster import add_cluster_options, cluster_session, distributed
from numaspec.cli.commands.smt import with_sources
from numaspec.cli.costs import cost_table, costs_json
from numaspec.cli.envelope import emit
from numaspec.cli.html import add_html_option, check_html_option, write_finding_html
from numaspec.cli.options import add_spec_options, integer, load_spec, seconds
from numaspec.cli.outputs import check_file
from numaspec.cli.progress import ProgressLine
from numaspec.cli.render import finding_json
from numaspec.cli.trace_files import add_itf_options, itf_style, numbered, trace_format
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.model.render import render_finding
from numaspec.spec.diagnostics import fail
from numaspec.traces.formats.write import write_trace


def add_simulate(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("simulate", help="random walks: check invariants, measure costs",
                              description="Random walks through a spec; every invariant is "
                              "checked at every state; prints a counterexample or a cost table.")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--steps", type=integer(1), default=1000, help="steps per walk (1000)")
    cmd.add_argument("--runs", type=integer(1), default=1, help="number of walks (1)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (0)")
    cmd.add_argument("--no-deadlock", action="store_true",
                     help="a state without successors ends the walk instead of being an error")
    cmd.add_argument("--trace-out", metavar="FILE",
                     help="write the last walk: FILE.itf.json as ITF, FILE.jsonl as JSONL")
    cmd.add_argument("--n-traces", type=integer(1), default=1, metavar="N",
                     help="write the last N walks, to names with {seq} (0, 1, ...) (1)")
    add_itf_options(cmd)
    cmd.add_argument("--timeout", type=seconds, metavar="S",
                     help="stop the walks (and the shortening of a counterexample) after S "
                     "seconds; exit status 3 if no violation was found by then")
    cmd.add_argument("--no-shorten", action="store_true",
                     help="print the walk's counterexample as found, not a shortened one")
    cmd.add_argument("--workload", metavar="NAME",
                     help="pick instances by the weights of the spec's `workload NAME`")
    add_html_option(cmd)
    add_cluster_options(cmd, "run the walks as a swarm (worker i: seed SEED+i)")
    add_spec_options(cmd)
    cmd.set_defaults(run=simulate_command)


class _ProgressBar(ProgressLine):
    def __init__(self, runs: int, steps: int):
        super().__init__()
        self.total = runs * steps

    def __call__(self, report: WalkProgress) -> None:
        rate = report.done / max(self.elapsed(), 1e-9)
        self.show(f"simulate: walk {report.run}, {report.done:,}/{self.total:,} steps "
                  f"({report.done / self.total:.0%}), {rate:,.0f} steps/s")


def simulate_command(args: argparse.Namespace) -> Outcome:
    outputs = _trace_outputs(args)
    check_html_option(args)
    compiled = load_spec(args.spec, args)
    if args.workload is not None and args.workload not in workload_names(compiled.spec):
        known = ", ".join(workload_names(compiled.spec)) or "none"
        raise fail("E004", f"--workload {args.workload}: the spec has no such workload "
                   f"(workloads: {known})", None)
    options = SimulateOptions(args.steps, args.runs, args.seed, not args.no_deadlock,
                              args.workload, args.timeout, not args.no_shorten,
                              keep_traces=args.n_traces)
    bar = _ProgressBar(args.runs, args.steps)
    swarm = None
    with with_sources(compiled):
        if distributed(args):
            with cluster_session(args) as session:  # E060 before Dask is imported
                from numaspec.checker.distributed.swarm import simulate_swarm

                swarm = simulate_swarm(compiled.spec, options, session)
            result = swarm.result
        else:
            result = simulate(compiled.spec, options, bar)
    bar.close()
    model = Model(compiled.spec)
    for path, walk in zip(outputs, result.traces, strict=False):
        write_trace(path, model, walk, compiled, style=itf_style(args))
    write_finding_html(args, model, result.finding, f"simulate {args.spec}")
    if args.json:
        emit(args, _json(model, result))
    else:
        print("\n".join(_text(args, model, result) + swarm_lines(
            args, swarm, f"--runs {result.runs} --steps {args.steps}")))
    if swarm is not None:
        result.seconds = swarm.seconds
    rate = result.steps / max(result.seconds, 1e-9)
    sys.stderr.write(f"{result.steps:,} steps in {result.seconds:.2f} s ({rate:,.0f} steps/s)"
                     f"{_shortening_time(result)}\n")
    return result.outcome


def _trace_outputs(args: argparse.Namespace) -> list[str]:
    """The `--trace-out` files (`--n-traces` of them), checked before the walks run."""
    if not args.trace_out:
        if args.n_traces > 1:
            raise fail("E004", "--n-traces needs --trace-out FILE", None)
        return []
    trace_format(args.trace_out)
    if args.n_traces > args.runs:
        raise fail("E004", f"--n-traces {args.n_traces} is more than the walks (--runs "
                   f"{args.runs})", None)
    paths = numbered(args.trace_out, args.n_traces)
    for path in paths:
        check_file(path, "--trace-out")
    return paths


def _text(args: argparse.Namespace, model: Model, result: SimulationResult) -> list[str]:
    head = (f"simulate {args.spec}: seed {result.seed}, {args.runs} walk(s) of at most "
            f"{args.steps:,} steps")
    if result.finding is not None:
        return [head, f"violation found in walk {result.runs} after "
                      f"{len(result.finding.trace.steps)} steps{_shortened(result)}:",
                render_finding(model, result.finding), *_stopped(result)]
    finals = f", {result.ended_in_final} ended in a final state" if result.ended_in_final \
        else ""
    walks = f"{result.runs} walk(s){finals}"
    if result.stopped_by is not None:
        walks = f"{walks}, the last one unfinished"
    return [head, f"no violation in {result.steps:,} steps ({walks})", *_stopped(result),
            "", *cost_table(result)]


def swarm_lines(args: argparse.Namespace, swarm: Any, share: str) -> list[str]:
    """How a swarm ran, and the one-process command that finds its violation again
    (`share`: the options giving that worker's share of the work)."""
    if swarm is None:
        return []
    seeds = swarm.seeds
    lines = ["", f"swarm: {len(seeds)} worker(s), seeds {seeds[0]}..{seeds[-1]}, "
                 f"{swarm.steps_per_second:,.0f} steps/s in all"]
    if swarm.result.finding is not None:
        defines = "".join(f" -D {d}" for d in args.defines)
        lines.append(f"reproduce in one process: numaspec {args.command} {args.spec}"
                     f"{defines} --seed {swarm.result.seed} {share}")
    return lines


def _shortened(result: SimulationResult) -> str:
    """"(shortened from ...)" when the printed counterexample is not the walk's own."""
    assert result.finding is not None
    if result.walk_length is None or result.walk_length == len(result.finding.trace.steps):
        return ""
    return f" (shortened from the walk's {result.walk_length})"


def _shortening_time(result: SimulationResult) -> str:
    return f", shortened in {result.shorten_seconds:.2f} s" if result.walk_length is not None \
        and result.finding is not None else ""


def _stopped(result: SimulationResult) -> list[str]:
    if result.stopped_by is None:
        return []
    what = {"timeout": "stopped at the timeout", "interrupted": "interrupted"}
    return [f"{what.get(result.stopped_by, result.stopped_by)}: partial results, "
            f"{result.runs} walk(s) begun, {result.steps:,} steps"]


def _json(model: Model, result: SimulationResult) -> dict[str, object]:
    data: dict[str, object] = {"seed": result.seed, "walks": result.runs,
                               "steps": result.steps, "costs": costs_json(result)}
    data["violation"] = finding_json(model, result.finding) if result.finding else None
    data["walk_length"] = result.walk_length
    data["stopped_by"] = result.stopped_by
    return data
