"""Expressions: name resolution, bidirectional type checking and lowering to IR expressions.

`check(expr, expected)` elaborates `expr`; `expected` (when known) types literals such as `{}`
and `none` and is enforced with the rules of spec/elaborate/typing_rules.py.
"""

from __future__ import annotations

from typing import NoReturn, assert_never

from numaspec.spec.diagnostics import Note
from numaspec.spec.elaborate.heterogeneous import frame_domain
from numaspec.spec.elaborate.symbols import BUILTIN_CONSTS, BUILTIN_FUNCTIONS, BUILTIN_TYPES, Symbol
from numaspec.spec.elaborate.types import TypeLayer
from numaspec.spec.elaborate.typing_rules import fits, is_undetermined, widen
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import default_value
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes

_KIND_HINTS = {
    "fun": "a function: call it with arguments",
    "proc": "a procedure: call it as a statement",
    "action": "an action, not a value",
    "property": "a property, not a value",
    "type": "a type, not a value",
    "enum": "an enum type: its values are written `{name}.member`",
}


class ExprLayer(TypeLayer):
    var_types: dict[str, t.Type]

    # ------------------------------------------------------------ entry points
    def check(self, expr: nodes.Expr, expected: t.Type | None) -> ir.Expr:
        typed = self._elaborate(expr, expected)
        return typed if expected is None else self.coerce(typed, expected, expr.span)

    def check_bool(self, expr: nodes.Expr) -> ir.Expr:
        return self.check(expr, t.BOOL)

    def try_coerce(self, typed: ir.Expr, expected: t.Type) -> ir.Expr | None:
        """`typed` as a value of `expected`, or None if the types do not fit."""
        target = expected.inner if isinstance(expected, t.OptionType) else expected
        if (isinstance(typed, ir.Const) and isinstance(typed.type, t.IntType)
                and isinstance(target, (t.NodeType, t.FrameType))):
            if not 0 <= typed.value < target.count:
                return None
            return ir.Const(typed.value, expected, typed.span)
        fit = fits(typed.type, expected)
        if fit == "no":
            return None
        if isinstance(typed, ir.Const) and is_undetermined(typed.type):
            # `{}`, `[]` and `none` take the value of the type they turn out to have.
            return ir.Const(default_value(expected), expected, typed.span) \
                if fit == "same" else None
        if fit == "wrap":
            return ir.SomeOf(typed, expected, typed.span)
        return typed

    def coerce(self, typed: ir.Expr, expected: t.Type, span: Span) -> ir.Expr:
        result = self.try_coerce(typed, expected)
        if result is None:
            self.type_mismatch(typed, expected, span)
        return result

    def type_mismatch(self, typed: ir.Expr, expected: t.Type, span: Span) -> NoReturn:
        found = t.show(typed.type)
        notes = []
        if isinstance(typed, ir.Const) and isinstance(expected, (t.NodeType, t.FrameType)) \
                and isinstance(typed.type, t.IntType):
            notes.append(Note(f"{typed.value} is not a {t.show(expected)} "
                              f"(0..{expected.count - 1})"))
        elif isinstance(expected, (t.NodeType, t.FrameType)) and isinstance(typed.type, t.IntType):
            notes.append(Note(f"convert with `{t.show(expected).lower()}(...)`"))
        self.error("E300", f"expected `{t.show(expected)}`, found `{found}`", span, *notes)

    # --------------------------------------------------------------- dispatch
    def _elaborate(self, expr: nodes.Expr, expected: t.Type | None) -> ir.Expr:
        span = expr.span
        match expr:
            case nodes.IntLit(value=value):
                return ir.Const(value, t.INT, span)
            case nodes.BoolLit(value=value):
                return ir.Const(value, t.BOOL, span)
            case nodes.NoneLit():
                return ir.Const(None, t.NoneType(), span)
            case nodes.Name(id=name):
                return self._name(name, span)
            case nodes.Call():
                return self.call(expr, expected)
            case nodes.Index():
                return self._index(expr)
            case nodes.FieldAccess():
                return self._field(expr)
            case nodes.TupleGet():
                return self._tuple_get(expr)
            case nodes.OptionType():
                self.error("E207", "`T?` is a type, not a value", span)
            case nodes.TupleLit() | nodes.SeqLit() | nodes.EmptyBraces() | nodes.SetLit() \
                    | nodes.MapLit() | nodes.RecordLit():
                return self.literal(expr, expected)
            case nodes.Comprehension():
                return self.comprehension(expr, expected)
            case nodes.Unary():
                return self._unary(expr)
            case nodes.Binary():
                return self.binary(expr)
            case nodes.Quantifier():
                return self._quantifier(expr)
            case nodes.IfExpr():
                return self._if(expr, expected)
            case _:
                assert_never(expr)

    # ------------------------------------------------------------------ names
    def _name(self, name: str, span: Span) -> ir.Expr:
        local = self.lookup_local(name)
        if local is not None:
            return ir.LocalRef(local, local.type, span)
        symbol = self.module.symbols.get(name)
        if symbol is not None:
            return self.symbol_value(symbol, span)
        if name in BUILTIN_CONSTS:
            return ir.Const(self._topology_count(name, span), t.INT, span)
        if name in BUILTIN_TYPES:
            self.error("E207", f"`{name}` is a type, not a value", span)
        if name in BUILTIN_FUNCTIONS:
            self.error("E207", f"`{name}` is a built-in function: call it with arguments", span)
        if name in self.module.imports:
            self.error("E207", f"`{name}` is a module: use its members as `{name}.member`", span)
        self.unknown_name(name, span)

    def _topology_count(self, name: str, span: Span) -> int:
        """NODES, FRAMES_PER_NODE or FRAMES.  Only these names need the topology: an unknown
        name in `-D NODES=x` is reported as unknown, not as a cycle through the topology."""
        if "topology" in self.in_progress:
            self.error("E400", f"`{name}` cannot be used to define the topology itself", span,
                       Note("the topology's `nodes` and `frames_per_node` (and `-D NODES`, "
                            "`-D FRAMES_PER_NODE`) must be integer constants"))
        topo = self.topology
        counts = {"NODES": topo.nodes, "FRAMES_PER_NODE": topo.frames_per_node,
                  "FRAMES": topo.nodes * topo.frames_per_node}
        return counts[name]

    def symbol_value(self, symbol: Symbol, span: Span) -> ir.Expr:
        if symbol.kind == "const":
            value, typ = self.symbol_const(symbol)
            return ir.Const(value, typ, span)
        if symbol.kind in ("var", "channel"):
            if self.const_mode:
                self.error("E400", f"a constant cannot depend on the state variable "
                           f"`{symbol.name}`", span)
            return ir.StateRef(symbol.qualified, self.state_type(symbol), span)
        hint = _KIND_HINTS[symbol.kind].format(name=symbol.name)
        self.error("E207", f"`{symbol.name}` is {hint}", span)

    def state_type(self, symbol: Symbol) -> t.Type:
        raise NotImplementedError  # spec/elaborate/decls.py

    def module_of(self, expr: nodes.Expr) -> str | None:
        """The import alias if `expr` names a module (and no local shadows it)."""
        if isinstance(expr, nodes.Name) and expr.id in self.module.imports:
            if self.lookup_local(expr.id) is None and expr.id not in self.module.symbols:
                return expr.id
        return None

    def is_type_expr(self, expr: nodes.Expr) -> bool:
        match expr:
            case nodes.Name(id=name):
                if self.lookup_local(name) is not None:
                    return False
                symbol = self.module.symbols.get(name)
                if symbol is not None:
                    return symbol.kind in ("type", "enum")
                return name in BUILTIN_TYPES
            case nodes.FieldAccess(base=base, name=member):
                alias = self.module_of(base)
                if alias is None:
                    return False
                with self.in_module(self.module.imports[alias], hide_locals=False):
                    return self.is_type_expr(nodes.Name(member, expr.span))
            case nodes.Index(base=nodes.Name(id=("Set" | "Map" | "Seq") as ctor)):
                return self.lookup_local(ctor) is None
            case nodes.Binary(op="..", left=left, right=right):
                # A range with constant bounds is a type; otherwise a set-valued expression.
                return self._is_constant(left) and self._is_constant(right)
            case nodes.OptionType():
                return True
            case nodes.TupleLit(items=items):
                return all(self.is_type_expr(i) for i in items)
            case nodes.RecordLit(fields=fields):
                return all(self.is_type_expr(v) for _, v, _ in fields)
            case _:
                return False

    def _is_constant(self, expr: nodes.Expr) -> bool:
        """Syntactically constant: literals, constants, and arithmetic on them."""
        match expr:
            case nodes.IntLit():
                return True
            case nodes.Name(id=name):
                if self.lookup_local(name) is not None:
                    return False
                symbol = self.module.symbols.get(name)
                return symbol.kind == "const" if symbol else name in BUILTIN_CONSTS
            case nodes.FieldAccess(base=base, name=member) if self.module_of(base):
                alias = self.module_of(base)
                assert alias is not None
                symbol = self.module.imports[alias].symbols.get(member)
                return symbol is not None and symbol.kind == "const"
            case nodes.Binary(op="+" | "-" | "*" | "/" | "%", left=left, right=right):
                return self._is_constant(left) and self._is_constant(right)
            case nodes.Unary(op="-", operand=operand):
                return self._is_constant(operand)
            case _:
                return False

    # ------------------------------------------------------ structured access
    def _index(self, expr: nodes.Index) -> ir.Expr:
        if self.is_type_expr(expr):
            self.error("E207", "this is a type, not a value", expr.span)
        base = self.check(expr.base, None)
        match base.type:
            case t.MapType(key=key_type, value=value_type):
                key = self._key(expr.args, key_type, expr.span)
                return ir.Lookup(base, key, value_type, expr.span)
            case t.SeqType(elem=elem):
                if len(expr.args) != 1:
                    self.error("E301", "a sequence takes one index", expr.span)
                return ir.Lookup(base, self.check(expr.args[0], t.INT), elem, expr.span)
            case _:
                self.error("E303", f"cannot index a value of type `{t.show(base.type)}`",
                           expr.base.span)

    def _key(self, args: tuple[nodes.Expr, ...], key_type: t.Type, span: Span) -> ir.Expr:
        if not args:
            self.error("E301", "a map lookup needs a key", span)
        if len(args) == 1:
            return self.check(args[0], key_type)
        return self.check(nodes.TupleLit(args, args[0].span.to(args[-1].span)), key_type)

    def _field(self, expr: nodes.FieldAccess) -> ir.Expr:
        alias = self.module_of(expr.base)
        if alias is not None:
            with self.in_module(self.module.imports[alias]):
                return self._member(expr.name, alias, expr.span)
        if self.is_type_expr(expr.base):
            return self._enum_member(expr)
        base = self.check(expr.base, None)
        if isinstance(base.type, t.RecordType):
            index = base.type.index_of(expr.name)
            if index is not None:
                return ir.Project(base, index, base.type.fields[index][1], expr.span)
            fields = ", ".join(n for n, _ in base.type.fields)
            self.error("E205", f"the record has no field `{expr.name}`", expr.span,
                       Note(f"its fields: {fields}"))
        if isinstance(base.type, t.OptionType):
            self.error("E303", f"`{t.show(base.type)}` may be none: use `unwrap(...)` first",
                       expr.base.span)
        self.error("E303", f"a value of type `{t.show(base.type)}` has no fields", expr.span)

    def _member(self, name: str, alias: str, span: Span) -> ir.Expr:
        symbol = self.module.symbols.get(name)
        if symbol is None:
            import difflib

            close = difflib.get_close_matches(name, list(self.module.symbols), n=1)
            notes = [Note(f"did you mean `{alias}.{close[0]}`?")] if close else []
            self.error("E205", f"module `{alias}` has no member `{name}`", span, *notes)
        return self.symbol_value(symbol, span)

    def _enum_member(self, expr: nodes.FieldAccess) -> ir.Expr:
        typ = self.resolve_type(expr.base)
        if not isinstance(typ, t.EnumType):
            self.error("E205", f"`{t.show(typ)}` is a type without members", expr.span)
        if expr.name not in typ.members:
            self.error("E205", f"enum `{typ.name}` has no member `{expr.name}`", expr.span,
                       Note("its members: " + ", ".join(typ.members)))
        return ir.Const(typ.members.index(expr.name), typ, expr.span)

    def _tuple_get(self, expr: nodes.TupleGet) -> ir.Expr:
        base = self.check(expr.base, None)
        if not isinstance(base.type, t.TupleType):
            self.error("E303", f"`.{expr.index}` needs a tuple, found `{t.show(base.type)}`",
                       expr.span)
        if expr.index >= len(base.type.items):
            self.error("E205", f"the tuple has {len(base.type.items)} components; "
                       f"`.{expr.index}` does not exist", expr.span)
        return ir.Project(base, expr.index, base.type.items[expr.index], expr.span)

    # ------------------------------------------------- quantifiers, if, unary
    def unique_names(self, binders: tuple[nodes.Binder, ...]) -> None:
        """E201 if a name is bound twice in one parameter or binder list."""
        seen: set[str] = set()
        for binder in binders:
            for name in binder.names:
                if name in seen:
                    self.error("E201", f"`{name}` is bound twice", binder.span)
                seen.add(name)

    def bind(self, binders: tuple[nodes.Binder, ...]) -> tuple[ir.Binding, ...]:
        """Bindings for `a, b: D, c: E`; declares the locals in the current scope."""
        self.unique_names(binders)
        bindings = []
        for binder in binders:
            domain, elem = self.domain(binder.domain)
            for name in binder.names:
                bindings.append(ir.Binding(self.new_local(name, elem), domain))
        return tuple(bindings)

    def domain(self, expr: nodes.Expr) -> tuple[ir.Domain, t.Type]:
        if self.is_type_expr(expr):
            typ = self.finite_type(expr, "a bound variable")
            if isinstance(typ, t.FrameType):  # the frames that exist (heterogeneous.py)
                return frame_domain(self.topology, typ, expr.span), typ
            return ir.TypeDomain(typ), typ
        typed = self.check(expr, None)
        if not isinstance(typed.type, t.SetType):
            self.error("E300", f"expected a finite type or a set, found `{t.show(typed.type)}`",
                       expr.span)
        return ir.SetDomain(typed), typed.type.elem

    def _quantifier(self, expr: nodes.Quantifier) -> ir.Expr:
        with self.block_scope():
            bindings = self.bind(expr.binders)
            where = self.check_bool(expr.where) if expr.where is not None else None
            body = self.check_bool(expr.body)
        return ir.Quantifier(expr.kind, bindings, where, body, t.BOOL, expr.span)

    def _if(self, expr: nodes.IfExpr, expected: t.Type | None) -> ir.Expr:
        cond = self.check_bool(expr.cond)
        then = self.check(expr.then, expected)
        if expected is None and is_undetermined(then.type):
            orelse = self.check(expr.orelse, None)
            then = self.check(expr.then, orelse.type)
        else:
            orelse = self.check(expr.orelse, expected or widen(then.type))
        return ir.IfThenElse(cond, then, orelse, expected or widen(then.type), expr.span)

    def _unary(self, expr: nodes.Unary) -> ir.Expr:
        if expr.op == "not":
            return ir.Unary("not", self.check_bool(expr.operand), t.BOOL, expr.span)
        operand = self.check(expr.operand, None)
        if not isinstance(operand.type, t.IntType):
            self.error("E303", f"cannot negate a value of type `{t.show(operand.type)}`",
                       expr.span)
        return ir.Unary("neg", operand, t.INT, expr.span)

    # ------------------------------------------- implemented by later layers
    def call(self, expr: nodes.Call, expected: t.Type | None) -> ir.Expr:
        raise NotImplementedError

    def literal(self, expr: nodes.Expr, expected: t.Type | None) -> ir.Expr:
        raise NotImplementedError

    def comprehension(self, expr: nodes.Comprehension, expected: t.Type | None) -> ir.Expr:
        raise NotImplementedError

    def binary(self, expr: nodes.Binary) -> ir.Expr:
        raise NotImplementedError


