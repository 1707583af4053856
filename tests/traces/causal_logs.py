"""Per-node logs of P1 runs, as a distributed P1 would write them (for tests and benches).

A random walk of the spec (spec/examples/pernode.numa, any number of nodes) is split into one
log per node (the node each action runs on).  Causality, as a real system has it:

- messages: start_unmap sends a request to each other node, recv_req receives the oldest of
  its channel and sends an acknowledgement, recv_ack receives one;
- in "vc" mode also the shared tables on node 0 (global_map, unmapping, acks): fault,
  start_unmap and recv_ack take the tables' lock, which carries the clock of the last holder.

`mode="vc"` writes Fidge/Mattern clocks (`"vc"`), `mode="ids"` message identities (`"sent"`,
`"received"`; no lock: a receive names one message).  `post=True` gives each fault the
global_map it leaves.
"""

from __future__ import annotations

import json
import random
from collections import deque
from pathlib import Path
from typing import Any

from numaspec.model.machine import Model
from numaspec.spec.pipeline import CompiledSpec, compile_spec
from numaspec.spec.topology.resolve import parse_json
from numaspec.traces.formats.itf_values import encode
from numaspec.traces.formats.jsonl import meta_line

ROOT = Path(__file__).resolve().parents[2]
P1 = str(ROOT / "spec" / "examples" / "pernode.numa")
TABLES = {"fault", "start_unmap", "recv_ack"}


def p1(nodes: int) -> tuple[CompiledSpec, Model]:
    topology = parse_json(json.dumps({"nodes": nodes, "frames_per_node": 1, "distance": [
        [10 if i == j else 20 for j in range(nodes)] for i in range(nodes)]}), "<test>")
    compiled = compile_spec(P1, [], topology)
    return compiled, Model(compiled.spec)


class _Clocks:
    def __init__(self, nodes: int):
        self.nodes = nodes
        self.vc = [[0] * nodes for _ in range(nodes)]
        self.lock = [0] * nodes
        self.channels: dict[tuple[str, int], deque[tuple[str, list[int]]]] = {}
        self.count = 0

    def send(self, channel: str, index: int, node: int) -> str:
        self.count += 1
        ident = f"m{self.count}"
        self.channels.setdefault((channel, index), deque()).append((ident, list(self.vc[node])))
        return ident

    def receive(self, channel: str, index: int, node: int) -> str:
        ident, vc = self.channels[(channel, index)].popleft()
        self.merge(node, vc)
        return ident

    def merge(self, node: int, vc: list[int]) -> None:
        self.vc[node] = [max(a, b) for a, b in zip(self.vc[node], vc, strict=True)]


def write_logs(folder: Path, nodes: int, events: int, seed: int, mode: str = "vc",
               post: bool = False) -> list[Path]:
    """`events` steps of a random walk of P1 with `nodes` nodes, one log per node."""
    compiled, model = p1(nodes)
    rng = random.Random(seed)
    paths = [folder / f"node{n}.jsonl" for n in range(nodes)]
    outs = [open(p, "w", encoding="utf-8") for p in paths]  # noqa: SIM115 - closed below
    clocks = _Clocks(nodes)
    meta = meta_line(compiled)
    for n, out in enumerate(outs):
        out.write(json.dumps({"#meta": {**meta["#meta"], "node": n}}) + "\n")
    state = model.initial_states()[0]
    edges: dict[Any, list[Any]] = {}
    try:
        for step in range(events):
            choices = edges.get(state)
            if choices is None:
                choices = edges[state] = model.successors(state)
            instance, nxt = rng.choice(choices)
            line = _event(model, clocks, state, instance, nxt, mode, post, step)
            outs[model.node_of(state, instance)].write(line)
            state = nxt
    finally:
        for out in outs:
            out.close()
    return paths


def _event(model: Model, clocks: _Clocks, state: Any, instance: Any, nxt: Any, mode: str,
           post: bool, step: int) -> str:
    name = model.action_name(instance)
    node = model.node_of(state, instance)
    params = model.params(instance)
    args = {p.name: encode(v, p.type) for p, v in zip(params, instance.args, strict=True)}
    event: dict[str, Any] = {"action": name, "args": args, "node": node, "#step": step}
    if mode == "vc" and name in TABLES:
        clocks.merge(node, clocks.lock)
    received, sent = _messages(model, clocks, state, name, node, args)
    clocks.vc[node][node] += 1
    sent_ids = [clocks.send(channel, index, node) for channel, index in sent]
    if mode == "vc" and name in TABLES:
        clocks.lock = list(clocks.vc[node])
    if mode == "vc":
        event["vc"] = clocks.vc[node]
    else:
        if received is not None:
            event["received"] = received
        if sent_ids:
            event["sent"] = sent_ids
    if post and name == "fault":
        gm = model.names.index("global_map")
        event["post"] = {"global_map": {"#map": [[k, v] for k, v in sorted(nxt[gm].items())]}}
    return json.dumps(event, separators=(",", ":")) + "\n"


def _messages(model: Model, clocks: _Clocks, state: Any, name: str, node: int,
              args: dict[str, Any]) -> tuple[str | None, list[tuple[str, int]]]:
    nodes = clocks.nodes
    if name == "start_unmap":
        return None, [("req", m) for m in range(nodes) if m != node]
    if name == "recv_req":
        req = state[model.names.index("req")][node]
        initiator = req[0][1]
        return clocks.receive("req", node, node), [("ack", initiator)]
    if name == "recv_ack":
        return clocks.receive("ack", node, node), []
    return None, []


def read(path: Path) -> list[str]:
    return path.read_text().splitlines()


def write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n")
