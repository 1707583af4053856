"""How verifying P1 scales with the number of NUMA nodes: k-induction vs explicit search.

For NODES = 2..8 (PAGES = 2, one frame per node) prints the time `numaspec prove` needs to
prove every invariant of spec/examples/pernode.numa (P1's three and the lemmas) by
1-induction, next to the explicit checker's safety search (with symmetry) for the sizes it
finishes within --explicit-limit seconds (0: the proofs alone).  A benchmark, not a test: run it
on a quiet machine; each line says the load average before and after its runs.

    python bench/prove_scaling.py [--min-nodes 2] [--max-nodes 8] [--explicit-limit 120]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.spec.pipeline import compile_spec

P1 = Path(__file__).resolve().parent.parent / "spec" / "examples" / "pernode.numa"


def prove_seconds(nodes: int) -> tuple[str, float]:
    spec = compile_spec(str(P1), [f"NODES={nodes}", "PAGES=2", "FRAMES_PER_NODE=1"]).spec
    start = time.perf_counter()
    result = prove(spec, ProveOptions())
    return result.verdict, time.perf_counter() - start


def explicit_seconds(nodes: int, limit: float) -> tuple[str, int, float]:
    spec = compile_spec(str(P1), [f"NODES={nodes}", "PAGES=2", "FRAMES_PER_NODE=1"]).spec
    start = time.perf_counter()
    result = check(spec, CheckOptions(liveness=False, timeout=limit))
    return result.verdict, result.stats.distinct_states, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-nodes", type=int, default=2)
    parser.add_argument("--max-nodes", type=int, default=8)
    parser.add_argument("--explicit-limit", type=float, default=120.0)
    args = parser.parse_args()
    print("| NODES | prove (1-induction) | explicit safety (symmetry) | load |")
    print("|---|---|---|---|")
    explicit_gave_up = False
    for nodes in range(args.min_nodes, args.max_nodes + 1):
        load = os.getloadavg()[0]
        outcome, seconds = prove_seconds(nodes)
        if args.explicit_limit <= 0:
            explicit = "not run"
        elif explicit_gave_up:
            explicit = "not run (smaller size hit the limit)"
        else:
            verdict, states, spent = explicit_seconds(nodes, args.explicit_limit)
            explicit = f"{states:,} states, {spent:.1f} s" if verdict == "holds" else \
                f"stopped at {args.explicit_limit:.0f} s ({states:,} states)"
            explicit_gave_up = verdict != "holds"
        print(f"| {nodes} | {outcome}, {seconds:.1f} s | {explicit} | "
              f"{load:.1f} to {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
