"""`numaspec lint`: the warnings of checker/smt/lint.py, as selected for CI by
checker/smt/lint_select.py (library code quiet, `--ignore`, `// lint: ignore` comments).

The engine (and with it Z3) is imported when the command runs."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from numaspec.checker.symbolic.errors import Unsupported
from numaspec.cli.annotations import add_format_option
from numaspec.cli.commands.smt import unsupported_error
from numaspec.cli.envelope import emit
from numaspec.cli.options import add_spec_options, load_spec, seconds
from numaspec.cli.render import diagnostics_json, render_diagnostics
from numaspec.model.outcome import Outcome
from numaspec.spec.codes import CODES

if TYPE_CHECKING:
    from numaspec.checker.smt.lint_select import Selection


def add_lint(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "lint", help="find dead actions, vacuous invariants and redundant requires (Z3)",
        description="Ask Z3 about every type-correct state: actions that can never be "
                    "enabled, invariants that are tautologies or contradictions, requires "
                    "implied by earlier ones, branches never taken. One warning per place "
                    "(the calls where it is dead listed under it). Warnings in the standard "
                    "library (spec/lib/) are not shown without --include-lib; `// lint: "
                    "ignore W614` on the warning's line (or the line above) or at a call "
                    "site suppresses it. Exit 0: no warning shown; 1: warnings; 2: bad "
                    "input; 3: interrupted before any warning.")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--timeout", type=seconds, default=10.0, metavar="S",
                     help="seconds per solver query (default: 10)")
    cmd.add_argument("--ignore", type=_codes, action="append", default=[],
                     metavar="CODE[,CODE...]",
                     help="never show these warnings, e.g. --ignore W613,W614 (repeatable)")
    cmd.add_argument("--include-lib", action="store_true",
                     help="also show warnings inside the standard library (default: not)")
    add_format_option(cmd)
    add_spec_options(cmd)
    cmd.set_defaults(run=lint_command)


def _codes(text: str) -> list[str]:
    """An argparse type: warning codes separated by commas."""
    codes = [c for c in re.split(r"[,\s]+", text.strip().upper()) if c]
    unknown = [c for c in codes if c not in CODES]
    if not codes or unknown:
        raise argparse.ArgumentTypeError(f"not a diagnostic code: {', '.join(unknown) or text!r}"
                                         " (e.g. W614)")
    return codes


def lint_command(args: argparse.Namespace) -> Outcome:
    from numaspec.checker.smt.lint import LintOptions, LintResult, lint
    from numaspec.checker.smt.lint_select import select

    compiled = load_spec(args.spec, args)
    try:
        result = lint(compiled.spec, LintOptions(args.timeout))
    except Unsupported as err:
        raise unsupported_error(err, compiled) from None
    chosen = select(result.warnings, compiled.sources,
                    [code for group in args.ignore for code in group], args.include_lib)
    found, undecided = chosen.shown, result.undecided
    if args.json:
        emit(args, {"diagnostics": diagnostics_json(found), "warnings": len(found),
                    "undecided": undecided, "library_warnings_hidden": chosen.library,
                    "suppressed": chosen.suppressed, "interrupted": result.interrupted})
    else:
        if found:
            sys.stderr.write(render_diagnostics(found, compiled.sources) + "\n")
        print(f"lint {args.spec}: {len(found)} warning(s){_extra(chosen, undecided)}"
              + (" (interrupted: the warnings found so far)" if result.interrupted else ""))
    return LintResult(found, undecided, result.interrupted).outcome


def _extra(chosen: Selection, undecided: int) -> str:
    parts = []
    if chosen.library:
        parts.append(f"{chosen.library} in the standard library not shown (--include-lib)")
    if chosen.suppressed:
        parts.append(f"{chosen.suppressed} suppressed")
    if undecided:
        parts.append(f"{undecided} question(s) undecided (timeout)")
    return "".join(f", {p}" for p in parts)
