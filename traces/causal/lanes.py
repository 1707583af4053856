"""Per-node logs as lanes: the records of one node, in that node's order, read lazily.

A lane is fed either by a file of its own (one log per node) or by one merged stream whose
events say their `"node"` (standard input, `-`).  `Lane.peek()` reads only as far as it must:
one record of look-ahead per lane, so memory does not grow with the logs (a merged stream
buffers the records of the other nodes it had to read past).

Which node a file is: its `#meta` header's `"node"`, else the `"node"` of its first event.
A file that says neither, two files of one node, or an event of another node than its file's
is E524.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from numaspec.spec.diagnostics import SpecError, fail
from numaspec.traces.diagnose import column_of, trace_error
from numaspec.traces.records import Event, Meta, Observation

Item = Event | Observation


class Feeder:
    """Reads one stream of records and hands each to its lane."""

    def __init__(self, path: str, records: Iterator[Any], lanes: dict[int, Lane], nodes: int,
                 node: int | None):
        self.path, self.records, self.lanes, self.nodes = path, records, lanes, nodes
        self.node = node  # the node of a per-node file; None for a merged stream
        self.header: Meta | None = None
        self.ended = False

    def pull(self) -> bool:
        """Read one more record into its lane; False when the stream has ended."""
        if self.ended:
            return False
        record = next(self.records, None)
        if record is None:
            self.ended = True
            return False
        if isinstance(record, Meta):
            self.header = record
            return True
        self._lane(record).queue.append(record)
        return True

    def _lane(self, record: Item) -> Lane:
        node = record.node if isinstance(record, Event) else None
        if self.node is None:  # a merged stream: by the event's node
            if type(node) is not int or not 0 <= node < self.nodes:
                raise self._error(record, "an event of a merged stream must give its "
                                  f"\"node\" (0 .. {self.nodes - 1})")
            return self.lanes[node]
        if node is not None and node != self.node:
            raise self._error(record, f"an event of node {node!r} in the log of node "
                              f"{self.node}")
        return self.lanes[self.node]

    def _error(self, record: Item, message: str) -> SpecError:
        col, width = column_of(record.text, "node")
        return trace_error("E524", f"line {record.line}: {message}", self.path, record.line,
                           record.text, col, width)


class Lane:
    """The records of one node, in its order; `peek` is the next one not taken yet."""

    def __init__(self, node: int):
        self.node = node
        self.queue: deque[Item] = deque()
        self.feeder: Feeder | None = None
        self.path = f"<node {node}: no log>"

    def peek(self) -> Item | None:
        """The next record of this node, reading as far as needed; None at the end."""
        queue = self.queue
        while not queue:
            if self.feeder is None or not self.feeder.pull():
                return None
        return queue[0]

    def take(self) -> Item:
        return self.queue.popleft()


def file_node(path: str, first: Any, nodes: int) -> int:
    """The node a per-node log is: the header's "node", else its first event's."""
    if isinstance(first, Meta):
        node = first.data.get("node")
        if node is not None:
            if type(node) is not int or not 0 <= node < nodes:
                col, width = column_of(first.text, "node", node)
                raise trace_error("E524", f"line {first.line}: \"node\" must be a node "
                                  f"0 .. {nodes - 1}, not {node!r}", path, first.line,
                                  first.text, col, width)
            return node
    return -1


def assign(paths: list[str], nodes_of: list[int]) -> None:
    """Refuse two logs of one node (E524)."""
    seen: dict[int, str] = {}
    for path, node in zip(paths, nodes_of, strict=True):
        if node in seen:
            raise fail("E524", f"{path} and {seen[node]} are both the log of node {node}",
                       None)
        seen[node] = path
