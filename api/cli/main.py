"""The `numaspec` command line.  Commands parse arguments, call an engine, and render its
result; engines never print.  Exit statuses are in numaspec.cli.exit_status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from numaspec import __version__
from numaspec.cli import exit_status as exitcodes
from numaspec.cli.commands.check import add_check
from numaspec.cli.commands.evaluate import add_evaluate
from numaspec.cli.commands.fuzz import add_fuzz
from numaspec.cli.commands.simulate import add_simulate
from numaspec.cli.commands.smt import add_lint, add_prove
from numaspec.cli.commands.spec import parse_command, topology_command
from numaspec.cli.commands.trace import add_trace
from numaspec.cli.options import add_spec_options


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with the bad-input exit status (2) and the diagnostic format of numaspec."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"numaspec: error[E004]: {message}\n")
        raise SystemExit(exitcodes.BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="numaspec",
        description="Specify, run and check NUMA-aware user-level memory management "
                    "protocols for microkernels.")
    parser.add_argument("--version", action="version", version=f"numaspec {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=_ArgumentParser)
    commands.required = True
    parse = commands.add_parser(
        "parse", help="check syntax, names and types of spec files",
        description="Check syntax, names and types; print one summary line per file.")
    parse.add_argument("files", nargs="+", metavar="FILE", help="a .numa spec or module")
    add_spec_options(parse)
    parse.set_defaults(run=parse_command)
    add_simulate(commands)
    add_check(commands)
    add_prove(commands)
    add_lint(commands)
    add_fuzz(commands)
    add_trace(commands)
    add_evaluate(commands)
    topology = commands.add_parser(
        "topology", help="print a NUMA topology and its symmetry",
        description="Print a preset, a numactl --hardware output, a JSON file or a sysfs node "
                    "directory as a distance table, with its automorphism group size.")
    topology.add_argument("topology_arg", metavar="NAME|FILE|DIR")
    topology.add_argument("--json", action="store_true", help="machine-readable output")
    topology.set_defaults(run=topology_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        sys.stderr.write("numaspec: interrupted\n")
        return exitcodes.RESOURCE_LIMIT
    except BrokenPipeError:
        return exitcodes.OK


if __name__ == "__main__":
    raise SystemExit(main())
