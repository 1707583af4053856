"""A real system instrumented to log what happened: the P1 implementation of
examples/pager_impl driven at random, each step logged as a JSONL event with the state the
implementation reports (`observe()`) as `post`: the kind of log `numaspec trace` checks."""

from __future__ import annotations

import json
import random
from typing import Any

from examples.pager_impl import FACTORIES, PagerError

ACTIONS = {"fault": ("n", "v"), "start_unmap": ("n", "v"), "recv_req": ("m",),
           "recv_ack": ("n",)}


def itf(value: Any) -> Any:
    """A plain Python value in ITF's JSON encoding."""
    if isinstance(value, dict):
        return {"#map": [[itf(k), itf(v)] for k, v in sorted(value.items())]}
    if isinstance(value, (set, frozenset)):
        return {"#set": [itf(v) for v in sorted(value)]}
    if isinstance(value, tuple):
        return {"#tup": [itf(v) for v in value]}
    if isinstance(value, list):
        return [itf(v) for v in value]
    return value


def log_run(factory: str, steps: int, seed: int, path: Any, observe: bool = True) -> int:
    """Drive the implementation `factory` for `steps` accepted steps (fewer if it refuses
    every call 1000 times in a row); write the log; return how many calls it refused (not
    logged: they did not happen)."""
    system = FACTORIES[factory]()
    rng = random.Random(seed)
    refused = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"#meta": {"format": "numaspec-trace/1", "constants":
                                        {"PAGES": 2}}}) + "\n")
        done = streak = 0
        while done < steps:
            action = rng.choice(sorted(ACTIONS))
            args = {name: rng.randrange(3 if name in "nm" else 2) for name in ACTIONS[action]}
            try:
                getattr(system, action)(**args)
            except PagerError:
                refused += 1
                streak += 1
                if streak == 1000:
                    break
                continue
            streak = 0
            event: dict[str, Any] = {"action": action, "args": args}
            if observe:
                state = system.observe()
                event["post"] = {k: itf(v) for k, v in state.items()
                                 if k in ("pt", "global_map", "unmapping", "acks", "req", "ack",
                                          "l4.allocated")}
            out.write(json.dumps(event, separators=(",", ":")) + "\n")
            done += 1
    return refused
