"""Whether the iterations of a `for` over values that carry nodes commute.

A `for` runs its body in ascending order of the loop value, and a renaming of the nodes
changes that order.  The order cannot matter when the iterations touch disjoint parts of the
state: every write (assignment, `delete`, `send`) is at the key that is the loop value itself
(`x[m] := ...`, `delete x[m]`, `send ... to c[m]`), every read of a written variable in the
body or the `where` is at that key (`x[m]`, `m in x`, `get(x, m)`), and the body cannot
disable the step (no `require`, no `choose`), so that which iteration fails first decides
nothing but the message.  Distinct iterations have distinct loop values, so no iteration
reads or writes what another writes, and each runs as it would alone.
"""

from __future__ import annotations

from typing import Any, assert_never

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.walk import children
from numaspec.spec.span import Span

Problem = tuple[Span, str]


def loop_problem(stmt: ir.For) -> Problem | None:
    """Why the iterations of `stmt` might not commute, or None if they do (see the module)."""
    if len(stmt.bindings) != 1:
        return stmt.span, "a `for` over nodes with several bindings runs in node order"
    slot = stmt.bindings[0].local.slot
    written: dict[str, Span] = {}
    reads: list[ir.Expr] = [stmt.where] if stmt.where is not None else []
    problem = _block(stmt.body, slot, written, reads)
    if problem is not None:
        return problem
    for expr in reads:
        problem = _bad_read(expr, written, slot)
        if problem is not None:
            return problem
    return None


def _is_loop_key(expr: Any, slot: int) -> bool:
    return isinstance(expr, ir.LocalRef) and expr.local.slot == slot


def _block(block: ir.Block, slot: int, written: dict[str, Span],
           reads: list[ir.Expr]) -> Problem | None:
    for stmt in block.stmts:
        problem = _stmt(stmt, slot, written, reads)
        if problem is not None:
            return problem
    return None


def _stmt(stmt: ir.Stmt, slot: int, written: dict[str, Span],
          reads: list[ir.Expr]) -> Problem | None:
    match stmt:
        case ir.Require():
            return stmt.span, ("a `require` in a `for` over nodes: whether it disables the "
                               "step before another iteration fails depends on node order")
        case ir.Choose():
            return stmt.span, ("a `choose` in a `for` over nodes: whether it disables the "
                               "step before another iteration fails depends on node order")
        case ir.Assert(cond=cond) | ir.Let(value=cond):
            reads.append(cond)
        case ir.Assign(target=target, value=value):
            reads.append(value)
            return _target(target, None, slot, written, reads)
        case ir.Delete(target=target, key=key):
            return _target(target, key, slot, written, reads)
        case ir.If(cond=cond, then=then, orelse=orelse):
            reads.append(cond)
            return _block(then, slot, written, reads) or _block(orelse, slot, written, reads)
        case ir.For(bindings=bindings, where=where, body=body):
            reads.extend(b.domain.set for b in bindings if isinstance(b.domain, ir.SetDomain))
            reads.extend([where] if where is not None else [])
            return _block(body, slot, written, reads)
        case ir.Send(channel=channel, index=index, value=value):
            reads.append(value)
            if not _is_loop_key(index, slot):
                return stmt.span, (f"a send to `{channel}` in a `for` over nodes, not to the "
                                   "loop value's own channel: the messages' order follows the "
                                   "node order")
            written.setdefault(channel, stmt.span)
        case ir.Inlined(body=body):
            return _block(body, slot, written, reads)
        case ir.Block():
            return _block(stmt, slot, written, reads)
        case _:
            assert_never(stmt)
    return None


def _target(target: ir.Target, key: ir.Expr | None, slot: int, written: dict[str, Span],
            reads: list[ir.Expr]) -> Problem | None:
    """A write at `target` (and `key`, for a `delete`): it must be at the loop value."""
    keys = [step.key for step in target.path if isinstance(step, ir.KeyStep)]
    keys += [key] if key is not None else []
    first = target.path[0].key if target.path and isinstance(target.path[0], ir.KeyStep) \
        else (key if not target.path else None)
    if not _is_loop_key(first, slot):
        return target.span, (f"`{target.var}` is written in a `for` over nodes other than at "
                             "the loop value's own key: the result can depend on node order")
    reads.extend(k for k in keys if k is not first)
    written.setdefault(target.var, target.span)
    return None


def _bad_read(expr: Any, written: dict[str, Span], slot: int) -> Problem | None:
    """A read of a variable the loop writes, other than at the loop value's own key."""
    match expr:
        case ir.Lookup(base=ir.StateRef(var=var), key=key) if var in written and \
                _is_loop_key(key, slot):
            return None
        case ir.Binary(op="member" | "has_key", left=left, right=ir.StateRef(var=var)) if (
                var in written and _is_loop_key(left, slot)):
            return None
        case ir.Builtin(name="get", args=(ir.StateRef(var=var), key)) if var in written and \
                _is_loop_key(key, slot):
            return None
        case ir.StateRef(var=var) if var in written:
            return expr.span, (f"`{var}` is written by the iterations of a `for` over nodes "
                               "and read here other than at the loop value's own key: the "
                               "result can depend on node order")
    for child in children(expr):
        problem = _bad_read(child, written, slot)
        if problem is not None:
            return problem
    return None
