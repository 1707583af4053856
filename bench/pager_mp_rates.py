"""Detection rates of the multi-process P1 pager's seeded bugs (a benchmark, not a test).

Runs examples/pager_mp R times (default 100) for the correct system and for each seeded bug
(3 and 4 nodes alternately, one OS process per node), checks each run's per-node logs with
`numaspec trace SPEC DIR` and prints how many runs conform / diverge.

    python bench/pager_mp_rates.py [--runs R] [--steps K]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from examples.pager_mp import KNOWN_BUGS, run  # noqa: E402

P1 = str(ROOT / "spec" / "examples" / "pernode.numa")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--steps", type=int, default=150)
    options = parser.parse_args()
    for bug in (None, *sorted(KNOWN_BUGS)):
        counts = {0: 0, 1: 0}
        events = 0
        start = time.perf_counter()
        for seed in range(options.runs):
            with tempfile.TemporaryDirectory() as folder:
                paths = run(folder, nodes=3 + seed % 2, steps=options.steps, seed=seed,
                            bugs=[bug] if bug else [])
                events += sum(len(p.read_text().splitlines()) - 1 for p in paths)
                done = subprocess.run([sys.executable, "-m", "numaspec.cli.main", "trace", P1,
                                       folder], capture_output=True, text=True)
                if done.returncode not in counts:
                    print(done.stdout, done.stderr)
                    raise SystemExit(f"unexpected exit {done.returncode}")
                counts[done.returncode] += 1
            if (seed + 1) % 10 == 0 and seed + 1 < options.runs:
                print(f"  {bug or 'correct'}: after {seed + 1} runs {counts[0]} conform, "
                      f"{counts[1]} diverge", flush=True)
        name = bug or "correct"
        print(f"{name}: {counts[0]}/{options.runs} conform, {counts[1]}/{options.runs} "
              f"diverge ({events / options.runs:,.0f} events per run; "
              f"{time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
