"""`--html FILE`, shared by the commands that can report a finding: the option and the file.

The page is built by numaspec.report; this module only writes it (E030 if it cannot)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from numaspec.cli.outputs import check_file
from numaspec.model.findings import Finding, Step, Trace
from numaspec.model.machine import Model
from numaspec.spec.diagnostics import fail

if TYPE_CHECKING:
    from numaspec.traces.frontier import Path
    from numaspec.traces.validate import ValidationResult


def add_html_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--html", metavar="FILE.html",
                        help="write the counterexample as a self-contained HTML report: a "
                             "message sequence chart, every step, the violated property")


def check_html_option(args: argparse.Namespace) -> None:
    """With `--html`, refuse (E005) before any work a report file that cannot be written."""
    if getattr(args, "html", None):
        check_file(args.html, "--html")


def write_page(path: str, text: str) -> None:
    """Write a page; E030 (bad input: exit 2) if the file cannot be written."""
    try:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as err:
        raise fail("E030", f"cannot write {path}: {err.strerror or err}", None) from None
    sys.stderr.write(f"report written to {path}\n")


def write_finding_html(args: argparse.Namespace, model: Model, finding: Finding | None,
                       title: str) -> None:
    """With `--html`, write the report of `finding` (a note on stderr if there is none)."""
    if not getattr(args, "html", None):
        return
    if finding is None:
        sys.stderr.write(f"no counterexample: {args.html} not written\n")
        return
    from numaspec.report.page import finding_page

    write_page(args.html, finding_page(model, finding, title))


def write_divergence_html(args: argparse.Namespace, model: Model, result: ValidationResult,
                          matched: list[Path]) -> None:
    """With `--html`, the report of a trace divergence: `matched` are the steps of the
    behaviour matched up to the last event (the first is the initial state)."""
    if not getattr(args, "html", None):
        return
    if result.divergence is None or not matched:
        sys.stderr.write(f"the trace {result.verdict}: {args.html} not written\n")
        return
    from numaspec.report.divergence import divergence_page

    steps = tuple(Step(p.instance, p.state) for p in matched[1:] if p.instance is not None)
    trace = Trace(matched[0].state, steps)
    write_page(args.html, divergence_page(model, trace, result.divergence,
                                          f"trace {os.path.basename(args.trace)} against "
                                          f"{args.spec}"))
