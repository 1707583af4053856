"""Records checked against a spec: events become the action instances they may be, and
observations become (variable or view, value) checks.

Everything that can be known without running the model is checked here, so a trace that
names an unknown action (E504), argument (E505), variable or view (E507), or holds a value
outside its type (E506) is malformed (exit 2), never "does not conform".  Binding fully
specified events is the hot path of validation: results are cached by the event's action
and arguments.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from numaspec.model.machine import Instance, Model, State
from numaspec.spec.diagnostics import Note, SpecError
from numaspec.spec.ir import types as t
from numaspec.spec.ir.format import format_value
from numaspec.traces.diagnose import column_of, short, trace_error
from numaspec.traces.formats.itf_values import ValueFormatError, decode, encode
from numaspec.traces.records import Event, Observation, position

CACHE_LIMIT = 100_000  # distinct (action, arguments) bindings kept


class Check:
    """One observed variable or view: `matches(state)` says whether the state agrees.

    The observed JSON is decoded lazily: when the line holds no `true`, `false` or
    non-integer number (`record.plain`) and the type has no bool, the raw JSON equals the
    encoding of the state's value exactly when the values are equal (in general it cannot
    decide, as 1 == 1.0 == True in Python), and encodings are memoised per value
    object (states a trace revisits are the same objects), so a matching observation costs a
    comparison.  Otherwise, and whenever `value` is asked for, the JSON is decoded and
    type-checked (E506)."""

    __slots__ = ("name", "read", "type", "raw", "encoded", "_value", "_decode")

    def __init__(self, name: str, read: Callable[[State], Any], typ: t.Type, raw: Any,
                 encoded: Callable[[Any], Any] | None, decode_raw: Callable[[], Any]):
        self.name, self.read, self.type, self.raw = name, read, typ, raw
        self.encoded, self._decode = encoded, decode_raw
        self._value: Any = _UNSET if encoded is not None else decode_raw()

    @property
    def value(self) -> Any:
        """The observed value (SpecError E506 if the JSON is not a value of the type)."""
        if self._value is _UNSET:
            self._value = self._decode()
        return self._value

    def matches(self, state: State) -> bool:
        actual = self.read(state)
        if self.encoded is not None and self.encoded(actual) == self.raw:
            return True
        return bool(self.value == actual)


_UNSET = object()


@dataclass(slots=True)
class BoundEvent:
    line: int
    text: str
    label: str  # `fault(n=1, v=?)`: the event as the report shows it
    instances: tuple[Instance, ...]  # those its (partial) arguments allow
    node: int | None
    post: tuple[Check, ...]


@dataclass(slots=True)
class BoundObservation:
    line: int
    text: str
    checks: tuple[Check, ...]


class Binder:
    """Binds the records of one trace file (`path`, for diagnostics) to `model`."""

    def __init__(self, model: Model, path: str):
        self.model, self.path = model, path
        spec = model.spec
        self.nodes = spec.topology.nodes
        self.actions = {a.name: a for a in spec.actions}
        self.placed = frozenset(a.name for a in spec.actions if a.on is not None)
        self.by_action: dict[str, list[Instance]] = {a.name: [] for a in spec.actions}
        for instance in model.instances:
            self.by_action[model.action_name(instance)].append(instance)
        self.readers = _readers(model)
        self._cache: dict[Any, tuple[str, tuple[Instance, ...]]] = {}

    def event(self, record: Event) -> BoundEvent:
        label, instances = self._instances(record)
        node = None if record.node is None else self._node(record)
        post = self.checks(record.post, record) if record.post else ()
        return BoundEvent(record.line, record.text, label, instances, node, post)

    def observation(self, record: Observation) -> BoundObservation:
        return BoundObservation(record.line, record.text, self.checks(record.state, record))

    # ------------------------------------------------------------- actions
    def _instances(self, record: Event) -> tuple[str, tuple[Instance, ...]]:
        if record.action is None:
            return "some action", self.model.instances
        args = record.args
        key = (record.action, *args.items())
        try:
            hit = self._cache.get(key)
        except TypeError:  # an unhashable raw value ({"#tup": ...}): no caching
            return self._resolve(record)
        if hit is not None:
            # 1 == 1.0 == True in Python: only plain integers and strings share an entry
            for value in args.values():
                if type(value) is not int and type(value) is not str:
                    break
            else:
                return hit
        found = self._resolve(record)
        if all(type(v) is int or type(v) is str for v in args.values()):
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _resolve(self, record: Event) -> tuple[str, tuple[Instance, ...]]:
        action = self.actions.get(record.action or "")
        if action is None:
            raise self._unknown(record, "action", record.action or "", sorted(self.actions),
                                "E504", "the spec has no action")
        params = {p.name: (i, p) for i, p in enumerate(action.params)}
        fixed: dict[int, Any] = {}
        for name, raw in record.args.items():
            if name not in params:
                raise self._unknown(record, name, name, sorted(params), "E505",
                                    f"action {action.name} has no parameter")
            index, param = params[name]
            fixed[index] = self._decode(record, raw, param.type, f"argument {name}", name)
        instances = tuple(i for i in self.by_action[action.name]
                          if all(i.args[k] == v for k, v in fixed.items()))
        shown = ", ".join(f"{p.name}={format_value(fixed[k], p.type)}" if k in fixed
                          else f"{p.name}=?" for k, p in enumerate(action.params))
        return f"{action.name}({shown})", instances

    def _node(self, record: Event) -> int:
        node = record.node
        if type(node) is int and 0 <= node < self.nodes and record.action in self.placed:
            return node
        action = self.actions.get(record.action or "")
        if action is not None and action.on is None:
            col, width = column_of(record.text, "node", record.node)
            raise trace_error("E501", f"{position(record)}: action {action.name} is not "
                              "placed on a node (it has no `on`), but the event gives "
                              "\"node\"", self.path, record.line, record.text, col, width)
        return int(self._decode(record, record.node, t.NodeType(self.nodes), "node", "node"))

    # -------------------------------------------------------- observations
    def checks(self, observed: dict[str, Any], record: Event | Observation) -> tuple[Check, ...]:
        plain = record.plain
        found = []
        for name, raw in observed.items():
            reader = self.readers.get(name)
            if reader is None:
                raise self._unknown(record, name, name, sorted(self.readers), "E507",
                                    "the spec has no variable or view")
            read, typ, encoded = reader
            found.append(Check(name, read, typ, raw, encoded if plain else None,
                               partial(self._decode, record, raw, typ, name, name)))
        return tuple(found)

    # -------------------------------------------------------------- errors
    def _decode(self, record: Event | Observation, raw: Any, typ: t.Type, what: str,
                key: str) -> Any:
        try:
            return decode(raw, typ)
        except ValueFormatError as err:
            col, width = column_of(record.text, key, raw)
            raise trace_error("E506", f"{position(record)}: {what} = {short(raw)} is not a "
                              f"value of type {t.show(typ)}: {err}", self.path, record.line,
                              record.text, col, width) from None
        except RecursionError:
            raise trace_error("E506", f"{position(record)}: {what} is nested too deeply",
                              self.path, record.line, record.text) from None

    def _unknown(self, record: Event | Observation, key: str, name: str, known: list[str],
                 code: str, what: str) -> SpecError:
        col, width = column_of(record.text, key, name if key == "action" else None)
        close = difflib.get_close_matches(name, known, n=1)
        note = f"did you mean `{close[0]}`?" if close else \
            "known: " + (", ".join(known) if known else "none")
        return trace_error(code, f"{position(record)}: {what} `{name}`", self.path,
                           record.line, record.text, col, width, Note(note))


Reader = tuple[Callable[[State], Any], t.Type, Callable[[Any], Any] | None]


def _readers(model: Model) -> dict[str, Reader]:
    """How to read each variable and view of the spec from a state, its type, and its
    memoised encoder (None when the type holds bools: see Check)."""
    readers: dict[str, Reader] = {}
    for index, var in enumerate(model.spec.variables):
        readers[var.name] = (_item(index), var.type, _encoder(var.type))
    for view in model.spec.views:
        typ = view.expr.type
        readers.setdefault(view.name, (_view(model, view.expr, view.locals_count), typ,
                                       _encoder(typ)))
    return readers


def _encoder(typ: t.Type) -> Callable[[Any], Any] | None:
    if _has_bool(typ):
        return None
    memo: dict[int, tuple[Any, Any]] = {}

    def encoded(value: Any) -> Any:
        hit = memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if len(memo) >= CACHE_LIMIT:
            memo.clear()
        result = encode(value, typ)
        memo[id(value)] = (value, result)  # keeps `value` alive: its id stays its own
        return result

    return encoded


def _has_bool(typ: t.Type) -> bool:
    match typ:
        case t.BoolType():
            return True
        case t.TupleType(items=items):
            return any(_has_bool(i) for i in items)
        case t.RecordType(fields=fields):
            return any(_has_bool(f) for _, f in fields)
        case t.OptionType(inner=inner) | t.SetType(elem=inner) | t.SeqType(elem=inner):
            return _has_bool(inner)
        case t.MapType(key=key, value=value):
            return _has_bool(key) or _has_bool(value)
        case _:
            return False


def _item(index: int) -> Callable[[State], Any]:
    return lambda state: state[index]


def _view(model: Model, expr: Any, slots: int) -> Callable[[State], Any]:
    fn = model.exprs.compile(expr)
    return lambda state: fn(state, [None] * max(slots, 1))

