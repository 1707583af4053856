"""Counting atoms and channel positions: the candidates that relate numbers of things.

A protocol that counts (acknowledgements received, requests outstanding) is inductive only
with a conservation law: the counter plus the messages still in flight is a constant.  The
grammar gets one from *count terms*, integer templates over the vocabulary:

    v, M[x]                                 an integer variable, a map of integers
    size({ c: S where A })                  the values of one slot of a predicate atom A
    size({ i: 0 .. CAP - 1 where i < size(ch[k]) and ch[k][i] == x })
                                            the copies of x in channel ch[k] (of a component
                                            of its tuples), and summed over every key k;
                                            all messages of a channel family

and closes the sums of up to `max_terms` terms of one free variable, guarded by a one-slot
atom: `forall x: S: G implies t1 + t2 + t3 == K` for K in 0, 1, NODES - 1, NODES (closed
terms: `b implies t1 + ... == K`, b a boolean variable).  Channel
positions also give closed candidates: no two items (or components of items) of a channel
are equal.  Everything is built from the spec's own declarations, in a fixed order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from numaspec.checker.infer.vocabulary import Atom, sort_name
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.syntax import nodes

CONSTANTS = ("0", "1", "NODES - 1", "NODES")


@dataclass(frozen=True)
class Channel:
    """A channel of the root module: `name[key]` (or `name` without an index), its items'
    components by sort (None: a component that is not a sort), its capacity as source."""

    name: str
    key: str | None
    items: tuple[str | None, ...]
    tuple_items: bool
    capacity: str


def channels(spec: ir.Spec, module: nodes.Module, source: str,
             sorts: dict[str, t.Type]) -> list[Channel]:
    """The root module's channels whose capacity can be written back as source."""
    types = {v.name: v.type for v in spec.variables}
    found: list[Channel] = []
    for item in module.items:
        decl = item.decl
        if not isinstance(decl, nodes.ChannelDecl) or decl.name.name not in types:
            continue
        typ, key = types[decl.name.name], None
        if isinstance(typ, t.MapType):
            key, typ = sort_name(sorts, typ.key), typ.value
            if key is None:
                continue
        capacity = _source_of(source, decl.capacity.span)
        if not isinstance(typ, t.SeqType) or capacity is None:
            continue
        elems = typ.elem.items if isinstance(typ.elem, t.TupleType) else (typ.elem,)
        found.append(Channel(decl.name.name, key, tuple(sort_name(sorts, e) for e in elems),
                             isinstance(typ.elem, t.TupleType), capacity))
    return found


def _source_of(source: str, span: object) -> str | None:
    """The text of a one-line span of the root source (None when it spans lines)."""
    line, col = getattr(span, "line", 0), getattr(span, "col", 0)
    end_line, end_col = getattr(span, "end_line", 0), getattr(span, "end_col", 0)
    lines = source.splitlines()
    if line != end_line or not 1 <= line <= len(lines):
        return None
    return lines[line - 1][col - 1: end_col - 1].strip() or None


def _component(channel: Channel, index: int) -> str:
    return f".{index}" if channel.tuple_items else ""


def distinct_candidates(chans: list[Channel]) -> list[str]:
    """Closed candidates over channel positions: no two items of a channel (no two equal
    components of a sort) at different positions are equal."""
    found: list[str] = []
    for ch in chans:
        positions = f"i0, j0: 0 .. {ch.capacity} - 1"
        binders, at = (f"k0: {ch.key}, {positions}", f"{ch.name}[k0]") if ch.key else (
            positions, ch.name)
        where = f"i0 < j0 and j0 < size({at})"
        parts = [""] + [_component(ch, i) for i, s in enumerate(ch.items)
                        if s and ch.tuple_items]
        found += [f"forall {binders} where {where}: {at}[i0]{p} != {at}[j0]{p}" for p in parts]
    return found


def count_terms(spec: ir.Spec, sorts: dict[str, t.Type], chans: list[Channel],
                predicates: list[Atom]) -> list[Atom]:
    """Integer templates (Atom texts that are `int`-valued) with their free slots."""
    terms: list[Atom] = []
    for var in spec.variables:
        typ = var.type
        if isinstance(typ, t.IntType) and "." not in var.name:
            terms.append(Atom(var.name, ()))
        if isinstance(typ, t.MapType) and isinstance(typ.value, t.IntType) and (
                key := sort_name(sorts, typ.key)):
            terms.append(Atom(f"{var.name}[{{0}}]", (key,)))
    for ch in chans:
        terms += _channel_counts(ch)
    for atom in predicates:
        terms += _filter_sizes(atom)
    return terms


