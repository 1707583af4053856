"""Operators, literals and comprehensions (the overloaded parts of the expression language)."""

from __future__ import annotations

from numaspec.spec.diagnostics import Note
from numaspec.spec.elaborate.expr import ExprLayer
from numaspec.spec.elaborate.typing_rules import is_undetermined, widen
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap
from numaspec.spec.syntax import nodes

_ORDER_OPS: dict[str, ir.BinOp] = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_INT_OPS: dict[str, ir.BinOp] = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}
_SET_OPS: dict[str, ir.BinOp] = {"+": "union", "-": "diff", "&": "inter"}


class OperatorLayer(ExprLayer):
    # ---------------------------------------------------------------- binary
    def binary(self, expr: nodes.Binary) -> ir.Expr:
        op = expr.op
        if op in ("and", "or", "implies"):
            left, right = self.check_bool(expr.left), self.check_bool(expr.right)
            return ir.Binary(op, left, right, t.BOOL, expr.span)
        if op == "leads_to":
            self.error("E308", "`leads_to` can only be the body of a `property`", expr.span,
                       Note("write `property NAME: forall x: T: P leads_to Q`"))
        if op == "..":  # as a value, `lo .. hi` is the set of integers from lo to hi
            bounds = (self.check(expr.left, t.INT), self.check(expr.right, t.INT))
            return ir.Builtin("range", bounds, t.SetType(t.INT), expr.span)
        if op in ("==", "!="):
            return self._equality(expr)
        if op in ("in", "not in"):
            return self._membership(expr)
        if op in _ORDER_OPS:
            return self._ordering(expr)
        return self._arithmetic(expr)

    def _pair(self, expr: nodes.Binary,
              first: ir.Expr | None = None) -> tuple[ir.Expr, ir.Expr]:
        """Both operands, the one that is undetermined (`{}`, `none`) typed by the other.

        `first` is the left operand if the caller already elaborated it: elaborating it
        again would double the work at each level of a chain `a + b + c + ...`."""
        left = first if first is not None else self.check(expr.left, None)
        right = self.check(expr.right, None)
        if is_undetermined(left.type) and is_undetermined(right.type):
            self.error("E307", "cannot tell the type of either side", expr.span,
                       Note("compare with a typed value, e.g. a variable"))
        if is_undetermined(right.type):
            return left, self.coerce(right, left.type, expr.right.span)
        if is_undetermined(left.type):
            return self.coerce(left, right.type, expr.left.span), right
        coerced = self.try_coerce(right, left.type)
        if coerced is not None:
            return left, coerced
        return self.try_coerce(left, right.type) or left, right

    def _equality(self, expr: nodes.Binary) -> ir.Expr:
        left = self.check(expr.left, None)
        if is_undetermined(left.type):
            right = self.check(expr.right, None)
            if is_undetermined(right.type):
                self.error("E307", "cannot tell the type of either side", expr.span,
                           Note("compare with a typed value, e.g. a variable"))
            left = self.coerce(left, right.type, expr.left.span)
        else:
            right = self.check(expr.right, None)
            coerced = self.try_coerce(right, left.type)
            if coerced is not None:
                right = coerced
            else:
                left = self._coerce_or_fail(left, right, expr)
        op: ir.BinOp = "eq" if expr.op == "==" else "ne"
        return ir.Binary(op, left, right, t.BOOL, expr.span)

    def _coerce_or_fail(self, left: ir.Expr, right: ir.Expr, expr: nodes.Binary) -> ir.Expr:
        coerced = self.try_coerce(left, right.type)
        if coerced is None:
            self.error("E300", f"cannot compare `{t.show(left.type)}` with "
                       f"`{t.show(right.type)}`", expr.span)
        return coerced

    def _membership(self, expr: nodes.Binary) -> ir.Expr:
        container = self.check(expr.right, None)
        match container.type:
            case t.SetType(elem=elem) | t.SeqType(elem=elem):
                op: ir.BinOp = "member"
            case t.MapType(key=elem):
                op = "has_key"
            case _:
                self.error("E303", "`in` needs a set, a sequence or a map on its right, found "
                           f"`{t.show(container.type)}`", expr.right.span)
        element = self.check(expr.left, elem)
        test = ir.Binary(op, element, container, t.BOOL, expr.span)
        return test if expr.op == "in" else ir.Unary("not", test, t.BOOL, expr.span)

    def _ordering(self, expr: nodes.Binary) -> ir.Expr:
        left, right = self._pair(expr)
        op = _ORDER_OPS[expr.op]
        if isinstance(left.type, t.SetType):
            if op in ("gt", "ge"):
                left, right = right, left
            subset_op: ir.BinOp = "subseteq" if op in ("le", "ge") else "subset"
            return ir.Binary(subset_op, left, right, t.BOOL, expr.span)
        if not t.is_ordered(left.type) or type(left.type) is not type(right.type):
            self.error("E303", f"cannot order `{t.show(left.type)}` and "
                       f"`{t.show(right.type)}`", expr.span,
                       Note("`<` compares integers, nodes, frames, or sets (as subset)"))
        return ir.Binary(op, left, right, t.BOOL, expr.span)

    def _arithmetic(self, expr: nodes.Binary) -> ir.Expr:
        first = self.check(expr.left, None)
        if isinstance(first.type, (t.NodeType, t.FrameType)):
            self.error("E303", f"`{expr.op}` is not defined for `{t.show(first.type)}`",
                       expr.span, Note("nodes and frames are not numbers: convert with "
                                       "`int(...)` (and back with `node(...)`/`frame(...)`)"))
        left, right = self._pair(expr, first)
        if isinstance(left.type, t.SetType) and expr.op in _SET_OPS:
            return ir.Binary(_SET_OPS[expr.op], left, right, left.type, expr.span)
        if isinstance(left.type, t.IntType) and isinstance(right.type, t.IntType) \
                and expr.op in _INT_OPS:
            return ir.Binary(_INT_OPS[expr.op], left, right, t.INT, expr.span)
        notes = []
        if isinstance(left.type, (t.NodeType, t.FrameType)):
            notes.append(Note("nodes and frames are not numbers: convert with `int(...)`"))
        if expr.op == "&":
            notes.append(Note("`&` is set intersection; logical and is `and`"))
        self.error("E303", f"`{expr.op}` is not defined for `{t.show(left.type)}` and "
                   f"`{t.show(right.type)}`", expr.span, *notes)

    # -------------------------------------------------------------- literals
    def literal(self, expr: nodes.Expr, expected: t.Type | None) -> ir.Expr:
        want = expected.inner if isinstance(expected, t.OptionType) else expected
        match expr:
            case nodes.TupleLit(items=items):
                types = want.items if isinstance(want, t.TupleType) and len(
                    want.items) == len(items) else (None,) * len(items)
                typed = tuple(self.check(i, w) for i, w in zip(items, types, strict=True))
                return ir.MakeTuple(typed, t.TupleType(tuple(i.type for i in typed)), expr.span)
            case nodes.SeqLit(items=items):
                return self._sequence(items, want, expr)
            case nodes.EmptyBraces():
                if isinstance(want, t.SetType):
                    return ir.Const(frozenset(), want, expr.span)
                if isinstance(want, t.MapType):
                    return ir.Const(FrozenMap(), want, expr.span)
                return ir.Const(frozenset(), t.EmptyCollectionType("braces"), expr.span)
            case nodes.SetLit(items=items):
                elem = want.elem if isinstance(want, t.SetType) else None
                typed = self._elements(items, elem)
                return ir.MakeSet(typed, t.SetType(elem or widen(typed[0].type)), expr.span)
            case nodes.MapLit():
                return self._map_literal(expr, want)
            case nodes.RecordLit():
                return self._record(expr, want)
        raise AssertionError(expr)

    def _elements(self, items: tuple[nodes.Expr, ...], elem: t.Type | None) -> tuple[ir.Expr, ...]:
        first = self.check(items[0], elem)
        target = elem or widen(first.type)
        return (first, *(self.check(i, target) for i in items[1:]))

    def _sequence(self, items: tuple[nodes.Expr, ...], want: t.Type | None,
                  expr: nodes.Expr) -> ir.Expr:
        if not items:
            typ = want if isinstance(want, t.SeqType) else t.EmptyCollectionType("seq")
            return ir.Const((), typ, expr.span)
        elem = want.elem if isinstance(want, t.SeqType) else None
        typed = self._elements(items, elem)
        capacity = max(want.capacity, len(items)) if isinstance(want, t.SeqType) else len(items)
        return ir.MakeTuple(typed, t.SeqType(elem or widen(typed[0].type), capacity), expr.span)

    def _map_literal(self, expr: nodes.MapLit, want: t.Type | None) -> ir.Expr:
        key_type = want.key if isinstance(want, t.MapType) else None
        value_type = want.value if isinstance(want, t.MapType) else None
        keys = self._elements(tuple(k for k, _ in expr.entries), key_type)
        constant_keys = [k.value for k in keys if isinstance(k, ir.Const)]
        for key, (entry, _) in zip(keys, expr.entries, strict=True):
            if isinstance(key, ir.Const) and constant_keys.count(key.value) > 1:
                self.error("E201", "this key appears twice in the map", entry.span)
        values = self._elements(tuple(v for _, v in expr.entries), value_type)
        typ = t.MapType(key_type or widen(keys[0].type), value_type or widen(values[0].type))
        return ir.MakeMap(tuple(zip(keys, values, strict=True)), typ, expr.span)

    def _record(self, expr: nodes.RecordLit, want: t.Type | None) -> ir.Expr:
        seen: set[str] = set()
        for name, _, span in expr.fields:
            if name in seen:
                self.error("E201", f"field `{name}` appears twice", span)
            seen.add(name)
        given = {name: value for name, value, _ in expr.fields}
        if isinstance(want, t.RecordType) and seen == {n for n, _ in want.fields}:
            typed = tuple(self.check(given[name], ftype) for name, ftype in want.fields)
            return ir.MakeTuple(typed, want, expr.span)
        names = sorted(given)
        typed = tuple(self.check(given[name], None) for name in names)
        typ = t.RecordType(tuple((n, widen(i.type)) for n, i in zip(names, typed, strict=True)))
        return ir.MakeTuple(typed, typ, expr.span)

    # --------------------------------------------------------- comprehensions
    def comprehension(self, expr: nodes.Comprehension, expected: t.Type | None) -> ir.Expr:
        if expr.kind in ("filter", "map") and len(expr.binders) != 1:
            self.error("E209", f"a {expr.kind} comprehension binds exactly one variable",
                       expr.span, Note("for several, build tuples: "
                                       "`{(x, y) | x: A, y: B where P}`"))
        with self.block_scope():
            bindings = self.bind(expr.binders)
            where = self.check_bool(expr.where) if expr.where is not None else None
            element = None
            if expr.element is not None:
                hint = _element_hint(expr.kind, expected)
                element = self.check(expr.element, hint)
        if expr.kind == "filter":
            typ: t.Type = t.SetType(bindings[0].local.type)
        elif expr.kind == "image":
            assert element is not None
            typ = t.SetType(widen(element.type))
        else:
            assert element is not None
            typ = t.MapType(bindings[0].local.type, widen(element.type))
        return ir.Comprehension(expr.kind, bindings, where, element, typ, expr.span)


def _element_hint(kind: str, expected: t.Type | None) -> t.Type | None:
    if kind == "image" and isinstance(expected, t.SetType):
        return expected.elem
    if kind == "map" and isinstance(expected, t.MapType):
        return expected.value
    return None
