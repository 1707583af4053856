"""Implementations of the CLI commands: run the front end or an engine, render the result."""

from __future__ import annotations

import argparse
import json
import sys

from numaspec.cli import exit_status as exitcodes
from numaspec.cli.options import load_spec
from numaspec.cli.render import (
    diagnostics_json,
    render_diagnostics,
    report_spec_error,
    spec_summary,
)
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.topology.resolve import describe, resolve_topology


def parse_command(args: argparse.Namespace) -> int:
    """`numaspec parse FILE...`: 0 if every file is valid, 2 otherwise."""
    status = exitcodes.OK
    results = []
    for path in args.files:
        try:
            compiled = load_spec(path, args)
        except SpecError as err:
            status = exitcodes.BAD_INPUT
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
        print(json.dumps(results, indent=2))
    return status


def topology_command(args: argparse.Namespace) -> int:
    """`numaspec topology NAME|FILE|DIR`: the distance matrix and its automorphism group."""
    try:
        topology = resolve_topology(args.topology_arg)
    except SpecError as err:
        return report_spec_error(err, args.json)
    if args.json:
        from numaspec.spec.topology.distances import automorphism_count

        print(json.dumps({"nodes": topology.nodes, "frames_per_node": topology.frames_per_node,
                          "distance": [list(r) for r in topology.distance],
                          "automorphisms": automorphism_count(topology.distance)}, indent=2))
    else:
        print(describe(topology))
    return exitcodes.OK
