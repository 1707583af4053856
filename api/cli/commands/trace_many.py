"""`numaspec trace SPEC DIR|GLOB|FILE...` with several ITF traces: each is an independent
trace, checked in this one process (the spec is compiled once per set of header constants),
one verdict line each and a summary.

Exit status: 2 if a trace is malformed (its line names the error), else 1 if one diverges,
else 3 if one stopped at a limit, else 0.  `--witness` and `--html` take one trace.  (Several
JSONL logs are not independent traces but one system's per-node logs: not handled here.)
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import time
from pathlib import Path
from typing import Any

from numaspec.cli import exit_status
from numaspec.cli.envelope import emit
from numaspec.cli.options import read_lemma_file
from numaspec.cli.render import diagnostics_json
from numaspec.model.machine import Model
from numaspec.spec.diagnostics import SpecError, fail
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import CompiledSpec
from numaspec.spec.topology.resolve import resolve_topology
from numaspec.traces.bind import Binder
from numaspec.traces.formats.load import compile_for, open_trace
from numaspec.traces.formats.trace_map import TraceMap
from numaspec.traces.frontier import FrontierOptions
from numaspec.traces.report import json_report, where
from numaspec.traces.validate import ValidationResult, validate

GLOB_CHARACTERS = "*?["


def expand(arguments: list[str]) -> list[str]:
    """The trace files named: a directory stands for its `*.itf.json` files, a pattern
    (with * ? [) for the files it matches, sorted; E043 if one names nothing."""
    paths: list[str] = []
    for argument in arguments:
        if argument != "-" and Path(argument).is_dir():
            found = sorted((str(p) for p in Path(argument).glob("*.itf.json")), key=_natural)
        elif any(c in argument for c in GLOB_CHARACTERS) and not Path(argument).exists():
            found = sorted(glob.glob(argument), key=_natural)
        else:
            found = [argument]
        if not found:
            raise fail("E043", f"{argument}: no trace file matches (a directory is read for "
                       "its *.itf.json files)", None)
        paths += found
    return paths


def _natural(path: str) -> list[Any]:
    """`out_2` before `out_10`: digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def is_itf(path: str) -> bool:
    return path.endswith(".json")


class _Specs:
    """The spec compiled for each trace's header (constants, topology), once per header."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.topology: ir.Topology | None = resolve_topology(args.topology) \
            if args.topology else None
        self.cache: dict[str, tuple[CompiledSpec, Model]] = {}
        self.views = tuple(read_lemma_file(path) for path in args.views)

    def get(self, header: Any, path: str) -> tuple[CompiledSpec, Model]:
        key = json.dumps(header.data if header is not None else None, sort_keys=True)
        if key not in self.cache:
            compiled, _ = compile_for(self.args.spec, header, path, self.args.defines,
                                      self.topology, self.views, self.args.spec_texts)
            self.cache[key] = compiled, Model(compiled.spec)
        return self.cache[key]


def check_many(args: argparse.Namespace, paths: list[str], mapping: TraceMap | None,
               options_for: Any) -> int:
    """Check every trace of `paths`; print a line each and a summary; the exit status."""
    if args.witness or args.html:
        raise fail("E004", "--witness and --html take one trace, not "
                   f"{len(paths)}", None)
    specs, start = _Specs(args), time.perf_counter()
    rows = [_one(specs, path, mapping, options_for) for path in paths]
    status = _status([row["exit_code"] for row in rows])
    summary = _summary(rows, time.perf_counter() - start)
    if args.json:
        emit(args, {"traces": rows, "summary": summary,
                    "diagnostics": [d for row in rows for d in row.get("diagnostics", [])]})
    else:
        print("\n".join([*(row["line"] for row in rows), _summary_line(summary)]))
    return status


def _one(specs: _Specs, path: str, mapping: TraceMap | None,
         options_for: Any) -> dict[str, Any]:
    try:
        trace = open_trace(path)
        compiled, model = specs.get(trace.header, trace.path)
        records = mapping.apply(trace.records) if mapping else trace.records
        options: FrontierOptions = options_for(model)
        result = validate(model, Binder(model, trace.path), records, options, None, None,
                          compiled.sources)
    except SpecError as err:
        first = err.diagnostics[0]
        return {"trace": path, "verdict": "malformed", "exit_code": exit_status.BAD_INPUT,
                "line": f"{path}: malformed: {first}",
                "diagnostics": diagnostics_json(err.diagnostics)}
    row = json_report(path, specs.args.spec, result, [])
    row["exit_code"] = exit_status.FOR_OUTCOME[result.outcome]
    row["line"] = _verdict_line(path, result)
    return row


def _verdict_line(path: str, result: ValidationResult) -> str:
    if result.verdict == "conforms":
        return f"{path}: conforms ({result.events:,} events)"
    if result.divergence is not None:
        return (f"{path}: does not conform at {where(result.divergence)}: "
                f"{result.divergence.label}")
    return f"{path}: stopped by {result.stopped_by} at line {result.limit_line} (incomplete)"


def _status(codes: list[int]) -> int:
    for code in (exit_status.BAD_INPUT, exit_status.VIOLATION, exit_status.RESOURCE_LIMIT):
        if code in codes:
            return code
    return exit_status.OK


def _summary(rows: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    counts = {verdict: sum(row["verdict"] == verdict for row in rows)
              for verdict in ("conforms", "diverges", "limit", "malformed")}
    return {"traces": len(rows), **counts, "seconds": round(seconds, 3)}


def _summary_line(summary: dict[str, Any]) -> str:
    return (f"{summary['traces']} traces: {summary['conforms']} conform, "
            f"{summary['diverges']} diverge, {summary['limit']} stopped at a limit, "
            f"{summary['malformed']} malformed ({summary['seconds']:.2f} s)")
