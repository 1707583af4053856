"""Shared state of elaboration (name resolution + type checking + lowering to IR).

The elaborator is one class assembled from layers, each in its own file:
ElabContext (this file: diagnostics, scopes, locals) ← TypeLayer (types.py: type
expressions, constants, topology) ← ExprLayer (expr.py) ← OperatorLayer (operators.py) ←
CallLayer (calls.py: built-ins, inlined functions) ← StmtLayer (stmt.py) ← Elaborator
(decls.py: the declarations and the finished `ir.Spec`).  Names are resolved through
symbols.py; typing_rules.py holds the rules the layers share.
An error inside a declaration or statement is recorded and raises `Abort`, which the
declaration or statement loop catches, so one run reports every independent error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from numaspec.spec.diagnostics import Diagnostics, Note
from numaspec.spec.elaborate.symbols import ModuleScope
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes


class Abort(Exception):
    """The current declaration or statement has an error that has been reported."""


class ElabContext:
    def __init__(self, scopes: list[ModuleScope], diags: Diagnostics,
                 defines: dict[str, tuple[nodes.Expr, str]], topology: ir.Topology | None):
        self.scopes = scopes
        self.root = scopes[-1]
        self.diags = diags
        self.defines = defines
        self.topology_override = topology
        self.module = self.root
        self.local_scopes: list[dict[str, ir.Local]] = [{}]
        self.next_slot = 0
        self.inline_stack: list[str] = []
        self.const_cache: dict[str, tuple[Any, t.Type]] = {}
        self.type_cache: dict[str, t.Type] = {}
        self.in_progress: list[str] = []
        self.reported_cycles: set[str] = set()
        self.kernel_calls: set[str] = set()
        # What `here()` means while an action body is elaborated: the action's name and its
        # `on` expression (None: no `on`); None outside actions.
        self.action_node: tuple[nodes.Ident, ir.Expr | None] | None = None
        self.here_reported: set[nodes.Ident] = set()  # actions given E121 already

    # ---------------------------------------------------------------- diagnostics
    def error(self, code: str, message: str, span: Span | None, *notes: Note) -> NoReturn:
        self.diags.error(code, message, span, *notes)
        raise Abort

    @contextmanager
    def recovering(self) -> Iterator[None]:
        """Swallow `Abort` (the error is already recorded) and continue after the block."""
        try:
            yield
        except Abort:
            pass

    # ---------------------------------------------------------------------- locals
    def new_local(self, name: str, typ: t.Type) -> ir.Local:
        local = ir.Local(name, self.next_slot, typ)
        self.next_slot += 1
        self.local_scopes[-1][name] = local
        return local

    def lookup_local(self, name: str) -> ir.Local | None:
        for scope in reversed(self.local_scopes):
            if name in scope:
                return scope[name]
        return None

    @contextmanager
    def block_scope(self) -> Iterator[None]:
        self.local_scopes.append({})
        try:
            yield
        finally:
            self.local_scopes.pop()

    @contextmanager
    def fresh_context(self) -> Iterator[None]:
        """A new numbering of local slots (one per action, property or initialiser)."""
        saved = self.local_scopes, self.next_slot
        self.local_scopes, self.next_slot = [{}], 0
        try:
            yield
        finally:
            self.local_scopes, self.next_slot = saved

    @contextmanager
    def in_module(self, scope: ModuleScope, hide_locals: bool = True) -> Iterator[None]:
        """Resolve names in `scope`; a callee's body does not see its caller's locals."""
        saved_module, saved_locals = self.module, self.local_scopes
        self.module = scope
        if hide_locals:
            self.local_scopes = [{}]
        try:
            yield
        finally:
            self.module, self.local_scopes = saved_module, saved_locals

    @contextmanager
    def definition_of(self, decl: nodes.Decl, callable_: bool) -> Iterator[None]:
        """A `fun` or `proc` type-checked on its own (not inlined): `here()` in it stands for
        the node of whichever action calls it, so it type-checks as a node; a view (a `fun`
        without parameters, evaluated outside actions) gets E120 instead."""
        saved = self.action_node
        if callable_:
            placeholder = ir.Const(0, t.NodeType(self.topology.nodes), decl.span)
            self.action_node = (nodes.Ident("(definition)", decl.span), placeholder)
        try:
            yield
        finally:
            self.action_node = saved

    @contextmanager
    def evaluating(self, key: str, span: Span, what: str) -> Iterator[None]:
        """Detect cycles among constants, types and inlined calls."""
        if key in self.in_progress:
            members = self.in_progress[self.in_progress.index(key):]
            cycle = " -> ".join([*members, key])
            code = "E206" if what in ("function", "procedure") else "E400"
            if key in self.reported_cycles:  # the same cycle entered at another member
                raise Abort
            self.reported_cycles.update(members)
            self.error(code, f"recursive {what}: {cycle}", span)
        self.in_progress.append(key)
        try:
            yield
        finally:
            self.in_progress.pop()

    # ------------------------------------------- implemented by the later layers
    def check(self, expr: nodes.Expr, expected: t.Type | None) -> ir.Expr:
        raise NotImplementedError

    def resolve_type(self, expr: nodes.Expr) -> t.Type:
        raise NotImplementedError

    def const_value(self, expr: nodes.Expr, expected: t.Type | None = None) -> tuple[Any, t.Type]:
        raise NotImplementedError

    @property
    def topology(self) -> ir.Topology:
        raise NotImplementedError
