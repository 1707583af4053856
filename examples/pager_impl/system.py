"""A whole application: one address space and one pager per node, wired together.

:class:`System` offers one method per protocol step, named like the spec's actions, and
:meth:`System.observe` reports the state under the spec's variable names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .directory import GlobalDirectory
from .kernel import AddressSpace, FrameAllocator
from .messages import MessageBus
from .pager import KNOWN_BUGS, Pager


class System:
    """``nodes`` nodes, ``pages`` virtual pages, ``frames_per_node`` frames on each node.

    ``bugs`` switches on seeded bugs by name: ``fault_ignores_unmap``, ``early_free``,
    ``skip_node``.
    """

    def __init__(
        self,
        nodes: int = 3,
        pages: int = 2,
        frames_per_node: int = 1,
        bugs: Iterable[str] = (),
    ) -> None:
        self.bugs = frozenset(bugs)
        unknown = self.bugs - KNOWN_BUGS
        if unknown:
            raise ValueError(f"unknown bugs {sorted(unknown)}; known: {sorted(KNOWN_BUGS)}")
        if nodes < 1 or pages < 0 or frames_per_node < 0:
            raise ValueError("need nodes >= 1, pages >= 0, frames_per_node >= 0")
        self.nodes = nodes
        self.pages = pages
        self.frames_per_node = frames_per_node
        self.allocator = FrameAllocator(nodes, frames_per_node)
        self.directory = GlobalDirectory()
        self.bus = MessageBus(nodes)
        self.spaces = [AddressSpace(n, pages) for n in range(nodes)]
        self.pagers = [
            Pager(n, nodes, self.spaces[n], self.allocator, self.directory, self.bus, self.bugs)
            for n in range(nodes)
        ]

    def fault(self, n: int, v: int) -> None:
        """A thread on node ``n`` faults on page ``v``; node ``n``'s pager resolves it."""
        self.pagers[n].handle_fault(v)

    def start_unmap(self, n: int, v: int) -> None:
        """Node ``n``'s pager starts the global unmap of page ``v``."""
        self.pagers[n].start_unmap(v)

    def recv_req(self, m: int) -> None:
        """Node ``m``'s pager serves the oldest unmap request in ``req[m]``."""
        self.pagers[m].handle_request()

    def recv_ack(self, n: int) -> None:
        """Node ``n``'s pager consumes the oldest acknowledgement in ``ack[n]``."""
        self.pagers[n].handle_ack()

    def allocated(self) -> set[int]:
        """The frames currently allocated (also in :meth:`observe`, as ``l4.allocated``)."""
        return self.allocator.allocated()

    def observe(self) -> dict[str, Any]:
        """The state under the spec's variable names, as plain Python values (fresh copies).

        ``global_map``: page -> frame for globally mapped pages; ``unmapping``: set of pages;
        ``acks``: page -> count for every page that ever had an unmap started; ``req``: node ->
        list of (page, initiator), head first; ``ack``: node -> list of pages, head first;
        ``pt``: (node, page) -> frame for every mapping in every node's space;
        ``l4.allocated``: the frames the allocator has handed out (the spec's sigma0 table).
        """
        return {
            "global_map": dict(self.directory.frames),
            "unmapping": set(self.directory.unmapping),
            "acks": dict(self.directory.acks),
            "req": {n: self.bus.req[n].contents() for n in range(self.nodes)},
            "ack": {n: self.bus.ack[n].contents() for n in range(self.nodes)},
            "pt": {
                (n, v): f
                for n, space in enumerate(self.spaces)
                for v, f in space.mappings().items()
            },
            "l4.allocated": self.allocated(),
        }
