"""`numaspec fmt FILE... [--check]`: rewrite spec files in canonical layout (or only check).

The layout is spec/syntax/formatter.py's: white space changes, tokens and comments do not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from numaspec.cli import exit_status
from numaspec.cli.render import render_diagnostics
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.loader import read_source
from numaspec.spec.syntax.formatter import format_text


def add_fmt(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "fmt", help="format spec files in place (--check: only report)",
        description="Re-indent and normalise the spacing of spec files, keeping comments and "
                    "line breaks.  Exit 1 with --check if a file would change.")
    cmd.add_argument("files", nargs="+", metavar="FILE", help="a .numa spec or module")
    cmd.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if any file is not formatted")
    cmd.set_defaults(run=fmt_command)


def fmt_command(args: argparse.Namespace) -> int:
    """0 if every file is (now) formatted; 1 with --check if one is not; 2 on a bad file."""
    status = exit_status.OK
    for name in args.files:
        try:
            text = read_source(Path(name), name, None)
            formatted = format_text(text, name)
        except SpecError as err:
            sys.stderr.write(render_diagnostics(err.diagnostics, {name: _text(name)}) + "\n")
            status = exit_status.BAD_INPUT
            continue
        if formatted == text:
            continue
        if args.check:
            sys.stderr.write(f"{name}: would be reformatted\n")
            status = max(status, exit_status.VIOLATION)
        else:
            Path(name).write_text(formatted, encoding="utf-8")
            print(f"{name}: reformatted")
    return status


def _text(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
