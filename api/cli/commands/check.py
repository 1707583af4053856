"""`numaspec check`: exhaustive explicit-state checking of every property."""

from __future__ import annotations

import argparse
import time
from typing import Any

from numaspec.checker.explicit import check
from numaspec.checker.explicit.deadline import deadline
from numaspec.checker.results import CheckOptions, CheckResult, Stats
from numaspec.cli.cluster import add_cluster_options, cluster_session, distributed
from numaspec.cli.commands.smt import MAX_UNROLL, bmc_command, bmc_summary, with_sources
from numaspec.cli.envelope import emit
from numaspec.cli.html import add_html_option, check_html_option, write_finding_html
from numaspec.cli.options import add_spec_options, integer, load_spec, seconds
from numaspec.cli.outputs import check_file, write_finding_trace
from numaspec.cli.progress import ProgressLine
from numaspec.cli.render import diagnostics_json, finding_json, warning_text
from numaspec.cli.trace_files import add_itf_options, itf_style
from numaspec.model.machine import Model
from numaspec.model.outcome import LimitReached, Outcome
from numaspec.model.render import render_finding
from numaspec.spec.diagnostics import fail
from numaspec.spec.pipeline import CompiledSpec


def add_check(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "check", help="exhaustive explicit-state check of every property",
        description="Explore every reachable state: invariants, asserts, run-time errors, "
                    "channel overflow, deadlock, reachable witnesses and leads_to under weak "
                    "fairness. Exit 0: all hold; 1: a counterexample; 3: stopped at a limit.")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--engine", choices=["bfs", "dfs", "bmc"], default="bfs",
                     help="bfs (default): shortest counterexamples; dfs: smaller frontier; "
                          "bmc: bounded model checking with Z3 up to --depth (safety and "
                          "deadlock)")
    cmd.add_argument("--depth", type=integer(0), default=10, metavar="K",
                     help="bmc: the number of steps explored (10)")
    cmd.add_argument("--no-symmetry", action="store_true",
                     help="ignore the spec's `symmetric Node`")
    cmd.add_argument("--no-vectorise", action="store_true",
                     help="bfs: step states one by one with the interpreter instead of whole "
                          "levels with NumPy (same verdicts, states and counterexamples)")
    cmd.add_argument("--no-deadlock", action="store_true", help="do not report deadlocks")
    cmd.add_argument("--no-liveness", action="store_true", help="check safety only")
    cmd.add_argument("--max-states", type=integer(1), metavar="N")
    cmd.add_argument("--max-memory", type=integer(1), metavar="MB")
    cmd.add_argument("--timeout", type=seconds, metavar="S",
                     help="seconds in all (bfs, dfs) or per solver query (bmc)")
    cmd.add_argument("--time-limit", type=seconds, metavar="S",
                     help="bmc: seconds for the whole run; past it, exit 3 with the depth "
                          "reached")
    cmd.add_argument("--lemmas", action="append", metavar="FILE",
                     help="a side file of @lemma invariants (e.g. written by `numaspec "
                          "infer`), checked as invariants; with --engine bmc, once proved "
                          "inductive they are assumed at every depth; may be repeated")
    cmd.add_argument("--trace-out", metavar="FILE",
                     help="write the counterexample as ITF (.itf.json) or JSONL (.jsonl)")
    add_itf_options(cmd)
    add_html_option(cmd)
    add_cluster_options(cmd, "bfs: search; bmc: answer each depth's queries")
    add_spec_options(cmd)
    cmd.set_defaults(run=check_command)


class _Progress(ProgressLine):
    def __call__(self, stats: Stats) -> None:
        self.show(f"check: {stats.distinct_states:,} states, depth {stats.depth}, "
                  f"{stats.states_per_second:,.0f} states/s")


def check_command(args: argparse.Namespace) -> Outcome | int:
    if args.trace_out:
        check_file(args.trace_out, "--trace-out")
    check_html_option(args)
    if args.engine == "bmc":
        compiled = load_spec(args.spec, args)
        if not 0 <= args.depth <= MAX_UNROLL:
            raise fail("E004", f"--depth must be between 0 and {MAX_UNROLL:,}, not "
                       f"{args.depth:,}", None)
        result, model = bmc_command(args, compiled)
    else:
        started = time.perf_counter()
        try:  # --timeout and --max-memory bound reading and compiling the spec too
            with deadline(args.timeout, args.max_memory, started, strict=True):
                compiled = load_spec(args.spec, args)
                model = Model(compiled.spec)
        except LimitReached as stop:
            return _stopped_in_front_end(args, str(stop))
        result = _explicit(args, compiled, model, started)
    if args.json:
        emit(args, result_json(model, result))
    else:
        print("\n".join(_text(args, compiled, model, result)), flush=True)
    failed = write_finding_trace(args.trace_out, model, result.finding, compiled,
                                 itf_style(args))
    if failed is not None:
        return failed
    write_finding_html(args, model, result.finding, f"check {args.spec} ({args.engine})")
    return result.outcome


def _explicit(args: argparse.Namespace, compiled: CompiledSpec, model: Model,
              started: float) -> CheckResult:
    options = CheckOptions(args.engine, not args.no_symmetry, not args.no_deadlock,
                           not args.no_liveness, args.max_states, args.max_memory,
                           args.timeout, vectorise=not args.no_vectorise, started=started)
    progress = _Progress()
    try:
        with with_sources(compiled):
            return _run(args, compiled, options, progress, model)
    finally:
        progress.close()


