"""Command-line options shared by every command that reads a spec (-D, --topology, --json),
and the one place that turns them into a compiled spec."""

from __future__ import annotations

import argparse

from numaspec.spec.pipeline import CompiledSpec, compile_spec
from numaspec.spec.topology.resolve import resolve_topology


def add_spec_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME=VALUE",
                        help="override a constant (repeatable), e.g. -D PAGES=3")
    parser.add_argument("--topology", metavar="NAME|FILE|DIR",
                        help="a preset (uniform2, uniform4, opteron4, xeon2, magnycours8), "
                             "numactl --hardware output, a JSON file or a sysfs node directory")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def load_spec(path: str, args: argparse.Namespace) -> CompiledSpec:
    """Compile `path` with the -D and --topology of `args`.  Raises SpecError."""
    topology = resolve_topology(args.topology) if args.topology else None
    return compile_spec(path, args.defines, topology)
