"""P1, the reference pager protocol, written the way an OS developer would write it.

Independent of numaspec: per-node address spaces and a frame allocator (:mod:`.kernel`), the
pagers' shared directory (:mod:`.directory`), FIFO queues between pagers (:mod:`.messages`),
one :class:`~.pager.Pager` per node, and a :class:`~.system.System` that wires them together.
The factories build a correct system or one with a single seeded bug.
"""

from __future__ import annotations

from .errors import EmptyQueue, InconsistentState, OutOfFrames, PagerError, WouldBlock
from .pager import BUG_EARLY_FREE, BUG_FAULT_IGNORES_UNMAP, BUG_SKIP_NODE, KNOWN_BUGS
from .system import System

__all__ = [
    "BUG_EARLY_FREE",
    "BUG_FAULT_IGNORES_UNMAP",
    "BUG_SKIP_NODE",
    "EmptyQueue",
    "FACTORIES",
    "InconsistentState",
    "KNOWN_BUGS",
    "OutOfFrames",
    "PagerError",
    "System",
    "WouldBlock",
    "buggy_early_free",
    "buggy_fault_ignores_unmap",
    "buggy_skip_node",
    "correct",
]


def correct(*, nodes: int = 3, pages: int = 2, frames_per_node: int = 1) -> System:
    """P1 as specified."""
    return System(nodes, pages, frames_per_node)


def buggy_fault_ignores_unmap(
    *, nodes: int = 3, pages: int = 2, frames_per_node: int = 1
) -> System:
    """Bug 1: a fault maps the global frame even while that page is being unmapped."""
    return System(nodes, pages, frames_per_node, bugs={BUG_FAULT_IGNORES_UNMAP})


def buggy_early_free(*, nodes: int = 3, pages: int = 2, frames_per_node: int = 1) -> System:
    """Bug 2: every acknowledgement, the first included, frees the page's frame."""
    return System(nodes, pages, frames_per_node, bugs={BUG_EARLY_FREE})


def buggy_skip_node(*, nodes: int = 3, pages: int = 2, frames_per_node: int = 1) -> System:
    """Bug 3: start_unmap skips the highest other node but counts it as acknowledged."""
    return System(nodes, pages, frames_per_node, bugs={BUG_SKIP_NODE})


FACTORIES = {
    "correct": correct,
    "buggy_fault_ignores_unmap": buggy_fault_ignores_unmap,
    "buggy_early_free": buggy_early_free,
    "buggy_skip_node": buggy_skip_node,
}
"""Factory name -> factory."""
