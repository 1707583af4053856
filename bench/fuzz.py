"""Steps per second of `fuzz` (Hypothesis drives the spec) and of `simulate` on P1.

    python bench/fuzz.py [--examples 300] [--steps 30000]

A benchmark, not a test: it prints figures.  Fuzzing pays for Hypothesis's choice recording
and for checking the enabled instances of every action at every step; `simulate` walks
states it memoises.  Both check every invariant in every state.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from numaspec.checker.fuzz import FuzzOptions, fuzz
from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.spec.pipeline import compile_spec

P1 = str(Path(__file__).resolve().parent.parent / "spec" / "examples" / "pernode.numa")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--steps", type=int, default=30_000)
    args = parser.parse_args()
    spec = compile_spec(P1).spec
    print(f"{'engine':<34}{'steps':>10}{'seconds':>10}{'steps/s':>10}")
    rows = [("fuzz (spec alone)", None), ("fuzz (examples.pager_impl:correct)",
                                          "examples.pager_impl:correct")]
    sys.path.insert(0, str(Path(P1).parents[2]))
    for name, impl in rows:
        start = time.perf_counter()
        result = fuzz(spec, FuzzOptions(examples=args.examples, seed=0, impl=impl))
        seconds = time.perf_counter() - start
        print(f"{name:<34}{result.steps:>10,}{seconds:>10.2f}{result.steps / seconds:>10,.0f}")
    start = time.perf_counter()
    walk = simulate(spec, SimulateOptions(steps=args.steps, seed=0))
    seconds = time.perf_counter() - start
    print(f"{'simulate':<34}{walk.steps:>10,}{seconds:>10.2f}{walk.steps / seconds:>10,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
