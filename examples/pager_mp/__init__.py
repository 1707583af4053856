"""P1 as a distributed system: one OS process per node, real messages, real concurrency.

Each node's pager runs in a process of its own (`multiprocessing`); they share P1's node-0
tables through shared memory under a lock and exchange unmap requests and acknowledgements
through queues (pipes).  The operating system chooses the interleaving.  Every process
writes its own log, `node<N>.jsonl`, with a vector clock on each event: the logs
`numaspec trace SPEC DIR` checks under their causal order (docs/traces.md).

`run(folder, ...)` runs the system once and returns the logs; `bugs` switches on the seeded
bugs of examples/pager_impl (`fault_ignores_unmap`, `early_free`, `skip_node`).
Command line: `python -m examples.pager_mp DIR [--nodes N] [--steps K] [--seed S] [--bug B]`.
"""

from __future__ import annotations

from .node import BUG_EARLY_FREE, BUG_FAULT_IGNORES_UNMAP, BUG_SKIP_NODE, KNOWN_BUGS
from .system import run

__all__ = ["BUG_EARLY_FREE", "BUG_FAULT_IGNORES_UNMAP", "BUG_SKIP_NODE", "KNOWN_BUGS", "run"]
