"""A structural checker of ITF documents as ADR-015 (revised 2023-09-14) defines them.

`problems(document)` lists every way `document` (parsed JSON) departs from the ADR: the trace
object's fields (`#meta` an object, `params` and `vars` arrays of strings, `states` an array,
`loop` an index), every state an object that gives a value to every variable in `vars` and to
nothing else (besides `#meta`), and every value an ITF expression: a Boolean, a string,
`{"#bigint": "[-][0-9]+"}`, a list, `{"#tup": [...]}`, `{"#set": [...]}`, `{"#map": [[k, v],
...]}`, a variant `{"tag": "...", "value": ...}`, `{"#unserializable": "..."}`, or a record
(an object whose fields do not start with `#`).  JSON numbers are refused: "the use of JSON
numbers is not allowed anymore".  With `for_apalache`, `#meta.varTypes` must give a type
string for exactly the variables of `vars` (what Apalache needs to read a trace).
"""

from __future__ import annotations

import re
from typing import Any

_BIGINT = re.compile(r"-?[0-9]+")
_TAGS = ("#bigint", "#tup", "#set", "#map", "#unserializable")


def problems(document: Any, for_apalache: bool = True) -> list[str]:
    if not isinstance(document, dict):
        return ["the trace is not a JSON object"]
    found: list[str] = []
    unknown = set(document) - {"#meta", "params", "vars", "states", "loop"}
    if unknown:
        found.append(f"unknown trace fields {sorted(unknown)}")
    meta = document.get("#meta", {})
    if not isinstance(meta, dict):
        found.append("#meta is not an object")
    variables = document.get("vars")
    if not _strings(variables):
        return [*found, '"vars" is not an array of strings']
    if "params" in document and not _strings(document["params"]):
        found.append('"params" is not an array of strings')
    states = document.get("states")
    if not isinstance(states, list):
        return [*found, '"states" is not an array']
    loop = document.get("loop")
    if loop is not None and (type(loop) is not int or not 0 <= loop < len(states)):
        found.append(f'"loop" {loop!r} is not the index of a state')
    if for_apalache and isinstance(meta, dict):
        found += _var_types(meta, variables)
    for index, state in enumerate(states):
        found += [f"state {index}: {p}" for p in _state(state, variables, document)]
    return found


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _var_types(meta: dict[str, Any], variables: list[str]) -> list[str]:
    types = meta.get("varTypes")
    if not isinstance(types, dict):
        return ["#meta.varTypes is missing or not an object"]
    if set(types) != set(variables):
        return [f"#meta.varTypes names {sorted(types)}, vars {sorted(variables)}"]
    return [f"#meta.varTypes.{name} is not a string" for name, typ in types.items()
            if not isinstance(typ, str) or not typ]


def _state(state: Any, variables: list[str], document: dict[str, Any]) -> list[str]:
    if not isinstance(state, dict):
        return ["not an object"]
    found = [] if isinstance(state.get("#meta", {}), dict) else ["#meta is not an object"]
    allowed = {*variables, *document.get("params", ()), "#meta"}
    found += [f"{name} is not in vars" for name in state if name not in allowed]
    found += [f"no value for {name}" for name in variables if name not in state]
    for name in variables:
        if name in state:
            found += [f"{name}: {p}" for p in expression(state[name])]
    return found


def expression(value: Any) -> list[str]:
    """The ways `value` is not an ITF expression (empty if it is one)."""
    if isinstance(value, bool | str):
        return []
    if isinstance(value, int | float):
        return [f"the JSON number {value!r} (ADR-015: integers are {{\"#bigint\": ...}})"]
    if value is None:
        return ["null is not an ITF expression"]
    if isinstance(value, list):
        return [p for v in value for p in expression(v)]
    assert isinstance(value, dict)
    return _object(value)


def _object(value: dict[str, Any]) -> list[str]:
    tags = [k for k in value if k.startswith("#")]
    if not tags:
        if set(value) == {"tag", "value"}:
            kind = [] if isinstance(value["tag"], str) else ["a variant's tag is not a string"]
            return kind + expression(value["value"])
        return [p for v in value.values() for p in expression(v)]  # a record
    if len(value) != 1 or tags[0] not in _TAGS:
        return [f"the object with fields {sorted(value)} is no ITF expression"]
    tag, body = tags[0], value[tags[0]]
    if tag == "#bigint":
        return [] if isinstance(body, str) and _BIGINT.fullmatch(body) else \
            [f"bad #bigint {body!r}"]
    if tag == "#unserializable":
        return [] if isinstance(body, str) else ["#unserializable holds no string"]
    if not isinstance(body, list):
        return [f"{tag} holds no array"]
    if tag == "#map":
        bad = [e for e in body if not isinstance(e, list) or len(e) != 2]
        if bad:
            return [f"#map entry {bad[0]!r} is not [key, value]"]
        return [p for k, v in body for p in expression(k) + expression(v)]
    return [p for v in body for p in expression(v)]
