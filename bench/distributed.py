"""One process against a 2-worker Dask LocalCluster: check, prove, simulate, fuzz on P1.

    python bench/distributed.py [--workers 2] [--only check,prove,simulate,fuzz] [--quick]

Each figure is measured twice back to back in this run, first in one process, then on the
cluster (started once, before the first measurement, and not counted), and the speed-up is
printed with the load average (one minute) when it was taken.  A benchmark, not a test.
The figures are noisy on a shared machine: they are worth what the load of the machine
allowed when they were taken.

- check: P1 (NODES=5, PAGES=2, FRAMES_PER_NODE=1) without symmetry (9,477,404 states) and
  with it: the same distinct states in both runs, and the per-level figures of the
  distributed run (states, bytes sent between workers, seconds) for docs/distributed.md;
- prove: P1 with 8 nodes;
- simulate and fuzz: steps per second of a swarm against one process.
`--quick` uses P1 with 4 nodes and 6 nodes for prove, for a try-out.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# This file is named like Dask's package: run as a script, its folder must not shadow it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from numaspec.checker.distributed.check import check_distributed  # noqa: E402
from numaspec.checker.distributed.cluster import Session, open_session  # noqa: E402
from numaspec.checker.distributed.prove import prove_distributed  # noqa: E402
from numaspec.checker.distributed.search import DistributedSearch  # noqa: E402
from numaspec.checker.distributed.swarm import fuzz_swarm, simulate_swarm  # noqa: E402
from numaspec.checker.explicit import check  # noqa: E402
from numaspec.checker.fuzz import FuzzOptions, fuzz  # noqa: E402
from numaspec.checker.results import CheckOptions  # noqa: E402
from numaspec.checker.simulate import SimulateOptions, simulate  # noqa: E402
from numaspec.checker.smt.induction import ProveOptions, prove  # noqa: E402
from numaspec.spec.pipeline import compile_spec  # noqa: E402

P1 = str(Path(__file__).resolve().parent.parent / "spec" / "examples" / "pernode.numa")


def line(name: str, one: float, many: float, note: str = "", rate: bool = False) -> None:
    """Seconds (or, with `rate`, steps per second) alone and on the cluster."""
    speed_up = many / one if rate else one / many
    load = os.getloadavg()[0]
    print(f"{name:<40}{one:>10.1f}{many:>10.1f}{speed_up:>9.2f}x  load {load:4.1f}  {note}",
          flush=True)


def bench_check(session: Session, nodes: int) -> None:
    spec = compile_spec(P1, [f"NODES={nodes}", "PAGES=2", "FRAMES_PER_NODE=1"]).spec
    for symmetry in (False, True):
        options = CheckOptions(symmetry=symmetry, liveness=False)
        start = time.perf_counter()
        alone = check(spec, options)
        one = time.perf_counter() - start
        out: list[DistributedSearch] = []
        start = time.perf_counter()
        spread = check_distributed(spec, options, session, None, out)
        many = time.perf_counter() - start
        same = (alone.verdict, alone.stats.distinct_states) == \
            (spread.verdict, spread.stats.distinct_states)
        line(f"check P1 ({nodes},2,1) symmetry={'on' if symmetry else 'off'}", one, many,
             f"{spread.stats.distinct_states:,} states, same as one process: {same}")
        if not symmetry:
            levels(out[0])


def levels(search: DistributedSearch) -> None:
    print("  level figures (distributed, no symmetry): depth, expanded, new, MB sent, "
          "bytes sent per new state, level s, slowest worker's compute s", flush=True)
    for level in search.levels:
        sent = level.sent_bytes / max(level.new, 1)
        print(f"  {level.depth:>3} {level.expanded:>9,} {level.new:>9,} "
              f"{level.sent_bytes / 1e6:>8.1f} {sent:>6.0f} {level.seconds:>7.2f} "
              f"{level.compute_seconds:>7.2f}")


def bench_prove(session: Session, nodes: int) -> None:
    spec = compile_spec(P1, [f"NODES={nodes}", "PAGES=2", "FRAMES_PER_NODE=1"]).spec
    start = time.perf_counter()
    alone = prove(spec, ProveOptions())
    one = time.perf_counter() - start
    start = time.perf_counter()
    spread = prove_distributed(spec, ProveOptions(), session)
    many = time.perf_counter() - start
    line(f"prove P1 {nodes} nodes", one, many, f"{alone.verdict} / {spread.verdict}")


def bench_swarms(session: Session) -> None:
    spec = compile_spec(P1).spec
    options = SimulateOptions(steps=20_000, runs=2 * session.size, seed=1)
    start = time.perf_counter()
    alone = simulate(spec, options)
    one = alone.steps / (time.perf_counter() - start)
    swarm = simulate_swarm(spec, options, session)
    line("simulate P1 steps/s (one, swarm)", one, swarm.steps_per_second,
         f"{alone.steps:,} / {swarm.result.steps:,} steps", rate=True)
    fuzzing = FuzzOptions(examples=200 * session.size, seed=1)
    start = time.perf_counter()
    once = fuzz(spec, fuzzing)
    one = once.steps / (time.perf_counter() - start)
    swarm = fuzz_swarm(spec, fuzzing, session)
    line("fuzz P1 steps/s (one, swarm)", one, swarm.steps_per_second,
         f"{once.steps:,} / {swarm.result.steps:,} steps", rate=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="check,prove,simulate")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    print(f"load average at the start: {os.getloadavg()}; {os.cpu_count()} cores "
          "(shared: the figures are noisy)", flush=True)
    with open_session(args.workers) as session:
        print(f"{'':<40}{'one':>10}{'workers':>10}{'speed-up':>10}  "
              f"(seconds; {session.size} workers)", flush=True)
        if "check" in chosen:
            bench_check(session, 4 if args.quick else 5)
        if "prove" in chosen:
            bench_prove(session, 6 if args.quick else 8)
        if "simulate" in chosen or "fuzz" in chosen:
            bench_swarms(session)
    print(f"load average at the end: {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
