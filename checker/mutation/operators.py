"""Mutation operators over the IR: each turns one place of a spec's actions or `init` into a
slightly wrong one, the kind of slip a protocol designer makes.

The operators (`OPERATORS`):
- `negate-guard`: a `require c` becomes `require not c`; an `if c` becomes `if not c`;
- `off-by-one`: an integer constant c becomes c - 1 or c + 1 (kept inside a range type), a
  `Node`/`Frame` constant the next one, a Boolean constant its negation; a comparison `<`
  becomes `<=` (and back), `>` becomes `>=`, `==` becomes `!=` (and back);
- `swap`: two adjacent statements of a block change places (never a `let`, whose local
  the next statement may read);  a mutant that may use a fixed node (`channel-index`, a
  `Node` constant changed) no longer declares `symmetric` (symmetry is a reduction, not
  part of the meaning, and the mutant would be rejected, E405);
- `channel-index`: a `send` to an indexed channel goes to another (constant) index;
- `drop-send`: a `send` disappears.

A *site* is one (place, replacement) pair.  `sites(spec)` lists them in a fixed order (the
order of a depth-first walk of the actions, then `init`); `apply(spec, site)` builds the
mutant; `sample(spec, count, seed)` picks sites reproducibly.  Every mutant is a well-typed
IR (replacements have the type of what they replace), so an engine that crashes on one has a
bug.  Properties are never mutated: the mutant is a wrong protocol checked against the right
properties.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, assert_never

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t

OPERATORS = ("negate-guard", "off-by-one", "swap", "channel-index", "drop-send")

_FLIP: dict[str, ir.BinOp] = {"lt": "le", "le": "lt", "gt": "ge", "ge": "gt",
                              "eq": "ne", "ne": "eq"}


@dataclass(frozen=True)
class Site:
    """Replacement number `number` (in `sites` order): `operator` at `where` (a source
    position), described by `what`."""

    number: int
    operator: str
    where: str
    what: str


# A replacement: (operator, description, the new node).
_Alternative = tuple[str, str, Any]


def _where(span: Any) -> str:
    return f"{span.file}:{span.line}:{span.col}" if span is not None else "?"


def _bool_not(expr: ir.Expr) -> ir.Expr:
    return ir.Unary("not", expr, t.BoolType(), expr.span)  # type: ignore[union-attr]


def _const_values(const: ir.Const) -> list[Any]:
    """The off-by-one neighbours of a constant that stay inside its type."""
    value, typ = const.value, const.type
    match typ:
        case t.BoolType():
            return [not value]
        case t.IntType(lo=lo, hi=hi):
            return [v for v in (value - 1, value + 1)
                    if (lo is None or v >= lo) and (hi is None or v <= hi)]
        case t.NodeType(count=count) | t.FrameType(count=count) if count > 1:
            return [(value + 1) % count]
        case _:
            return []


def _expr_alternatives(expr: ir.Expr) -> list[_Alternative]:
    match expr:
        case ir.Const(value=value) if not isinstance(value, bool | int):
            return []  # sets, maps, tuples, options: no "neighbour" a designer would write
        case ir.Const():
            kind = "node " if isinstance(expr.type, t.NodeType) else ""
            return [("off-by-one", f"{kind}{expr.value!r} -> {v!r}",
                     dataclasses.replace(expr, value=v)) for v in _const_values(expr)]
        case ir.Binary(op=op) if op in _FLIP:
            return [("off-by-one", f"{op} -> {_FLIP[op]}",
                     dataclasses.replace(expr, op=_FLIP[op]))]
        case ir.Binary() | ir.StateRef() | ir.LocalRef() | ir.Unary() | ir.IfThenElse() \
                | ir.Quantifier() | ir.Comprehension() | ir.Lookup() | ir.Project() \
                | ir.SomeOf() | ir.Builtin() | ir.MakeTuple() | ir.MakeSet() | ir.MakeMap() \
                | ir.LetIn():
            return []
        case _:
            assert_never(expr)


def _other_indices(index: ir.Expr) -> list[ir.Const]:
    typ = index.type  # type: ignore[union-attr]
    match typ:
        case t.NodeType(count=count) | t.FrameType(count=count):
            values = range(count)
        case t.IntType(lo=int() as lo, hi=int() as hi) if hi - lo < 8:
            values = range(lo, hi + 1)
        case _:
            return []
    # A constant index: every other value; a variable one: every value (each is wrong in
    # the states where the variable has another value).
    skip = index.value if isinstance(index, ir.Const) else None
    return [ir.Const(v, typ, index.span) for v in values  # type: ignore[union-attr]
            if v != skip]


def _swaps(block: ir.Block) -> list[_Alternative]:
    stmts, out = block.stmts, []
    for i in range(len(stmts) - 1):
        first, second = stmts[i], stmts[i + 1]
        if _binds(first) or _binds(second) or first == second:
            continue
        swapped = (*stmts[:i], second, first, *stmts[i + 2:])
        out.append(("swap", f"statements at {_where(_span(first))} and "
                    f"{_where(_span(second))}", dataclasses.replace(block, stmts=swapped)))
    return out


def _binds(stmt: ir.Stmt) -> bool:
    """Whether `stmt` binds a local that later statements may read (a `let`, also one that a
    pattern `let` wraps in a block)."""
    return isinstance(stmt, ir.Let) or (isinstance(stmt, ir.Block)
                                        and any(_binds(s) for s in stmt.stmts))


def _span(stmt: ir.Stmt) -> Any:
    return stmt.span


def _send_alternatives(send: ir.Send) -> list[_Alternative]:
    dropped: _Alternative = ("drop-send", f"send on {send.channel} dropped",
                             ir.Block((), send.span))
    if send.index is None:
        return [dropped]
    return [dropped, *(("channel-index", f"send on {send.channel}[{c.value}]",
                        dataclasses.replace(send, index=c)) for c in _other_indices(send.index))]


def _stmt_alternatives(stmt: ir.Stmt) -> list[_Alternative]:
    match stmt:
        case ir.Require(cond=cond):
            return [("negate-guard", "require negated",
                     dataclasses.replace(stmt, cond=_bool_not(cond)))]
        case ir.If(cond=cond):
            return [("negate-guard", "if condition negated",
                     dataclasses.replace(stmt, cond=_bool_not(cond)))]
        case ir.Send():
            return _send_alternatives(stmt)
        case ir.Block():
            return _swaps(stmt)
        case ir.Assert() | ir.Let() | ir.Assign() | ir.Delete() | ir.For() | ir.Choose() \
                | ir.Inlined():
            return []
        case _:
            assert_never(stmt)


def _alternatives(node: Any) -> list[_Alternative]:
    """The replacements of a statement or expression; none for the other nodes (targets,
    bindings, domains, path steps), whose parts are visited on their own."""
    if isinstance(node, ir.Stmt):
        return _stmt_alternatives(node)
    if isinstance(node, ir.Expr):
        return _expr_alternatives(node)
    return []


class _Rewriter:
    """A depth-first walk that numbers every alternative; `target` is the one to apply (or
    None to only count).  `found` collects the sites seen."""

    def __init__(self, target: int | None):
        self.target, self.count = target, 0
        self.found: list[Site] = []

    def node(self, node: Any) -> Any:
        alternatives = _alternatives(node)
        for operator, what, replacement in alternatives:
            number = self.count
            self.count += 1
            self.found.append(Site(number, operator, _where(getattr(node, "span", None)), what))
            if number == self.target:
                return replacement
        return self._children(node)

    def _children(self, node: Any) -> Any:
        if isinstance(node, ir.Const | ir.Local | type) or not dataclasses.is_dataclass(node):
            return node
        changes = {}
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            new = self._value(value)
            if new is not value:
                changes[field.name] = new
        return dataclasses.replace(node, **changes) if changes else node  # type: ignore[type-var]

    def _value(self, value: Any) -> Any:
        if isinstance(value, tuple):
            items = tuple(self._value(v) for v in value)
            return items if any(a is not b for a, b in zip(items, value, strict=True)) \
                else value
        if _is_ir(value):
            return self.node(value)
        return value

    def spec(self, spec: ir.Spec) -> ir.Spec:
        actions = tuple(self._action(a) for a in spec.actions)
        init = self.node(spec.init) if spec.init is not None else None
        return dataclasses.replace(spec, actions=actions, init=init)

    def _action(self, action: ir.Action) -> ir.Action:
        body = self.node(action.body)
        return action if body is action.body else dataclasses.replace(action, body=body)


def _is_ir(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type) \
        and type(value).__module__.startswith("numaspec.spec.ir") \
        and type(value).__module__ != t.__name__ and not isinstance(value, ir.Local)


def sites(spec: ir.Spec) -> list[Site]:
    """Every mutation site of `spec`, in a fixed order (numbered from 0)."""
    rewriter = _Rewriter(None)
    rewriter.spec(spec)
    return rewriter.found


def apply(spec: ir.Spec, site: Site | int) -> ir.Spec:
    """The mutant of `spec` at `site` (a `Site` of `sites(spec)` or its number)."""
    number = site.number if isinstance(site, Site) else site
    rewriter = _Rewriter(number)
    mutant = rewriter.spec(spec)
    symmetric = spec.symmetric
    if _breaks_symmetry(rewriter.found[number]):
        symmetric = ()
    return dataclasses.replace(mutant, name=f"{spec.name}~m{number}", symmetric=symmetric)


def _breaks_symmetry(site: Site) -> bool:
    return site.operator == "channel-index" or site.what.startswith("node ")


def sample(spec: ir.Spec, count: int, seed: int,
           keep: Callable[[Site], bool] = lambda site: True) -> list[Site]:
    """`count` sites chosen by `random.Random(seed)` among those `keep` accepts, every
    operator represented when it can be (round-robin over operators), in site order."""
    by_operator: dict[str, list[Site]] = {}
    for site in sites(spec):
        if keep(site):
            by_operator.setdefault(site.operator, []).append(site)
    rng = random.Random(seed)
    for group in by_operator.values():
        rng.shuffle(group)
    chosen: list[Site] = []
    while len(chosen) < count and any(by_operator.values()):
        for group in by_operator.values():
            if group and len(chosen) < count:
                chosen.append(group.pop())
    return sorted(chosen, key=lambda site: site.number)


def mutants(spec: ir.Spec, count: int, seed: int) -> Iterator[tuple[Site, ir.Spec]]:
    """`sample(spec, count, seed)` with each site's mutant."""
    for site in sample(spec, count, seed):
        yield site, apply(spec, site)

