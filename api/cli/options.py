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
    lemmas = tuple(read_lemma_file(f) for f in getattr(args, "lemmas", None) or ())
    return compile_spec(path, args.defines, topology, lemmas)


def read_lemma_file(path: str) -> tuple[str, str]:
    """(path, text) of a `--lemmas` side file.  Raises SpecError (E001) if unreadable."""
    from pathlib import Path

    from numaspec.spec.loader import read_source

    return path, read_source(Path(path), path, None)
