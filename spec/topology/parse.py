"""Readers of machine topologies: `numactl --hardware` output, a sysfs node directory, JSON.

Every reader returns a validated `ir.Topology` (nodes numbered 0..N-1, one frame per node) or
raises `SpecError` with a single diagnostic: E404 for content that is not a valid topology,
E001/E002/E003 (from spec.loader.read_source) for files that cannot be read.  Spans point at
the offending line of the named file whenever the format has lines, so the renderer can show it.
CPU-less and memory-less nodes are kept as such (spec/topology/kinds.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from numaspec.spec.diagnostics import Note, SpecError, fail
from numaspec.spec.ir import nodes as ir
from numaspec.spec.loader import display_path, read_source
from numaspec.spec.span import Span, point
from numaspec.spec.topology.distances import locate_distance_problem
from numaspec.spec.topology.kinds import json_kinds, numactl_kinds, sysfs_kinds, with_kinds

Matrix = tuple[tuple[int, ...], ...]

_AVAILABLE = re.compile(r"^\s*available:\s*(\d+)\s+nodes?\b(?:\s*\(([^)]*)\))?")
_ROW = re.compile(r"^\s*(\d+):(.*)$")
_SLIT_NOTE = "distances follow ACPI SLIT: 10 = local, larger = farther"
# Longer digit runs are refused before any int(): no distance or count needs more, and Python
# refuses to convert more than 4,300 digits (a ValueError, not a diagnostic).
_MAX_DIGITS = 18
_LONG_NUMBER = re.compile(rf"\d{{{_MAX_DIGITS + 1},}}")
# A node list such as `0-3,8` naming more nodes than this is not a real machine's.
MAX_LISTED_NODES = 1 << 16


def _line_span(source: str, number: int, line: str) -> Span:
    """The non-blank part of line `number` (1-based) of `source`."""
    start = len(line) - len(line.lstrip()) + 1
    return Span(source, number, start, number, max(len(line.rstrip()) + 1, start + 1))


def _error(message: str, span: Span | None, text: str | None, *notes: Note) -> SpecError:
    """An E404 carrying the file's text, so the rendered diagnostic can quote the line."""
    err = fail("E404", message, span, *notes)
    if span is not None and text is not None:
        err.sources[span.file] = text
    return err


def refuse_long_numbers(text: str, source: str) -> None:
    """E404 at the first number of more than 18 digits in `text`, before anything parses it."""
    match = _LONG_NUMBER.search(text)
    if match is None:
        return
    line = text.count("\n", 0, match.start()) + 1
    col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    raise _error(f"{source}:{line}: a number of {len(match.group())} digits is too large for a "
                 "topology", Span(source, line, col, line, col + len(match.group())), text)


def checked(matrix: Matrix, nodes: int, source: str,
            where: Callable[[int | None], Span | None], text: str | None = None) -> ir.Topology:
    """`matrix` as a topology of `nodes` nodes and one frame per node, after the SLIT checks
    of topology_check (square, positive, local smallest in its row).

    `where(row)` gives the span to blame for a problem in that row (None: the whole matrix).
    """
    found = locate_distance_problem(matrix, nodes)
    if not matrix:
        raise _error(f"{source}: the distance matrix is empty", where(None), text)
    if found is not None:
        row, message = found
        raise _error(f"{source}: {message}", where(row), text, Note(_SLIT_NOTE))
    return ir.Topology(len(matrix), 1, matrix, where(None))


def _node_list(text: str) -> list[int] | None:
    """Node numbers of a numactl list such as `0-3,8`, or None if it is not one."""
    numbers: list[int] = []
    for part in text.replace(" ", "").split(","):
        bounds = part.split("-")
        if not 1 <= len(bounds) <= 2 or not all(b.isdigit() for b in bounds):
            return None
        if int(bounds[-1]) - int(bounds[0]) + len(numbers) >= MAX_LISTED_NODES:
            return None
        numbers.extend(range(int(bounds[0]), int(bounds[-1]) + 1))
    return numbers


def _integers(cells: str, source: str, number: int, line: str, offset: int,
              text: str) -> tuple[int, ...]:
    """The integers of `cells` (which starts at column offset+1 of `line`), or E404 at a cell."""
    values = []
    for match in re.finditer(r"\S+", cells):
        if not re.fullmatch(r"-?\d+", match.group()):
            col = offset + match.start() + 1
            raise _error(f"{source}:{number}: `{match.group()}` is not an integer distance",
                         Span(source, number, col, number, col + len(match.group())), text)
        values.append(int(match.group()))
    return tuple(values)


