"""Symbolic execution of IR statements: an action body as (enabled, failures, next state).

Branches (`if`, `for` iterations over a symbolic set) run on copies of the state and are
merged with if-then-else terms, so a body becomes one next-state term per variable.  `ok` is
the conjunction of every `require` on the path that reaches it (`pc -> cond`); a failure
(assert, run-time error, overflow, range) counts only where the path reaches it with every
earlier `require` satisfied, as in the model, which stops at the first of either.  `choose`
values are fresh constants (`choices`), constrained through `ok`.
"""

from __future__ import annotations

import itertools
from typing import Any, assert_never

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.builtins import push, shift
from numaspec.checker.symbolic.encode.collections import outside, put
from numaspec.checker.symbolic.encode.context import Failure
from numaspec.checker.symbolic.encode.expr import ExprEncoder
from numaspec.checker.symbolic.encode.operators import member
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.values import SMap, SSeq, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import default_value


class StmtEncoder(ExprEncoder):
    """Run statements on `state` (a dict that is replaced, never mutated in place)."""

    def __init__(self, logic: Logic, spec: ir.Spec, state: dict[str, Sym], prefix: str):
        super().__init__(logic, spec.topology, dict(state))
        self.spec = spec
        self.prefix = prefix  # names this step's fresh constants
        self.pc: Leaf = True
        self.ok: Leaf = True
        self.choices: list[tuple[Sym, t.Type]] = []
        # for `numaspec lint`: each require with (path, ok before, condition), each `if` with
        # the conditions under which its branches run
        self.requires: list[tuple[ir.Require, Leaf, Leaf, Leaf]] = []
        self.branches: list[tuple[ir.If, Leaf, Leaf]] = []
        self._fresh = itertools.count()

    def run(self, block: ir.Block) -> None:
        self.block(block)

    # --------------------------------------------------------------- helpers
    def value(self, e: ir.Expr) -> Sym:
        """Encode `e` as evaluated on the current path."""
        self.guard = self.logic.conj([self.pc, self.ok])
        try:
            return self.expr(e)
        finally:
            self.guard = True

    def require(self, cond: Leaf) -> None:
        self.ok = self.logic.conj([self.ok, self.logic.implies(self.pc, cond)])

    def failure(self, cond: Leaf, kind: str, message: str, stmt: Any) -> None:
        cond = self.logic.conj([self.pc, self.ok, cond])
        if cond is not False:
            self.failures.append(Failure(cond, kind, message, stmt.span))

    def fresh(self, typ: t.Type, name: str) -> Sym:
        sym = S.fresh(self.logic, typ, f"{self.prefix}{name}#{next(self._fresh)}")
        self.choices.append((sym, typ))
        return sym

    # ------------------------------------------------------------ statements
    def block(self, block: ir.Block) -> None:
        for stmt in block.stmts:
            if self.pc is False or self.ok is False:
                return
            self.stmt(stmt)

    def stmt(self, s: ir.Stmt) -> None:
        try:
            self._stmt(s)
        except Unsupported as err:
            raise err.located(s.span) from None

    def _stmt(self, s: ir.Stmt) -> None:
        match s:
            case ir.Require(cond=cond):
                value = self.value(cond)
                self.requires.append((s, self.pc, self.ok, value))
                self.require(value)
            case ir.Assert(cond=cond, message=message):
                self.failure(self.logic.neg(self.value(cond)), "assert",
                             message or "assertion failed", s)
            case ir.Let(local=local, value=value):
                self.locals[local.slot] = self.value(value)
            case ir.Assign(target=target, value=value):
                self._assign(target, self.value(value), s)
            case ir.Delete(target=target, key=key):
                self._delete(target, self.value(key), s)
            case ir.If(cond=cond, then=then, orelse=orelse):
                c = self.value(cond)
                lg = self.logic
                here = lg.conj([self.pc, self.ok])
                self.branches.append((s, lg.conj([here, c]), lg.conj([here, lg.neg(c)])))
                self.branch(c, then)
                self.branch(lg.neg(c), orelse)
            case ir.For():
                self._for(s)
            case ir.Choose():
                self._choose(s)
            case ir.Send():
                self._send(s)
            case ir.Inlined(body=body):
                self.block(body)
            case ir.Block():
                self.block(s)
            case _:
                assert_never(s)

    def branch(self, cond: Leaf, body: ir.Block) -> None:
        """Run `body` where `cond` holds; elsewhere the state stays as it is."""
        if cond is False or not body.stmts:
            return
        saved_state, saved_pc, saved_locals = self.state, self.pc, dict(self.locals)
        self.pc = self.logic.conj([saved_pc, cond])
        self.state = dict(saved_state)
        self.block(body)
        taken = self.logic.conj([cond, saved_pc])
        self.state = {name: value if value is saved_state[name] else
                      S.choose(self.logic, taken, value, saved_state[name], self._type(name))
                      for name, value in self.state.items()}
        self.pc, self.locals = saved_pc, saved_locals

    def _type(self, var: str) -> t.Type:
        return self.spec.variable(var).type

    def _for(self, s: ir.For) -> None:
        self.guard = self.logic.conj([self.pc, self.ok])
        combos = list(self._for_cases(s))
        self.guard = True
        for cond, values in combos:
            for binding, value in zip(s.bindings, values, strict=True):
                self.locals[binding.local.slot] = S.const(value, binding.local.type)
            where = True if s.where is None else self.value_under(cond, s.where)
            self.branch(self.logic.conj([cond, where]), s.body)

    def _for_cases(self, s: ir.For) -> list[tuple[Leaf, tuple[Any, ...]]]:
        cases = [self.domain_cases(b.domain) for b in s.bindings]
        return [(self.logic.conj(c for _, c in combo), tuple(v for v, _ in combo))
                for combo in itertools.product(*cases)]

    def value_under(self, cond: Leaf, e: ir.Expr) -> Sym:
        saved = self.pc
        self.pc = self.logic.conj([saved, cond])
        try:
            return self.value(e)
        finally:
            self.pc = saved

    def _choose(self, s: ir.Choose) -> None:
        for binding in s.bindings:
            sym = self.fresh(binding.local.type, binding.local.name)
            self.locals[binding.local.slot] = sym
            self.require(S.in_domain(self.logic, sym, binding.local.type))
            if isinstance(binding.domain, ir.SetDomain):
                members = self.value(binding.domain.set)
                self.require(member(self.logic, sym, members, binding.local.type))
        if s.where is not None:
            self.require(self.value(s.where))
        self.block(s.body)

    # ---------------------------------------------------------------- writes
    def _assign(self, target: ir.Target, value: Sym, s: ir.Assign) -> None:
        inside = S.in_domain(self.logic, value, target.type, meaningful=True)
        self.failure(self.logic.neg(inside), "range",
                     f"the value assigned to {target.var} is out of its type's range", s)
        self._store(target, value, s)

    def _store(self, target: ir.Target, value: Sym, s: ir.Stmt) -> None:
        var_type = self._type(target.var)
        self.state[target.var] = self._update(self.state[target.var], var_type,
                                              target.path, value, s)

    def _update(self, old: Sym, typ: t.Type, path: tuple[ir.PathStep, ...], value: Sym,
                s: ir.Stmt) -> Sym:
        if not path:
            return value
        step, rest = path[0], path[1:]
        match step:
            case ir.ProjectStep(index=index):
                parts = list(old)
                parts[index] = self._update(old[index], S.fields(typ)[index], rest, value, s)  # type: ignore[arg-type]
                return tuple(parts)
            case ir.KeyStep(key=key_expr):
                key = self.value(key_expr)
                if isinstance(typ, t.MapType):
                    if isinstance(s, ir.Assign):
                        # as the model (model/compile/stmt.py `key_checks`): each key of
                        # `m[k] := ...`, `m[k][j] := ...` must be a value of its key type
                        self.failure(outside(self.logic, key, typ.key), "range",
                                     "a key is out of its type's range", s)
                    return self._update_entry(old, typ, key, key_expr.type, rest, value, s)
                raise Unsupported("assignment into a sequence element", s.span)
            case _:
                assert_never(step)

    def _update_entry(self, old: SMap, typ: t.MapType, key: Sym, key_type: t.Type,
                      rest: tuple[ir.PathStep, ...], value: Sym, s: ir.Stmt) -> SMap:
        if not rest:
            return put(self.logic, old, key, value, typ)
        cases = self.key_cases(old, key, key_type)
        present = self.logic.disj(self.logic.conj([c, p]) for c, (p, _) in cases)
        self.failure(self.logic.neg(present), "runtime", "the key is not in the map", s)
        entries = dict(old.entries)
        for k, (p, v) in old.entries.items():
            hit = S.equal(self.logic, key, S.const(k, key_type), key_type)
            if hit is not False:
                updated = self._update(v, typ.value, rest, value, s)
                entries[k] = (p, S.choose(self.logic, hit, updated, v, typ.value))
        return SMap(entries)

    def _delete(self, target: ir.Target, key: Sym, s: ir.Delete) -> None:
        current: SMap = self._read(target, s)
        lg, key_type = self.logic, s.key.type
        kept = {k: (lg.conj([p, lg.neg(S.equal(lg, key, S.const(k, key_type), key_type))]), v)
                for k, (p, v) in current.entries.items()}
        self._store(target, SMap(kept), s)

    def _read(self, target: ir.Target, s: ir.Stmt) -> Sym:
        value, typ = self.state[target.var], self._type(target.var)
        for step in target.path:
            match step:
                case ir.ProjectStep(index=index):
                    value, typ = value[index], S.fields(typ)[index]  # type: ignore[arg-type]
                case ir.KeyStep(key=key_expr):
                    assert isinstance(typ, t.MapType)
                    cases = self.key_cases(value, self.value(key_expr), key_expr.type)
                    fallback = cases[-1][1][1] if cases else S.const(default_value(typ.value),
                                                                     typ.value)
                    value = S.select(self.logic, [(c, v) for c, (_, v) in cases], fallback,
                                     typ.value)
                    typ = typ.value
                case _:
                    assert_never(step)
        return value

    # -------------------------------------------------------------- channels
    def _send(self, s: ir.Send) -> None:
        var = self.spec.variable(s.channel)
        assert var.channel is not None
        message = self.value(s.value)
        channel = self.state[s.channel]
        seq_type = t.SeqType(var.channel.message, var.channel.capacity)
        if s.index is None:
            self.failure(self.logic.equal(channel.length, var.channel.capacity), "overflow",
                         f"channel {s.channel} overflows", s)
            self.state[s.channel] = push(self.logic, channel, message, seq_type)
            return
        index, lg = self.value(s.index), self.logic
        assert var.channel.index is not None
        self.failure(outside(lg, index, var.channel.index), "range",  # as the model's `send`
                     f"an index of channel {s.channel} is out of range", s)
        entries = dict(channel.entries)
        for k, (p, seq) in channel.entries.items():
            hit = S.equal(lg, index, S.const(k, s.index.type), s.index.type)
            if hit is False:
                continue
            self.failure(lg.conj([hit, lg.equal(seq.length, var.channel.capacity)]), "overflow",
                         f"channel {s.channel}[{k}] overflows", s)
            entries[k] = (p, S.choose(lg, hit, push(lg, seq, message, seq_type), seq, seq_type))
        self.state[s.channel] = SMap(entries)

    def receive(self, r: ir.Receive) -> None:
        """Pop the head of the channel into the message local (disabled if empty)."""
        var = self.spec.variable(r.channel)
        assert var.channel is not None
        seq_type = t.SeqType(var.channel.message, var.channel.capacity)
        channel, lg = self.state[r.channel], self.logic
        if r.index is None:
            seqs: list[tuple[Leaf, Any, SSeq]] = [(True, None, channel)]
        else:
            index = self.value(r.index)
            assert var.channel.index is not None
            self.guard = lg.conj([self.pc, self.ok])  # as the model's guard: a run-time error
            self.fail_if(outside(lg, index, var.channel.index),
                         f"an index of channel {r.channel} is out of range", r.span)
            self.guard = True
            seqs = [(S.equal(lg, index, S.const(k, r.index.type), r.index.type), k, seq)
                    for k, (_, seq) in channel.entries.items()]
            seqs = [c for c in seqs if c[0] is not False]
            if not seqs:  # a known index outside the type: failed above, nothing to take
                self.require(False)
                self.locals[r.message.slot] = S.const(default_value(var.channel.message),
                                                      var.channel.message)
                return
        self.require(lg.disj(lg.conj([hit, lg.compare("gt", seq.length, 0)])
                             for hit, _, seq in seqs))
        head = S.select(lg, [(hit, seq.items[0]) for hit, _, seq in seqs], seqs[-1][2].items[0],
                        var.channel.message)
        self.locals[r.message.slot] = head
        if r.index is None:
            self.state[r.channel] = shift(lg, channel, seq_type)
            return
        entries = dict(channel.entries)
        for hit, k, seq in seqs:
            entries[k] = (entries[k][0], S.choose(lg, hit, shift(lg, seq, seq_type), seq, seq_type))
        self.state[r.channel] = SMap(entries)

