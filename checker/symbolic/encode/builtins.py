"""Built-in functions, symbolically (their run-time meaning: spec/ir/builtins.py)."""

from __future__ import annotations

from collections.abc import Callable

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.encode.context import Encoder
from numaspec.checker.symbolic.encode.links import ancestors, descendants
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Logic, known
from numaspec.checker.symbolic.values import SMap, SOpt, SSeq, SSet, Sym
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import default_value

Handler = Callable[[Encoder, ir.Builtin, list[Sym]], Sym]


def builtin(enc: Encoder, e: ir.Builtin) -> Sym:
    handler = _HANDLERS.get(e.name)
    if handler is None:
        raise Unsupported(f"the built-in `{e.name}`")
    return handler(enc, e, [enc.expr(a) for a in e.args])


def _size(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    value = args[0]
    if isinstance(value, SSeq):
        return value.length
    if isinstance(value, SMap):
        return enc.logic.count_true(p for p, _ in value.entries.values())
    return enc.logic.count_true(value.bits.values())


def _extreme(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    members: SSet = args[0]
    lg = enc.logic
    enc.fail_if(lg.neg(lg.disj(members.bits.values())), f"{e.name} of an empty set", e.span)
    order = list(members.bits.items())
    if e.name == "max":
        order.reverse()
    return S.select(lg, [(bit, S.const(v, e.type)) for v, bit in order],
                    S.const(order[0][0], e.type) if order else 0, e.type)


def _dom(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    return SSet({k: p for k, (p, _) in args[0].entries.items()}, args[0].lost)


def _ran(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    assert isinstance(e.type, t.SetType)
    elem = e.type.elem
    entries, lg = args[0].entries.values(), enc.logic
    return SSet({v: lg.disj(lg.conj([p, S.equal(lg, x, S.const(v, elem), elem)])
                            for p, x in entries)
                 for v in S.elements(elem)})


def _get(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    m, key = args
    key_type = e.args[1].type
    cases, lg = enc.key_cases(m, key, key_type), enc.logic
    present = lg.disj(lg.conj([c, p]) for c, (p, _) in cases)
    assert isinstance(e.type, t.OptionType)
    values = [(c, v) for c, (_, v) in cases]
    fallback = values[-1][1] if values else S.const(default_value(e.type.inner), e.type.inner)
    return SOpt(present, S.select(lg, values, fallback, e.type.inner))


def _unwrap(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    enc.fail_if(enc.logic.neg(args[0].present), "unwrap of none", e.span)
    return args[0].value


def _head(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    seq: SSeq = args[0]
    enc.fail_if(enc.logic.equal(seq.length, 0), "head of an empty sequence", e.span)
    return seq.items[0] if seq.items else S.const(default_value(e.type), e.type)


def _tail(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    seq: SSeq = args[0]
    enc.fail_if(enc.logic.equal(seq.length, 0), "tail of an empty sequence", e.span)
    return shift(enc.logic, seq, e.type)


def shift(lg: Logic, seq: SSeq, typ: t.Type) -> SSeq:
    """`seq` without its head (unchanged if empty); the freed last item gets the default."""
    assert isinstance(typ, t.SeqType)
    if not seq.items:
        return seq
    filler = S.const(default_value(typ.elem), typ.elem)
    length = lg.ite(lg.compare("gt", seq.length, 0), lg.arith("sub", seq.length, 1), 0)
    return SSeq(length, (*seq.items[1:], filler))


def _append(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    seq, value = args
    assert isinstance(e.type, t.SeqType)
    return push(enc.logic, seq, value, e.type)


def push(lg: Logic, seq: SSeq, value: Sym, typ: t.SeqType) -> SSeq:
    """`seq` with `value` appended.  The items keep their number: appending to a full
    sequence only makes the length exceed the capacity, which the caller reports (channel
    overflow, or a range error when the sequence is stored)."""
    new = tuple(S.choose(lg, lg.equal(seq.length, i), value, item, typ.elem)
                for i, item in enumerate(seq.items))
    return SSeq(lg.arith("add", seq.length, 1), new)


def _identity(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    return args[0]


def _to_range(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    topo = enc.topology
    count = topo.nodes if e.name == "node" else topo.nodes * topo.frames_per_node
    lg = enc.logic
    inside = lg.conj([lg.compare("ge", args[0], 0), lg.compare("lt", args[0], count)])
    enc.fail_if(lg.neg(inside), f"the value is not a {e.name} (0..{count - 1})", e.span)
    return args[0]


def _node_of(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    per = enc.topology.frames_per_node
    if per == 1 or known(args[0]):
        return args[0] // per if known(args[0]) else args[0]
    frames = enc.topology.nodes * per
    return S.select(enc.logic, [(enc.logic.equal(args[0], f), f // per) for f in range(frames)],
                    0, e.type)


def _frames_of(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    per = enc.topology.frames_per_node
    frames = enc.topology.nodes * per
    return SSet({f: enc.logic.equal(args[0], f // per) for f in range(frames)})


def _distance(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    table = enc.topology.distance
    a, b = args
    lg = enc.logic
    cases = [(lg.conj([lg.equal(a, i), lg.equal(b, j)]), d)
             for i, row in enumerate(table) for j, d in enumerate(row)]
    return S.select(lg, cases, table[0][0], e.type)


def _range(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    lo, hi = args
    if not (known(lo) and known(hi)):
        raise Unsupported("`range` with bounds that depend on the state")
    if hi - lo >= S.MAX_ELEMENTS:
        raise Unsupported(f"`range({lo}, {hi})` has more than {S.MAX_ELEMENTS:,} values")
    return SSet({v: True for v in range(lo, hi + 1)})


def _links_handler(enc: Encoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    key_type = e.args[1].type
    if e.name == "ancestors":
        return ancestors(enc.logic, args[0], args[1], key_type)
    return descendants(enc.logic, args[0], args[1], key_type)


_HANDLERS: dict[str, Handler] = {
    "size": _size,
    "min": _extreme,
    "max": _extreme,
    "dom": _dom,
    "ran": _ran,
    "get": _get,
    "unwrap": _unwrap,
    "head": _head,
    "tail": _tail,
    "append": _append,
    "int": _identity,
    "node": _to_range,
    "frame": _to_range,
    "node_of": _node_of,
    "frames_of": _frames_of,
    "distance": _distance,
    "descendants": _links_handler,
    "ancestors": _links_handler,
    "range": _range,
}
