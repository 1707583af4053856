"""`numaspec workload import TRACE`: a page-access trace of a real program (docs/workloads.md)
turned into a workload the evaluation replays: threads or CPUs assigned to nodes, virtual
pages compacted to the model's page indices, and the statistics of both."""

from __future__ import annotations

import argparse
from pathlib import Path

from numaspec.checker.evaluation.recorded.compact import (
    POLICIES,
    ImportOptions,
    Workload,
    import_trace,
)
from numaspec.checker.evaluation.recorded.tracefile import read_trace
from numaspec.checker.evaluation.recorded.workload import summary, write_workload
from numaspec.cli.envelope import emit
from numaspec.cli.outputs import check_file
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail

MAX_NODES = 64
MAX_PAGES = 4096


def add_workload(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "workload", help="import page-access traces of real programs as workloads",
        description="Workloads for `numaspec evaluate` from page-access traces "
                    "(docs/workloads.md).")
    actions = cmd.add_subparsers(dest="workload_command", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import", help="read a trace, assign threads to nodes, compact its pages",
        description="Read a page-access trace (CSV, plain, .gz or .xz), assign its threads "
                    "(or CPUs) to nodes, keep its K most-accessed pages as the model's pages "
                    "0..K-1 (accesses to the others are dropped and counted), print the "
                    "statistics and, with --out, write the workload file.")
    imp.add_argument("trace", metavar="TRACE")
    imp.add_argument("--nodes", type=_bounded(1, MAX_NODES), default=2, metavar="N",
                     help="NUMA nodes of the model (default 2)")
    imp.add_argument("--assign", choices=POLICIES, default="thread",
                     help="thread: threads round-robin over the nodes in the order they "
                          "first access memory; cpu: by the record's CPU (--cpu-map, else "
                          "CPU mod N); node: the trace's node column (default thread)")
    imp.add_argument("--cpu-map", type=_cpu_map, metavar="CPU:NODE,...",
                     help="with --assign cpu: the node of each CPU, e.g. 0:0,1:0,2:1,3:1")
    imp.add_argument("--pages", type=_bounded(1, MAX_PAGES), default=16, metavar="K",
                     help="pages of the model: the K most-accessed pages are kept "
                          "(default 16)")
    imp.add_argument("--out", metavar="FILE.json", help="write the workload file")
    imp.add_argument("--json", action="store_true", help="machine-readable output")
    imp.set_defaults(run=import_command)


def _bounded(lo: int, hi: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, not {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be {lo}..{hi}, not {value}")
        return value
    return parse


def _cpu_map(text: str) -> dict[int, int]:
    mapping: dict[int, int] = {}
    for pair in text.split(","):
        cpu, colon, node = pair.partition(":")
        if not colon or not cpu.strip().isdigit() or not node.strip().isdigit():
            raise argparse.ArgumentTypeError(f"expected CPU:NODE pairs such as 0:0,1:1, "
                                             f"not {pair!r}")
        mapping[int(cpu)] = int(node)
    return mapping


def import_command(args: argparse.Namespace) -> Outcome:
    if args.cpu_map is not None:
        if args.assign != "cpu":
            raise fail("E004", "--cpu-map is for --assign cpu", None)
        too_large = [n for n in args.cpu_map.values() if n >= args.nodes]
        if too_large:
            raise fail("E004", f"--cpu-map names node {too_large[0]}, but --nodes is "
                       f"{args.nodes}", None)
    if args.out:
        check_file(args.out, "--out")
    trace = read_trace(Path(args.trace), args.trace)
    workload = import_trace(trace, ImportOptions(args.nodes, args.assign, args.pages,
                                                 args.cpu_map))
    if args.out:
        try:
            write_workload(workload, Path(args.out))
        except OSError as err:
            raise fail("E005", f"--out {args.out}: cannot write: {err.strerror or err}",
                       None) from None
    if args.json:
        emit(args, {**summary(workload), "out": args.out})
    else:
        print(describe(workload, args.out))
    return Outcome.OK


def describe(workload: Workload, out: str | None) -> str:
    """The statistics as text."""
    s = workload.stats
    lines = [
        f"{workload.name}: {s.records:,} accesses ({s.writes:,} writes) by {s.threads} "
        f"threads to {s.virtual_pages:,} virtual pages",
        f"nodes: {workload.nodes} (--assign {workload.assign}); accesses by node: "
        f"{', '.join(f'{n}: {c:,}' for n, c in enumerate(s.accesses_by_node))}",
        f"threads by node: {', '.join(f'{n}: {c}' for n, c in enumerate(s.threads_by_node))}"
        if workload.thread_nodes else "threads by node: (a thread runs on several nodes)",
        f"pages kept: {s.pages} of {s.virtual_pages:,} (the most accessed); accesses kept "
        f"{s.accesses:,}, dropped {s.dropped:,} ({_percent(s.dropped, s.records)})",
        f"shared pages (accessed from more than one node): {s.shared_pages} of {s.pages}; "
        f"accesses to them: {100 * s.shared_access_share:.1f} % (all pages: "
        f"{100 * s.shared_access_share_all:.1f} %)",
        f"accesses by a node other than the page's first toucher: "
        f"{100 * s.remote_share:.1f} %"]
    if out:
        lines.append(f"wrote {out}")
    return "\n".join(lines)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "0 %"