def _stopped_in_front_end(args: argparse.Namespace, stop: str) -> Outcome:
    """A limit reached before the search began: nothing explored, said so (exit 3)."""
    result = CheckResult("limit", stopped_by=stop)
    if args.json:
        emit(args, result_json(None, result))
    else:
        print(f"check {args.spec}: stopped by {stop} while reading and compiling the spec "
              "(incomplete: nothing explored)", flush=True)
    return result.outcome


def _run(args: argparse.Namespace, compiled: CompiledSpec, options: CheckOptions,
         progress: _Progress, model: Model) -> CheckResult:
    if not distributed(args):
        return check(compiled.spec, options, progress, model)
    with cluster_session(args) as session:  # E060 before Dask is imported
        from numaspec.checker.distributed.check import check_distributed

        return check_distributed(compiled.spec, options, session, progress)


def _text(args: argparse.Namespace, compiled: CompiledSpec, model: Model,
          result: CheckResult) -> list[str]:
    spec = compiled.spec
    lines = [f"check {args.spec}: {spec.topology.nodes} nodes, "
             f"{spec.topology.frames_per_node} frame(s) per node, {args.engine}"
             + (f", depth {args.depth}" if args.engine == "bmc" else "")]
    if result.verdict == "holds" and args.engine == "bmc":
        lines.append(bmc_summary(result, args.depth))
    elif result.verdict == "holds" and result.unreached:
        count = len(result.unreached)
        lines.append(f"failed: {count} reachable propert{'ies' if count > 1 else 'y'} never "
                     "reached in a complete search (W701); every other property holds")
    elif result.verdict == "holds":
        left_out = (args.no_liveness and spec.liveness) or args.no_deadlock
        lines.append(f"{'the properties checked' if left_out else 'all properties'} hold: "
                     f"{_properties(spec, args)}")
    elif result.verdict == "violated":
        assert result.finding is not None
        count = len(result.finding.trace.steps)
        lines += [f"violation ({result.finding.kind}), {count} step{'s' * (count != 1)}:",
                  render_finding(model, result.finding)]
    elif args.engine == "bmc":
        reached = result.stats.depth if "clean" in (result.stopped_by or "") else None
        lines.append(f"stopped by {result.stopped_by}" + (
            f": no behaviour of at most {reached} steps violates an invariant; longer ones "
            "were not checked (incomplete)" if reached is not None else " (incomplete)"))
    else:
        lines.append(f"stopped by {result.stopped_by}: no violation in the states explored "
                     "(incomplete)")
    if args.engine == "bmc":
        lines += ["", f"time: {result.stats.seconds:.2f} s"]
    else:
        lines += ["", *stats_lines(result.stats)]
    lines += [f"warning: {warning_text(w)}" for w in result.warnings]
    return lines


def _properties(spec: Any, args: argparse.Namespace) -> str:
    """What was checked and holds; what an option left out is named as not checked."""
    parts = [f"{len(spec.invariants)} invariant(s)"]
    if spec.liveness:
        parts.append(f"{len(spec.liveness)} leads_to" if not args.no_liveness else
                     f"{len(spec.liveness)} leads_to not checked (--no-liveness)")
    if spec.reachables:
        parts.append(f"{len(spec.reachables)} reachable witness(es)")
    parts.append("deadlock not checked (--no-deadlock)" if args.no_deadlock else "no deadlock")
    return ", ".join(parts) + ", no assert or run-time error"


def stats_lines(stats: Stats) -> list[str]:
    symmetry = f" (symmetry: {stats.symmetry_group} permutations)" \
        if stats.symmetry_group > 1 else ""
    lines = [f"distinct states: {stats.distinct_states:,}{symmetry}",
             f"transitions: {stats.transitions:,}, depth: {stats.depth}",
             f"time: {stats.seconds:.2f} s (safety search: {stats.states_per_second:,.0f} "
             "states/s), "
             f"peak memory {stats.peak_memory_mb:.0f} MB, "
             f"{stats.store_bytes_per_state:.0f} bytes per stored state"]
    if stats.not_vectorised:
        lines.append(f"states stepped one by one: not vectorised: {stats.not_vectorised}")
    if stats.liveness_states and stats.liveness_graph == "quotient":
        lines.append(f"liveness: quotient graph of {stats.liveness_states:,} orbits")
    elif stats.liveness_states:
        why = stats.liveness_graph.partition("full")[2].strip()
        lines.append(f"liveness: full graph of {stats.liveness_states:,} states"
                     + (f" {why}" if why else ""))
    if stats.coverage:
        fired = ", ".join(f"{name} {count:,}" for name, count in sorted(stats.coverage.items()))
        lines.append(f"actions fired: {fired}")
    return lines


def result_json(model: Model | None, result: CheckResult) -> dict[str, Any]:
    """The `--json` document of a check; `model` renders the finding (None: there is none)."""
    stats = result.stats
    return {
        "verdict": result.verdict,
        "stopped_by": result.stopped_by,
        "violation": finding_json(model, result.finding)
        if result.finding and model is not None else None,
        "stats": {"distinct_states": stats.distinct_states, "transitions": stats.transitions,
                  "depth": stats.depth, "seconds": round(stats.seconds, 3),
                  "states_per_second": round(stats.states_per_second),
                  "peak_memory_mb": round(stats.peak_memory_mb, 1),
                  "bytes_per_state": round(stats.store_bytes_per_state, 1),
                  "symmetry_group": stats.symmetry_group,
                  "evaluation": stats.evaluation,
                  "liveness_states": stats.liveness_states,
                  "liveness_graph": stats.liveness_graph,
                  "coverage": dict(sorted(stats.coverage.items()))},
        "diagnostics": diagnostics_json(result.warnings),
    }
