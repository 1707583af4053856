"""Calls in expressions: built-in functions (typing rules) and inlined `fun`s.

The names of the built-ins are BUILTIN_FUNCTIONS (spec/elaborate/symbols.py); the assertion at
the end of this module checks that the typing rules here cover exactly that set, and
tests/checker/test_smt.py checks that the symbolic encoder handles each of them.  The run-time
meaning of each built-in is in spec/ir/builtins.py (BUILTIN_NAMES), which nothing checks yet
against BUILTIN_FUNCTIONS.
"""

from __future__ import annotations

from collections.abc import Callable

from numaspec.spec.diagnostics import Note
from numaspec.spec.elaborate.context import Abort
from numaspec.spec.elaborate.heterogeneous import frames_with_memory, member
from numaspec.spec.elaborate.operators import OperatorLayer
from numaspec.spec.elaborate.symbols import BUILTIN_FUNCTIONS, KIND_NOUNS, Symbol
from numaspec.spec.elaborate.typing_rules import is_undetermined
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes

HERE = "here"  # the executing node (not a built-in function: elaborated to the `on` expression)

BuiltinRule = Callable[["CallLayer", list[ir.Expr], tuple[nodes.Expr, ...], Span], t.Type]


class CallLayer(OperatorLayer):
    def callee(self, func: nodes.Expr) -> Symbol | str:
        """The called symbol, or the name of a built-in function."""
        alias = self.module_of(func.base) if isinstance(func, nodes.FieldAccess) else None
        if alias is not None:
            assert isinstance(func, nodes.FieldAccess)
            target = self.module.imports[alias]
            symbol = target.symbols.get(func.name)
            if symbol is None:
                self.error("E205", f"module `{alias}` has no member `{func.name}`", func.span)
            return symbol
        if isinstance(func, nodes.Name) and self.lookup_local(func.id) is None:
            symbol = self.module.symbols.get(func.id)
            if symbol is not None:
                return symbol
            if func.id in BUILTIN_FUNCTIONS or func.id in TOPOLOGY_PREDICATES:
                return func.id
            self.unknown_name(func.id, func.span)
        self.error("E207", "only functions, procedures and built-ins can be called", func.span)

    def call(self, expr: nodes.Call, expected: t.Type | None) -> ir.Expr:
        if self._is_here(expr.func):
            return self.here(expr)
        callee = self.callee(expr.func)
        if isinstance(callee, str) and callee in TOPOLOGY_PREDICATES:
            return self.topology_predicate(callee, expr)
        if isinstance(callee, str):
            return self.builtin(callee, expr, expected)
        if callee.kind == "proc":
            self.error("E207", f"`{callee.name}` is a procedure: call it as a statement, not "
                       "inside an expression", expr.span,
                       Note("a `fun` computes a value; a `proc` or `kernel` changes the state"))
        if callee.kind != "fun":
            self.error("E207", f"`{callee.name}` is {KIND_NOUNS[callee.kind]}, not a function",
                       expr.span)
        return self.inline_fun(callee, expr)

    def _is_here(self, func: nodes.Expr) -> bool:
        return (isinstance(func, nodes.Name) and func.id == HERE
                and self.lookup_local(HERE) is None and HERE not in self.module.symbols)

    def here(self, expr: nodes.Call) -> ir.Expr:
        """`here()`: the node executing the current action, i.e. its `on` expression (a
        copy of its IR, evaluated where `here()` stands).  Inside a `fun`, `proc` or `kernel`
        it is the node of the action the call is inlined into; that is how the kernel of
        spec/lib/l4.numa knows its caller (docs/language.md, section 9)."""
        self.check_arity(HERE, 0, len(expr.args), expr.span)
        if self.action_node is None:
            self.error("E120", "`here()` is the node executing an action, and there is no "
                       "action here", expr.span,
                       Note("invariants, properties, `init` and workloads are not executed "
                            "on a node; a `fun` that uses `here()` can be called only from "
                            "actions"))
        name, node = self.action_node
        if node is None:
            # Reported at the action (once), since here() is often deep in a library kernel.
            first = name not in self.here_reported
            self.here_reported.add(name)
            if not first:
                raise Abort
            self.error("E121", f"action `{name.name}` has no `on` clause, but `here()` (the "
                       "executing node) is used in it", name.span,
                       Note("the action or a function, procedure or kernel primitive it "
                            "calls uses `here()` (the checked L4 primitives act for the "
                            "caller on the executing node)"),
                       Note(f"write `action {name.name}(...) on n {{ ... }}` to name the "
                            "node that executes it"))
        return node

    def check_arity(self, name: str, params: int, args: int, span: Span) -> None:
        if params != args:
            self.error("E301", f"`{name}` takes {params} argument{'s' * (params != 1)}, "
                       f"got {args}", span)

    def param_types(self, symbol: Symbol,
                    binders: tuple[nodes.Binder, ...]) -> list[tuple[str, t.Type]]:
        self.unique_names(binders)
        with self.in_module(symbol.module):
            return [(name, self.resolve_type(b.domain)) for b in binders for name in b.names]

    def inline_fun(self, symbol: Symbol, expr: nodes.Call) -> ir.Expr:
        decl = symbol.decl
        assert isinstance(decl, nodes.FunDecl)
        params = self.param_types(symbol, decl.params)
        self.check_arity(symbol.name, len(params), len(expr.args), expr.span)
        args = [self.check(a, typ) for a, (_, typ) in zip(expr.args, params, strict=True)]
        with self.evaluating(symbol.qualified, expr.span, "function"), \
                self.in_module(symbol.module):
            result = self.resolve_type(decl.result)
            locals_ = [self.new_local(name, typ) for name, typ in params]
            body = self.check(decl.body, result)
        for local, arg in reversed(list(zip(locals_, args, strict=True))):
            body = ir.LetIn(local, arg, body, body.type, expr.span, symbol.qualified)
        return body

    def topology_predicate(self, name: str, expr: nodes.Call) -> ir.Expr:
        """`has_cpus(n)` / `has_memory(n)`: a constant of the topology, so engines need
        nothing new: `true` on a machine where every node has them (the IR is then that of
        a spec without the call), else `n in {the nodes that have them}`."""
        self.check_arity(name, 1, len(expr.args), expr.span)
        topo = self.topology
        node = self.check(expr.args[0], t.NodeType(topo.nodes))
        lacking = topo.cpuless if name == "has_cpus" else topo.memoryless
        if not lacking:
            return ir.Const(True, t.BOOL, expr.span)
        return member(topo, node, lacking, expr.span)

    # -------------------------------------------------------------- built-ins
    def builtin(self, name: str, expr: nodes.Call, expected: t.Type | None) -> ir.Expr:
        arity = 2 if name in _BINARY_BUILTINS else 1
        self.check_arity(name, arity, len(expr.args), expr.span)
        first = self.check(expr.args[0], self._first_expected(name))
        args = [first]
        if arity == 2:
            args.append(self._second_arg(name, first, expr.args[1]))
        result = _RULES[name](self, args, expr.args, expr.span)
        call = ir.Builtin(name, tuple(args), result, expr.span)
        return frames_with_memory(self.topology, call) if name == "frames_of" else call

    def _first_expected(self, name: str) -> t.Type | None:
        topo = self.topology
        if name == "node_of":
            return t.FrameType(topo.nodes * topo.frames_per_node, topo.frames_per_node)
        if name in ("frames_of", "distance"):
            return t.NodeType(topo.nodes)
        return None

    def _second_arg(self, name: str, first: ir.Expr, arg: nodes.Expr) -> ir.Expr:
        match name, first.type:
            case "get", t.MapType(key=key):
                return self.check(arg, key)
            case "append", t.SeqType(elem=elem):
                return self.check(arg, elem)
            case "distance", _:
                return self.check(arg, t.NodeType(self.topology.nodes))
            case ("descendants" | "ancestors"), t.MapType(key=key):
                return self.check(arg, key)
            case "range", _:
                return self.check(arg, t.INT)
        return self.check(arg, None)

    def expect(self, ok: bool, what: str, arg: ir.Expr, span: Span) -> None:
        if not ok and is_undetermined(arg.type):
            self.error("E307", f"cannot tell the type of `{t.show(arg.type)}` here", span,
                       Note("use a typed value, e.g. a state variable or a typed constant"))
        if not ok:
            self.error("E300", f"expected {what}, found `{t.show(arg.type)}`", span)


