"""The per-node pager: page faults, global unmaps, unmap requests and acknowledgements.

Each node runs one pager that owns the node's address space. Global mappings reach a node
lazily, when a thread on it faults; a global unmap is an IPC protocol in which the initiator
unmaps locally, asks every other pager to unmap, and frees the frame after all of them acked.
"""

from __future__ import annotations

from .directory import GlobalDirectory
from .errors import InconsistentState, OutOfFrames, WouldBlock
from .kernel import AddressSpace, FrameAllocator
from .messages import MessageBus

BUG_FAULT_IGNORES_UNMAP = "fault_ignores_unmap"
BUG_EARLY_FREE = "early_free"
BUG_SKIP_NODE = "skip_node"
KNOWN_BUGS = frozenset({BUG_FAULT_IGNORES_UNMAP, BUG_EARLY_FREE, BUG_SKIP_NODE})


class Pager:
    """The pager of one node; all pagers share the allocator, directory and message bus."""

    def __init__(
        self,
        node: int,
        nodes: int,
        space: AddressSpace,
        allocator: FrameAllocator,
        directory: GlobalDirectory,
        bus: MessageBus,
        bugs: frozenset[str] = frozenset(),
    ) -> None:
        self.node = node
        self.nodes = nodes
        self.space = space
        self.allocator = allocator
        self.directory = directory
        self.bus = bus
        self.bugs = bugs

    def handle_fault(self, page: int) -> int:
        """Resolve a fault on ``page`` in this node's space; returns the frame mapped.

        Raises WouldBlock while the page is being unmapped (unless the fault_ignores_unmap bug
        is on) and OutOfFrames on a first touch when this node has no free frame.
        """
        if self.space.lookup(page) is not None:
            raise InconsistentState(f"fault on mapped page {page} on node {self.node}")
        if page in self.directory.unmapping and BUG_FAULT_IGNORES_UNMAP not in self.bugs:
            raise WouldBlock(f"page {page} is being unmapped")
        frame = self.directory.frame_of(page)
        if frame is None:
            frame = self.allocator.allocate(self.node)
            if frame is None:
                raise OutOfFrames(f"no free frame on node {self.node}")
            self.directory.publish(page, frame)
        self.space.map(page, frame)
        return frame

    def start_unmap(self, page: int) -> list[int]:
        """Begin the global unmap of ``page``; returns the nodes sent a request."""
        others = [m for m in range(self.nodes) if m != self.node]
        skipped = 0
        if BUG_SKIP_NODE in self.bugs and others:
            others.pop()
            skipped = 1
        self.directory.begin_unmap(page, acks=skipped)
        self.space.unmap(page)
        for m in others:
            self.bus.send_request(m, page, self.node)
        return others

    def handle_request(self) -> tuple[int, int]:
        """Serve the oldest unmap request: unmap locally and ack; returns (page, initiator)."""
        page, initiator = self.bus.req[self.node].receive()
        self.space.unmap(page)
        self.bus.send_ack(initiator, page)
        return page, initiator

    def handle_ack(self) -> int:
        """Count the oldest acknowledgement; free the frame when all arrived. Returns the page."""
        page = self.bus.ack[self.node].receive()
        frame = self.directory.frame_of(page)
        if frame is None:
            raise InconsistentState(f"ack for page {page}, which has no global mapping")
        count = self.directory.count_ack(page)
        if BUG_EARLY_FREE in self.bugs:
            self.allocator.free(frame)
        if count == self.nodes - 1:
            self.allocator.free(frame)
            self.directory.finish_unmap(page)
        return page
