"""Heterogeneous nodes in imported topologies: CPU-less nodes (CXL memory expanders, HBM)
and memory-less nodes, kept as such in `ir.Topology.cpuless` / `.memoryless`.

- `numactl --hardware`: `node 2 cpus:` with nothing after it is CPU-less; `node 1 size: 0
  MB` is memory-less.
- sysfs: `node<i>/cpulist` empty is CPU-less; `node<i>/meminfo` with `MemTotal: 0 kB` is
  memory-less (a missing file says nothing: the node is taken as ordinary).
- JSON: `"cpuless": [2]` and `"memoryless": [1]`, lists of node numbers.

A node with neither CPUs nor memory is refused (E404): nothing of a protocol can live there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from numaspec.spec.diagnostics import fail
from numaspec.spec.ir import nodes as ir

_CPUS = re.compile(r"^\s*node\s+(\d+)\s+cpus:\s*(.*?)\s*$")
_SIZE = re.compile(r"^\s*node\s+(\d+)\s+size:\s*(\d+)\s*[KMGT]?B\b")
_MEMTOTAL = re.compile(r"MemTotal:\s*(\d+)")


def with_kinds(topology: ir.Topology, cpuless: Iterable[int], memoryless: Iterable[int],
               source: str) -> ir.Topology:
    """`topology` with its CPU-less and memory-less nodes.  Raises SpecError (E404) for a
    node number out of range or a node with neither."""
    less_cpu, less_memory = frozenset(cpuless), frozenset(memoryless)
    for node in sorted(less_cpu | less_memory):
        if not 0 <= node < topology.nodes:
            raise fail("E404", f"{source}: node {node} is not a node of this "
                       f"{topology.nodes}-node machine", topology.span)
    both = sorted(less_cpu & less_memory)
    if both:
        raise fail("E404", f"{source}: node {both[0]} has neither CPUs nor memory",
                   topology.span)
    return dataclasses.replace(topology, cpuless=less_cpu, memoryless=less_memory)


def numactl_kinds(text: str) -> tuple[set[int], set[int]]:
    """The CPU-less and memory-less nodes that `numactl --hardware` lists."""
    cpuless, memoryless = set(), set()
    for line in text.splitlines():
        cpus = _CPUS.match(line)
        if cpus and not cpus.group(2):
            cpuless.add(int(cpus.group(1)))
        size = _SIZE.match(line)
        if size and int(size.group(2)) == 0:
            memoryless.add(int(size.group(1)))
    return cpuless, memoryless


def sysfs_kinds(root: Path, numbers: list[int]) -> tuple[set[int], set[int]]:
    """The CPU-less and memory-less nodes of a /sys/devices/system/node/ layout."""
    cpuless, memoryless = set(), set()
    for n in numbers:
        cpulist = _read(root / f"node{n}" / "cpulist")
        if cpulist is not None and not cpulist.strip():
            cpuless.add(n)
        meminfo = _read(root / f"node{n}" / "meminfo")
        total = _MEMTOTAL.search(meminfo) if meminfo is not None else None
        if total and int(total.group(1)) == 0:
            memoryless.add(n)
    return cpuless, memoryless


def _read(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            return stream.read(64 * 1024)
    except OSError:
        return None


def json_kinds(data: dict[str, Any], source: str) -> tuple[list[int], list[int]]:
    """The `"cpuless"` and `"memoryless"` lists of a JSON topology (E404 if malformed)."""
    found = []
    for key in ("cpuless", "memoryless"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
                isinstance(n, int) and not isinstance(n, bool) for n in value):
            raise fail("E404", f'{source}: "{key}" must be a list of node numbers', None)
        found.append(value)
    return found[0], found[1]
