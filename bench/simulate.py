"""Simulation throughput: steps per second of `numaspec simulate` on P1.

    python bench/simulate.py [--steps 100000] [--seed 1]

Prints figures for P1 at 3 nodes / 2 pages (the default configuration) and at 6 nodes.
A benchmark, not a test.  Aim: 50,000 steps/s or more on one core for P1.
Every step checks every invariant (P1's three and l4.numa's five) and accounts costs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.spec.pipeline import compile_spec

ROOT = Path(__file__).resolve().parent.parent
P1 = str(ROOT / "spec" / "examples" / "pernode.numa")
CONFIGS = [("P1, 3 nodes, 2 pages", []), ("P1, 6 nodes, 2 pages", ["NODES=6"])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{'configuration':<24}{'steps':>10}{'seconds':>10}{'steps/s':>12}{'states':>10}")
    for name, defines in CONFIGS:
        spec = compile_spec(P1, defines).spec
        start = time.perf_counter()
        result = simulate(spec, SimulateOptions(steps=args.steps, seed=args.seed))
        seconds = time.perf_counter() - start
        assert result.finding is None, result.finding.message
        distinct = len({s.state for s in result.last_trace.steps}) if result.last_trace else 0
        print(f"{name:<24}{result.steps:>10,}{seconds:>10.2f}{result.steps / seconds:>12,.0f}"
              f"{distinct:>10,}")
    print("aim: 50,000 steps/s for P1 (states: distinct states the walk visited)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
