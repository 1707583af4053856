"""Opening per-node logs: the files (or a directory of `*.jsonl`), their headers, their nodes.

`open_logs(paths)` opens each log once and reads up to its first event (for its node);
`order_for(model, logs, lenient)` makes the lanes and the causal `Order` once the spec is
compiled (the number of nodes comes from its topology).  One path that is `-` or a single
file is a merged stream: its events say their `"node"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from numaspec.model.machine import Model
from numaspec.spec.diagnostics import fail
from numaspec.traces.bind import Binder
from numaspec.traces.causal.follow import Activity, follow_source
from numaspec.traces.causal.lanes import Feeder, Lane, assign, file_node
from numaspec.traces.causal.order import Order
from numaspec.traces.diagnose import trace_error
from numaspec.traces.formats.source import open_source
from numaspec.traces.records import Event, Meta, Record, read_jsonl


@dataclass
class OpenLog:
    path: str  # as diagnostics name it
    header: Meta | None
    records: Iterator[Record]
    first: list[Record] = field(default_factory=list)  # read ahead, before `records`


def expand(paths: list[str]) -> list[str]:
    """Directories replaced by their `*.jsonl` files, sorted (E001 for an empty one)."""
    found: list[str] = []
    for path in paths:
        if path != "-" and Path(path).is_dir():
            files = sorted(str(p) for p in Path(path).glob("*.jsonl"))
            if not files:
                raise fail("E001", f"cannot read {path}: the directory has no *.jsonl log",
                           None)
            found += files
        else:
            found.append(path)
    return found


def open_logs(paths: list[str], activity: Activity | None) -> list[OpenLog]:
    """Each log opened once (followed when `activity` is given), read to its first event."""
    logs = []
    for path in paths:
        source = follow_source(path, activity) if activity is not None else open_source(path)
        records = read_jsonl(source)
        log = OpenLog(source.name, None, records)
        for record in records:
            if isinstance(record, Meta):
                log.header = record
                continue
            log.first.append(record)
            if isinstance(record, Event):
                break
        logs.append(log)
    return logs


def header_of(logs: list[OpenLog]) -> Meta | None:
    """The header the spec is compiled with: the first log's that has one."""
    return next((log.header for log in logs if log.header is not None), None)


def order_for(model: Model, logs: list[OpenLog], merged: bool, lenient: bool) -> Order:
    nodes = model.spec.topology.nodes
    lanes = [Lane(node) for node in range(nodes)]
    if merged:
        log = logs[0]
        feeder = Feeder(log.path, _chain(log), {lane.node: lane for lane in lanes}, nodes, None)
        for lane in lanes:
            lane.feeder, lane.path = feeder, log.path
        return Order(lanes, [Binder(model, log.path)] * nodes, lenient)
    owners = [_node_of(log, nodes) for log in logs]
    assign([log.path for log in logs], owners)
    binders = [Binder(model, f"<node {node}: no log>") for node in range(nodes)]
    for log, node in zip(logs, owners, strict=True):
        lane = lanes[node]
        lane.path = log.path
        lane.feeder = Feeder(log.path, _chain(log), {node: lane}, nodes, node)
        binders[node] = Binder(model, log.path)
    return Order(lanes, binders, lenient)


def _node_of(log: OpenLog, nodes: int) -> int:
    node = file_node(log.path, log.header, nodes)
    if node >= 0:
        return node
    event = next((r for r in log.first if isinstance(r, Event)), None)
    if event is not None and type(event.node) is int and 0 <= event.node < nodes:
        return event.node
    line = event.line if event is not None else 1
    raise trace_error("E524", f"line {line}: cannot tell which node this log is: give "
                      "\"node\" in its #meta header or on its events", log.path, line,
                      event.text if event is not None else None)


def _chain(log: OpenLog) -> Iterator[Record]:
    yield from log.first
    yield from log.records
