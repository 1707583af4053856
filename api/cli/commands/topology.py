"""`numaspec topology NAME|FILE|DIR`: a machine's distance table and its symmetry."""

from __future__ import annotations

import argparse

from numaspec.cli.envelope import emit
from numaspec.model.outcome import Outcome
from numaspec.spec.topology.distances import SearchBudgetExceeded, automorphism_count
from numaspec.spec.topology.resolve import describe, resolve_topology


def add_topology(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "topology", help="print a NUMA topology and its symmetry",
        description="Print a preset, a numactl --hardware output, a JSON file or a sysfs node "
                    "directory as a distance table, with its automorphism group size.")
    cmd.add_argument("topology_arg", metavar="NAME|FILE|DIR")
    cmd.add_argument("--json", action="store_true", help="machine-readable output")
    cmd.set_defaults(run=topology_command)


def topology_command(args: argparse.Namespace) -> Outcome:
    """`numaspec topology NAME|FILE|DIR`: the distance matrix and its automorphism group."""
    topology = resolve_topology(args.topology_arg)
    if args.json:
        try:
            count: int | None = automorphism_count(topology.distance)
        except SearchBudgetExceeded:
            count = None  # too many to count quickly
        emit(args, {"nodes": topology.nodes, "frames_per_node": topology.frames_per_node,
                    "distance": [list(r) for r in topology.distance],
                    "automorphisms": count})
    else:
        print(describe(topology))
    return Outcome.OK
