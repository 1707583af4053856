"""Run-time meaning of the built-in functions (typing rules: spec/elaborate/calls.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.values import FrozenMap, sort_key


def _error(message: str, expr: ir.Builtin) -> Exception:
    return EvalError(message, expr.span)


Impl = Callable[[ir.Builtin, list[Any], ir.Topology], Any]


def _extreme(pick: Callable[..., Any], what: str) -> Impl:
    def run(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
        if not args[0]:
            raise _error(f"{what} of an empty set", expr)
        return pick(args[0], key=sort_key)

    return run


def _unwrap(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
    if args[0] is None:
        raise _error("unwrap of none", expr)
    return args[0]


def _head(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
    if not args[0]:
        raise _error("head of an empty sequence", expr)
    return args[0][0]


def _tail(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
    if not args[0]:
        raise _error("tail of an empty sequence", expr)
    return args[0][1:]


def _append(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
    # Never fails: storing a sequence longer than a variable's capacity is what fails.
    return args[0] + (args[1],)


def _to_range(count_of: Callable[[ir.Topology], int], what: str) -> Callable[..., Any]:
    def run(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
        if not 0 <= args[0] < count_of(topo):
            raise _error(f"{args[0]} is not a {what} (0..{count_of(topo) - 1})", expr)
        return args[0]

    return run


def _range(expr: ir.Builtin, args: list[Any], topo: ir.Topology) -> Any:
    lo, hi = args
    if hi - lo >= 1_000_000:
        raise _error(f"the range {lo} .. {hi} has more than a million values", expr)
    return frozenset(range(lo, hi + 1))


def parent_links(links: FrozenMap) -> dict[Any, Any]:
    """child -> parent, with `none` parents dropped."""
    return {k: v for k, v in links.items() if v is not None}


def ancestors(links: FrozenMap, start: Any) -> frozenset[Any]:
    """Every key reached by following parent links from `start` (one step or more).

    `start` itself is included only if the links lead back to it (a cycle)."""
    parents = parent_links(links)
    seen: set[Any] = set()
    node = parents.get(start)
    while node is not None and node not in seen:
        seen.add(node)
        node = parents.get(node)
    return frozenset(seen)


def descendants(links: FrozenMap, root: Any) -> frozenset[Any]:
    """Every key whose parent chain reaches `root` (one step or more)."""
    parents = parent_links(links)
    children: dict[Any, list[Any]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found: set[Any] = set()
    stack = list(children.get(root, ()))
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, ()))
    return frozenset(found)


_TABLE: dict[str, Impl] = {
    "size": lambda e, a, topo: len(a[0]),
    "min": _extreme(min, "min"),
    "max": _extreme(max, "max"),
    "dom": lambda e, a, topo: frozenset(a[0].keys()),
    "ran": lambda e, a, topo: frozenset(a[0].values()),
    "get": lambda e, a, topo: a[0].get(a[1]),
    "unwrap": _unwrap,
    "head": _head,
    "tail": _tail,
    "append": _append,
    "int": lambda e, a, topo: a[0],
    "node": _to_range(lambda topo: topo.nodes, "node"),
    "frame": _to_range(lambda topo: topo.nodes * topo.frames_per_node, "frame"),
    "node_of": lambda e, a, topo: a[0] // topo.frames_per_node,
    "frames_of": lambda e, a, topo: frozenset(
        range(a[0] * topo.frames_per_node, (a[0] + 1) * topo.frames_per_node)),
    "distance": lambda e, a, topo: topo.distance[a[0]][a[1]],
    "descendants": lambda e, a, topo: descendants(a[0], a[1]),
    "ancestors": lambda e, a, topo: ancestors(a[0], a[1]),
    "range": _range,
}

BUILTIN_NAMES = frozenset(_TABLE)


def call_builtin(expr: ir.Builtin, args: list[Any], topology: ir.Topology) -> Any:
    return _TABLE[expr.name](expr, args, topology)
