"""Access streams: which node touches which page, and when a page is unmapped globally.

A spec's `workload` weighs the *enabled* action instances of a random walk; it cannot say that
a thread reads a page that is already mapped (no action is taken), and the fault counts per
access are exactly what the sharing experiment measures.  So the streams are generated here,
from a seed, and handed to every design unchanged: the designs are compared on the very same
accesses (common random numbers), and every cost of a fault or an unmap comes from the model.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    node: int
    page: int
    unmap: bool = False  # after the access, `node` unmaps `page` globally (the page is freed)
    write: bool = False  # a store (recorded traces); the designs map read-write on a fault


@dataclass(frozen=True)
class Layout:
    """Pages 0 .. nodes*private-1 are private, `private` per node (node n's are
    n*private .. n*private+private-1); the `shared` pages after them are used by every node."""

    nodes: int
    private: int = 2
    shared: int = 4

    @property
    def pages(self) -> int:
        return self.nodes * self.private + self.shared

    @property
    def frames_per_node(self) -> int:
        """Enough for a node to first-touch all its private pages and every shared page."""
        return self.private + self.shared

    def private_page(self, node: int, index: int) -> int:
        return node * self.private + index

    def shared_page(self, index: int) -> int:
        return self.nodes * self.private + index


def touch_in_turn(nodes: int, page: int = 0) -> list[Access]:
    """Nodes 0, 1, ..., nodes-1 read `page` once each (the lazy-synchronisation scenario)."""
    return [Access(node, page) for node in range(nodes)]


def sharing_stream(layout: Layout, shared_fraction: float, accesses: int,
                   unmap_probability: float, seed: int) -> list[Access]:
    """`accesses` reads by uniformly chosen nodes; each goes to a shared page with probability
    `shared_fraction`, otherwise to one of the node's private pages; after each, with
    probability `unmap_probability`, the reader unmaps the page globally (frees it, as a
    program does when its working set moves on).

    Four numbers are drawn per access whatever the fraction, so streams for different
    fractions with one seed differ only where the fraction makes them differ."""
    rng = random.Random(f"sharing/{seed}/{layout.nodes}")
    stream = []
    for _ in range(accesses):
        node = rng.randrange(layout.nodes)
        shared = rng.random() < shared_fraction
        pick = rng.random()
        unmap = rng.random() < unmap_probability
        if shared:
            page = layout.shared_page(int(pick * layout.shared))
        else:
            page = layout.private_page(node, int(pick * layout.private))
        stream.append(Access(node, page, unmap))
    return stream
