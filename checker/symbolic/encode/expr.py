"""IR expressions to symbolic values: one handler per node type, no node silently ignored.

An `ExprEncoder` sees a symbolic state (variable name -> symbolic value) and local slots.
Evaluation errors of the model (absent key, `unwrap(none)`, empty `min`, division by zero,
out-of-range conversions) become *failure conditions*: each is recorded with the `guard`
under which the failing sub-expression is evaluated (the model short-circuits `and`, `or`,
`implies`, `if` and quantifier `where`s, so a guarded lookup is no failure).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, assert_never

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.builtins import builtin
from numaspec.checker.symbolic.encode.collections import comprehension, literal, set_literal
from numaspec.checker.symbolic.encode.context import Failure
from numaspec.checker.symbolic.encode.operators import binary, set_operation
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.values import SMap, SOpt, SSeq, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import default_value
from numaspec.spec.ir.walk import mentions
from numaspec.spec.span import Span


class ExprEncoder:
    """Encodes expressions over `state` with the backend `logic` (the terms it builds are
    that backend's); satisfies the `Encoder` protocol of encode/context.py."""

    def __init__(self, logic: Logic, topology: ir.Topology, state: dict[str, Sym]):
        self.logic = logic
        self.topology = topology
        self.state = state
        self.locals: dict[int, Sym] = {}
        self.bound: dict[int, Any] = {}  # slot -> the runtime value a binding is bound to
        self.guard: Leaf = True
        self.failures: list[Failure] = []

    # ------------------------------------------------------------ entry points
    def expr(self, e: ir.Expr) -> Sym:
        try:
            return self._expr(e)
        except Unsupported as err:
            raise err.located(_span(e)) from None

    def expr_as(self, e: ir.Expr, want: t.Type) -> Sym:
        """Encode `e` as a value of the finite type `want` when its own type is not finite.

        The front end types a literal such as `{(s, p)}` by its items' widest types
        (`Set[((Node, int), int)]`); combined with a set of a finite type, the literal is
        encoded over that type instead (a value outside it would be lost: such a spec mixes
        ranges, and the model would report the out-of-range value when it is stored)."""
        if t.is_finite(e.type) or not t.is_finite(want) or not _enumerates(e.type):
            return self.expr(e)
        match e:
            case ir.IfThenElse(cond=cond, then=then, orelse=orelse):
                c = self.expr(cond)
                with self.evaluated_if(c):
                    a = self.expr_as(then, want)
                with self.evaluated_if(self.logic.neg(c)):
                    b = self.expr_as(orelse, want)
                return S.choose(self.logic, c, a, b, want)
            case ir.Const(value=value):
                return S.const(value, want)
            case ir.MakeSet(items=items) if isinstance(want, t.SetType):
                return set_literal(self, items, want.elem)
            case ir.LetIn(local=local, value=value, body=body):
                self.locals[local.slot] = self.expr(value)
                return self.expr_as(body, want)
            case ir.Binary(op="union" | "diff" | "inter" as op, left=left, right=right):
                if op != "union" and not t.is_finite(left.type) and not t.is_finite(right.type):
                    raise Unsupported(f"`{op}` of two sets typed wider than `{t.show(want)}` "
                                      "(which member outside it remains is not known)", e.span)
                return set_operation(self.logic, op, self.expr_as(left, want),
                                     self.expr_as(right, want))
        raise Unsupported(f"a value of type `{t.show(e.type)}`, which is not finite, where "
                             f"`{t.show(want)}` is expected", _span(e))

    def fail_if(self, cond: Leaf, message: str, span: Span | None, kind: str = "runtime") -> None:
        cond = self.logic.conj([self.guard, cond])
        if cond is not False:
            self.failures.append(Failure(cond, kind, message, span))

    @contextmanager
    def evaluated_if(self, extra: Leaf) -> Iterator[None]:
        """What is encoded inside is evaluated by the model only if `extra` holds."""
        saved = self.guard
        self.guard = self.logic.conj([saved, extra])
        try:
            yield
        finally:
            self.guard = saved

    def guarded(self, extra: Leaf, e: ir.Expr) -> Sym:
        """Encode `e` where the model evaluates it only if `extra` holds."""
        with self.evaluated_if(extra):
            return self.expr(e)

    # -------------------------------------------------------------- dispatch
    def _expr(self, e: ir.Expr) -> Sym:
        match e:
            case ir.Const(value=value, type=typ):
                return S.const(value, typ)
            case ir.StateRef(var=var):
                return self.state[var]
            case ir.LocalRef(local=local):
                return self.locals[local.slot]
            case ir.Unary(op=op, operand=operand):
                value = self.expr(operand)
                return self.logic.neg(value) if op == "not" else self.logic.arith("sub", 0, value)
            case ir.Binary():
                return binary(self, e)
            case ir.IfThenElse(cond=cond, then=then, orelse=orelse, type=typ):
                c = self.expr(cond)
                return S.choose(self.logic, c, self.guarded(c, then),
                                self.guarded(self.logic.neg(c), orelse), typ)
            case ir.Quantifier():
                return self._quantifier(e)
            case ir.Comprehension():
                return comprehension(self, e)
            case ir.Lookup():
                return self._lookup(e)
            case ir.Project(base=base, index=index):
                return self.expr(base)[index]
            case ir.SomeOf(operand=operand):
                return SOpt(True, self.expr(operand))
            case ir.Builtin():
                return builtin(self, e)
            case ir.MakeTuple() | ir.MakeSet() | ir.MakeMap():
                return literal(self, e)
            case ir.LetIn(local=local, value=value, body=body):
                self.locals[local.slot] = self.expr(value)
                return self.expr(body)
            case _:
                assert_never(e)

    # -------------------------------------------------------------- bindings
    def domain_cases(self, domain: ir.Domain) -> list[tuple[Any, Leaf]]:
        """Each candidate value of a binding with the condition that it is in the domain."""
        match domain:
            case ir.TypeDomain(type=typ):
                return [(v, True) for v in S.elements(typ)]
            case ir.SetDomain(set=set_expr):
                members = self.expr(set_expr)
                return [(v, bit) for v, bit in members.bits.items() if bit is not False]
            case _:
                assert_never(domain)

    def assignments(self, bindings: tuple[ir.Binding, ...],
                    where: ir.Expr | None) -> Iterator[Leaf]:
        """Bind the locals to each combination (ascending); yield when it counts.

        The yielded condition includes `where`, encoded under the domain conditions.  A
        domain that mentions an earlier binder (`forall k: dom(m), c: m[k]`) is encoded once
        per value of the binders before it, under their domain conditions; the others once."""
        shared = [None if any(mentions(b.domain, a.local.slot) for a in bindings[:k])
                  else self.domain_cases(b.domain) for k, b in enumerate(bindings)]
        yield from self._combinations(bindings, shared, True, where)

    def _combinations(self, bindings: tuple[ir.Binding, ...],
                      shared: list[list[tuple[Any, Leaf]] | None], present: Leaf,
                      where: ir.Expr | None) -> Iterator[Leaf]:
        if not bindings:
            cond = present if where is None else self.logic.conj([present,
                                                          self.guarded(present, where)])
            if cond is not False:
                yield cond
            return
        binding, cases = bindings[0], shared[0]
        if cases is None:
            with self.evaluated_if(present):
                cases = self.domain_cases(binding.domain)
        for value, bit in cases:
            now = self.logic.conj([present, bit])
            if now is False:
                continue
            self.locals[binding.local.slot] = S.const(value, binding.local.type)
            self.bound[binding.local.slot] = value
            yield from self._combinations(bindings[1:], shared[1:], now, where)

    def _quantifier(self, e: ir.Quantifier) -> Leaf:
        parts, lg = [], self.logic
        for cond in self.assignments(e.bindings, e.where):
            body = self.guarded(cond, e.body)
            parts.append(lg.implies(cond, body) if e.kind == "forall" else lg.conj([cond, body]))
        return lg.conj(parts) if e.kind == "forall" else lg.disj(parts)

    # ---------------------------------------------------------------- access
    def _lookup(self, e: ir.Lookup) -> Sym:
        base, key = self.expr(e.base), self.expr(e.key)
        if isinstance(base, SSeq):
            return self.seq_item(base, key, e.type, e.span)
        assert isinstance(base, SMap), base
        cases = self.key_cases(base, key, e.key.type)
        present = self.logic.disj(self.logic.conj([c, p]) for c, (p, _) in cases)
        self.fail_if(self.logic.neg(present), "the key is not in the map", e.span)
        return S.select(self.logic, [(c, v) for c, (_, v) in cases], cases[-1][1][1] if cases
                        else S.const(default_value(e.type), e.type), e.type)

    def key_cases(self, m: SMap, key: Sym, key_type: t.Type) -> list[tuple[Leaf, Any]]:
        """(key equals k, entry of k) for each k the key may equal."""
        if S.is_known(key):  # a known key outside the key type has no entry
            return [(True, m.entries[key])] if key in m.entries else []
        cases = []
        for k, entry in m.entries.items():
            cond = S.equal(self.logic, key, S.const(k, key_type), key_type)
            if cond is True:
                return [(True, entry)]
            if cond is not False:
                cases.append((cond, entry))
        return cases

    def seq_item(self, seq: SSeq, index: Sym, typ: t.Type, span: Span) -> Sym:
        lg = self.logic
        inside = lg.conj([lg.compare("ge", index, 0), lg.compare("lt", index, seq.length)])
        self.fail_if(lg.neg(inside), "sequence index out of range", span)
        cases = [(lg.equal(index, i), item) for i, item in enumerate(seq.items)]
        fallback = seq.items[0] if seq.items else S.const(default_value(typ), typ)
        return S.select(lg, cases, fallback, typ)


def _enumerates(typ: t.Type) -> bool:
    """Whether the symbolic value of `typ` enumerates a type (a set or a map does)."""
    match typ:
        case t.SetType() | t.MapType():
            return True
        case t.TupleType(items=items):
            return any(_enumerates(i) for i in items)
        case t.RecordType(fields=fields):
            return any(_enumerates(f) for _, f in fields)
        case t.OptionType(inner=inner) | t.SeqType(elem=inner):
            return _enumerates(inner)
        case _:
            return False


def _span(e: ir.Expr) -> Span | None:
    return getattr(e, "span", None)


