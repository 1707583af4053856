"""`numaspec parse FILE...`: syntax, names and types of spec files, a summary line each."""

from __future__ import annotations

import argparse
import sys

from numaspec.cli import exit_status
from numaspec.cli.annotations import add_format_option
from numaspec.cli.envelope import emit
from numaspec.cli.options import add_spec_options, load_spec, one_standard_input
from numaspec.cli.render import diagnostics_json, render_diagnostics, spec_summary
from numaspec.spec.diagnostics import SpecError


def add_parse(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "parse", help="check syntax, names and types of spec files",
        description="Check syntax, names and types; print one summary line per file.")
    cmd.add_argument("files", nargs="+", metavar="FILE", help="a .numa spec or module")
    add_format_option(cmd)
    add_spec_options(cmd)
    cmd.set_defaults(run=parse_command)


def parse_command(args: argparse.Namespace) -> int:
    """`numaspec parse FILE...`: 0 if every file is valid, 2 otherwise."""
    one_standard_input(("FILE", path) for path in args.files)
    status = exit_status.OK
    results = []
    for path in args.files:
        try:
            compiled = load_spec(path, args)
        except SpecError as err:
            status = exit_status.BAD_INPUT
            if args.json:
                results.append({"file": path, "ok": False,
                                "diagnostics": diagnostics_json(err.diagnostics)})
            else:
                sys.stderr.write(render_diagnostics(err.diagnostics, err.sources) + "\n")
                sys.stderr.write(f"{path}: {len(err.diagnostics)} error(s)\n")
            continue
        if args.json:
            results.append({"file": path, "ok": True, "summary": spec_summary(compiled.spec),
                            "diagnostics": diagnostics_json(compiled.warnings)})
        else:
            if compiled.warnings:
                sys.stderr.write(render_diagnostics(compiled.warnings, compiled.sources) + "\n")
            print(f"{path}: ok: {spec_summary(compiled.spec)['text']}")
    if args.json:
        emit(args, {"files": results,
                    "diagnostics": [d for r in results for d in r["diagnostics"]]})
    return status