def _channel_counts(ch: Channel) -> list[Atom]:
    """Copies of a value (of a component) in one channel, and in all of them."""
    positions = f"0 .. {ch.capacity} - 1"
    found = [Atom(f"size({ch.name})", ())] if ch.key is None else [
        Atom(f"size({{{{ q0: ({ch.key}, {positions}) where q0.1 < size({ch.name}[q0.0]) }}}})",
             ())]
    for index, sort in enumerate(ch.items):
        if sort is None:
            continue
        part = _component(ch, index)
        if ch.key is None:
            found.append(Atom(f"size({{{{ i0: {positions} where i0 < size({ch.name}) and "
                              f"{ch.name}[i0]{part} == {{0}} }}}})", (sort,)))
            continue
        found.append(Atom(f"size({{{{ i0: {positions} where i0 < size({ch.name}[{{0}}]) and "
                          f"{ch.name}[{{0}}][i0]{part} == {{1}} }}}})", (ch.key, sort)))
        found.append(Atom(f"size({{{{ q0: ({ch.key}, {positions}) where q0.1 < size("
                          f"{ch.name}[q0.0]) and {ch.name}[q0.0][q0.1]{part} == {{0}} }}}})",
                          (sort,)))
    return found


def _filter_sizes(atom: Atom) -> list[Atom]:
    """`size({ c: S where A })` for each slot of A (the other slots stay free)."""
    found: list[Atom] = []
    for bound, sort in enumerate(atom.slots):
        binder = "c" + sort[0].lower()
        rest = [i for i in range(len(atom.slots)) if i != bound]
        args = [binder if i == bound else f"{{{rest.index(i)}}}"
                for i in range(len(atom.slots))]
        inner = atom.text.format(*args)  # the free slots stay placeholders
        found.append(Atom(f"size({{{{ {binder}: {sort} where {inner} }}}})",
                          tuple(atom.slots[i] for i in rest)))
    return found


def sum_candidates(terms: list[Atom], guards: list[Atom], max_terms: int,
                   var_of: dict[str, str]) -> Iterator[str]:
    """`forall x: S: G implies t1 + ... == K`: terms of the one free variable x (of sort
    S, named `var_of[S]`), distinct, at most `max_terms`; G a one-slot atom or none.
    Closed terms likewise, without the `forall`, G a boolean variable (not optional)."""
    by_slots: dict[tuple[str, ...], list[Atom]] = {}
    for term in terms:
        if len(term.slots) <= 1:
            by_slots.setdefault(term.slots, []).append(term)
    for slots, group in by_slots.items():
        x = [var_of[s] for s in slots]
        binder = f"forall {x[0]}: {slots[0]}: " if slots else ""
        # a closed sum needs a guard (a boolean variable): unguarded, it is about set sizes
        heads = [""] if slots else []
        heads += [f"{g.text.format(*x)} implies " for g in guards if g.slots == slots]
        for count in range(1, max_terms + 1):
            for chosen in itertools.combinations(group, count):
                total = " + ".join(term.text.format(*x) for term in chosen)
                for head, constant in itertools.product(heads, CONSTANTS):
                    yield f"{binder}{head}{total} == {constant}"


def owner_sum_candidates(terms: list[Atom], max_terms: int,
                         var_of: dict[str, str]) -> Iterator[str]:
    """Per-owner conservation laws: `forall x: S, y: T: o1 + ... > 0 implies t1 + ... ==
    K`, S and T distinct sorts, the o's the chosen terms that name both x and y (what is
    in flight for the owner y of x, e.g. the requests and acknowledgements of page x of
    the unmap that node y started), the other t's terms of x or of y alone (a counter).
    The guard restricts the law to owners with something in flight; summing every
    owner's messages instead (sum_candidates) needs sets over channel positions of all
    keys, which cost the solver far more at larger sizes."""
    pairs = [term for term in terms if len(term.slots) == 2 and len(set(term.slots)) == 2]
    for sorts in dict.fromkeys(tuple(sorted(term.slots)) for term in pairs):
        names = {sort: var_of[sort] for sort in sorts}
        owned = [term for term in pairs if set(term.slots) == set(sorts)]
        alone = [term for term in terms if len(term.slots) == 1 and term.slots[0] in sorts]
        binder = f"forall {names[sorts[0]]}: {sorts[0]}, {names[sorts[1]]}: {sorts[1]}: "
        for count in range(1, max_terms + 1):
            for chosen in itertools.combinations(owned, count):
                flight = [_format(term, names) for term in chosen]
                guard = f"{' + '.join(flight)} > 0 implies "
                counters = [()] + [(a,) for a in alone] if count < max_terms else [()]
                for extra in counters:
                    total = " + ".join([_format(term, names) for term in extra] + flight)
                    for constant in CONSTANTS:
                        yield f"{binder}{guard}{total} == {constant}"


def _format(term: Atom, names: dict[str, str]) -> str:
    return term.text.format(*(names[sort] for sort in term.slots))
