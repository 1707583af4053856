"""The one JSON document every command prints with `--json` (docs/schema/, docs/cli.md).

`{"tool": "numaspec", "version": ..., "command": "check", "exit_code": 1, "outcome":
"violation", "ok": false, "diagnostics": [...], ...}`: the envelope's fields first, then the
command's own (its payload).  `outcome` follows the exit status (0 ok, 1 violation, 2 error,
3 limit); `diagnostics` holds every error and warning as objects with separate `file`, `line`
and `column` (docs/schema/common.schema.json).

A command hands its payload over with `emit(args, payload)` instead of printing it; the runner
(api/cli/run.py) prints the envelope once the exit status is known, also when a `SpecError`
ends the command (exit 2, the error in `diagnostics`, the payload emitted so far kept).
Argument errors, found by argparse before any command runs, get an envelope too
(`argument_error`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from typing import Any

from numaspec import __version__
from numaspec.cli.render import diagnostics_json
from numaspec.spec.diagnostics import Diagnostic

OUTCOMES = {0: "ok", 1: "violation", 2: "error", 3: "limit"}
PAYLOAD = "json_payload"  # the attribute of the parsed arguments that holds the payload


def emit(args: argparse.Namespace, payload: dict[str, Any]) -> None:
    """Record `payload` (the command's own fields) for the envelope the runner prints."""
    setattr(args, PAYLOAD, payload)


def envelope(command: str, exit_code: int, payload: dict[str, Any] | None = None,
             diagnostics: Iterable[Diagnostic] = ()) -> dict[str, Any]:
    """The envelope around `payload`; `diagnostics` are added to the payload's own."""
    body = dict(payload or {})
    found = [*body.pop("diagnostics", []), *diagnostics_json(diagnostics)]
    head: dict[str, Any] = {"tool": "numaspec", "version": __version__, "command": command,
                            "exit_code": exit_code, "outcome": OUTCOMES.get(exit_code, "error"),
                            "ok": exit_code == 0, "diagnostics": found}
    clash = set(head) & set(body)
    assert not clash, f"a payload may not set the envelope's fields {sorted(clash)}"
    return {**head, **body}


def print_envelope(args: argparse.Namespace, exit_code: int,
                   diagnostics: Iterable[Diagnostic] = ()) -> None:
    """Print the envelope, or with `--format sarif|github` what api/cli/annotations.py
    makes of it."""
    from numaspec.cli.annotations import github, sarif

    document = envelope(getattr(args, "command", None) or "numaspec", exit_code,
                        getattr(args, PAYLOAD, None), diagnostics)
    style = getattr(args, "format", "json")
    if style == "sarif":
        print(json.dumps(sarif(document), indent=2), flush=True)
    elif style == "github":
        lines = github(document)
        if lines:  # nothing to annotate: print nothing
            print("\n".join(lines), flush=True)
    else:
        print(json.dumps(document, indent=2), flush=True)


def argument_error(command: str, message: str) -> str:
    """The envelope of an argument argparse refused (E004, exit 2), as text."""
    diagnostic: dict[str, Any] = {
        "code": "E004", "severity": "error", "message": message, "file": None, "line": None,
        "column": None, "end_line": None, "end_column": None, "notes": []}
    document = envelope(command, 2, {"diagnostics": [diagnostic]})
    return json.dumps(document, indent=2)
