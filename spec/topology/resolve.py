"""Topologies for the model: built-in presets, machine descriptions, and a readable summary.

`resolve_topology(arg)` is what `--topology NAME|FILE|DIR` means:

- NAME: a preset of spec/topology/presets.py (`uniform2`, `uniform4`, `opteron4`, `xeon2`,
  `magnycours8`).  Preset names win over a file of the same name in the working directory, so
  `--topology opteron4` means the same everywhere; write `./opteron4` for the file.
- FILE: the output of `numactl --hardware`, or a JSON file
  `{"distance": [[10, 20], [20, 10]], "frames_per_node": 1}` (`frames_per_node` and `nodes`
  optional; a file whose first non-blank character is `{` is read as JSON).
- DIRECTORY: a copy of Linux's /sys/devices/system/node/ (node0/distance, node1/distance, ...).

Every problem is a `SpecError` with one diagnostic: E404 (invalid topology, unknown name), E001
(unreadable path), E002 (not UTF-8) or E003 (too large), naming the file and, where the format
has lines, the line.  Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from pathlib import Path

from numaspec.spec.diagnostics import Note, fail
from numaspec.spec.ir import nodes as ir
from numaspec.spec.loader import display_path, read_source
from numaspec.spec.topology.distances import (
    MAX_FRAMES_PER_NODE,
    MAX_NODES,
    SearchBudgetExceeded,
    automorphism_count,
    distance_problem,
)
from numaspec.spec.topology.parse import parse_json, parse_numactl, read_sysfs
from numaspec.spec.topology.presets import PRESET_NOTES, PRESETS

__all__ = [
    "PRESETS", "PRESET_NOTES", "describe", "parse_json", "parse_numactl", "read_sysfs",
    "resolve_topology", "validate_topology",
]


def resolve_topology(arg: str, frames_per_node: int | None = None) -> ir.Topology:
    """The topology named or described by `arg` (see the module docstring for the forms).

    `frames_per_node`, when given, replaces the one of the preset or file (it must be >= 1).
    The result always satisfies `validate_topology`.  Raises SpecError, never anything else
    for bad input.
    """
    if frames_per_node is not None and frames_per_node < 1:
        raise fail("E404", f"frames_per_node must be at least 1, not {frames_per_node}", None)
    topology = _lookup(arg)
    if frames_per_node is not None:
        topology = dataclasses.replace(topology, frames_per_node=frames_per_node)
    problem = _size_problem(topology)
    if problem is not None:
        raise fail("E404", problem, topology.span)
    return topology


def _size_problem(topology: ir.Topology) -> str | None:
    """The limits of a spec's `topology` block hold for presets and files alike."""
    if topology.nodes > MAX_NODES:
        return f"the topology has {topology.nodes} nodes; at most {MAX_NODES} are supported"
    if topology.frames_per_node > MAX_FRAMES_PER_NODE:
        return (f"the topology has {topology.frames_per_node} frames per node; at most "
                f"{MAX_FRAMES_PER_NODE} are supported")
    return None


def _lookup(arg: str) -> ir.Topology:
    if not arg.strip():
        raise fail("E404", "empty topology argument; give a preset name, a file or a "
                   "directory", None, _presets_note())
    if arg in PRESETS:
        return PRESETS[arg]
    path = Path(arg)
    try:
        if path.is_dir():
            return read_sysfs(path)
        exists = path.exists()
    except (OSError, ValueError) as err:  # too long a name, a NUL byte
        reason = "the path contains a NUL byte" if isinstance(err, ValueError) else \
            getattr(err, "strerror", None) or str(err)
        shown = arg if len(arg) <= 120 else f"{arg[:60]}...{arg[-40:]}"
        raise fail("E001", f"cannot read topology {shown}: {reason}", None) from None
    if exists or _looks_like_path(arg):
        return _read_file(path)
    raise _unknown_name(arg)


def _looks_like_path(arg: str) -> bool:
    """Whether a missing `arg` was meant as a file (then "cannot read" beats "unknown name")."""
    return os.sep in arg or "/" in arg or "." in arg


def _read_file(path: Path) -> ir.Topology:
    shown = display_path(path)
    text = read_source(path, shown, None, "topology")
    if text.lstrip().startswith("{"):
        return parse_json(text, shown)
    return parse_numactl(text, shown)


def _unknown_name(arg: str) -> Exception:
    close = difflib.get_close_matches(arg, list(PRESETS), n=1)
    hint = [Note(f"did you mean `{close[0]}`?")] if close else []
    return fail("E404", f"unknown topology `{arg}`: not a preset name, file or directory",
                None, *hint, _presets_note(),
                Note("a file holds `numactl --hardware` output or JSON "
                     '{"distance": [[...]], "frames_per_node": 1}; a directory is laid out '
                     "like /sys/devices/system/node"))


def _presets_note() -> Note:
    return Note(f"built-in topologies: {', '.join(PRESETS)}")


def validate_topology(topology: ir.Topology) -> str | None:
    """What is wrong with `topology`, or None: the front end's checks plus the counts."""
    if topology.nodes < 1:
        return f"nodes must be at least 1, not {topology.nodes}"
    if topology.frames_per_node < 1:
        return f"frames_per_node must be at least 1, not {topology.frames_per_node}"
    return distance_problem(topology.distance, topology.nodes)


def describe(topology: ir.Topology) -> str:
    """A human-readable summary: counts, the distance matrix as an aligned table, the range of
    remote/local ratios and the size of the automorphism group (the node permutations that
    preserve every distance, which is what `symmetric Node` may use)."""
    nodes, per_node = topology.nodes, topology.frames_per_node
    total = nodes * per_node
    lines = [f"{nodes} node{'s' * (nodes != 1)}, {per_node} frame{'s' * (per_node != 1)} "
             f"per node ({total} frame{'s' * (total != 1)})"]
    lines += _table(topology.distance)
    for kind, members in (("CPU-less (memory only: no pager or thread)", topology.cpuless),
                          ("memory-less (CPUs only: no frames)", topology.memoryless)):
        if members:
            lines.append(f"{kind}: node{'s' * (len(members) > 1)} "
                         f"{', '.join(map(str, sorted(members)))}")
    lines.append(_ratio_line(topology.distance))
    try:
        count: int | str = automorphism_count(topology.distance)
    except SearchBudgetExceeded:
        count = "too many to count quickly"
    lines.append(f"automorphisms: {count} (node permutations that preserve every distance"
                 + ("; no symmetry)" if count == 1 and nodes > 1 else ")"))
    return "\n".join(lines)


def _table(matrix: tuple[tuple[int, ...], ...]) -> list[str]:
    """`matrix` with a header row and column of node numbers, right-aligned."""
    width = max(len(str(value)) for row in matrix for value in (*row, len(matrix) - 1))
    label = "from\\to"
    header = label + "".join(f"  {j:>{width}}" for j in range(len(matrix)))
    rows = [f"{i:>{len(label)}}" + "".join(f"  {value:>{width}}" for value in row)
            for i, row in enumerate(matrix)]
    return [header, *rows]


def _ratio_line(matrix: tuple[tuple[int, ...], ...]) -> str:
    ratios = [row[j] / row[i] for i, row in enumerate(matrix)
              for j in range(len(row)) if j != i]
    if not ratios:
        return "remote/local ratio: none (a single node)"
    low, high = min(ratios), max(ratios)
    spread = f"{low:.2f}" if low == high else f"{low:.2f} .. {high:.2f}"
    return f"remote/local ratio: {spread}"
