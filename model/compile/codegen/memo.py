"""Which subexpressions of a generated expression are computed once per evaluation.

A quantifier or comprehension nested in the body, filter or domain of another one is
evaluated once per iteration of the outer one.  When it mentions no local bound inside the
expression (only the state, constants and the caller's locals, such as an action's
parameters), every one of those evaluations gives the same value: `forall x: dom(l4.tlb()):
l4.tlb()[x] in l4.allocated` builds the map `l4.tlb()` once per x.  Such a subexpression is
remembered at its first use in one evaluation of the whole expression and reused after it.
The first use is where the unremembered form would first evaluate it, so a run-time error it
raises is raised at the same point: values are pure, only the repetition goes.
"""

from __future__ import annotations

from typing import Any

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.walk import children

UNSET = object()  # a memo slot not computed yet in this evaluation


def remember(memo: list[Any], index: int, value: Any) -> Any:
    """Store `value` in `memo[index]` and return it (the generated code's first use)."""
    memo[index] = value
    return value


def repeated_invariants(expr: ir.Expr) -> dict[int, int]:
    """The ids of the maximal quantifiers and comprehensions of `expr` that are evaluated
    repeatedly (nested in another) and mention no local bound inside `expr`, numbered from 0
    (their memo slots)."""
    free = _free_locals(expr)
    bound_inside = {slot for node in _nodes(expr) for slot in _binds(node)}
    found: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(expr, False)]  # (node, inside a quantifier)
    while stack:
        node, repeated = stack.pop()
        binder = isinstance(node, (ir.Quantifier, ir.Comprehension))
        if binder and repeated and free[id(node)].isdisjoint(bound_inside):
            found.setdefault(id(node), len(found))
            continue
        stack.extend((child, repeated or binder) for child in children(node)
                     if not isinstance(child, ir.Const))
    return found


def _binds(node: Any) -> list[int]:
    """The local slots `node` itself binds."""
    match node:
        case ir.Quantifier(bindings=bindings) | ir.Comprehension(bindings=bindings):
            return [b.local.slot for b in bindings]
        case ir.LetIn(local=local):
            return [local.slot]
        case _:
            return []


def _nodes(expr: ir.Expr) -> list[Any]:
    """Every IR node of `expr` (constants' values excluded), parents before children."""
    order, stack = [], [expr]
    while stack:
        node = stack.pop()
        order.append(node)
        if not isinstance(node, ir.Const):
            stack.extend(children(node))
    return order


def _free_locals(expr: ir.Expr) -> dict[int, frozenset[int]]:
    """For every node of `expr` (by id), the local slots it mentions that it does not bind
    itself: computed children first, without recursion (expressions can nest deeply)."""
    free: dict[int, frozenset[int]] = {}
    for node in reversed(_nodes(expr)):
        if id(node) in free:
            continue  # a node shared by two parents
        mentioned: set[int] = set()
        if isinstance(node, ir.LocalRef):
            mentioned.add(node.local.slot)
        for child in children(node):
            mentioned |= free.get(id(child), frozenset())
        free[id(node)] = frozenset(mentioned.difference(_binds(node)))
    return free
