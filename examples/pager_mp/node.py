"""One node of the multi-process P1 pager system: its process, its pager, its log.

The pager of node n owns its address space (a page table in this process's memory).  The
tables P1 keeps on node 0 (the global map, the pages being unmapped, the acknowledgement
counts, the allocated frames) are shared memory guarded by one lock; whoever holds the lock
also reads and writes the lock's vector clock, so every table operation is causally after
the previous one.  Unmap requests and acknowledgements are messages through per-node queues
(pipes) that carry the sender's clock.  Each event is logged as one JSONL line with the
node's vector clock after it (Fidge/Mattern).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import IO, Any

BUG_FAULT_IGNORES_UNMAP = "fault_ignores_unmap"
BUG_EARLY_FREE = "early_free"
BUG_SKIP_NODE = "skip_node"
KNOWN_BUGS = frozenset({BUG_FAULT_IGNORES_UNMAP, BUG_EARLY_FREE, BUG_SKIP_NODE})
NONE = -1


@dataclass
class Shared:
    """What the processes share: the node-0 tables, their lock and clock, the queues."""

    nodes: int
    pages: int
    frames_per_node: int
    lock: Any  # multiprocessing.Lock
    clock: Any  # Array of `nodes` counters: the clock of the last table operation
    global_map: Any  # Array: page -> frame or NONE
    unmapping: Any  # Array: page -> 0/1
    acks: Any  # Array: page -> count
    allocated: Any  # Array: frame -> 0/1
    requests: list[Any]  # per node: SimpleQueue of (page, initiator, clock)
    acknowledgements: list[Any]  # per node: SimpleQueue of (page, clock)
    finished: Any  # Value: nodes done with their workload


class Pager:
    def __init__(self, node: int, shared: Shared, bugs: frozenset[str], log: IO[str]):
        self.node, self.shared, self.bugs, self.log = node, shared, bugs, log
        self.pt: dict[int, int] = {}
        self.vc = [0] * shared.nodes

    # ---------------------------------------------------------- the clock
    def _merge(self, other: Any) -> None:
        self.vc = [max(a, b) for a, b in zip(self.vc, other, strict=True)]

    def _event(self, action: str, args: dict[str, int], post: dict[str, Any] | None = None,
               publish: bool = False) -> None:
        self.vc[self.node] += 1
        if publish:  # under the lock: the tables' clock is this event's
            self.shared.clock[:] = self.vc
        line: dict[str, Any] = {"action": action, "args": args, "node": self.node,
                                "vc": list(self.vc), "ts": time.time()}
        if post is not None:
            line["post"] = post
        self.log.write(json.dumps(line, separators=(",", ":")) + "\n")
        self.log.flush()

    def _global_map(self) -> dict[str, Any]:
        gm = self.shared.global_map
        return {"#map": [[v, gm[v]] for v in range(self.shared.pages) if gm[v] != NONE]}

    # ---------------------------------------------------------- the steps
    def fault(self, v: int) -> None:
        if v in self.pt:
            return  # no fault on a mapped page
        s = self.shared
        with s.lock:
            self._merge(s.clock)
            if s.unmapping[v] and BUG_FAULT_IGNORES_UNMAP not in self.bugs:
                return  # the thread waits for the unmap to finish
            frame = s.global_map[v]
            if frame == NONE:
                first = self.node * s.frames_per_node
                free = [f for f in range(first, first + s.frames_per_node)
                        if not s.allocated[f]]
                if not free:
                    return  # out of frames: the fault fails
                frame = free[0]
                s.allocated[frame] = 1
                s.global_map[v] = frame
            self.pt[v] = frame
            self._event("fault", {"n": self.node, "v": v}, {"global_map": self._global_map()},
                        publish=True)

    def start_unmap(self, v: int) -> None:
        s = self.shared
        with s.lock:
            self._merge(s.clock)
            if s.global_map[v] == NONE or s.unmapping[v]:
                return
            others = [m for m in range(s.nodes) if m != self.node]
            skipped = 0
            if BUG_SKIP_NODE in self.bugs and others:
                others.pop()
                skipped = 1
            s.unmapping[v] = 1
            s.acks[v] = skipped
            self.pt.pop(v, None)
            self._event("start_unmap", {"n": self.node, "v": v}, publish=True)
            for m in others:  # under the lock: requests are queued in the tables' order
                s.requests[m].put((v, self.node, list(self.vc)))

    def recv_req(self) -> None:
        v, initiator, clock = self.shared.requests[self.node].get()
        self._merge(clock)
        self.pt.pop(v, None)
        self._event("recv_req", {"m": self.node})
        self.shared.acknowledgements[initiator].put((v, list(self.vc)))

    def recv_ack(self) -> None:
        s = self.shared
        with s.lock:
            self._merge(s.clock)
            v, clock = s.acknowledgements[self.node].get()
            self._merge(clock)
            frame = s.global_map[v]
            s.acks[v] += 1
            if BUG_EARLY_FREE in self.bugs:
                s.allocated[frame] = 0
            if s.acks[v] == s.nodes - 1:
                s.allocated[frame] = 0
                s.global_map[v] = NONE
                s.unmapping[v] = 0
            self._event("recv_ack", {"n": self.node}, publish=True)


def run_node(node: int, shared: Shared, bugs: frozenset[str], steps: int, seed: int,
             path: str, header: dict[str, Any]) -> None:
    """The process of one node: `steps` random steps, then serve messages until every node
    is done and no message is left."""
    rng = random.Random(seed * 1000 + node)
    with open(path, "w", encoding="utf-8") as log:
        log.write(json.dumps({"#meta": {**header, "node": node}}) + "\n")
        log.flush()
        pager = Pager(node, shared, bugs, log)
        for _ in range(steps):
            _step(pager, rng)
            if rng.random() < 0.3:
                time.sleep(rng.random() * 0.0005)  # let the others run: real interleavings
        with shared.finished.get_lock():
            shared.finished.value += 1
        _drain(pager, shared)


def _step(pager: Pager, rng: random.Random) -> None:
    s, n = pager.shared, pager.node
    if not s.requests[n].empty() and rng.random() < 0.5:
        pager.recv_req()
    elif not s.acknowledgements[n].empty() and rng.random() < 0.5:
        pager.recv_ack()
    elif rng.random() < 0.8:
        pager.fault(rng.randrange(s.pages))
    else:
        pager.start_unmap(rng.randrange(s.pages))


def _drain(pager: Pager, shared: Shared) -> None:
    quiet = 0
    deadline = time.monotonic() + 10.0  # a backstop: never wait for ever
    while quiet < 20 and time.monotonic() < deadline:
        n = pager.node
        if not shared.requests[n].empty():
            pager.recv_req()
            quiet = 0
        elif not shared.acknowledgements[n].empty():
            pager.recv_ack()
            quiet = 0
        else:
            quiet += shared.finished.value == shared.nodes
            time.sleep(0.002)
