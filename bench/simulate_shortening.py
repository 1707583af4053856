"""How much `simulate` shortens its counterexamples: the seeded bugs of P1.

    python bench/simulate_shortening.py [--seeds 5] [--steps 1000] [--defines NODES=3,PAGES=2]

For each seeded-bug spec of tests/corpus/specs/ and each seed, runs `simulate` once without
shortening (the walk's counterexample) and once with it (checker/shorten.py), and the
breadth-first search of `check` for the shortest counterexample; prints the three lengths and
the time the shortening took.  A shortened length equal to BFS's means the bounded
breadth-first pass of the shortening ended within its budget.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.spec.pipeline import compile_spec

ROOT = Path(__file__).resolve().parent.parent
BUGS = sorted((ROOT / "tests" / "corpus" / "specs").glob("pernode_bug*.numa"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--defines", default="", help="comma-separated NAME=VALUE")
    args = parser.parse_args()
    defines = [d for d in args.defines.split(",") if d]
    print(f"{'spec':<36} {'seed':>4} {'walk':>6} {'shortened':>9} {'BFS':>4} {'time':>7}")
    for path in BUGS:
        spec = compile_spec(str(path), defines).spec
        bfs = check(spec, CheckOptions(liveness=False)).finding
        shortest = len(bfs.trace.steps) if bfs else None
        for seed in range(args.seeds):
            options = SimulateOptions(steps=args.steps, runs=args.runs, seed=seed)
            walked = simulate(spec, dataclasses.replace(options, shorten=False))
            start = time.perf_counter()
            result = simulate(spec, options)
            seconds = time.perf_counter() - start - result.seconds
            if result.finding is None or walked.finding is None:
                print(f"{path.stem:<36} {seed:>4} {'-':>6} {'-':>9} {shortest!s:>4}")
                continue
            print(f"{path.stem:<36} {seed:>4} {len(walked.finding.trace.steps):>6} "
                  f"{len(result.finding.trace.steps):>9} {shortest!s:>4} {seconds:>6.2f}s")


if __name__ == "__main__":
    main()
