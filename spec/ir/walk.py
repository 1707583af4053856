"""Small generic walks over IR expressions (through the nodes' __slots__)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from numaspec.spec.ir import expressions, statements
from numaspec.spec.ir import nodes as ir


def children(node: Any) -> Iterator[Any]:
    """The IR nodes directly below `node` (constants' values and types are not nodes)."""
    for name in node.__slots__:
        child = getattr(node, name)
        if isinstance(child, tuple):
            for item in child:
                if isinstance(item, tuple):
                    yield from (part for part in item if _is_node(part))
                elif _is_node(item):
                    yield item
        elif _is_node(child):
            yield child


# The modules that define IR nodes (spec/ir/nodes.py re-exports the other two).
_NODE_MODULES = frozenset({ir.__name__, expressions.__name__, statements.__name__})


def _is_node(value: Any) -> bool:
    return type(value).__module__ in _NODE_MODULES and not isinstance(value, ir.Local)


def walk(expr: Any) -> Iterator[Any]:
    """`expr` and every IR node below it."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ir.Const):
            stack.extend(children(node))


def mentions(expr: Any, slot: int) -> bool:
    return any(isinstance(n, ir.LocalRef) and n.local.slot == slot for n in walk(expr))


def uses(expr: Any, slot: int) -> int:
    """How often `expr` mentions local `slot`: 0, 1, or 2 meaning "more than once" (a
    mention inside a quantifier or comprehension counts as many, it is evaluated often)."""
    count = 0
    stack = [expr]
    while stack and count < 2:
        node = stack.pop()
        if isinstance(node, ir.LocalRef):
            count += node.local.slot == slot
        elif isinstance(node, (ir.Quantifier, ir.Comprehension)):
            count += 2 if mentions(node, slot) else 0
        elif not isinstance(node, ir.Const):
            stack.extend(children(node))
    return count


def state_reads(expr: Any) -> set[str]:
    """The state variables an IR expression reads (through inlined functions too)."""
    return {n.var for n in walk(expr) if isinstance(n, ir.StateRef)}


# the built-ins that can fail at run time (spec/ir/builtins.py raises for these)
_PARTIAL_BUILTINS = frozenset({"min", "max", "unwrap", "head", "tail", "node", "frame",
                               "range"})


def can_fail(expr: Any) -> bool:
    """Whether evaluating `expr` may raise a run-time error (a lookup, a division, a partial
    built-in, a set or map built at a narrower type).  Quantifiers whose body can fail are
    evaluated in full (spec/ir/evaluate.py `_quantifier`): which of their iterations fails
    must not depend on the order of the values, or symmetry reduction would depend on it."""
    for node in walk(expr):
        match node:
            case ir.Lookup() | ir.Binary(op="div" | "mod") | ir.MakeSet() | ir.MakeMap():
                return True
            case ir.Builtin(name=name) if name in _PARTIAL_BUILTINS:
                return True
            case ir.Comprehension(kind="image") | ir.Binary(op="union" | "diff"):
                return True
    return False


def substitutable(expr: ir.LetIn) -> bool:
    """Whether a `let` from an inlined function can be replaced by its value: the value is a
    constant or a local, or the body uses it at most once (expressions are pure, so the value
    computed where it is used is the same)."""
    return uses(expr.body, expr.local.slot) <= 1 or isinstance(expr.value,
                                                                (ir.Const, ir.LocalRef))


@contextmanager
def substituting(table: dict[int, Any], slot: int, value: Any) -> Iterator[None]:
    """`table[slot] = value` while compiling a `let` body (slots are reused across actions)."""
    saved = table.get(slot)
    table[slot] = value
    try:
        yield
    finally:
        if saved is None:
            del table[slot]
        else:
            table[slot] = saved


def container_name(expr: ir.Expr) -> str:
    """How a run-time error names the map or sequence `expr` that lacks a key: `` `pt` ``,
    `` `acks[...]` ``, or "the map" for a computed one."""
    match expr:
        case ir.StateRef(var=var):
            return f"`{var}`"
        case ir.LocalRef(local=local):
            return f"`{local.name}`"
        case ir.Lookup(base=base) if not container_name(base).startswith("the"):
            return f"{container_name(base)[:-1]}[...]`"
        case _:
            return "the map"
