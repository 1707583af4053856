"""The vocabulary of a spec that candidate invariants are built from.

Sorts are the spec's finite scalar types with a name (`Node`, `Frame`, `Page`, enums,
named ranges); an *atom* is a boolean template over variables of those sorts, written in
numaspec source so that a candidate is elaborated, evaluated and encoded like any invariant
the user writes.  Atoms come from the state variables (memberships in sets, maps and
channels, map values), the spec's `fun`s whose parameters are sorts (predicates, and value
functions compared with each other) and equalities between variables.
"""

from __future__ import annotations

from dataclasses import dataclass

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.syntax import nodes


@dataclass(frozen=True)
class Atom:
    """`text` with `{0}`, `{1}`, ... for variables of the sorts `slots` (in order)."""

    text: str
    slots: tuple[str, ...]


def sorts_of(spec: ir.Spec) -> dict[str, t.Type]:
    """Sort name -> type: Node, Frame, and the root's named finite scalar types (first name
    of a type wins, so `Page` names 0 .. PAGES - 1 before a later alias of the same range)."""
    found: dict[str, t.Type] = {"Node": t.NodeType(spec.topology.nodes),
                                "Frame": _frame_type(spec)}
    for name, typ in spec.types.items():
        if "." not in name and _scalar(typ) and typ not in found.values():
            found[name] = typ
    return found


def _frame_type(spec: ir.Spec) -> t.Type:
    topo = spec.topology
    return t.FrameType(topo.nodes * topo.frames_per_node, topo.frames_per_node)


def _scalar(typ: t.Type) -> bool:
    return isinstance(typ, t.NodeType | t.FrameType | t.EnumType) or (
        isinstance(typ, t.IntType) and typ.lo is not None and typ.hi is not None)


def sort_name(sorts: dict[str, t.Type], typ: t.Type) -> str | None:
    for name, candidate in sorts.items():
        if candidate == typ:
            return name
    return None


def state_atoms(spec: ir.Spec, sorts: dict[str, t.Type]) -> list[Atom]:
    """Atoms over the state variables (sets, maps keyed by a sort, channels)."""
    atoms: list[Atom] = []
    for var in spec.variables:
        atoms += _var_atoms(var.name, var.type, sorts)
    return atoms


def _var_atoms(name: str, typ: t.Type, sorts: dict[str, t.Type]) -> list[Atom]:
    match typ:
        case t.BoolType():
            return [Atom(name, ())]
        case t.SetType(elem=elem) if (s := sort_name(sorts, elem)):
            return [Atom(f"{{0}} in {name}", (s,))]
        case t.SeqType(elem=elem):
            return _item_atoms(name, elem, sorts, ())
        case t.MapType(key=key, value=t.SeqType(elem=elem)) if (k := sort_name(sorts, key)):
            items = _item_atoms(name + "[{0}]", elem, sorts, (k,))
            return items + [p for a in items for p in projections(a)] + [
                Atom(f"size({name}[{{0}}]) == 0", (k,))]
        case t.MapType(key=key, value=value) if (k := sort_name(sorts, key)):
            atoms = [Atom(f"{{0}} in {name}", (k,))]
            if (v := sort_name(sorts, value)):
                atoms.append(Atom(f"{{0}} in {name} and {name}[{{0}}] == {{1}}", (k, v)))
            return atoms
        case _:
            return []


def _item_atoms(channel: str, elem: t.Type, sorts: dict[str, t.Type],
                prefix: tuple[str, ...]) -> list[Atom]:
    """`x in c` for a channel of a sort, `(x, y) in c` for one of pairs of sorts."""
    shift = len(prefix)
    if (s := sort_name(sorts, elem)):
        return [Atom(f"{{{shift}}} in {channel}", (*prefix, s))]
    if isinstance(elem, t.TupleType):
        names = [sort_name(sorts, item) for item in elem.items]
        if all(names):
            items = ", ".join(f"{{{shift + i}}}" for i in range(len(names)))
            return [Atom(f"({items}) in {channel}", (*prefix, *[n for n in names if n]))]
    return []


def projections(atom: Atom) -> list[Atom]:
    """`(exists y: S: A)` for each slot of an atom of two slots or more: a message of some
    channel (some component of it) without naming which, as `exists m: (v, x) in req[m]`."""
    found: list[Atom] = []
    if len(atom.slots) < 2:
        return found
    for bound, sort in enumerate(atom.slots):
        binder = "y" + sort[0].lower()
        rest = [i for i in range(len(atom.slots)) if i != bound]
        args = [binder if i == bound else f"{{{rest.index(i)}}}"
                for i in range(len(atom.slots))]
        found.append(Atom(f"(exists {binder}: {sort}: {atom.text.format(*args)})",
                          tuple(atom.slots[i] for i in rest)))
    return found


def fun_atoms(module: nodes.Module, sorts: dict[str, t.Type]) -> tuple[list[Atom], list[Atom]]:
    """(predicates, value atoms) from the root module's `fun`s whose parameters are sorts:
    `f(x, ...)` for a `bool` result, `f(x, ...) == y` (y in the last slot) for a result of
    a sort; the grammar puts value atoms where a partial `fun` is guarded (candidates.py)."""
    predicates: list[Atom] = []
    values: list[Atom] = []
    for item in module.items:
        decl = item.decl
        if not isinstance(decl, nodes.FunDecl) or not decl.params:
            continue
        slots = _param_sorts(decl.params, sorts)
        if slots is None:
            continue
        args = ", ".join(f"{{{i}}}" for i in range(len(slots)))
        result = decl.result.id if isinstance(decl.result, nodes.Name) else None
        if result == "bool":
            predicates.append(Atom(f"{decl.name.name}({args})", slots))
        elif result in sorts:
            values.append(Atom(f"{decl.name.name}({args}) == {{{len(slots)}}}",
                               (*slots, result)))
    return predicates, values


def _param_sorts(params: tuple[nodes.Binder, ...],
                 sorts: dict[str, t.Type]) -> tuple[str, ...] | None:
    found: list[str] = []
    for binder in params:
        if not isinstance(binder.domain, nodes.Name) or binder.domain.id not in sorts:
            return None
        found += [binder.domain.id] * len(binder.names)
    return tuple(found)


def whole_state_candidates(spec: ir.Spec, sorts: dict[str, t.Type]) -> list[str]:
    """Closed candidates without a quantifier over sorts: maps of options all none, record
    fields of enum sets full, a set equal to the range of a map, an injective map."""
    found: list[str] = []
    sets = [(v.name, v.type.elem) for v in spec.variables if isinstance(v.type, t.SetType)]
    for var in spec.variables:
        if not isinstance(var.type, t.MapType):
            continue
        value = var.type.value
        if isinstance(value, t.OptionType):
            found.append(f"forall k: dom({var.name}): {var.name}[k] == none")
        if isinstance(value, t.RecordType):
            found += [f"forall k: dom({var.name}): {var.name}[k].{field} == {full}"
                      for field, ftype in value.fields if (full := _full_enum_set(ftype))]
        if sort_name(sorts, value):
            found.append(f"forall a, b: dom({var.name}) where a != b: "
                         f"{var.name}[a] != {var.name}[b]")
            found += [f"{s} == ran({var.name})" for s, elem in sets if elem == value]
    return found


def _full_enum_set(typ: t.Type) -> str | None:
    if isinstance(typ, t.SetType) and isinstance(typ.elem, t.EnumType):
        return "{" + ", ".join(f"{typ.elem.name}.{m}" for m in typ.elem.members) + "}"
    return None
