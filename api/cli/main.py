"""The `numaspec` command line.  Commands parse arguments, call an engine, and render its
result; engines never print.  Exit statuses are in numaspec.cli.exit_status."""

from __future__ import annotations

import argparse
import ctypes
import signal
import sys
from collections.abc import Sequence
from typing import Any

from numaspec import __version__
from numaspec.cli import exit_status as exitcodes
from numaspec.cli.commands.check import add_check
from numaspec.cli.commands.evaluate import add_evaluate
from numaspec.cli.commands.examples import add_examples
from numaspec.cli.commands.explore import add_explore
from numaspec.cli.commands.fmt import add_fmt
from numaspec.cli.commands.fuzz import add_fuzz
from numaspec.cli.commands.infer import add_infer
from numaspec.cli.commands.lint import add_lint
from numaspec.cli.commands.lsp import add_lsp
from numaspec.cli.commands.parse import add_parse
from numaspec.cli.commands.report import add_report
from numaspec.cli.commands.simulate import add_simulate
from numaspec.cli.commands.smt import add_prove
from numaspec.cli.commands.topology import add_topology
from numaspec.cli.commands.trace import add_trace
from numaspec.cli.commands.workload import add_workload
from numaspec.cli.envelope import argument_error
from numaspec.cli.help import parser_defaults
from numaspec.cli.interrupt import solver_interrupts
from numaspec.cli.run import run
from numaspec.spec.bundled import find


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with the bad-input exit status (2) and the diagnostic format of numaspec;
    every `--help` shows the defaults and the exit statuses (api/cli/help.py)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **parser_defaults(kwargs))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"numaspec: error[E004]: {message}\n")
        raise _ArgumentError(self.prog, message)


class _ArgumentError(SystemExit):
    """An argument argparse refused: exit 2, and with --json its envelope on stdout."""

    def __init__(self, prog: str, message: str):
        super().__init__(exitcodes.BAD_INPUT)
        self.prog, self.message = prog, message


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="numaspec",
        description="Specify, run and check NUMA-aware user-level memory management "
                    "protocols for microkernels.")
    parser.add_argument("-V", "--version", action="version", version=f"numaspec {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=_ArgumentParser)
    add_parse(commands)
    add_simulate(commands)
    add_check(commands)
    add_prove(commands)
    add_infer(commands)
    add_lint(commands)
    add_fuzz(commands)
    add_trace(commands)
    add_evaluate(commands)
    add_workload(commands)
    add_topology(commands)
    add_fmt(commands)
    add_lsp(commands)
    add_report(commands)
    add_explore(commands)
    add_examples(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _ArgumentError as err:
        if "--json" in argv:
            # the top-level parser refuses some errors of a command (unknown options): its
            # name is then the first word that is not an option
            words = err.prog.split()[1:] or [a for a in argv if not a.startswith("-")][:1]
            print(argument_error(words[0] if words else "numaspec", err.message), flush=True)
        raise
    if args.command is None:  # a bare `numaspec`: the help, not an error
        parser.print_help()
        return exitcodes.OK
    if isinstance(getattr(args, "spec", None), str):  # `numaspec trace pernode T` too
        args.spec = find(args.spec)
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave the handler alone
        previous = None
    try:
        with solver_interrupts():
            return run(args.run, args)
    except KeyboardInterrupt:
        sys.stderr.write("numaspec: interrupted\n")
        return exitcodes.RESOURCE_LIMIT
    except ctypes.ArgumentError as err:
        # Ctrl-C while ctypes converts the arguments of a call into Z3 comes back wrapped
        if "KeyboardInterrupt" not in str(err):
            raise
        sys.stderr.write("numaspec: interrupted\n")
        return exitcodes.RESOURCE_LIMIT
    except BrokenPipeError:
        return exitcodes.OK
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM is treated like Ctrl-C: engines stop and report how far they got."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
