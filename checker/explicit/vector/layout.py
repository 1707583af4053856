"""The fixed layout of a state as a row of small integers, for the vectorised search.

A state is the tuple of its variables' values (model/machine.py).  The layout flattens each
variable the way the SMT engine represents it (checker/symbolic/values.py: an option is a presence
bit and a value, a set one bit per element, a map a presence bit and a value per key, a
sequence a length and its items) into *columns*; a batch of states is a matrix with one row per
state.  Parts that carry no meaning (the value of an absent option or map entry, items beyond a
sequence's length) are stored as a fixed filler, so equal states have equal rows.

Columns holding a Node or a Frame use -1 as their filler, a value no renaming of nodes moves:
symmetry reduction (hash.py) renames column values without looking at presence bits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, assert_never

import numpy as np

from numaspec.checker.symbolic import values as S
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.checker.symbolic.logic import Leaf, Logic
from numaspec.checker.symbolic.terms import Term, TermLogic
from numaspec.checker.symbolic.values import SMap, SOpt, SSeq, SSet, Sym
from numaspec.checker.symbolic.width import UNBOUNDED, width_for
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t

SymState = dict[str, Sym]
# folds known values only: a model state's symbolic value has no terms to build
_CONSTANTS = Logic()


@dataclass(frozen=True, slots=True)
class Column:
    """One column: `kind` is bool, int, node or frame; values lie in lo..hi (None: unbounded)
    and `filler` marks a meaningless part."""

    kind: str
    lo: int | None
    hi: int | None
    filler: int


def _scalar_column(typ: t.Type) -> Column:
    match typ:
        case t.BoolType():
            return Column("bool", 0, 1, 0)
        case t.NodeType(count=count):
            return Column("node", -1, count - 1, -1)
        case t.FrameType(count=count):
            return Column("frame", -1, count - 1, -1)
        case t.EnumType(members=members):
            return Column("int", 0, len(members) - 1, 0)
        case t.IntType(lo=lo, hi=hi):
            return Column("int", lo, hi, 0 if lo is None else lo)
        case _:
            raise AssertionError(f"not a scalar type: {typ}")


def _is_scalar(typ: t.Type) -> bool:
    return isinstance(typ, (t.BoolType, t.IntType, t.NodeType, t.FrameType, t.EnumType))


class Layout:
    """The columns of a spec's states, and conversions between rows, symbolic values with
    array leaves (what the encoders evaluate) and the model's state tuples."""

    def __init__(self, spec: ir.Spec):
        self.spec = spec
        self.variables = spec.variables
        self.indexed = [v.channel is not None and v.channel.index is not None
                        for v in spec.variables]
        self.columns: list[Column] = []
        self.slices: list[slice] = []
        for var, indexed in zip(self.variables, self.indexed, strict=True):
            start = len(self.columns)
            try:
                self.columns += _columns(var.type, indexed)
            except Unsupported as err:
                raise Unsupported(f"variable {var.name}: {err}", var.span) from None
            self.slices.append(slice(start, len(self.columns)))
        self.width = len(self.columns)
        self.dtype = _storage_dtype(self.columns)
        # rows are padded with zero columns to a multiple of 8 values, so a row is a whole
        # number of 64-bit words (hash.py hashes them in place)
        self.stored_width = -(-self.width // 8) * 8
        self.program_dtype = _program_dtype(spec, self.columns)

    # ------------------------------------------------------------- tracing
    def traced(self, terms: TermLogic) -> SymState:
        """The state as symbolic values whose leaves are column reads recorded by `terms`."""
        state: SymState = {}
        for var, indexed, part in zip(self.variables, self.indexed, self.slices, strict=True):
            taken = iter(range(part.start, part.stop))

            def take(kind: str, taken: Iterator[int] = taken) -> Term:
                return terms.make("colb" if kind == "bool" else "col", next(taken))

            state[var.name] = _build(var.type, take, indexed)
        return state

    def leaves(self, state: SymState, lg: Logic) -> list[Leaf]:
        """The column values of the state `state` describes (terms of `lg`), meaningless
        parts replaced by their fillers."""
        return [leaf for var, indexed in zip(self.variables, self.indexed, strict=True)
                for leaf in _flatten(lg, state[var.name], var.type, True, indexed)]

    # ---------------------------------------------------------- model states
    def row(self, state: tuple[Any, ...]) -> np.ndarray:
        """The row of one model state."""
        row = np.zeros(self.stored_width, dtype=self.dtype)
        row[:self.width] = self.leaves(self.constant(state), _CONSTANTS)
        return row

    def empty(self) -> np.ndarray:
        """A batch of no states."""
        return np.empty((0, self.stored_width), dtype=self.dtype)

    def constant(self, state: tuple[Any, ...]) -> SymState:
        out = {}
        for var, indexed, value in zip(self.variables, self.indexed, state, strict=True):
            sym = S.const(value, var.type)
            if indexed:
                sym = SMap({k: (True, v) for k, (_, v) in sym.entries.items()})
            out[var.name] = sym
        return out

    def state(self, row: np.ndarray) -> tuple[Any, ...]:
        """The model state of one row."""
        values = [int(x) for x in row[:self.width].tolist()]
        out = []
        for var, indexed, part in zip(self.variables, self.indexed, self.slices, strict=True):
            taken = iter(values[part])

            def take(kind: str, taken: Iterator[int] = taken) -> Any:
                value = next(taken)
                return bool(value) if kind == "bool" else value

            sym = _build(var.type, take, indexed)
            out.append(S.runtime_value(sym, var.type, _itself))
        return tuple(out)


def _itself(leaf: Leaf) -> Leaf:
    return leaf


def _storage_dtype(columns: list[Column]) -> type[np.signedinteger[Any]]:
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if all(c.lo is not None and c.hi is not None and info.min <= c.lo and c.hi <= info.max
               for c in columns):
            return dtype
    return np.int64


def _program_dtype(spec: ir.Spec, columns: list[Column]) -> type[np.signedinteger[Any]]:
    """The integer type programs compute in: the SMT engine's bit width for the spec (its
    largest constant, with headroom) and every column's range, with room to spare (the
    arrays wrap around silently), in the smallest type that holds them: small types make
    NumPy's operations several times faster."""
    width = width_for(spec)
    if width == UNBOUNDED:
        raise Unsupported("an integer expression may exceed 62 bits (NumPy's int64 would "
                          "wrap around)")
    if any(c.lo is None or c.hi is None for c in columns):
        return np.int64
    largest = max([1, *(max(abs(c.lo), abs(c.hi)) for c in columns)])  # type: ignore[arg-type]
    bits = max(width, largest.bit_length() + 3)
    for dtype, limit in ((np.int16, 12), (np.int32, 28)):
        if bits <= limit:
            return dtype
    return np.int64


def _columns(typ: t.Type, indexed: bool = False) -> list[Column]:
    """The columns of a value of `typ`, in the order _flatten emits them."""
    if _is_scalar(typ):
        return [_scalar_column(typ)]
    match typ:
        case t.TupleType() | t.RecordType():
            return [c for f in S.fields(typ) for c in _columns(f)]
        case t.OptionType(inner=inner):
            return [_scalar_column(t.BoolType()), *_columns(inner)]
        case t.SetType(elem=elem):
            return [_scalar_column(t.BoolType()) for _ in S.elements(elem)]
        case t.MapType(key=key, value=val):
            presence = [] if indexed else [_scalar_column(t.BoolType())]
            return [c for _ in S.elements(key) for c in (*presence, *_columns(val))]
        case t.SeqType(elem=elem, capacity=cap):
            return [Column("int", 0, cap, 0), *(c for _ in range(cap) for c in _columns(elem))]
        case t.EmptyCollectionType() | t.NoneType():
            return []
        case _:
            raise Unsupported(f"a value of type `{t.show(typ)}`")


def _build(typ: t.Type, take: Callable[[str], Any], indexed: bool = False) -> Sym:
    """A symbolic value of `typ` whose leaves are taken column by column."""
    if _is_scalar(typ):
        return take(_scalar_column(typ).kind)
    match typ:
        case t.TupleType() | t.RecordType():
            return tuple(_build(f, take) for f in S.fields(typ))
        case t.OptionType(inner=inner):
            present = take("bool")
            return SOpt(present, _build(inner, take))
        case t.SetType(elem=elem):
            return SSet({e: take("bool") for e in S.elements(elem)})
        case t.MapType(key=key, value=val):
            entries = {}
            for k in S.elements(key):
                present = True if indexed else take("bool")
                entries[k] = (present, _build(val, take))
            return SMap(entries)
        case t.SeqType(elem=elem, capacity=cap):
            length = take("int")
            return SSeq(length, tuple(_build(elem, take) for _ in range(cap)))
        case t.EmptyCollectionType() | t.NoneType():
            return None
        case _:
            assert_never(typ)  # type: ignore[arg-type]


def _flatten(lg: Logic, sym: Sym, typ: t.Type, live: Leaf, indexed: bool = False) -> list[Leaf]:
    """The leaves of `sym` in column order; where `live` is false a leaf means nothing and
    its column's filler is emitted instead."""
    if _is_scalar(typ):
        filler = False if isinstance(typ, t.BoolType) else _scalar_column(typ).filler
        return [lg.ite(live, sym, filler)]
    match typ:
        case t.TupleType() | t.RecordType():
            return [x for s, f in zip(sym, S.fields(typ), strict=True)
                    for x in _flatten(lg, s, f, live)]
        case t.OptionType(inner=inner):
            present = lg.conj([live, sym.present])
            return [present, *_flatten(lg, sym.value, inner, present)]
        case t.SetType():
            return [lg.conj([live, bit]) for bit in sym.bits.values()]
        case t.MapType(value=val):
            out: list[Leaf] = []
            for present, value in sym.entries.values():
                if indexed:
                    out += _flatten(lg, value, val, live)
                else:
                    inside = lg.conj([live, present])
                    out += [inside, *_flatten(lg, value, val, inside)]
            return out
        case t.SeqType(elem=elem):
            length = lg.ite(live, sym.length, 0)
            return [length, *(x for i, item in enumerate(sym.items)
                              for x in _flatten(lg, item, elem,
                                                lg.conj([live, lg.compare("lt", i, length)])))]
        case t.EmptyCollectionType() | t.NoneType():
            return []
        case _:
            assert_never(typ)  # type: ignore[arg-type]


def build_columns(typ: t.Type, ids: Iterator[int], indexed: bool = False,
                  terms: TermLogic | None = None) -> Sym:
    """A symbolic value of `typ` whose leaves are the numbers of its columns (from `ids`),
    or, given `terms`, reads of those columns recorded by it."""
    if terms is not None:
        return _build(typ, lambda kind: terms.make("colb" if kind == "bool" else "col",
                                                   next(ids)), indexed)
    return _build(typ, lambda kind: next(ids), indexed)


def columns_of(sym: Sym, typ: t.Type) -> list[Leaf]:
    """The column values of a known value of `typ`, meaningless parts replaced by fillers."""
    return _flatten(_CONSTANTS, sym, typ, True)
