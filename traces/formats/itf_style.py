"""How an ITF file is written: the names of variables, the `mbt::` fields, `#meta.varTypes`.

ADR-015 (revised 2023-09-14) leaves names free; Quint writes a module's variable as
`module::name`, so `--itf-names quint` writes `l4::pt` for numaspec's `l4.pt` (read back, `::`
is `.` again).  With `mbt` every state also carries Quint's `mbt::actionTaken` (the action's
name; `init` for state 0) and `mbt::nondetPicks` (a record of every parameter name of the
spec's actions: `{"tag": "Some", "value": v}` for those of the step's action, `None` for the
others), as `quint run --mbt` writes them.  `var_type` renders a type as Apalache's type
system 1.2 (ADR-002), the form `#meta.varTypes` holds: enum members are written as strings,
so an enum is `Str`; nodes and frames are `Int`; an option is `None(UNIT) | Some(T)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, assert_never

from numaspec.model.machine import Instance, Model
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.traces.formats.itf_values import encode

ACTION_TAKEN = "mbt::actionTaken"
NONDET_PICKS = "mbt::nondetPicks"
NAME_STYLES = ("numaspec", "quint")


@dataclass(frozen=True)
class ItfStyle:
    """`names`: "numaspec" (`l4.pt`) or "quint" (`l4::pt`); `mbt`: write the `mbt::` fields."""

    names: str = "numaspec"
    mbt: bool = False

    def name(self, variable: str) -> str:
        return variable.replace(".", "::") if self.names == "quint" else variable


def var_type(typ: t.Type) -> str:
    """`typ` in Apalache's type syntax (ADR-002); a variant inside another type is
    parenthesised."""
    match typ:
        case t.BoolType():
            return "Bool"
        case t.IntType() | t.NodeType() | t.FrameType():
            return "Int"
        case t.EnumType():
            return "Str"
        case t.TupleType(items=items):
            return "<<" + ", ".join(_inner(i) for i in items) + ">>"
        case t.RecordType(fields=fields):
            return "{ " + ", ".join(f"{n}: {_inner(f)}" for n, f in fields) + " }"
        case t.OptionType(inner=inner):
            return f"None(UNIT) | Some({var_type(inner)})"
        case t.SetType(elem=elem):
            return f"Set({_inner(elem)})"
        case t.MapType(key=key, value=val):
            return f"({_inner(key)} -> {_inner(val)})"
        case t.SeqType(elem=elem):
            return f"Seq({_inner(elem)})"
        case t.EmptyCollectionType() | t.NoneType():
            return "UNIT"
        case _:
            assert_never(typ)


def _inner(typ: t.Type) -> str:
    text = var_type(typ)
    return f"({text})" if isinstance(typ, t.OptionType) else text


def pick_types(spec: ir.Spec) -> dict[str, t.Type]:
    """Every parameter name of the spec's actions with its type (the first one declared,
    should two actions give one name different types)."""
    picks: dict[str, t.Type] = {}
    for action in spec.actions:
        for param in action.params:
            picks.setdefault(param.name, param.type)
    return picks


def var_types(spec: ir.Spec, style: ItfStyle) -> dict[str, str]:
    types = {style.name(v.name): var_type(v.type) for v in spec.variables}
    if style.mbt:
        types[ACTION_TAKEN] = "Str"
        picks = pick_types(spec)
        types[NONDET_PICKS] = "{ " + ", ".join(
            f"{n}: (None(UNIT) | Some({var_type(ty)}))" for n, ty in picks.items()) + " }"
    return types


def mbt_fields(model: Model, instance: Instance | None) -> dict[str, Any]:
    """`mbt::actionTaken` and `mbt::nondetPicks` of the step `instance` (None: the initial
    state)."""
    given: dict[str, Any] = {}
    if instance is not None:
        for param, value in zip(model.params(instance), instance.args, strict=True):
            given[param.name] = encode(value, param.type, bigint=True)
    picks = {name: {"tag": "Some", "value": given[name]} if name in given
             else {"tag": "None", "value": {"#tup": []}} for name in pick_types(model.spec)}
    action = model.action_name(instance) if instance is not None else "init"
    return {ACTION_TAKEN: action, NONDET_PICKS: picks}
