"""The one wrapper every command runs in: a result's outcome becomes the exit status, a bad
spec, trace or argument (a `SpecError` from anywhere in the command) is reported and exits 2.
With `--json` the runner prints the command's payload in the envelope (api/cli/envelope.py)
once the exit status is known; a `SpecError` then goes into the envelope's `diagnostics`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from numaspec.cli import exit_status
from numaspec.cli.envelope import print_envelope
from numaspec.cli.render import report_spec_error
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import SpecError

# A command renders its result itself and returns the outcome; `parse`, whose status is not
# an engine's outcome (2 when any of its files has errors), returns the status directly.
Command = Callable[[argparse.Namespace], Outcome | int]


def run(command: Command, args: argparse.Namespace) -> int:
    """Run `command(args)`; its exit status (docs/design.md, "Exit statuses")."""
    if getattr(args, "format", "text") != "text":  # json, sarif, github: from the envelope
        args.json = True
    as_json = bool(getattr(args, "json", False))
    try:
        outcome = command(args)
    except SpecError as err:
        if not as_json:
            return report_spec_error(err)
        print_envelope(args, exit_status.BAD_INPUT, err.diagnostics)
        return exit_status.BAD_INPUT
    status = exit_status.FOR_OUTCOME[outcome] if isinstance(outcome, Outcome) else outcome
    if as_json:
        print_envelope(args, status)
    return status
