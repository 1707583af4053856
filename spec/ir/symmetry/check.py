"""The syntactic check that a spec commutes with every renaming of its nodes.

A renaming p is an automorphism of the topology's distance matrix (distance(p(a), p(b)) ==
distance(a, b)); it moves Node and Frame values as values.py says.  Symmetry reduction is
sound when, for every such p, renaming a state renames its successors (failures included) and
keeps every property's truth.  This module accepts a spec only if every expression of its
initial state, actions and properties is built from operations that commute with p (the
argument is in docs/language.md, "Symmetry"); it rejects, at the first place found:

- a constant that is not the same under every renaming (`0` as a node, `{0}`, `(1, true)`),
  and a variable whose initial value is not;
- `node(i)`, `frame(i)` (a fixed node from an integer) and `int(n)` of a node or frame;
- `<`, `<=`, `>`, `>=` between nodes or frames, and `min`/`max` of a set of nodes, or of
  frames unless they all belong to one node (frames keep their offset, so their order is
  kept);
- a `for` over values that carry nodes whose iterations may not commute (loops.py);
- a built-in it does not know.

Placements, `on`, views and workloads are not checked: they set costs and simulation weights,
which no verdict depends on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, assert_never

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.format import format_value
from numaspec.spec.ir.symmetry.loops import loop_problem
from numaspec.spec.ir.symmetry.values import carries_nodes, invariant
from numaspec.spec.span import Span

# Built-ins whose result is renamed exactly as their arguments are (distance: because a
# renaming is an automorphism of the distance matrix).
EQUIVARIANT = frozenset({"size", "dom", "ran", "get", "unwrap", "head", "tail", "append",
                         "node_of", "frames_of", "distance", "descendants", "ancestors",
                         "range"})
_ORDER = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@dataclass(frozen=True, slots=True)
class Asymmetry:
    """Where and why a spec may not commute with renaming its nodes."""

    span: Span | None
    reason: str


class _Broken(Exception):
    def __init__(self, span: Span | None, reason: str):
        super().__init__(reason)
        self.span, self.reason = span, reason


def asymmetry(spec: ir.Spec) -> Asymmetry | None:
    """The first construct of `spec` that may not commute with renaming nodes, or None."""
    if spec.topology.nodes < 2:
        return None  # one node: the only renaming is the identity
    try:
        _Checker(spec.topology).spec(spec)
    except _Broken as broken:
        return Asymmetry(broken.span, broken.reason)
    return None


def quote(span: Span | None) -> str:
    """The source text of a one-line `span` (read from its file), or "" if unknown."""
    if span is None or span.line != span.end_line or span.end_col - span.col > 60:
        return ""
    try:
        lines = Path(span.file).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return ""
    if not 1 <= span.line <= len(lines):
        return ""
    return lines[span.line - 1][span.col - 1:span.end_col - 1].strip()


def _named(span: Span, fallback: str) -> str:
    text = quote(span)
    return f"`{text}`" if text else fallback


def _fixed(const: ir.Const) -> str:
    shown = _named(const.span, f"`{format_value(const.value, const.type)}`")
    if isinstance(const.type, (t.NodeType, t.FrameType)):
        return f"{shown} is one particular {t.show(const.type).lower()} (a constant)"
    return f"the constant {shown} singles out particular nodes"


class _Checker:
    """Walks the IR; raises `_Broken` at the first construct that breaks the criterion."""

    def __init__(self, topology: ir.Topology):
        self.nodes, self.per_node = topology.nodes, topology.frames_per_node
        self.one_node: set[int] = set()  # local slots holding frames of a single node

    def spec(self, spec: ir.Spec) -> None:
        for var in spec.variables:
            if not invariant(var.initial, var.type, self.nodes, self.per_node):
                raise _Broken(var.span, f"the initial value of `{var.name}`, "
                              f"{format_value(var.initial, var.type)}, singles out nodes")
        if spec.init is not None:
            self.block(spec.init)
        for action in spec.actions:
            self.one_node = set()
            if action.receive is not None and action.receive.index is not None:
                self.expr(action.receive.index)
            self.block(action.body)
        for prop in (*spec.invariants, *spec.reachables, *spec.finals):
            self.one_node = set()
            self.expr(prop.expr)
        for leads in spec.liveness:
            self.one_node = set()
            self.bindings(leads.bindings)
            self.expr(leads.premise)
            self.expr(leads.conclusion)

    # ------------------------------------------------------------- statements
    def block(self, block: ir.Block) -> None:
        for stmt in block.stmts:
            self.stmt(stmt)

    def stmt(self, stmt: ir.Stmt) -> None:
        match stmt:
            case ir.Require(cond=cond) | ir.Assert(cond=cond):
                self.expr(cond)
            case ir.Let(local=local, value=value):
                self.expr(value)
                self.bind(local, value)
            case ir.Assign(target=target, value=value):
                self.target(target)
                self.expr(value)
            case ir.Delete(target=target, key=key):
                self.target(target)
                self.expr(key)
            case ir.If(cond=cond, then=then, orelse=orelse):
                self.expr(cond)
                self.block(then)
                self.block(orelse)
            case ir.For():
                self.loop(stmt)
            case ir.Choose(bindings=bindings, where=where, body=body):
                self.bindings(bindings)
                self.optional(where)
                self.block(body)
            case ir.Send(index=index, value=value):
                self.optional(index)
                self.expr(value)
            case ir.Inlined(body=body):
                self.block(body)
            case ir.Block():
                self.block(stmt)
            case _:
                assert_never(stmt)

    def loop(self, stmt: ir.For) -> None:
        """A `for` runs in ascending order: over values that carry nodes (frames of one node
        excepted, whose order renaming keeps) its iterations must commute."""
        self.bindings(stmt.bindings)
        self.optional(stmt.where)
        self.block(stmt.body)
        if any(self._reordered(b) for b in stmt.bindings):
            problem = loop_problem(stmt)
            if problem is not None:
                raise _Broken(*problem)

    def _reordered(self, binding: ir.Binding) -> bool:
        match binding.domain:
            case ir.TypeDomain(type=typ):
                return carries_nodes(typ)
            case ir.SetDomain(set=values):
                return carries_nodes(values.type) and not self.one_node_frames(values)
            case _:
                assert_never(binding.domain)

    def target(self, target: ir.Target) -> None:
        for step in target.path:
            if isinstance(step, ir.KeyStep):
                self.expr(step.key)

    def bindings(self, bindings: tuple[ir.Binding, ...]) -> None:
        for binding in bindings:
            if isinstance(binding.domain, ir.SetDomain):
                self.expr(binding.domain.set)

    def bind(self, local: ir.Local, value: ir.Expr) -> None:
        if self.one_node_frames(value):
            self.one_node.add(local.slot)

    def optional(self, expr: ir.Expr | None) -> None:
        if expr is not None:
            self.expr(expr)

    # ------------------------------------------------------------ expressions
    def expr(self, expr: ir.Expr) -> None:
        match expr:
            case ir.Const(value=value, type=typ):
                if not invariant(value, typ, self.nodes, self.per_node):
                    raise _Broken(expr.span, _fixed(expr))
            case ir.StateRef() | ir.LocalRef():
                pass
            case ir.Unary(operand=operand) | ir.SomeOf(operand=operand):
                self.expr(operand)
            case ir.Binary():
                self.binary(expr)
            case ir.IfThenElse(cond=cond, then=then, orelse=orelse):
                self.exprs(cond, then, orelse)
            case ir.Quantifier(bindings=bindings, where=where, body=body):
                self.bindings(bindings)
                self.optional(where)
                self.expr(body)
            case ir.Comprehension(bindings=bindings, where=where, element=element):
                self.bindings(bindings)
                self.optional(where)
                self.optional(element)
            case ir.Lookup(base=base, key=key):
                self.exprs(base, key)
            case ir.Project(base=base):
                self.expr(base)
            case ir.Builtin():
                self.builtin(expr)
            case ir.MakeTuple(items=items) | ir.MakeSet(items=items):
                self.exprs(*items)
            case ir.MakeMap(entries=entries):
                self.exprs(*(part for entry in entries for part in entry))
            case ir.LetIn(local=local, value=value, body=body):
                self.expr(value)
                self.bind(local, value)
                self.expr(body)
            case _:
                assert_never(expr)

    def exprs(self, *exprs: ir.Expr) -> None:
        for expr in exprs:
            self.expr(expr)

    def binary(self, expr: ir.Binary) -> None:
        if expr.op in _ORDER and carries_nodes(expr.left.type):
            raise _Broken(expr.span, f"{_named(expr.span, 'a comparison')} orders nodes by "
                          f"number (`{_ORDER[expr.op]}` between {t.show(expr.left.type)}s)")
        self.exprs(expr.left, expr.right)

    def builtin(self, expr: ir.Builtin) -> None:
        name, args = expr.name, expr.args
        shown = _named(expr.span, f"`{name}(...)`")
        if name in ("node", "frame"):
            raise _Broken(expr.span, f"{shown} picks a particular {name} by its number")
        if name == "int" and carries_nodes(args[0].type):
            raise _Broken(expr.span, f"{shown} uses the number of a {t.show(args[0].type)}")
        if name in ("min", "max"):
            self._extreme(expr)
        elif name not in EQUIVARIANT and name != "int":
            raise _Broken(expr.span, f"{shown}: the built-in `{name}` is not known to commute "
                          "with renaming nodes")
        self.exprs(*args)

    def _extreme(self, expr: ir.Builtin) -> None:
        elem = expr.args[0].type.elem if isinstance(expr.args[0].type, t.SetType) else None
        if isinstance(elem, t.NodeType) or (
                isinstance(elem, t.FrameType) and not self.one_node_frames(expr.args[0])):
            raise _Broken(expr.span, f"{_named(expr.span, f'`{expr.name}(...)`')} picks the "
                          f"{'lowest' if expr.name == 'min' else 'highest'}-numbered "
                          f"{t.show(elem)} of the set")

    def one_node_frames(self, expr: Any) -> bool:
        """Whether `expr` (a set of frames) provably holds frames of a single node only."""
        match expr:
            case ir.Builtin(name="frames_of"):
                return True
            case ir.Comprehension(kind="filter", bindings=(ir.Binding(
                    domain=ir.SetDomain(set=values)),)):
                return self.one_node_frames(values)
            case ir.Binary(op="diff", left=left):
                return self.one_node_frames(left)
            case ir.Binary(op="inter", left=left, right=right):
                return self.one_node_frames(left) or self.one_node_frames(right)
            case ir.LetIn(local=local, value=value, body=body):
                self.bind(local, value)
                return self.one_node_frames(body)
            case ir.LocalRef(local=local):
                return local.slot in self.one_node
            case ir.IfThenElse(then=then, orelse=orelse):
                return self.one_node_frames(then) and self.one_node_frames(orelse)
            case ir.MakeSet(items=()):
                return True
            case _:
                return False
