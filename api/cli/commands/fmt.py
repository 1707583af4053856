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
    cmd.add_argument("files", nargs="+", metavar="FILE",
                     help="a .numa spec or module; `-`: read stdin, write stdout")
    cmd.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if any file is not formatted")
    cmd.set_defaults(run=fmt_command)


def fmt_command(args: argparse.Namespace) -> int:
    """0 if every file is (now) formatted; 1 with --check if one is not; 2 on a bad file.

    `-` formats stdin to stdout (for editors that format through a filter).
    """
    return max((_format_one(name, args.check) for name in args.files), default=exit_status.OK)


def _format_one(name: str, check: bool) -> int:
    piped = name == "-"
    text = sys.stdin.read() if piped else ""
    try:
        if not piped:
            text = read_source(Path(name), name, None)
        formatted = format_text(text, "<stdin>" if piped else name)
    except SpecError as err:
        shown = text if piped else _text(name)
        sys.stderr.write(render_diagnostics(err.diagnostics, {name: shown, "<stdin>": shown})
                         + "\n")
        return exit_status.BAD_INPUT
    if formatted == text:
        if piped and not check:
            sys.stdout.write(formatted)
        return exit_status.OK
    if check:
        sys.stderr.write(f"{name}: would be reformatted\n")
        return exit_status.VIOLATION
    if piped:
        sys.stdout.write(formatted)
    else:
        Path(name).write_text(formatted, encoding="utf-8")
        print(f"{name}: reformatted")
    return exit_status.OK


def _text(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
