"""Reading other tools' traces: a map file (`numaspec trace --map MAP.json`) renames their
variables and actions, maps or drops their nondeterministic picks, and converts values.

```json
{"variables": {"G": {"name": "global_map", "none": -1}, "allocated": "l4.allocated",
               "debug": null},
 "actions": {"Fault": {"name": "fault", "args": {"node": "n", "page": "v"}},
             "RecvReq": {"name": "recv_req", "args": {"node": "m"}}},
 "keep_unmapped": false}
```

`variables`: a trace's name to the spec's (a variable or a view, a parameterless `fun`), or an
object with `name` and `none`, the value the other tool writes for "nothing": in a map, an
entry whose value is `none` is an absent key; anything else that equals `none` is the option
`none`.  `null` drops the variable.  Unlisted variables are dropped too unless
`keep_unmapped` is true (then they keep their names and must be the spec's).  `actions`: a
trace's action name to the spec's `name`, with `args` from the trace's arguments (an ITF
state's `#meta.args` or Quint's `mbt::nondetPicks`) to the spec's parameters (a name, or
`{"name": ..., "none": ...}`); picks not listed are dropped, and without `args` they keep
their names.  An action the map does not list keeps its name.  A malformed map is E042.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from numaspec.spec.diagnostics import SpecError
from numaspec.traces.diagnose import short, trace_error
from numaspec.traces.records import Event, Observation, Record

_NONE = object()  # no `none` value given


@dataclass(frozen=True)
class Rename:
    name: str | None  # None: dropped
    none: Any = _NONE  # the other tool's value for "nothing"


@dataclass(frozen=True)
class ActionMap:
    name: str
    args: dict[str, Rename] | None  # None: picks keep their names


@dataclass(frozen=True)
class TraceMap:
    path: str
    variables: dict[str, Rename] = field(default_factory=dict)
    actions: dict[str, ActionMap] = field(default_factory=dict)
    keep_unmapped: bool = False

    def apply(self, records: Iterator[Record]) -> Iterator[Record]:
        """The records with the map applied (headers pass unchanged)."""
        for record in records:
            if isinstance(record, Observation):
                record.state = self._values(record.state)
            elif isinstance(record, Event):
                self._event(record)
            yield record

    def _event(self, event: Event) -> None:
        if event.post is not None:
            event.post = self._values(event.post)
        action = self.actions.get(event.action or "")
        if action is None:
            return
        event.action = action.name
        if action.args is not None:
            event.args = _renamed(event.args, action.args, keep=False)

    def _values(self, values: dict[str, Any]) -> dict[str, Any]:
        return _renamed(values, self.variables, keep=self.keep_unmapped)


def _renamed(values: dict[str, Any], renames: dict[str, Rename], keep: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        rename = renames.get(name)
        if rename is None:
            if keep:
                out[name] = value
            continue
        if rename.name is not None:
            out[rename.name] = value if rename.none is _NONE else convert(value, rename.none)
    return out


def convert(value: Any, none: Any) -> Any:
    """`value` with the other tool's "nothing" (`none`) as numaspec writes it: in a map the
    entries whose value is `none` are left out (absent keys); a value equal to `none` is the
    option `none` (ITF's `{"tag": "None", ...}`)."""
    if isinstance(value, dict) and set(value) == {"#map"} and isinstance(value["#map"], list):
        return {"#map": [entry for entry in value["#map"]
                         if not (isinstance(entry, list) and len(entry) == 2
                                 and _equal(entry[1], none))]}
    if _equal(value, none):
        return {"tag": "None", "value": {"#tup": []}}
    return value


def _equal(value: Any, none: Any) -> bool:
    if isinstance(value, dict) and set(value) == {"#bigint"} and isinstance(none, int):
        return value["#bigint"] == str(none)
    return type(value) is type(none) and value == none


def read_map(path: str) -> TraceMap:
    """The map file at `path`; SpecError (E001 unreadable, E042 malformed) otherwise."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise trace_error("E001", f"cannot read the map {path}: {err}", path, 1, None) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _error(path, text, f"not valid JSON: {err.msg}", err.lineno) from None
    if not isinstance(data, dict):
        raise _error(path, text, "a map is a JSON object")
    unknown = set(data) - {"variables", "actions", "keep_unmapped"}
    if unknown:
        raise _error(path, text, f"unknown field {short(sorted(unknown)[0])} (fields: "
                     "variables, actions, keep_unmapped)")
    variables = _renames(path, text, data.get("variables", {}), "variables")
    actions = {}
    raw_actions = data.get("actions", {})
    if not isinstance(raw_actions, dict):
        raise _error(path, text, '"actions" must be an object')
    for name, raw in raw_actions.items():
        actions[name] = _action(path, text, name, raw)
    keep = data.get("keep_unmapped", False)
    if not isinstance(keep, bool):
        raise _error(path, text, '"keep_unmapped" must be true or false')
    return TraceMap(path, variables, actions, keep)


def _action(path: str, text: str, name: str, raw: Any) -> ActionMap:
    if isinstance(raw, str):
        return ActionMap(raw, None)
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or \
            set(raw) - {"name", "args"}:
        raise _error(path, text, f'action {short(name)}: expected a name or {{"name": ..., '
                     '"args": {...}}', _line(text, name))
    args = _renames(path, text, raw["args"], f"action {name}: args") if "args" in raw \
        else None
    return ActionMap(raw["name"], args)


def _renames(path: str, text: str, raw: Any, what: str) -> dict[str, Rename]:
    if not isinstance(raw, dict):
        raise _error(path, text, f"{what} must be an object")
    out = {}
    for name, target in raw.items():
        if target is None or isinstance(target, str):
            out[name] = Rename(target)
        elif isinstance(target, dict) and isinstance(target.get("name"), str) and \
                not set(target) - {"name", "none"}:
            out[name] = Rename(target["name"], target.get("none", _NONE))
        else:
            raise _error(path, text, f'{what}: {short(name)} must map to a name, null or '
                         f'{{"name": ..., "none": ...}}, not {short(target)}', _line(text, name))
    return out


def _line(text: str, key: str) -> int:
    at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _error(path: str, text: str, message: str, line: int = 1) -> SpecError:
    lines = text.split("\n")
    shown = lines[line - 1] if 0 < line <= len(lines) else None
    return trace_error("E042", f"{path}: {message}", path, line, shown)
