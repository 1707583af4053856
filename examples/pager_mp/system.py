"""Starting the node processes of one run and waiting for them (examples/pager_mp)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from pathlib import Path

from .node import KNOWN_BUGS, NONE, Shared, run_node

JOIN_SECONDS = 60.0  # a backstop: a run never hangs a test


def run(folder: str | Path, *, nodes: int = 3, pages: int = 2, frames_per_node: int = 1,
        steps: int = 200, seed: int = 0, bugs: Iterable[str] = ()) -> list[Path]:
    """Run the system once, each node for `steps` random steps (then serving the messages
    left); return the logs, one per node, in `folder`."""
    chosen = frozenset(bugs)
    if chosen - KNOWN_BUGS:
        raise ValueError(f"unknown bugs {sorted(chosen - KNOWN_BUGS)}; known: "
                         f"{sorted(KNOWN_BUGS)}")
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    frames = nodes * frames_per_node
    shared = Shared(nodes, pages, frames_per_node, ctx.Lock(), ctx.Array("q", nodes),
                    ctx.Array("q", [NONE] * pages), ctx.Array("q", pages),
                    ctx.Array("q", pages), ctx.Array("q", frames),
                    [ctx.SimpleQueue() for _ in range(nodes)],
                    [ctx.SimpleQueue() for _ in range(nodes)], ctx.Value("q", 0))
    header = {"format": "numaspec-trace/1", "spec": "pernode", "constants": {"PAGES": pages},
              "topology": {"nodes": nodes, "frames_per_node": frames_per_node}}
    folder = Path(folder)
    paths = [folder / f"node{n}.jsonl" for n in range(nodes)]
    processes = [ctx.Process(target=run_node, args=(n, shared, chosen, steps, seed,
                                                    str(paths[n]), header))
                 for n in range(nodes)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(JOIN_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join()
    return paths
