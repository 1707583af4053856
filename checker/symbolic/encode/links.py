"""`ancestors` and `descendants` over a map of parent links (the MDB), symbolically.

Reachability is unrolled as a fixpoint: at most one round per key (a parent chain visits each
key once), stopping early when a round changes no term.
"""

from __future__ import annotations

from typing import Any

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.values import SMap, SOpt, SSet, Sym
from numaspec.spec.ir import types as t

Edges = dict[Any, dict[Any, Leaf]]  # child -> parent -> "the child's parent is the parent"


def _edges(lg: Logic, links: SMap, key_type: t.Type) -> Edges:
    keys = list(links.entries)
    edges: Edges = {}
    for child, (present, value) in links.entries.items():
        if isinstance(value, SOpt):  # Map[K, K?]: a `none` parent is no link
            present, value = lg.conj([present, value.present]), value.value
        edges[child] = {parent: lg.conj([present, _is(lg, value, parent, key_type)])
                        for parent in keys}
    return edges


def _is(lg: Logic, value: Sym, key: Any, key_type: t.Type) -> Leaf:
    return S.equal(lg, value, S.const(key, key_type), key_type)


def _fixpoint(lg: Logic, reach: dict[Any, Leaf], edges: Edges, keys: list[Any],
              forward: bool) -> SSet:
    """`reach` closed under one more link per round: towards parents (`forward`: towards
    children).  A backend that computes the closure itself (`Logic.closure`) gets it as
    one term; otherwise it is unrolled, at most one round per key, until a round changes
    nothing."""
    closed = lg.closure(reach, edges, keys, forward)
    if closed is not None:
        return SSet(closed)
    for _ in keys:
        if forward:
            step = {x: lg.disj([reach[x], *(lg.conj([edges[x][y], reach[y]]) for y in keys)])
                    for x in keys}
        else:
            step = {y: lg.disj([reach[y], *(lg.conj([reach[x], edges[x][y]]) for x in keys)])
                    for y in keys}
        if all(lg.same(step[k], reach[k]) for k in keys):
            break
        reach = step
    return SSet(reach)


def ancestors(lg: Logic, links: SMap, start: Sym, key_type: t.Type) -> SSet:
    """Every key reached from `start` by one or more parent links."""
    edges = _edges(lg, links, key_type)
    keys = list(edges)
    reach = {y: lg.disj(lg.conj([_is(lg, start, x, key_type), edges[x][y]]) for x in keys)
             for y in keys}
    return _fixpoint(lg, reach, edges, keys, forward=False)


def descendants(lg: Logic, links: SMap, root: Sym, key_type: t.Type) -> SSet:
    """Every key whose chain of parent links reaches `root` (one link or more)."""
    edges = _edges(lg, links, key_type)
    keys = list(edges)
    reach = {x: lg.disj(lg.conj([edges[x][y], _is(lg, root, y, key_type)]) for y in keys)
             for x in keys}
    return _fixpoint(lg, reach, edges, keys, forward=True)
