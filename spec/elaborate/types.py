"""Type expressions, constants (with `-D` and `import ... with` overrides) and the topology."""

from __future__ import annotations

import dataclasses
from typing import Any, NoReturn

from numaspec.spec.diagnostics import Note
from numaspec.spec.elaborate.context import ElabContext
from numaspec.spec.elaborate.symbols import KIND_NOUNS, Symbol
from numaspec.spec.elaborate.typing_rules import fits, is_undetermined
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.evaluate import Env, evaluate
from numaspec.spec.ir.format import format_value
from numaspec.spec.ir.values import in_domain
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes
from numaspec.spec.topology.distances import MAX_FRAMES_PER_NODE, MAX_NODES, distance_problem

DEFAULT_LOCAL, DEFAULT_REMOTE = 10, 20
_TOPOLOGY_KEYS = ("nodes", "frames_per_node", "distance")
# Far above what any checker can explore; the limits keep a typo from allocating gigabytes.
_TOPOLOGY_LIMITS = {"nodes": MAX_NODES, "frames_per_node": MAX_FRAMES_PER_NODE}
_GENERIC_EXAMPLES = {"Set": "Set[Page]", "Map": "Map[Page, Frame]", "Seq": "Seq[Page, 4]"}
_PLACEHOLDER_TOPOLOGY = ir.Topology(1, 1, ((DEFAULT_LOCAL,),), None)


