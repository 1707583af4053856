"""Declarations: state variables, channels, actions, properties — and the finished `ir.Spec`."""

from __future__ import annotations

from typing import Any

from numaspec.spec.diagnostics import Note
from numaspec.spec.elaborate.context import Abort
from numaspec.spec.elaborate.heterogeneous import cpu_guard, frame_guards
from numaspec.spec.elaborate.stmt import StmtLayer
from numaspec.spec.elaborate.symbols import ModuleScope, Symbol
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap, default_value, enumerate_type
from numaspec.spec.syntax import nodes
from numaspec.spec.topology.distances import has_symmetry

# The most instances (combinations of parameter values) of one action: the model enumerates
# them when it is built, so 10^8 would exhaust memory before any --max-memory applied.
MAX_INSTANCES = 1_000_000


class Elaborator(StmtLayer):
    def setup(self) -> None:
        self.var_types: dict[str, t.Type] = {}
        self.inlined_procs: set[str] = set()
        self.by_qualified = {s.qualified: s for m in self.scopes for s in m.symbols.values()}
        self.variables: list[ir.StateVar] = []
        self.actions: list[ir.Action] = []
        self.properties: dict[str, list[ir.Property]] = {"invariant": [], "reachable": [],
                                                         "final": []}
        self.liveness: list[ir.LeadsTo] = []
        self.inits: list[ir.Block] = []
        self.init_locals = 0
        self.fair: list[str] = []
        self.workloads: list[ir.Workload] = []
        self.views: list[ir.Property] = []
        self.symmetric: list[str] = []

    # ------------------------------------------------------------- state types
    def state_type(self, symbol: Symbol) -> t.Type:
        if symbol.qualified not in self.var_types:
            with self.evaluating(symbol.qualified, symbol.span, "type"), \
                    self.in_module(symbol.module):
                self.var_types[symbol.qualified] = self._state_type(symbol)
        return self.var_types[symbol.qualified]

    def _state_type(self, symbol: Symbol) -> t.Type:
        decl = symbol.decl
        if isinstance(decl, nodes.VarDecl):
            return self.finite_type(decl.type, f"state variable `{symbol.name}`")
        info = self.channel_info(symbol)
        queue = t.SeqType(info.message, info.capacity)
        return queue if info.index is None else t.MapType(info.index, queue)

    def channel_info(self, symbol: Symbol) -> ir.ChannelInfo:
        decl = symbol.decl
        assert isinstance(decl, nodes.ChannelDecl)
        with self.in_module(symbol.module):
            index = self.finite_type(decl.index, "a channel index") if decl.index else None
            message = self.finite_type(decl.type, "a channel message")
            capacity = self.const_int(decl.capacity)
        if capacity < 1:
            self.error("E306", f"channel capacity must be at least 1, not {capacity}",
                       decl.capacity.span)
        return ir.ChannelInfo(index, message, capacity)

    def state_symbol(self, ref: ir.StateRef) -> Symbol | None:
        return self.by_qualified.get(ref.var)

    # ------------------------------------------------------------- the spec
    def elaborate(self) -> ir.Spec:
        self.setup()
        with self.recovering():
            _ = self.topology
        for scope in self.scopes:
            with self.in_module(scope):
                for item in scope.loaded.ast.items:
                    with self.recovering():
                        self.declaration(item, scope)
        self._check_uncalled_procs()
        self._check_defines()
        return self._spec()

    def declaration(self, item: nodes.Annotated, scope: ModuleScope) -> None:
        decl = item.decl
        tags = frozenset(a.name for a in item.annotations)
        name = getattr(decl, "name", None)
        symbol = scope.symbols.get(name.name) if isinstance(name, nodes.Ident) else None
        if isinstance(name, nodes.Ident) and (symbol is None or symbol.decl is not decl):
            return  # a duplicate or a clash with a built-in: already reported
        match decl:
            case nodes.Import():
                self._import(decl, scope)
            case nodes.Topology():
                if scope is not self.root:
                    self.error("E209", "only the root spec declares a topology", decl.span)
                first = next(i.decl for i in scope.loaded.ast.items
                             if isinstance(i.decl, nodes.Topology))
                if first is not decl:
                    self.error("E201", "a second `topology` block", decl.span,
                               Note("the first one", first.span))
            case nodes.ConstDecl() | nodes.TypeDecl() | nodes.EnumDecl() | nodes.FunDecl() \
                    | nodes.ProcDecl():
                self._definition(decl, symbol)
            case nodes.VarDecl() | nodes.ChannelDecl():
                assert symbol is not None
                self.variables.append(self._variable(symbol))
            case nodes.ActionDecl():
                assert symbol is not None
                self.actions.append(self._action(decl, symbol, tags))
            case nodes.InitDecl():
                first_init = next(i.decl for i in scope.loaded.ast.items
                                  if isinstance(i.decl, nodes.InitDecl))
                if first_init is not decl:
                    self.error("E201", "a second `init` block in this file", decl.span,
                               Note("the first one", first_init.span))
                with self.fresh_context():
                    self.inits.append(self.block(decl.body))
                    self.init_locals = max(self.init_locals, self.next_slot)
            case nodes.PropertyDecl():
                assert symbol is not None
                self._property(decl, symbol, tags)
            case nodes.FairDecl():
                self.fair += [self._action_name(ident, scope) for ident in decl.actions]
            case nodes.SymmetricDecl():
                self._symmetric(decl)
            case nodes.WorkloadDecl():
                assert symbol is not None
                self.workloads.append(self._workload(decl, symbol, scope))

    def _import(self, decl: nodes.Import, scope: ModuleScope) -> None:
        alias = decl.alias.name if decl.alias else None
        target = next(m for a, m in scope.imports.items()
                      if scope.loaded.import_decls[a] is decl)
        seen: set[str] = set()
        for ident, _ in decl.bindings:
            if ident.name in seen:
                self.diags.error("E201", f"`{ident.name}` is bound twice", ident.span)
            seen.add(ident.name)
            symbol = target.symbols.get(ident.name)
            if symbol is None or symbol.kind != "const":
                self.diags.error("E205", f"module `{alias or target.name}` has no constant "
                                 f"`{ident.name}` to bind", ident.span)
            else:
                with self.recovering():
                    self.symbol_const(symbol)

    def _definition(self, decl: nodes.Decl, symbol: Symbol | None) -> None:
        assert symbol is not None
        match decl:
            case nodes.ConstDecl():
                self.symbol_const(symbol)
            case nodes.TypeDecl():
                self.resolve_type(nodes.Name(symbol.name, decl.name.span))
            case nodes.EnumDecl():
                seen: set[str] = set()
                for member in decl.members:
                    if member.name in seen:
                        self.diags.error("E201", f"enum member `{member.name}` appears twice",
                                         member.span)
                    seen.add(member.name)
            case nodes.FunDecl():
                with self.fresh_context(), self.definition_of(decl, bool(decl.params)):
                    params = self.param_types(symbol, decl.params)
                    for name, typ in params:
                        self.new_local(name, typ)
                    body = self.check(decl.body, self.resolve_type(decl.result))
                    if not params:  # a view of the state: observable by name
                        self.views.append(ir.Property(symbol.qualified, body, frozenset(),
                                                      max(self.next_slot, 1), decl.span))

    def _check_uncalled_procs(self) -> None:
        for symbol in self.by_qualified.values():
            if symbol.kind != "proc" or symbol.qualified in self.inlined_procs:
                continue
            decl = symbol.decl
            assert isinstance(decl, nodes.ProcDecl)
            with self.recovering(), self.fresh_context(), self.in_module(symbol.module), \
                    self.definition_of(decl, True):
                for name, typ in self.param_types(symbol, decl.params):
                    self.new_local(name, typ)
                self.block(decl.body)

    # ------------------------------------------------------- state variables
    def _variable(self, symbol: Symbol) -> ir.StateVar:
        decl = symbol.decl
        typ = self.state_type(symbol)
        if isinstance(decl, nodes.ChannelDecl):
            info = self.channel_info(symbol)
            initial: Any = () if info.index is None else FrozenMap(
                {i: () for i in enumerate_type(info.index)})
            placement = self._placement(decl.placement, typ) if decl.placement else \
                self._default_channel_placement(info, decl)
            return ir.StateVar(symbol.qualified, typ, initial, placement, decl.span, info)
        assert isinstance(decl, nodes.VarDecl)
        initial = default_value(typ)
        if decl.init is not None:
            initial, _ = self.const_value(decl.init, typ)
            self.check_in_domain(initial, typ, decl.init.span, "initial value")
        placement = self._placement(decl.placement, typ) if decl.placement else None
        return ir.StateVar(symbol.qualified, typ, initial, placement, decl.span)

    def _placement(self, decl: nodes.Placement, typ: t.Type) -> ir.Placement:
        with self.fresh_context():
            keys = []
            for ident in decl.keys:
                if not isinstance(typ, t.MapType):
                    self.error("E209", f"placement key `{ident.name}` needs a map level, but "
                               f"this level is `{t.show(typ)}`", ident.span)
                keys.append(self.new_local(ident.name, typ.key))
                typ = typ.value
            node = self.check(decl.node, t.NodeType(self.topology.nodes))
            count = self.next_slot
        return ir.Placement(tuple(keys), node, decl.span, max(count, 1))

    def _default_channel_placement(self, info: ir.ChannelInfo,
                                   decl: nodes.ChannelDecl) -> ir.Placement | None:
        if not isinstance(info.index, t.NodeType):
            return None
        key = ir.Local("(index)", 0, info.index)
        return ir.Placement((key,), ir.LocalRef(key, info.index, decl.span), decl.span)

    # --------------------------------------------------------------- actions
    def _action(self, decl: nodes.ActionDecl, symbol: Symbol, tags: frozenset[str]) -> ir.Action:
        self.unique_names(decl.params)
        with self.fresh_context():
            params = tuple(self.new_local(name, self.finite_type(b.domain, "an action parameter"))
                           for b in decl.params for name in b.names)
            self._check_instances(decl, params)
            node = self.check(decl.on, t.NodeType(self.topology.nodes)) if decl.on else None
            receive, lets = self._receive(decl.receive) if decl.receive else (None, [])
            self.action_node = (decl.name, node)
            try:
                body = self.block(decl.body)
            finally:
                self.action_node = None
            count = self.next_slot
        first = [*cpu_guard(self.topology, node, decl.on.span if decl.on else None),
                 *frame_guards(self.topology, params, decl.span), *lets]
        body = ir.Block((*first, body), decl.body.span) if first else body
        return ir.Action(symbol.qualified, params, node, receive, body, tags, count, decl.span)

    def _check_instances(self, decl: nodes.ActionDecl, params: tuple[ir.Local, ...]) -> None:
        """E311 if the action has more instances than every engine can enumerate: the model
        lists each combination of arguments once, before any limit can apply."""
        count = 1
        for param in params:
            count *= t.domain_size(param.type) or 1
            if count > MAX_INSTANCES:
                self.error("E311", f"action `{decl.name.name}` has more than "
                           f"{MAX_INSTANCES:,} instances (combinations of its parameters)",
                           decl.name.span,
                           Note("split it into actions with smaller parameter types, or "
                                "`choose` a value in the body"))
                return

    def _receive(self, decl: nodes.Receive) -> tuple[ir.Receive, list[ir.Stmt]]:
        symbol, index = self.channel(decl.channel)
        message = self.new_local("(message)", self.channel_info(symbol).message)
        lets = self.bind_pattern(decl.pattern, ir.LocalRef(message, message.type, decl.span))
        return ir.Receive(symbol.qualified, index, message, decl.span), lets

    def _action_name(self, ident: nodes.Ident, scope: ModuleScope) -> str:
        parts = ident.name.split(".")
        target = scope.imports.get(parts[0]) if len(parts) == 2 else scope
        symbol = target.symbols.get(parts[-1]) if target else None
        if symbol is None or symbol.kind != "action":
            actions = [s.name for s in scope.symbols.values() if s.kind == "action"]
            self.diags.error("E200", f"`{ident.name}` is not an action", ident.span,
                             Note("actions: " + (", ".join(actions) or "none")))
            return ident.name
        return symbol.qualified

    # ------------------------------------------------------------ properties
    def _property(self, decl: nodes.PropertyDecl, symbol: Symbol, tags: frozenset[str]) -> None:
        with self.fresh_context():
            if decl.kind == "property":
                self.liveness.append(self._leads_to(decl, symbol))
                return
            expr = self.check_bool(decl.expr)
            prop = ir.Property(symbol.qualified, expr, tags, self.next_slot, decl.span)
        self.properties[decl.kind].append(prop)

    def _leads_to(self, decl: nodes.PropertyDecl, symbol: Symbol) -> ir.LeadsTo:
        expr = decl.expr
        bindings: list[ir.Binding] = []
        guards: list[ir.Expr] = []
        while isinstance(expr, nodes.Quantifier) and expr.kind == "forall":
            bindings += self.bind(expr.binders)
            if expr.where is not None:
                guards.append(self.check_bool(expr.where))
            expr = expr.body
        if not (isinstance(expr, nodes.Binary) and expr.op == "leads_to"):
            self.error("E308", "a property must have the form "
                       "`forall x: T: P leads_to Q`", decl.expr.span)
        premise = self.check_bool(expr.left)
        for guard in reversed(guards):
            premise = ir.Binary("and", guard, premise, t.BOOL, guard.span)
        conclusion = self.check_bool(expr.right)
        return ir.LeadsTo(symbol.qualified, tuple(bindings), premise, conclusion,
                          self.next_slot, decl.span)

    def _workload(self, decl: nodes.WorkloadDecl, symbol: Symbol,
                  scope: ModuleScope) -> ir.Workload:
        weights: dict[str, ir.Weight] = {}
        for entry in decl.weights:
            with self.recovering():
                weight = self._weight(entry, scope)
                if weight.action in weights:
                    self.error("E201", f"`{entry.action.name}` has two weights", entry.span)
                weights[weight.action] = weight
        return ir.Workload(symbol.qualified, tuple(weights.values()), decl.span)

    def _weight(self, entry: nodes.WeightEntry, scope: ModuleScope) -> ir.Weight:
        name = self._action_name(entry.action, scope)
        action = self.by_qualified.get(name)
        if action is None or action.kind != "action":
            raise Abort
        decl = action.decl
        assert isinstance(decl, nodes.ActionDecl)
        types = [typ for _, typ in self.param_types(action, decl.params)]
        if len(types) != len(entry.params):
            self.error("E301", f"`{entry.action.name}` has {len(types)} parameter(s), the "
                       f"weight names {len(entry.params)}", entry.span)
        with self.fresh_context():
            params = tuple(self.new_local(p.name, typ)
                           for p, typ in zip(entry.params, types, strict=True))
            expr = self.check(entry.weight, t.INT)
            return ir.Weight(name, params, expr, max(self.next_slot, 1), entry.span)

    def _symmetric(self, decl: nodes.SymmetricDecl) -> None:
        if decl.type_name.name != "Node":
            self.error("E405", f"symmetry is supported for `Node` only, not "
                       f"`{decl.type_name.name}`", decl.type_name.span)
        if "Node" in self.symmetric:
            self.error("E201", "`symmetric Node` is declared twice", decl.span)
        topo = self.topology
        # Never the group itself (n! on a uniform machine): one non-trivial automorphism, by a
        # bounded search; when it gives up, the explicit search's E406 reports it.
        if topo.nodes > 1 and has_symmetry(topo.distance) is False:
            self.error("E405", "`symmetric Node`: the topology's distance matrix has no "
                       "symmetry (no node permutation preserves it)", decl.span,
                       Note("remove the declaration, or check a topology whose nodes are "
                            "interchangeable"))
        self.symmetric.append("Node")

    def _check_defines(self) -> None:
        known = set(self.const_names()) | {"NODES", "FRAMES_PER_NODE"}
        for name, (expr, _) in self.defines.items():
            if name not in known:
                import difflib

                close = difflib.get_close_matches(name, sorted(known), n=1)
                note = f"did you mean `{close[0]}`?" if close else \
                    "constants: " + (", ".join(sorted(known)))
                self.diags.error("E401", f"`-D {name}`: the spec has no constant `{name}`",
                                 expr.span, Note(note))

    def const_names(self) -> list[str]:
        return [s.qualified for s in self.by_qualified.values() if s.kind == "const"]

    def _spec(self) -> ir.Spec:
        constants = {}
        for name in self.const_names():
            if name in self.const_cache:
                constants[name] = self.const_cache[name]
        topo = self.topology if self._topology else ir.Topology(1, 1, ((10,),), None)
        kernels = tuple(sorted(s.qualified for s in self.by_qualified.values()
                               if isinstance(s.decl, nodes.ProcDecl) and s.decl.kernel))
        init = ir.Block(tuple(self.inits), self.inits[0].span) if self.inits else None
        types = {}
        for symbol in self.by_qualified.values():
            if symbol.kind in ("type", "enum"):
                with self.recovering(), self.in_module(symbol.module):
                    types[symbol.qualified] = self.resolve_type(
                        nodes.Name(symbol.name, symbol.span))
        return ir.Spec(
            self.root.name, self.root.loaded.path, topo, constants, types,
            tuple(self.variables),
            init, self.init_locals, tuple(self.actions), tuple(self.properties["invariant"]),
            tuple(self.properties["reachable"]), tuple(self.properties["final"]),
            tuple(self.liveness), tuple(self.fair), tuple(self.symmetric), kernels,
            tuple(m.name for m in self.scopes), self.root.loaded.ast.kind,
            tuple(self.workloads), tuple(self.views),
        )
