"""Statements: assignment targets, channels, and inlining of `proc` / `kernel` calls."""

from __future__ import annotations

from typing import assert_never

from numaspec.spec.diagnostics import Note
from numaspec.spec.elaborate.calls import CallLayer
from numaspec.spec.elaborate.symbols import BUILTIN_CONSTS, KIND_NOUNS, Symbol
from numaspec.spec.elaborate.typing_rules import is_undetermined
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes


class StmtLayer(CallLayer):
    inlined_procs: set[str]

    def block(self, block: nodes.Block) -> ir.Block:
        """A block; each erroneous statement is reported and skipped."""
        out: list[ir.Stmt] = []
        with self.block_scope():
            for stmt in block.stmts:
                with self.recovering():
                    out.append(self.stmt(stmt))
        return ir.Block(tuple(out), block.span)

    def stmt(self, stmt: nodes.Stmt) -> ir.Stmt:
        span = stmt.span
        match stmt:
            case nodes.Require(cond=cond):
                return ir.Require(self.check_bool(cond), span)
            case nodes.Assert(cond=cond, message=message):
                return ir.Assert(self.check_bool(cond), message, span)
            case nodes.Let(pattern=pattern, value=value):
                typed = self.check(value, None)
                if is_undetermined(typed.type):
                    self.error("E307", "cannot infer the type of this value", value.span,
                               Note("give the variable a typed value, e.g. a state variable"))
                return ir.Block(tuple(self.bind_pattern(pattern, typed)), span)
            case nodes.Assign(target=target, value=value):
                place = self.target(target)
                return ir.Assign(place, self.check(value, place.type), span)
            case nodes.Update():
                return self._update(stmt)
            case nodes.Delete(target=target):
                return self._delete(target, span)
            case nodes.CallStmt(call=call):
                return self._call_stmt(call)
            case nodes.If():
                return self._if_stmt(stmt)
            case nodes.For(binders=binders, where=where, body=body) | nodes.Choose(
                    binders=binders, where=where, body=body):
                with self.block_scope():
                    bindings = self.bind(binders)
                    guard = self.check_bool(where) if where is not None else None
                    inner = self.block(body)
                kind = ir.For if isinstance(stmt, nodes.For) else ir.Choose
                return kind(bindings, guard, inner, span)
            case nodes.Send(value=value, channel=channel):
                return self._send(value, channel, span)
            case _:
                assert_never(stmt)

    def bind_pattern(self, pattern: nodes.Pattern, value: ir.Expr) -> list[ir.Stmt]:
        match pattern:
            case nodes.NamePattern(name=name):
                return [ir.Let(self.new_local(name, value.type), value, pattern.span)]
            case nodes.WildcardPattern():
                return [ir.Let(self.new_local("_", value.type), value, pattern.span)]
            case nodes.TuplePattern(items=items):
                if not isinstance(value.type, t.TupleType) or len(value.type.items) != len(items):
                    self.error("E310", f"a pattern of {len(items)} components cannot match "
                               f"`{t.show(value.type)}`", pattern.span)
                whole = self.new_local("(tuple)", value.type)
                out: list[ir.Stmt] = [ir.Let(whole, value, pattern.span)]
                source = ir.LocalRef(whole, whole.type, pattern.span)
                for i, (item, typ) in enumerate(zip(items, value.type.items, strict=True)):
                    out += self.bind_pattern(item, ir.Project(source, i, typ, item.span))
                return out
            case _:
                assert_never(pattern)

    # --------------------------------------------------------------- targets
    def target(self, expr: nodes.Expr) -> ir.Target:
        match expr:
            case nodes.Name(id=name):
                return self._root_target(name, expr.span)
            case nodes.FieldAccess(base=base, name=name) if self.module_of(base) is not None:
                alias = self.module_of(base)
                assert alias is not None
                with self.in_module(self.module.imports[alias]):
                    return self._root_target(name, expr.span)
            case nodes.Index(base=base, args=args):
                inner = self.target(base)
                if isinstance(inner.type, t.MapType):
                    key = self._key(args, inner.type.key, expr.span)
                    return self._step(inner, ir.KeyStep(key), inner.type.value, expr.span)
                self.error("E304", f"only map entries can be assigned by key; this is a "
                           f"`{t.show(inner.type)}`", expr.span)
            case nodes.FieldAccess(base=base, name=name):
                inner = self.target(base)
                index = inner.type.index_of(name) if isinstance(inner.type, t.RecordType) else None
                if index is None:
                    self.error("E205", f"`{t.show(inner.type)}` has no field `{name}`",
                               expr.span)
                assert isinstance(inner.type, t.RecordType)
                return self._step(inner, ir.ProjectStep(index), inner.type.fields[index][1],
                                  expr.span)
            case nodes.TupleGet(base=base, index=index):
                inner = self.target(base)
                if not isinstance(inner.type, t.TupleType) or index >= len(inner.type.items):
                    self.error("E205", f"`{t.show(inner.type)}` has no component {index}",
                               expr.span)
                return self._step(inner, ir.ProjectStep(index), inner.type.items[index],
                                  expr.span)
        self.error("E304", "this cannot be assigned: assign a state variable, a map entry "
                   "or a record field", expr.span)

    def _step(self, inner: ir.Target, step: ir.PathStep, typ: t.Type, span: Span) -> ir.Target:
        return ir.Target(inner.var, (*inner.path, step), typ, span)

    def _root_target(self, name: str, span: Span) -> ir.Target:
        if self.lookup_local(name) is not None:
            self.error("E304", f"`{name}` is a local name (parameter, `let` or bound "
                       "variable); only state variables can be assigned", span)
        symbol = self.module.symbols.get(name)
        if symbol is None and name in BUILTIN_CONSTS:
            self.error("E304", f"`{name}` is a constant of the topology and cannot be "
                       "assigned", span)
        if symbol is None:
            self.unknown_name(name, span)
        if symbol.kind == "channel":
            self.error("E304", f"`{name}` is a channel: use `send ... to {name}`", span)
        if symbol.kind != "var":
            self.error("E304", f"`{name}` is {KIND_NOUNS[symbol.kind]} and cannot be assigned",
                       span)
        return ir.Target(symbol.qualified, (), self.state_type(symbol), span)

    def _update(self, stmt: nodes.Update) -> ir.Stmt:
        place = self.target(stmt.target)
        current = self.check(stmt.target, None)
        if isinstance(place.type, t.IntType):
            value = ir.Binary("add" if stmt.op == "+" else "sub", current,
                              self.check(stmt.value, t.INT), t.INT, stmt.span)
        elif isinstance(place.type, t.SetType):
            value = ir.Binary("union" if stmt.op == "+" else "diff", current,
                              self.check(stmt.value, place.type), place.type, stmt.span)
        else:
            self.error("E303", f"`{stmt.op}=` needs an integer or a set, not "
                       f"`{t.show(place.type)}`", stmt.target.span)
        return ir.Assign(place, value, stmt.span)

    def _delete(self, target: nodes.Expr, span: Span) -> ir.Stmt:
        if not isinstance(target, nodes.Index):
            self.error("E304", "`delete` removes a map entry: write `delete m[k]`", target.span)
        place = self.target(target.base)
        if not isinstance(place.type, t.MapType):
            self.error("E304", f"`delete` needs a map entry, this is a `{t.show(place.type)}`",
                       target.span)
        return ir.Delete(place, self._key(target.args, place.type.key, span), span)

    def _if_stmt(self, stmt: nodes.If) -> ir.Stmt:
        cond = self.check_bool(stmt.cond)
        then = self.block(stmt.then)
        match stmt.orelse:
            case None:
                orelse = ir.Block((), stmt.span)
            case nodes.Block():
                orelse = self.block(stmt.orelse)
            case nodes.If():
                orelse = ir.Block((self._if_stmt(stmt.orelse),), stmt.orelse.span)
        return ir.If(cond, then, orelse, stmt.span)

    # ------------------------------------------------------- channels, calls
    def channel(self, expr: nodes.Expr) -> tuple[Symbol, ir.Expr | None]:
        """The channel symbol named by `c` or `c[i]`, and the typed index."""
        base, args = (expr.base, expr.args) if isinstance(expr, nodes.Index) else (expr, ())
        ref = self.check(base, None)
        symbol = self.state_symbol(ref) if isinstance(ref, ir.StateRef) else None
        if symbol is None or symbol.kind != "channel":
            self.error("E309", "this is not a channel", base.span)
        assert symbol is not None
        info = self.channel_info(symbol)
        if info.index is None:
            if args:
                self.error("E301", f"channel `{symbol.name}` is not indexed", expr.span)
            return symbol, None
        if len(args) != 1:
            self.error("E301", f"channel `{symbol.name}` needs one index", expr.span)
        return symbol, self.check(args[0], info.index)  # type: ignore[misc]

    def _send(self, value: nodes.Expr, channel: nodes.Expr, span: Span) -> ir.Stmt:
        symbol, index = self.channel(channel)
        message = self.check(value, self.channel_info(symbol).message)
        return ir.Send(symbol.qualified, index, message, span)

    def _call_stmt(self, call: nodes.Expr) -> ir.Stmt:
        if not isinstance(call, nodes.Call):
            self.error("E209", "this expression is not a statement", call.span,
                       Note("statements are `require`, `let`, `x := e`, calls of "
                            "procedures, `if`, `for`, `choose`, `send`, ..."))
        callee = self.callee(call.func)
        if isinstance(callee, str) or callee.kind == "fun":
            self.error("E209", "the value of this call is unused", call.span,
                       Note("only a `proc` or `kernel` can be called as a statement"))
        if callee.kind != "proc":
            self.error("E207", f"`{callee.name}` is {KIND_NOUNS[callee.kind]} and cannot be called",
                       call.span)
        return self.inline_proc(callee, call)

    def inline_proc(self, symbol: Symbol, call: nodes.Call) -> ir.Stmt:
        decl = symbol.decl
        assert isinstance(decl, nodes.ProcDecl)
        params = self.param_types(symbol, decl.params)
        self.check_arity(symbol.name, len(params), len(call.args), call.span)
        args = [self.check(a, typ) for a, (_, typ) in zip(call.args, params, strict=True)]
        self.inlined_procs.add(symbol.qualified)
        with self.evaluating(symbol.qualified, call.span, "procedure"), \
                self.in_module(symbol.module):
            lets: list[ir.Stmt] = [ir.Let(self.new_local(name, typ), arg, arg.span)
                                   for (name, typ), arg in zip(params, args, strict=True)]
            body = self.block(decl.body)
        return ir.Inlined(symbol.qualified, decl.kernel, ir.Block((*lets, body), call.span),
                          call.span)

    # ------------------------------------------------ implemented in decls.py
    def state_symbol(self, ref: ir.StateRef) -> Symbol | None:
        raise NotImplementedError

    def channel_info(self, symbol: Symbol) -> ir.ChannelInfo:
        raise NotImplementedError