def _find_table(lines: list[str], source: str, text: str) -> int:
    """The index of the `node distances:` line."""
    for index, line in enumerate(lines):
        if line.strip().lower() == "node distances:":
            return index
    if any("no distance information" in line.lower() for line in lines):
        raise _error(f"{source}: numactl reports no distance information for this machine",
                     None, text)
    raise _error(f"{source}: no `node distances:` table; expected the output of "
                 "`numactl --hardware`", point(source, 1, 1), text)


def _header(lines: list[str], start: int, source: str, text: str) -> tuple[int, list[int]]:
    """The index and node numbers of the `node   0   1 ...` line after `node distances:`."""
    index = start + 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    line = lines[index] if index < len(lines) else ""
    words = line.split()
    if not words or words[0] != "node" or not all(w.isdigit() for w in words[1:]):
        raise _error(f"{source}:{index + 1}: expected the header `node 0 1 ...` of the "
                     "distance table", point(source, min(index, len(lines) - 1) + 1, 1), text)
    nodes = [int(w) for w in words[1:]]
    if nodes != list(range(len(nodes))):
        raise _error(f"{source}:{index + 1}: the table lists nodes {' '.join(words[1:])}; "
                     "numaspec needs nodes numbered 0..N-1 without gaps",
                     _line_span(source, index + 1, line), text,
                     Note("offline or sparse nodes: renumber them in a JSON topology file"))
    return index, nodes


def _table(lines: list[str], source: str,
           text: str) -> tuple[Matrix, list[int], int, int]:
    """The distance rows, the line number of each, the header's line number and node count."""
    header_index, nodes = _header(lines, _find_table(lines, source, text), source, text)
    rows: list[tuple[int, ...]] = []
    numbers: list[int] = []
    for index in range(header_index + 1, len(lines)):
        match = _ROW.match(lines[index])
        if match is None:
            break  # the table ends at the first line that is not `N: ...` (e.g. a prompt)
        label = int(match.group(1))
        if label != len(rows):
            raise _error(f"{source}:{index + 1}: row for node {label} where node {len(rows)} "
                         "was expected", _line_span(source, index + 1, lines[index]), text)
        rows.append(_integers(match.group(2), source, index + 1, lines[index],
                              match.start(2), text))
        numbers.append(index + 1)
    return tuple(rows), numbers, header_index + 1, len(nodes)


def _check_available(lines: list[str], count: int, source: str, text: str) -> None:
    """E404 if an `available: N nodes (list)` line disagrees with a table of `count` nodes."""
    for index, line in enumerate(lines):
        if not line.lstrip().startswith("available:"):
            continue
        span = _line_span(source, index + 1, line)
        match = _AVAILABLE.match(line)
        listed = _node_list(match.group(2)) if match and match.group(2) else None
        if match is None or (match.group(2) and listed is None):
            raise _error(f"{source}:{index + 1}: cannot read the `available:` line", span, text)
        if int(match.group(1)) != count or (listed is not None and len(listed) != count):
            raise _error(f"{source}:{index + 1}: `available:` says {match.group(1)} nodes but "
                         f"the distance table has {count}", span, text)
        return


def parse_numactl(text: str, source_name: str) -> ir.Topology:
    """The topology printed by `numactl --hardware` (`numactl -H`); `source_name` names it.

    Reads the `node distances:` table (header `node 0 1 ...`, then one `i: d d ...` row per
    node) and checks it against the `available: N nodes (...)` line when there is one; the
    `cpus:` and `size:` lines say which nodes lack CPUs or memory.  Other lines (shell
    prompts around the output) are ignored.  Nodes must be numbered
    0..N-1.  Raises SpecError E404 naming `source_name` and the line at fault.
    """
    refuse_long_numbers(text, source_name)
    lines = text.splitlines()
    matrix, row_lines, header_line, count = _table(lines, source_name, text)
    _check_available(lines, count, source_name, text)

    def where(row: int | None) -> Span:
        number = header_line if row is None or row >= len(row_lines) else row_lines[row]
        return _line_span(source_name, number, lines[number - 1])

    return with_kinds(checked(matrix, count, source_name, where, text),
                      *numactl_kinds(text), source_name)