def _collection(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
    c.expect(isinstance(a[0].type, (t.SetType, t.MapType, t.SeqType)),
             "a set, map or sequence", a[0], n[0].span)
    return t.INT


def _extreme(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
    typ = a[0].type
    c.expect(isinstance(typ, t.SetType) and t.is_ordered(typ.elem),
             "a set of integers, nodes or frames", a[0], n[0].span)
    assert isinstance(typ, t.SetType)
    return typ.elem


def _map_part(part: str) -> BuiltinRule:
    def rule(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
        typ = a[0].type
        c.expect(isinstance(typ, t.MapType), "a map", a[0], n[0].span)
        assert isinstance(typ, t.MapType)
        if part == "get":
            if isinstance(typ.value, t.OptionType):
                c.error("E303", "`get` on a map with option values would nest options; "
                        "test `k in m` and use `m[k]`", s)
            return t.OptionType(typ.value)
        return t.SetType(typ.key if part == "dom" else typ.value)

    return rule


def _unwrap(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
    typ = a[0].type
    c.expect(isinstance(typ, t.OptionType), "an option `T?`", a[0], n[0].span)
    assert isinstance(typ, t.OptionType)
    return typ.inner


def _sequence(result: str) -> BuiltinRule:
    def rule(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
        typ = a[0].type
        c.expect(isinstance(typ, t.SeqType), "a sequence", a[0], n[0].span)
        assert isinstance(typ, t.SeqType)
        if result == "grow":
            return t.SeqType(typ.elem, typ.capacity + 1)
        return typ.elem if result == "elem" else typ

    return rule


def _to_int(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
    c.expect(isinstance(a[0].type, (t.IntType, t.NodeType, t.FrameType)),
             "a node, frame or integer", a[0], n[0].span)
    return t.INT


def _from_int(kind: str) -> BuiltinRule:
    def rule(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
        c.expect(isinstance(a[0].type, t.IntType), "an integer", a[0], n[0].span)
        topo = c.topology
        if kind == "node":
            return t.NodeType(topo.nodes)
        return t.FrameType(topo.nodes * topo.frames_per_node, topo.frames_per_node)

    return rule


def _topology_fn(result: str) -> BuiltinRule:
    def rule(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
        topo = c.topology
        frame = t.FrameType(topo.nodes * topo.frames_per_node, topo.frames_per_node)
        results: dict[str, t.Type] = {"node": t.NodeType(topo.nodes),
                                      "frames": t.SetType(frame), "int": t.INT}
        return results[result]

    return rule


def _range(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
    for arg, node in zip(a, n, strict=True):
        c.expect(isinstance(arg.type, t.IntType), "an integer", arg, node.span)
    return t.SetType(t.INT)


def _links(c: CallLayer, a: list[ir.Expr], n: tuple[nodes.Expr, ...], s: Span) -> t.Type:
    typ = a[0].type
    ok = isinstance(typ, t.MapType) and (
        typ.value == typ.key or typ.value == t.OptionType(typ.key))
    c.expect(ok, "a map of parent links `Map[K, K?]` or `Map[K, K]`", a[0], n[0].span)
    assert isinstance(typ, t.MapType)
    return t.SetType(typ.key)


# Built-ins that elaboration turns into constants of the topology (no engine sees them).
TOPOLOGY_PREDICATES = frozenset({"has_cpus", "has_memory"})
_BINARY_BUILTINS = frozenset({"get", "append", "distance", "descendants", "ancestors",
                              "range"})
_RULES: dict[str, BuiltinRule] = {
    "size": _collection,
    "min": _extreme,
    "max": _extreme,
    "dom": _map_part("dom"),
    "ran": _map_part("ran"),
    "get": _map_part("get"),
    "unwrap": _unwrap,
    "head": _sequence("elem"),
    "tail": _sequence("seq"),
    "append": _sequence("grow"),
    "int": _to_int,
    "node": _from_int("node"),
    "frame": _from_int("frame"),
    "node_of": _topology_fn("node"),
    "frames_of": _topology_fn("frames"),
    "distance": _topology_fn("int"),
    "descendants": _links,
    "ancestors": _links,
    "range": _range,
}
assert set(_RULES) == BUILTIN_FUNCTIONS
