"""The causal order of per-node logs: each record placed, its metadata checked, and bound.

Contract: `Order(lanes, binders, ...)` reads the lanes lazily; `item(node, index)` is the
`Step` at that position of that node's log (None past its end), reading the other logs only
as far as the causal order requires.  Every step knows `need`: how many steps of each log
must come before it (`need[node]` is its own index), so a cut `c` (steps taken per log)
enables it exactly when `need <= c` componentwise.

The order comes from vector clocks (`"vc"`: the clock after the event, one counter per
node) or from message identities (`"sent"` / `"received"`, from which the clocks are
computed: Fidge/Mattern).  With clocks, a node may tick for events it does not log (hidden
actions): a step needs the steps of node k whose own counter is at most its `vc[k]`.

Self-contradictory metadata is malformed input (SpecError, exit 2) at the file and line:
a vector of the wrong length or a mixture of logs with and without clocks (E520), a clock
that goes backwards or does not advance (E521), a receive before its send, i.e. a cycle in
the causal order (E522), a message received that no log sends, sent or received twice, or a
clock naming events a log never has (E523).  Placing steps is greedy: a step is placed when
what it needs is placed, so reading is one pass and every placed step is checked once.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from numaspec.spec.diagnostics import SpecError
from numaspec.traces.bind import Binder, BoundEvent, BoundObservation
from numaspec.traces.causal.lanes import Item, Lane
from numaspec.traces.diagnose import column_of, trace_error
from numaspec.traces.records import Event

KEEP_BEHIND = 64  # steps kept before the oldest one still needed (for divergence reports)


@dataclass(slots=True)
class Step:
    node: int
    index: int  # position in its node's log, from 0
    bound: BoundEvent | BoundObservation
    vc: tuple[int, ...]
    need: tuple[int, ...]
    ts: float | None  # a numeric "ts", for --max-skew
    path: str

    @property
    def line(self) -> int:
        return self.bound.line

    @property
    def label(self) -> str:
        return self.bound.label if isinstance(self.bound, BoundEvent) else "state observation"


class _Log:
    """The placed steps of one node (a window: `base` steps before it were dropped)."""

    __slots__ = ("lane", "steps", "clocks", "base", "vc", "ended")

    def __init__(self, lane: Lane, nodes: int):
        self.lane = lane
        self.steps: list[Step] = []
        self.clocks: list[int] = []  # own counter of each step in `steps`
        self.base = 0
        self.vc: tuple[int, ...] = (0,) * nodes  # after the last placed step
        self.ended = False

    @property
    def placed(self) -> int:
        return self.base + len(self.steps)


class Order:
    def __init__(self, lanes: list[Lane], binders: list[Binder], lenient: bool):
        self.nodes = len(lanes)
        self.logs = [_Log(lane, self.nodes) for lane in lanes]
        self.binders = binders
        self.lenient = lenient  # hidden actions: a clock may name events a log does not have
        self.mode: str | None = None  # "vc" or "ids", from the first event placed
        self.sent: dict[str, tuple[tuple[int, ...], str, int]] = {}  # id -> (vc, path, line)
        self.received: set[str] = set()
        self.skew = False  # read "ts" as a number (--max-skew)
        self.total = 0  # steps placed

    # -------------------------------------------------------------- access
    def item(self, node: int, index: int) -> Step | None:
        log = self.logs[node]
        while log.placed <= index:
            if not self._place(node, ()):
                return None
        return log.steps[index - log.base]

    def heads(self, cut: tuple[int, ...]) -> list[Step | None]:
        """`item(k, cut[k])` for every log k (the hot path: placed steps are read directly)."""
        found: list[Step | None] = []
        for node, (log, at) in enumerate(zip(self.logs, cut, strict=True)):
            index = at - log.base
            found.append(log.steps[index] if index < len(log.steps) else self.item(node, at))
        return found

    def ended(self, node: int) -> int | None:
        """The length of a log known to have ended, else None."""
        log = self.logs[node]
        return log.placed if log.ended else None

    def recent(self, node: int, index: int) -> Step | None:
        """A step still in the window (for reports), else None."""
        log = self.logs[node]
        at = index - log.base
        return log.steps[at] if 0 <= at < len(log.steps) else None

    def drop(self, cut: tuple[int, ...]) -> None:
        """Forget the steps every candidate is past (keeping KEEP_BEHIND for reports)."""
        for log, upto in zip(self.logs, cut, strict=True):
            extra = upto - KEEP_BEHIND - log.base
            if extra > 1024:
                del log.steps[:extra]
                del log.clocks[:extra]
                log.base += extra

    def drain(self) -> None:
        """Place every remaining step (checks the rest of the logs)."""
        for node in range(self.nodes):
            while self._place(node, ()):
                self.drop(tuple(log.placed for log in self.logs))

    # ------------------------------------------------------------- placing
    def _place(self, node: int, waiting: tuple[int, ...]) -> bool:
        """Place the next step of `node`, first what it needs; False at the log's end.
        Raises E522/E523 when what it needs can never be placed."""
        if not self._try(node, waiting):
            return False
        return True

    def _try(self, node: int, waiting: tuple[int, ...]) -> bool | None:
        """Place the next step of `node`: True; False at the log's end; None (only when
        `waiting`, the logs up the chain of needs) if it needs one of those."""
        log = self.logs[node]
        while True:
            record = log.lane.peek()
            if record is None:
                log.ended = True
                return False
            blockers = self._blockers(node, record)
            if not blockers:
                self._commit(node, log.lane.take())
                return True
            chain = (*waiting, node)
            stuck = False
            before = self.total
            for other in blockers:
                done = None if other in chain else self._try(other, chain)
                if done or self.total != before:  # something was placed: look again
                    break
                stuck = stuck or done is None
            else:
                if waiting and stuck:
                    return None
                if stuck and (self.mode != "ids" or self._sent_later(record)):
                    raise self._cycle(node, record, [b for b in blockers
                                                     if not self.logs[b].ended])
                raise self._missing(node, record)

    def _blockers(self, node: int, record: Item) -> list[int]:
        """The logs whose next steps `record` waits for (empty: it can be placed)."""
        mode = self._mode(node, record)
        if mode == "ids":
            received = record.received if isinstance(record, Event) else None
            if received is None or received in self.sent:
                return []
            return [k for k in range(self.nodes) if k != node and not self.logs[k].ended]
        vc = record.vc
        if vc is None:  # an observation without a clock: after the step before it
            return []
        self._check_length(node, record, vc)
        found = []
        for k, log in enumerate(self.logs):
            if k == node or vc[k] <= log.vc[k]:
                continue
            head = log.lane.peek()
            if head is None:
                log.ended = True
                if not self.lenient:
                    found.append(k)  # reported as missing by _unblock
                continue
            if head.vc is None or head.vc[k] <= vc[k]:
                found.append(k)
        return found

    def _mode(self, node: int, record: Item) -> str:
        if not isinstance(record, Event):
            return self.mode or "ids"
        has = "vc" if record.vc is not None else "ids"
        if self.mode is None:
            self.mode = has
        elif has != self.mode:
            raise self._error("E520", node, record, "vc", "this event has no vector clock, "
                              "but the logs have them (give \"vc\" on every event)"
                              if self.mode == "vc" else "this event has a vector clock, but "
                              "the first event of the logs has none (give it everywhere)")
        return self.mode

    # ---------------------------------------------------------- committing
    def _commit(self, node: int, record: Item) -> None:
        log = self.logs[node]
        vc = self._clock(node, record, log.vc)
        need = tuple([log.placed if other is log else
                      other.base + bisect_right(other.clocks, vc[k])
                      for k, other in enumerate(self.logs)])
        binder = self.binders[node]
        bound = binder.event(record) if isinstance(record, Event) else \
            binder.observation(record)
        step = Step(node, log.placed, bound, vc, need, self._ts(node, record), log.lane.path)
        log.steps.append(step)
        log.clocks.append(vc[node])
        self.total += 1
        log.vc = vc

    def _clock(self, node: int, record: Item, previous: tuple[int, ...]) -> tuple[int, ...]:
        event = isinstance(record, Event)
        if self.mode == "vc" and record.vc is not None:
            vc = tuple(record.vc)
            if event and vc[node] <= previous[node]:
                raise self._error("E521", node, record, "vc", f"the clock of node {node} does "
                                  f"not advance: {vc[node]} after {previous[node]}")
            for k in range(self.nodes):
                if vc[k] < previous[k]:
                    raise self._error("E521", node, record, "vc", f"the clock goes backwards "
                                      f"at node {k}: {vc[k]} after {previous[k]}")
        else:
            vc = previous
            if event and record.received is not None:  # type: ignore[union-attr]
                vc = self._receive(node, record, vc)  # type: ignore[arg-type]
            if event:
                vc = (*vc[:node], vc[node] + 1, *vc[node + 1:])
        if event:
            for ident in record.sent:  # type: ignore[union-attr]
                if ident in self.sent:
                    raise self._error("E523", node, record, "sent", f"message {ident!r} is "
                                      f"sent twice (also at {self._where(ident)})")
                self.sent[ident] = (vc, self.logs[node].lane.path, record.line)
        return vc

    def _receive(self, node: int, record: Event, vc: tuple[int, ...]) -> tuple[int, ...]:
        ident = record.received
        assert ident is not None
        if ident in self.received:
            raise self._error("E523", node, record, "received", f"message {ident!r} is "
                              "received twice")
        self.received.add(ident)
        sent = self.sent[ident][0]
        return tuple(max(a, b) for a, b in zip(vc, sent, strict=True))

    def _ts(self, node: int, record: Item) -> float | None:
        ts = record.ts
        if not self.skew or ts is None:
            return None
        if isinstance(ts, bool) or not isinstance(ts, (int, float)):
            raise self._error("E525", node, record, "ts", f"\"ts\" must be a number with "
                              f"--max-skew, not {ts!r}")
        return float(ts)

    # -------------------------------------------------------------- errors
    def _check_length(self, node: int, record: Item, vc: list[int]) -> None:
        if len(vc) != self.nodes:
            raise self._error("E520", node, record, "vc", f"the vector clock has {len(vc)} "
                              f"counter(s); the spec has {self.nodes} nodes")

    def _cycle(self, node: int, record: Item, others: list[int]) -> SpecError:
        other = self.logs[others[0]]
        head = other.lane.peek()
        where = f"{other.lane.path}:{head.line}" if head is not None else other.lane.path
        what = f"receives message {record.received!r}, which is sent only after it" \
            if isinstance(record, Event) and record.received is not None and \
            self.mode == "ids" else f"its clock {list(record.vc or [])} needs events of " \
            f"node {others[0]} that come after it ({where} needs this one)"
        return self._error("E522", node, record, "received" if self.mode == "ids" else "vc",
                           f"a receive before its send: the event {what}")

    def _sent_later(self, record: Item) -> bool:
        """Whether a record not placed yet sends what `record` receives (on the way to an
        error only: reads every log to its end)."""
        ident = record.received if isinstance(record, Event) else None
        for log in self.logs:
            lane = log.lane
            while lane.feeder is not None and lane.feeder.pull():
                pass
        return any(isinstance(r, Event) and ident in r.sent
                   for log in self.logs for r in log.lane.queue)

    def _missing(self, node: int, record: Item) -> SpecError:
        if self.mode == "ids":
            return self._error("E523", node, record, "received", "a missing send: no log "
                               f"sends message {record.received!r}")  # type: ignore[union-attr]
        vc = record.vc or []
        short = [k for k, log in enumerate(self.logs) if k != node and vc[k] > log.vc[k]]
        k = short[0]
        return self._error("E523", node, record, "vc", f"a missing send: the clock says node "
                           f"{k} had {vc[k]} event(s) before this one, but its log "
                           f"({self.logs[k].lane.path}) ends at {self.logs[k].vc[k]}")

    def _where(self, ident: str) -> str:
        _, path, line = self.sent[ident]
        return f"{path}:{line}"

    def _error(self, code: str, node: int, record: Item, key: str, message: str,
               value: Any = None) -> SpecError:
        col, width = column_of(record.text, key, value)
        return trace_error(code, f"line {record.line}: {message}", self.logs[node].lane.path,
                           record.line, record.text, col, width)
