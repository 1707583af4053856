"""`numaspec evaluate`: run the seed paper's evaluation (docs/evaluation.md) and write its
tables (Markdown, CSV), plots (PNG) and, with --report, the report page."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from numaspec.cli.options import integer, seconds
from numaspec.cli.outputs import check_directory, check_file
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail
from numaspec.spec.topology.presets import PRESETS
from numaspec.spec.topology.resolve import resolve_topology

if TYPE_CHECKING:
    from numaspec.checker.evaluation.runner import EvalConfig


def add_evaluate(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "evaluate", help="measure the designs of spec/examples/: tables and plots",
        description="Run the per-node, root-pager and single-space designs under access "
                    "streams and global unmaps; write tables (Markdown, CSV) and plots (PNG) "
                    "for lazy synchronisation, sharing degree, kernel-data locality, global "
                    "unmap cost, verification cost, user-level against in-kernel "
                    "synchronisation, the unmap protocols and replication by sharing pattern.")
    cmd.add_argument("--topology", nargs="+", metavar="T", default=None,
                     help="topologies for the locality and unmap experiments: presets or "
                          f"files (default: every preset: {', '.join(PRESETS)})")
    cmd.add_argument("--nodes", type=_node_range, default=None, metavar="LO..HI",
                     help="node counts of the sweeps (default 2..8)")
    cmd.add_argument("--wide-nodes", type=_node_range, default=None, metavar="LO..HI",
                     help="node counts of the in-kernel, unmap-protocol and replication "
                          "experiments (default 2..16)")
    cmd.add_argument("--quick", action="store_true",
                     help="a small run (nodes 2..3, wide nodes 2..4, fewer fractions, ratios "
                          "and accesses; well under two minutes): a smoke test, not the "
                          "report's figures")
    cmd.add_argument("--out", default="evaluation", metavar="DIR",
                     help="directory for tables and plots (default ./evaluation)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (0)")
    cmd.add_argument("--verify-timeout", type=seconds, default=None, metavar="S",
                     help="seconds per explicit check of P1 (default 60; --quick: 10)")
    cmd.add_argument("--jobs", type=integer(1), default=None, metavar="N",
                     help="run the stages in N processes (default: one per core, at most "
                          "one per stage); the figures do not depend on it")
    cmd.add_argument("--traces", nargs="+", metavar="TRACE",
                     help="page-access traces for the recorded-workloads experiment "
                          "(docs/workloads.md; default: those of examples/workloads/)")
    cmd.add_argument("--report", metavar="FILE.md",
                     help="also write the report page (claims, measured values, figures)")
    cmd.set_defaults(run=evaluate_command)


def _node_range(text: str) -> tuple[int, int]:
    lo, _, hi = text.partition("..")
    try:
        bounds = (int(lo), int(hi or lo))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LO..HI, e.g. 2..8, not {text!r}") from None
    if not 2 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"need 2 <= LO <= HI, not {text!r}")
    return bounds


def evaluate_command(args: argparse.Namespace) -> Outcome:
    if importlib.util.find_spec("matplotlib") is None:
        raise fail("E050", "`numaspec evaluate` draws its plots with matplotlib, which is not "
                   "installed: pip install 'numaspec[evaluate]'", None)
    # Imported here: matplotlib is slow to import and only this command needs it.
    from numaspec.checker.evaluation.driver import EvaluationError
    from numaspec.checker.evaluation.report import write_report
    from numaspec.checker.evaluation.runner import evaluate

    check_directory(args.out, "--out")
    if args.report:
        check_file(args.report, "--report")
    for topology in args.topology or ():
        if resolve_topology(topology).nodes < 2:
            raise fail("E004", f"--topology {topology}: the experiments compare nodes; "
                       "give a topology of at least 2 nodes", None)
    for trace in args.traces or ():
        if not Path(trace).is_file():
            raise fail("E001", f"--traces {trace}: no such file", None)
    config = _config(args)
    out = Path(args.out)
    try:
        results = evaluate(config, out, _progress, args.jobs or _cores())
    except EvaluationError as err:  # a design broke an invariant or cannot run an experiment
        sys.stderr.write(f"numaspec: evaluate: {err}\n")
        return Outcome.VIOLATION
    except OSError as err:  # the checks above passed, the disk then refused (full, removed)
        raise fail("E005", f"--out {args.out}: cannot write {err.filename or ''}: "
                   f"{err.strerror or err}", None) from None
    if args.report:
        try:
            write_report(results, out, Path(args.report), _command(args))
        except OSError as err:
            raise fail("E005", f"--report {args.report}: cannot write: "
                       f"{err.strerror or err}", None) from None
    for table in results.tables.values():
        print(f"{out / table.name}.md  {out / table.name}.csv  {table.title}")
    for figure in (f for figures in results.figures.values() for f in figures):
        print(out / figure)
    if args.report:
        print(args.report)
    sys.stderr.write(f"evaluate: done in {results.seconds:.0f} s\n")
    return Outcome.OK


def _cores() -> int:
    """The cores this process may run on (the affinity mask, where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _config(args: argparse.Namespace) -> EvalConfig:
    """The run's configuration: the defaults, or the quick one; explicit options win."""
    from numaspec.checker.evaluation.runner import EvalConfig, quick_config

    base = quick_config() if args.quick else EvalConfig()
    topologies = tuple(args.topology) if args.topology is not None else base.topologies
    return dataclasses.replace(
        base, topologies=topologies, nodes=args.nodes or base.nodes, seed=args.seed,
        wide_nodes=args.wide_nodes or base.wide_nodes,
        verify_timeout=args.verify_timeout if args.verify_timeout is not None
        else base.verify_timeout,
        traces=dataclasses.replace(base.traces, traces=tuple(args.traces)) if args.traces
        else base.traces)


def _progress(text: str) -> None:
    sys.stderr.write(f"evaluate: {text}\n")
    sys.stderr.flush()


def _command(args: argparse.Namespace) -> str:
    """The command line that regenerates this run (stated in the report)."""
    words = ["numaspec", "evaluate"] + (["--quick"] if args.quick else [])
    words += ["--out", args.out, "--seed", str(args.seed)]
    if args.nodes is not None:
        words += ["--nodes", f"{args.nodes[0]}..{args.nodes[1]}"]
    if args.wide_nodes is not None:
        words += ["--wide-nodes", f"{args.wide_nodes[0]}..{args.wide_nodes[1]}"]
    if args.topology is not None and list(args.topology) != list(PRESETS):
        words += ["--topology", *args.topology]
    if args.verify_timeout is not None:
        words += ["--verify-timeout", f"{args.verify_timeout:g}"]
    if args.traces:
        words += ["--traces", *args.traces]
    words += ["--report", args.report]
    return shlex.join(words)
