"""The microkernel side: per-node address spaces and the physical frame allocator.

Frames carry global numbers ``0 .. nodes * frames_per_node - 1``; frame ``f`` lives on node
``f // frames_per_node``.
"""

from __future__ import annotations

import bisect

from .errors import InconsistentState


class AddressSpace:
    """One address space whose page table (page -> frame) lives on its home node."""

    def __init__(self, home: int, pages: int) -> None:
        self.home = home
        self.pages = pages
        self._table: dict[int, int] = {}

    def _check_page(self, page: int) -> None:
        if not 0 <= page < self.pages:
            raise InconsistentState(f"page {page} outside 0..{self.pages - 1}")

    def lookup(self, page: int) -> int | None:
        """The frame ``page`` maps to, or None when it is not mapped."""
        self._check_page(page)
        return self._table.get(page)

    def map(self, page: int, frame: int) -> None:
        """Map ``page`` to ``frame``; the page must not be mapped already."""
        self._check_page(page)
        if page in self._table:
            raise InconsistentState(f"page {page} already mapped in space of node {self.home}")
        self._table[page] = frame

    def unmap(self, page: int) -> None:
        """Remove the mapping of ``page`` if there is one (unmapping nothing is a no-op)."""
        self._check_page(page)
        self._table.pop(page, None)

    def mappings(self) -> dict[int, int]:
        """All mappings, page -> frame (a copy)."""
        return dict(self._table)


class FrameAllocator:
    """Physical frames with one sorted free list per node; allocation takes the lowest."""

    def __init__(self, nodes: int, frames_per_node: int) -> None:
        self.nodes = nodes
        self.frames_per_node = frames_per_node
        self._free: list[list[int]] = [
            list(range(n * frames_per_node, (n + 1) * frames_per_node)) for n in range(nodes)
        ]

    def node_of(self, frame: int) -> int:
        """The node that holds ``frame``."""
        if not 0 <= frame < self.nodes * self.frames_per_node:
            raise InconsistentState(f"no frame {frame}")
        return frame // self.frames_per_node

    def allocate(self, node: int) -> int | None:
        """Take the lowest-numbered free frame on ``node``; None when the node has none."""
        free = self._free[node]
        return free.pop(0) if free else None

    def free(self, frame: int) -> None:
        """Return ``frame`` to its node's free list.

        Freeing a frame that is already free leaves it free (the protocol's ``allocated[f] :=
        false`` is idempotent), so a double free cannot put a frame on the list twice.
        """
        free = self._free[self.node_of(frame)]
        index = bisect.bisect_left(free, frame)
        if index == len(free) or free[index] != frame:
            free.insert(index, frame)

    def is_allocated(self, frame: int) -> bool:
        """Whether ``frame`` is currently allocated."""
        return frame not in self._free[self.node_of(frame)]

    def allocated(self) -> set[int]:
        """The set of allocated frames."""
        total = self.nodes * self.frames_per_node
        return {f for f in range(total) if self.is_allocated(f)}