class TypeLayer(ElabContext):
    _topology: ir.Topology | None = None
    const_mode = False

    # ------------------------------------------------------------------- types
    def resolve_type(self, expr: nodes.Expr) -> t.Type:
        match expr:
            case nodes.Name(id=name):
                return self._named_type(name, expr.span)
            case nodes.FieldAccess(base=nodes.Name(id=alias), name=member) if (
                    alias in self.module.imports and self.lookup_local(alias) is None):
                with self.in_module(self.module.imports[alias], hide_locals=False):
                    return self._named_type(member, expr.span)
            case nodes.Index(base=nodes.Name(id=("Set" | "Map" | "Seq") as ctor), args=args):
                return self._generic_type(ctor, args, expr.span)
            case nodes.Binary(op=".."):
                return self._range_type(expr)
            case nodes.OptionType(inner=inner):
                inner_type = self.resolve_type(inner)
                if isinstance(inner_type, t.OptionType):
                    self.error("E305", "an option of an option is not allowed", expr.span)
                return t.OptionType(inner_type)
            case nodes.TupleLit(items=items):
                return t.TupleType(tuple(self.resolve_type(i) for i in items))
            case nodes.RecordLit(fields=fields):
                return self._record_type(fields)
            case _:
                self.error("E305", "this is not a type", expr.span,
                           Note("types are names, `lo .. hi`, `(A, B)`, `{f: T}`, `T?`, "
                                "`Set[T]`, `Map[K, V]` or `Seq[T, N]`"))

    def _named_type(self, name: str, span: Span) -> t.Type:
        builtin = self._builtin_type(name, span)
        if builtin is not None:
            return builtin
        symbol = self.module.symbols.get(name)
        if symbol is None:
            self.unknown_name(name, span)
        if symbol.kind == "enum":
            decl = symbol.decl
            assert isinstance(decl, nodes.EnumDecl)
            return t.EnumType(symbol.qualified, tuple(m.name for m in decl.members))
        if symbol.kind != "type":
            self.error("E207", f"`{name}` is {KIND_NOUNS[symbol.kind]}, not a type", span)
        return self._declared_type(symbol)

    def _builtin_type(self, name: str, span: Span) -> t.Type | None:
        topo = self.topology
        match name:
            case "bool":
                return t.BOOL
            case "int":
                return t.INT
            case "Node":
                return t.NodeType(topo.nodes)
            case "Frame":
                return t.FrameType(topo.nodes * topo.frames_per_node, topo.frames_per_node)
            case "Set" | "Map" | "Seq":
                self.error("E305", f"`{name}` needs type arguments, e.g. {_GENERIC_EXAMPLES[name]}",
                           span)
        return None

    def _declared_type(self, symbol: Symbol) -> t.Type:
        if symbol.qualified not in self.type_cache:
            decl = symbol.decl
            assert isinstance(decl, nodes.TypeDecl)
            with self.evaluating(symbol.qualified, decl.name.span, "type"), \
                    self.in_module(symbol.module):
                self.type_cache[symbol.qualified] = self.resolve_type(decl.type)
        return self.type_cache[symbol.qualified]

    def _generic_type(self, ctor: str, args: tuple[nodes.Expr, ...], span: Span) -> t.Type:
        arity = {"Set": 1, "Map": 2, "Seq": 2}[ctor]
        if len(args) != arity:
            self.error("E301", f"`{ctor}` takes {arity} type argument{'s' * (arity > 1)}, "
                       f"got {len(args)}", span)
        if ctor == "Set":
            return t.SetType(self.resolve_type(args[0]))
        if ctor == "Map":
            return t.MapType(self.resolve_type(args[0]), self.resolve_type(args[1]))
        capacity = self.const_int(args[1])
        if capacity < 0:
            self.error("E306", f"sequence capacity {capacity} is negative", args[1].span)
        return t.SeqType(self.resolve_type(args[0]), capacity)

    def _range_type(self, expr: nodes.Binary) -> t.Type:
        lo, hi = self.const_int(expr.left), self.const_int(expr.right)
        if lo > hi:
            self.error("E306", f"the range {lo} .. {hi} is empty", expr.span)
        return t.IntType(lo, hi)

    def _record_type(self, fields: tuple[tuple[str, nodes.Expr, Span], ...]) -> t.Type:
        seen: dict[str, Span] = {}
        for name, _, span in fields:
            if name in seen:
                self.error("E201", f"field `{name}` appears twice", span,
                           Note("first here", seen[name]))
            seen[name] = span
        typed = sorted((name, self.resolve_type(typ)) for name, typ, _ in fields)
        return t.RecordType(tuple(typed))

    def finite_type(self, expr: nodes.Expr, what: str) -> t.Type:
        typ = self.resolve_type(expr)
        if not t.is_finite(typ):
            self.error("E302", f"{what} must have a finite type, not `{t.show(typ)}`", expr.span,
                       Note("use a range such as `0 .. 7` instead of `int`"))
        return typ

    def unknown_name(self, name: str, span: Span) -> NoReturn:
        import difflib

        known = list(self.module.symbols) + list(self.module.imports)
        for scope in self.local_scopes:
            known += list(scope)
        close = difflib.get_close_matches(name, known, n=1)
        notes = [Note(f"did you mean `{close[0]}`?")] if close else []
        self.error("E200", f"unknown name `{name}`", span, *notes)

    # --------------------------------------------------------------- constants
    def const_value(self, expr: nodes.Expr, expected: t.Type | None = None) -> tuple[Any, t.Type]:
        """Evaluate a constant expression: no state variables, no run-time errors."""
        saved = self.const_mode
        self.const_mode = True
        try:
            with self.fresh_context():
                typed = self.check(expr, expected)
                slots = self.next_slot
        finally:
            self.const_mode = saved
        try:
            # While the topology itself is being computed, its entries are plain integers.
            topology = self._topology or _PLACEHOLDER_TOPOLOGY
            value = evaluate(typed, Env({}, [None] * slots, topology))
        except EvalError as err:
            self.error("E403", f"cannot evaluate this constant: {err.message}", expr.span)
        if _too_big(value):
            self.error("E403", "this constant does not fit in 64 bits", expr.span)
        return value, typed.type

    def check_in_domain(self, value: Any, typ: t.Type, span: Span, what: str) -> None:
        """E300 unless `value` is a value of `typ` (ranges, capacities, nested types)."""
        if not in_domain(value, typ):
            self.error("E300", f"the {what} {format_value(value, _shape(typ, value))} is not a "
                       f"value of `{t.show(typ)}`", span)

    def const_int(self, expr: nodes.Expr) -> int:
        value, typ = self.const_value(expr)
        if not isinstance(typ, t.IntType):
            self.error("E300", f"expected a constant integer, found `{t.show(typ)}`", expr.span)
        return int(value)

    def symbol_const(self, symbol: Symbol) -> tuple[Any, t.Type]:
        """The value of a declared constant, after `-D` and `import ... with` overrides."""
        if symbol.qualified not in self.const_cache:
            decl = symbol.decl
            assert isinstance(decl, nodes.ConstDecl)
            with self.evaluating(symbol.qualified, decl.name.span, "constant"):
                self.const_cache[symbol.qualified] = self._const_with_overrides(symbol, decl)
        return self.const_cache[symbol.qualified]

    def _const_with_overrides(self, symbol: Symbol, decl: nodes.ConstDecl) -> tuple[Any, t.Type]:
        with self.in_module(symbol.module):
            declared = self.resolve_type(decl.type) if decl.type is not None else None
            default_value, default_type = self.const_value(decl.value, declared)
            if declared is not None:
                self.check_in_domain(default_value, declared, decl.value.span, "value")
            elif is_undetermined(default_type):
                self.error("E307", f"cannot tell the type of `{symbol.name}`", decl.value.span,
                           Note(f"declare it, e.g. `const {symbol.name}: Set[Page] = ...`"))
        expected = declared or default_type
        if symbol.qualified in self.defines:
            value_expr, shown = self.defines[symbol.qualified]
            with self.in_module(self.root):
                return self._override(value_expr, expected, shown)
        binding = self._import_binding(symbol)
        if binding is not None:
            value_expr, importer = binding
            with self.in_module(importer):
                return self._override(value_expr, expected, None)
        return default_value, expected

    def _override(self, expr: nodes.Expr, expected: t.Type,
                  shown: str | None) -> tuple[Any, t.Type]:
        untyped = isinstance(expr, (nodes.EmptyBraces, nodes.NoneLit, nodes.SeqLit))
        value, typ = self.const_value(expr, expected if untyped else None)
        target = expected.inner if isinstance(expected, t.OptionType) else expected
        if isinstance(target, (t.NodeType, t.FrameType)) and isinstance(typ, t.IntType) \
                and not 0 <= value < target.count:
            where = f"`-D {shown}`" if shown else "the binding"
            self.error("E402", f"{where}: {value} is not a {t.show(target)} "
                       f"(0..{target.count - 1})", expr.span)
        if not untyped and fits(typ, expected) != "no" or isinstance(
                expected, (t.NodeType, t.FrameType)) and isinstance(typ, t.IntType):
            value, typ = self.const_value(expr, expected)
        if fits(typ, expected) == "no":
            where = f" in `-D {shown}`" if shown else ""
            self.error("E402", f"override{where} has type `{t.show(typ)}`, the constant is "
                       f"`{t.show(expected)}`", expr.span)
        if not in_domain(value, expected):
            where = f"`-D {shown}`" if shown else "the binding"
            self.error("E402", f"{where} is not a value of `{t.show(expected)}`", expr.span)
        return value, expected

    def _import_binding(self, symbol: Symbol) -> tuple[nodes.Expr, Any] | None:
        for scope in self.scopes:
            for alias, target in scope.imports.items():
                if target is not symbol.module:
                    continue
                for ident, value in scope.loaded.import_decls[alias].bindings:
                    if ident.name == symbol.name:
                        return value, scope
        return None

    # ---------------------------------------------------------------- topology
    @property
    def topology(self) -> ir.Topology:
        if self._topology is None:
            with self.evaluating("topology", None, "constant"):  # type: ignore[arg-type]
                self._topology = self._build_topology()
        return self._topology

    def _build_topology(self) -> ir.Topology:
        decl = next((i.decl for i in self.root.loaded.ast.items
                     if isinstance(i.decl, nodes.Topology)), None)
        entries = self._topology_entries(decl)
        override = self.topology_override
        if override is not None:
            # --topology gives the machine (nodes, distances); the spec keeps its frames.
            if "NODES" in self.defines:
                self.error("E404", "give the number of nodes by `--topology` or by `-D NODES`, "
                           "not both", self.defines["NODES"][0].span)
            if override.nodes > MAX_NODES:
                self.error("E404", f"the topology has {override.nodes} nodes; at most "
                           f"{MAX_NODES} are supported", override.span)
                return _PLACEHOLDER_TOPOLOGY
            default = override.frames_per_node if "frames_per_node" not in entries else 1
            per_node = self._topology_int(entries, "frames_per_node", "FRAMES_PER_NODE",
                                          default)
            return dataclasses.replace(override, frames_per_node=per_node)  # kinds kept
        nodes_count = self._topology_int(entries, "nodes", "NODES", 2)
        per_node = self._topology_int(entries, "frames_per_node", "FRAMES_PER_NODE", 1)
        distance = self._distance(entries.get("distance"), nodes_count)
        return ir.Topology(nodes_count, per_node, distance, decl.span if decl else None)

    def _topology_entries(self, decl: nodes.Topology | None) -> dict[str, nodes.TopologyEntry]:
        entries: dict[str, nodes.TopologyEntry] = {}
        for entry in decl.entries if decl else ():
            if entry.key.name not in _TOPOLOGY_KEYS:
                self.diags.error("E210", f"unknown topology entry `{entry.key.name}`",
                                 entry.key.span, Note("entries: " + ", ".join(_TOPOLOGY_KEYS)))
            elif entry.key.name in entries:
                self.diags.error("E201", f"topology entry `{entry.key.name}` given twice",
                                 entry.key.span)
            else:
                entries[entry.key.name] = entry
        return entries

    def _topology_int(self, entries: dict[str, nodes.TopologyEntry], key: str, define: str,
                      default: int) -> int:
        if define in self.defines:
            expr, _ = self.defines[define]
        elif key in entries:
            expr = entries[key].value
        else:
            return default
        value = self.const_int(expr)
        if not 1 <= value <= _TOPOLOGY_LIMITS[key]:
            self.error("E404", f"{key} must be between 1 and {_TOPOLOGY_LIMITS[key]}, not "
                       f"{value}", expr.span)
        return value

    def _distance(self, entry: nodes.TopologyEntry | None,
                  count: int) -> tuple[tuple[int, ...], ...]:
        if entry is None:
            return tuple(tuple(DEFAULT_LOCAL if i == j else DEFAULT_REMOTE for j in range(count))
                         for i in range(count))
        value, _ = self.const_value(entry.value, t.SeqType(t.SeqType(t.INT, 4096), 4096))
        matrix = tuple(tuple(row) for row in value)
        problem = distance_problem(matrix, count)
        if problem is not None:
            self.error("E404", problem, entry.value.span,
                       Note("with `-D NODES=...` leave out the distance matrix or pass "
                            "`--topology`") if len(matrix) != count else Note(
                           "distances follow ACPI SLIT: 10 = local"))
        return matrix


def _shape(typ: t.Type, value: Any) -> t.Type:
    """`typ` with integer ranges widened, so an out-of-range value still formats."""
    match typ:
        case t.IntType():
            return t.INT
        case t.SetType(elem=elem):
            return t.SetType(_shape(elem, None))
        case t.MapType(key=key, value=val):
            return t.MapType(_shape(key, None), _shape(val, None))
        case t.SeqType(elem=elem, capacity=cap):
            return t.SeqType(_shape(elem, None), cap)
        case t.OptionType(inner=inner):
            return t.OptionType(_shape(inner, None))
        case t.TupleType(items=items):
            return t.TupleType(tuple(_shape(i, None) for i in items))
        case _:
            return typ


def _too_big(value: Any) -> bool:
    """Whether an integer in `value` leaves the signed 64-bit range (the SMT encoding's)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return not -(2**63) <= value < 2**63
    if isinstance(value, (tuple, frozenset)):
        return any(_too_big(v) for v in value)
    if isinstance(value, dict):
        return any(_too_big(k) or _too_big(v) for k, v in value.items())
    return False
