"""`ancestors` and `descendants` over a map of parent links (the MDB), symbolically.

Reachability is unrolled as a fixpoint: at most one round per key (a parent chain visits each
key once), stopping early when a round changes no term.
"""

from __future__ import annotations

from typing import Any

from numaspec.checker.symbolic import logic as L
from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.logic import Leaf
from numaspec.checker.symbolic.terms import Term, make
from numaspec.checker.symbolic.values import SMap, SOpt, SSet, Sym
from numaspec.spec.ir import types as t

Edges = dict[Any, dict[Any, Leaf]]  # child -> parent -> "the child's parent is the parent"


def _edges(links: SMap, key_type: t.Type) -> Edges:
    keys = list(links.entries)
    edges: Edges = {}
    for child, (present, value) in links.entries.items():
        if isinstance(value, SOpt):  # Map[K, K?]: a `none` parent is no link
            present, value = L.conj([present, value.present]), value.value
        edges[child] = {parent: L.conj([present, S.equal(value, S.const(parent, key_type),
                                                          key_type)])
                        for parent in keys}
    return edges


def _is(value: Sym, key: Any, key_type: t.Type) -> Leaf:
    return S.equal(value, S.const(key, key_type), key_type)


def _traced_closure(reach: dict[Any, Leaf], edges: Edges, keys: list[Any],
                    forward: bool) -> dict[Any, Leaf] | None:
    """When tracing (checker/symbolic/terms.py), the fixpoint as one "closure" term computed at
    run time, which stops as soon as a round adds nothing; None otherwise."""
    leaves = [*(reach[k] for k in keys), *(edges[x][y] for x in keys for y in keys)]
    if not any(isinstance(leaf, Term) for leaf in leaves):
        return None
    whole = make("closure", forward, len(keys), *leaves)
    return {k: make("item", whole, i) for i, k in enumerate(keys)}


def ancestors(links: SMap, start: Sym, key_type: t.Type) -> SSet:
    """Every key reached from `start` by one or more parent links."""
    edges = _edges(links, key_type)
    keys = list(edges)
    reach = {y: L.disj(L.conj([_is(start, x, key_type), edges[x][y]]) for x in keys)
             for y in keys}
    traced = _traced_closure(reach, edges, keys, forward=False)
    if traced is not None:
        return SSet(traced)
    for _ in keys:
        step = {y: L.disj([reach[y], *(L.conj([reach[x], edges[x][y]]) for x in keys)])
                for y in keys}
        if all(L.same(step[y], reach[y]) for y in keys):
            break
        reach = step
    return SSet(reach)


def descendants(links: SMap, root: Sym, key_type: t.Type) -> SSet:
    """Every key whose chain of parent links reaches `root` (one link or more)."""
    edges = _edges(links, key_type)
    keys = list(edges)
    reach = {x: L.disj(L.conj([edges[x][y], _is(root, y, key_type)]) for y in keys)
             for x in keys}
    traced = _traced_closure(reach, edges, keys, forward=True)
    if traced is not None:
        return SSet(traced)
    for _ in keys:
        step = {x: L.disj([reach[x], *(L.conj([edges[x][y], reach[y]]) for y in keys)])
                for x in keys}
        if all(L.same(step[x], reach[x]) for x in keys):
            break
        reach = step
    return SSet(reach)