def read_sysfs(directory: str | Path) -> ir.Topology:
    """The topology of a directory laid out like Linux's /sys/devices/system/node/.

    Reads `node<i>/distance` (one line of space-separated integers: the distances from node i
    to every node) for i = 0..N-1; other entries are ignored.  Node numbers must be contiguous
    from 0.  A missing or unreadable file is E001; anything else wrong is E404.
    """
    root = Path(directory)
    shown = display_path(root)
    if not root.is_dir():
        raise fail("E001", f"cannot read {shown}: not a directory", None)
    try:
        numbers = sorted(int(p.name[4:]) for p in root.iterdir()
                         if re.fullmatch(r"node\d+", p.name) and p.is_dir())
    except OSError as err:
        raise fail("E001", f"cannot read {shown}: {err.strerror or err}", None) from None
    if not numbers:
        raise _error(f"{shown}: no node<N> directories (expected a layout like "
                     "/sys/devices/system/node)", None, None)
    present = set(numbers)
    # The first few gaps only: a directory `node99999999` must not build a range that large.
    missing = [n for n in range(min(numbers[-1], len(numbers) + 8) + 1) if n not in present]
    if missing:
        raise _error(f"{shown}: node directories are not numbered 0..N-1 without gaps: "
                     f"found {', '.join(f'node{n}' for n in numbers)}, missing "
                     f"{', '.join(f'node{n}' for n in missing)}", None, None)
    files = [display_path(root / f"node{n}" / "distance") for n in numbers]
    texts = [read_source(root / f"node{n}" / "distance", files[n], None, "topology")
             for n in numbers]
    matrix = tuple(_sysfs_row(t, name) for t, name in zip(texts, files, strict=True))
    sources = dict(zip(files, texts, strict=True))
    try:
        topology = checked(matrix, len(files), shown,
                           lambda row: None if row is None else point(files[row], 1, 1))
    except SpecError as err:
        err.sources.update(sources)
        raise
    return with_kinds(topology, *sysfs_kinds(root, numbers), shown)


def _sysfs_row(text: str, shown: str) -> tuple[int, ...]:
    """The distances in one `node<i>/distance` file (a single line)."""
    refuse_long_numbers(text, shown)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise _error(f"{shown} is empty; expected a line of distances", point(shown, 1, 1), text)
    if len(lines) > 1:
        raise _error(f"{shown} has {len(lines)} lines; expected one line of distances",
                     point(shown, 2, 1), text)
    return _integers(text.splitlines()[0], shown, 1, text.splitlines()[0], 0, text)


_JSON_KEYS = {"distance", "frames_per_node", "nodes", "cpuless", "memoryless"}


def parse_json(text: str, source_name: str) -> ir.Topology:
    """A topology file `{"distance": [[10, 20], [20, 10]], "frames_per_node": 1}`.

    `frames_per_node` (default 1) and `nodes` (checked against the matrix) are optional; any
    other key is an error, so a misspelt key is not silently ignored.  Raises SpecError E404.
    """
    refuse_long_numbers(text, source_name)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as err:
        raise _error(f"{source_name}:{err.lineno}: not valid JSON: {err.msg}",
                     point(source_name, err.lineno, err.colno), text) from None
    except RecursionError:  # the decoder recurses once per nested array or object
        raise _error(f"{source_name}: the JSON is nested too deeply to read (a topology "
                     "needs two levels)", point(source_name, 1, 1), text) from None
    if not isinstance(data, dict) or "distance" not in data:
        raise _error(f'{source_name}: expected an object with a "distance" matrix',
                     point(source_name, 1, 1), text)
    unknown = sorted(set(data) - _JSON_KEYS)
    if unknown:
        raise _error(f"{source_name}: unknown key {unknown[0]!r}; known keys: "
                     f"{', '.join(sorted(_JSON_KEYS))}", point(source_name, 1, 1), text)
    matrix = _json_matrix(data["distance"], source_name)
    per_node = _json_count(data.get("frames_per_node", 1), "frames_per_node", source_name)
    nodes = _json_count(data.get("nodes", len(matrix)), "nodes", source_name)
    if nodes != len(matrix):
        raise _error(f'{source_name}: "nodes" is {nodes} but the distance matrix has '
                     f"{len(matrix)} rows", point(source_name, 1, 1), text)
    topology = checked(matrix, nodes, source_name, lambda row: point(source_name, 1, 1), text)
    return with_kinds(ir.Topology(topology.nodes, per_node, topology.distance, topology.span),
                      *json_kinds(data, source_name), source_name)


def _json_matrix(value: Any, source: str) -> Matrix:
    def is_int(cell: Any) -> bool:
        return isinstance(cell, int) and not isinstance(cell, bool)

    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise _error(f'{source}: "distance" must be a list of rows (lists of integers)',
                     None, None)
    for i, row in enumerate(value):
        bad = next((cell for cell in row if not is_int(cell)), None)
        if bad is not None:
            raise _error(f"{source}: distance row {i} holds {json.dumps(bad)}, not an integer",
                         None, None)
    return tuple(tuple(row) for row in value)


def _json_count(value: Any, key: str, source: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _error(f'{source}: "{key}" must be an integer of at least 1, not '
                     f"{json.dumps(value)}", None, None)
    return value
