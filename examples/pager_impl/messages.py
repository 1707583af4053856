"""FIFO message queues between the per-node pagers.

Every node ``n`` has two inbound queues: ``req[n]`` carries unmap requests ``(page, initiator)``
and ``ack[n]`` carries acknowledgements ``page`` for unmaps that node ``n`` started.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

from .errors import EmptyQueue

T = TypeVar("T")

UnmapRequest = tuple[int, int]
"""An unmap request: ``(page, initiator node)``."""


class Queue(Generic[T]):
    """A FIFO queue of messages; :meth:`receive` on an empty queue raises :class:`EmptyQueue`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: deque[T] = deque()

    def send(self, message: T) -> None:
        """Append ``message`` at the tail."""
        self._items.append(message)

    def receive(self) -> T:
        """Remove and return the message at the head."""
        if not self._items:
            raise EmptyQueue(f"receive on empty queue {self.name}")
        return self._items.popleft()

    def contents(self) -> list[T]:
        """The queued messages, head first (a copy)."""
        return list(self._items)

    def __len__(self) -> int:
        return len(self._items)


class MessageBus:
    """The request and acknowledgement queues of all ``nodes`` pagers."""

    def __init__(self, nodes: int) -> None:
        self.req: list[Queue[UnmapRequest]] = [Queue(f"req[{n}]") for n in range(nodes)]
        self.ack: list[Queue[int]] = [Queue(f"ack[{n}]") for n in range(nodes)]

    def send_request(self, to: int, page: int, initiator: int) -> None:
        """Ask node ``to`` to unmap ``page`` on behalf of ``initiator``."""
        self.req[to].send((page, initiator))

    def send_ack(self, to: int, page: int) -> None:
        """Tell node ``to`` (the initiator) that one node has unmapped ``page``."""
        self.ack[to].send(page)
