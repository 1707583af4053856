"""Mutants of valid traces, and an oracle that decides them without the validator's code.

The oracle follows sets of states by brute force: every successor the model enumerates
(`Model.successors`) whose action name, arguments, node and observed state agree with the
event; hidden steps are closed level by level, at most K of them.  It shares no code with
traces/frontier.py or traces/bind.py (it decodes values with traces/formats/itf_values.py).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

from numaspec.model.machine import Model, State
from numaspec.traces.formats.itf_values import decode

Line = dict[str, Any]


def first_invalid(model: Model, lines: list[Line], hidden: tuple[str, ...] = (),
                  k: int = 0) -> int | None:
    """The index in `lines` of the first line no behaviour of the spec allows, or None.

    Candidates are (state, hidden steps used since the last event): at most `k` hidden
    steps between two events; an observation does not reset the count."""
    pairs = {(s, 0) for s in model.initial_states()}
    for index, line in enumerate(lines):
        pairs = _closure(model, pairs, hidden, k)
        if "state" in line:
            pairs = {(s, used) for s, used in pairs if _agrees(model, s, line["state"])}
        else:
            pairs = {(t, 0) for s, _ in pairs for inst, t in model.successors(s)
                     if _matches(model, s, inst, t, line)}
        if not pairs:
            return index
    return None


def _closure(model: Model, pairs: set[tuple[State, int]], hidden: tuple[str, ...],
             k: int) -> set[tuple[State, int]]:
    seen, level = set(pairs), set(pairs)
    while level:
        level = {(t, used + 1) for s, used in level if used < k and hidden
                 for inst, t in model.successors(s) if model.action_name(inst) in hidden}
        level -= seen
        seen |= level
    return seen


def _matches(model: Model, state: State, inst: Any, nxt: State, line: Line) -> bool:
    if model.action_name(inst) != line["action"]:
        return False
    named = {p.name: v for p, v in zip(model.params(inst), inst.args, strict=True)}
    if any(named[name] != value for name, value in line.get("args", {}).items()):
        return False
    if "node" in line and model.node_of(state, inst) != line["node"]:
        return False
    return _agrees(model, nxt, line.get("post", {}))


def _agrees(model: Model, state: State, observed: dict[str, Any]) -> bool:
    variables = {v.name: (i, v.type) for i, v in enumerate(model.spec.variables)}
    for name, raw in observed.items():
        index, typ = variables[name]
        if state[index] != decode(raw, typ):
            return False
    return True


# ------------------------------------------------------------------ mutants
def mutants(lines: list[Line], seed: int, per_kind: int) -> Iterator[tuple[str, list[Line]]]:
    """(kind, mutant) for the kinds drop, duplicate, swap (adjacent), move (further on)
    and alter (an argument, the action, or the node); lines[0] (the initial state) stays."""
    rng = random.Random(seed)
    events = range(1, len(lines))
    for _ in range(per_kind):
        i = rng.choice(events)
        yield "drop", lines[:i] + lines[i + 1:]
        yield "duplicate", lines[:i + 1] + lines[i:]
        j = min(i + 1, len(lines) - 1)
        swapped = list(lines)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        yield "swap", swapped
        moved = list(lines)
        moved.insert(rng.randint(i, len(lines) - 1), moved.pop(i))
        yield "move", moved
        yield "alter", lines[:i] + [_alter(lines[i], rng)] + lines[i + 1:]


_OTHER_ACTION = {"fault": "start_unmap", "start_unmap": "fault", "recv_req": "recv_ack",
                 "recv_ack": "recv_req"}


def _alter(line: Line, rng: random.Random) -> Line:
    changed = json.loads(json.dumps(line))
    what = rng.choice(["arg", "action", "node"] if "node" in line else ["arg", "action"])
    if what == "action":
        changed["action"] = _OTHER_ACTION[line["action"]]
        if changed["action"].startswith("recv"):  # receive actions take one parameter
            changed["args"] = {("m" if changed["action"] == "recv_req" else "n"):
                               changed["node"] if "node" in changed else 0}
        else:
            changed["args"] = {"n": changed.get("node", 0), "v": rng.randint(0, 1)}
    elif what == "node":
        changed["node"] = (line["node"] + rng.randint(1, 2)) % 3
    else:
        name = rng.choice(sorted(changed["args"]))
        bound = 2 if name == "v" else 3
        changed["args"][name] = (changed["args"][name] + rng.randint(1, bound - 1)) % bound
    return changed


def write_lines(path: Any, lines: list[Line], header: Line | None = None) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for line in ([header] if header else []) + lines:
            out.write(json.dumps(line, separators=(",", ":")) + "\n")
