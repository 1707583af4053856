"""`numaspec explore SPEC [--port P] [--host H] [--trace FILE]`: a local web server to walk
the spec by clicking (in the spirit of Stateright's Explorer; docs/visual.md)."""

from __future__ import annotations

import argparse
import sys

from numaspec.cli.options import add_spec_options, load_spec, one_standard_input
from numaspec.model.findings import Finding
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail
from numaspec.spec.pipeline import CompiledSpec


def add_explore(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "explore", help="walk the spec step by step in the browser (a local web server)",
        description="Serve a page that starts at the initial state(s), lists the enabled "
                    "action instances, steps on a click, goes back, shows the state, the "
                    "invariants and the chart of the path, and follows a counterexample. "
                    "Stop it with Ctrl-C (exit 0).")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--port", type=int, default=8021, help="port (8021; 0: any free port)")
    cmd.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (127.0.0.1: this machine only)")
    cmd.add_argument("--trace", metavar="FILE",
                     help="a counterexample written by --trace-out, loaded to be followed; "
                          "- reads standard input")
    add_spec_options(cmd)
    cmd.set_defaults(run=explore_command)


def explore_command(args: argparse.Namespace) -> Outcome:
    from numaspec.explore.server import Explorer, make_server
    from numaspec.explore.session import Session

    one_standard_input([("SPEC", args.spec), ("--trace", args.trace)])
    compiled = load_spec(args.spec, args)
    model = Model(compiled.spec)
    session = Session(model)
    if args.trace:
        from numaspec.cli.commands.report import found_again
        from numaspec.traces.formats.load import load_trace

        trace = load_trace(model, args.trace)
        try:
            session.load(found_again(model, trace, None))
        except ValueError as err:
            raise fail("E032", f"{args.trace}: {err}", None) from None
    try:
        server = make_server(Explorer(session, lambda: _find(compiled)), args.host, args.port)
    except OSError as err:
        raise fail("E031", f"cannot listen on {args.host}:{args.port}: "
                   f"{err.strerror or err}", None) from None
    port = server.server_address[1]
    print(f"explore {args.spec}: serving http://{args.host}:{port}/ (Ctrl-C stops)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.stderr.write("explore: stopped\n")
    finally:
        server.server_close()
    return Outcome.OK


def _find(compiled: CompiledSpec) -> Finding | None:
    """A shortest counterexample by the explicit search (safety and liveness)."""
    from numaspec.checker.explicit import check
    from numaspec.checker.results import CheckOptions

    return check(compiled.spec, CheckOptions("bfs", True, True, True, 1_000_000, None, 60.0)
                 ).finding
