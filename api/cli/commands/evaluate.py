"""`numaspec evaluate`: run the seed paper's evaluation (docs/evaluation.md) and write its
tables (Markdown, CSV), plots (PNG) and, with --report, the report page."""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import sys
from pathlib import Path

from numaspec.cli.options import seconds
from numaspec.cli.outputs import check_directory, check_file
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail
from numaspec.spec.topology.presets import PRESETS
from numaspec.spec.topology.resolve import resolve_topology


def add_evaluate(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "evaluate", help="measure the designs of spec/examples/: tables and plots",
        description="Run the per-node, root-pager and single-space designs under access "
                    "streams and global unmaps; write tables (Markdown, CSV) and plots (PNG) "
                    "for lazy synchronisation, sharing degree, kernel-data locality, global "
                    "unmap cost, verification cost and recorded workloads.")
    cmd.add_argument("--topology", nargs="+", metavar="T", default=list(PRESETS),
                     help="topologies for the locality and unmap experiments: presets or "
                          f"files (default: every preset: {', '.join(PRESETS)})")
    cmd.add_argument("--nodes", type=_node_range, default=(2, 8), metavar="LO..HI",
                     help="node counts of the sweeps (default 2..8)")
    cmd.add_argument("--out", default="evaluation", metavar="DIR",
                     help="directory for tables and plots (default ./evaluation)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (0)")
    cmd.add_argument("--verify-timeout", type=seconds, default=60.0, metavar="S",
                     help="seconds per explicit check of P1 (default 60)")
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
    from numaspec.checker.evaluation.experiments.traces import TraceSetup
    from numaspec.checker.evaluation.report import write_report
    from numaspec.checker.evaluation.runner import EvalConfig, evaluate

    check_directory(args.out, "--out")
    if args.report:
        check_file(args.report, "--report")
    for topology in args.topology:
        if resolve_topology(topology).nodes < 2:
            raise fail("E004", f"--topology {topology}: the experiments compare nodes; "
                       "give a topology of at least 2 nodes", None)
    for trace in args.traces or ():
        if not Path(trace).is_file():
            raise fail("E001", f"--traces {trace}: no such file", None)
    config = EvalConfig(tuple(args.topology), args.nodes, args.seed, args.verify_timeout,
                        traces=TraceSetup(tuple(args.traces or ())))
    out = Path(args.out)
    try:
        results = evaluate(config, out, _progress)
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


def _progress(text: str) -> None:
    sys.stderr.write(f"evaluate: {text}\n")
    sys.stderr.flush()


def _command(args: argparse.Namespace) -> str:
    """The command line that regenerates this run (stated in the report)."""
    words = ["numaspec", "evaluate", "--out", args.out, "--seed", str(args.seed),
             "--nodes", f"{args.nodes[0]}..{args.nodes[1]}"]
    if list(args.topology) != list(PRESETS):
        words += ["--topology", *args.topology]
    if args.verify_timeout != 60.0:
        words += ["--verify-timeout", f"{args.verify_timeout:g}"]
    if args.traces:
        words += ["--traces", *args.traces]
    words += ["--report", args.report]
    return shlex.join(words)
