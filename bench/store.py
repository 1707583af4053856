"""Memory per stored state of the explicit checker at a million states.

    python bench/store.py [--side 1000] [--no-vectorise]
    python bench/store.py --side 3163        # 10 million states

Checks a spec with side x side reachable states (two counters) and prints the distinct states,
the bytes per stored state of the fingerprint store (set of 64-bit fingerprints plus parent,
instance and outcome arrays), the peak RSS and the time.  A benchmark, not a test.
Aims: at most 100 bytes per stored state at 1 million states, at most 50 at 10 million
(vectorised).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.spec.pipeline import compile_spec

SPEC = """spec counters
var a : 0 .. {top}
var b : 0 .. {top}
action inc_a() {{ require a < {top}; a += 1 }}
action inc_b() {{ require b < {top}; b += 1 }}
invariant bounded: a + b <= 2 * {top}
final done: a == {top} and b == {top}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1000)
    parser.add_argument("--no-vectorise", action="store_true",
                        help="the interpreted breadth-first search")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "counters.numa"
        path.write_text(SPEC.format(top=args.side - 1))
        spec = compile_spec(str(path)).spec
        start = time.perf_counter()
        result = check(spec, CheckOptions(vectorise=not args.no_vectorise))
        seconds = time.perf_counter() - start
    stats = result.stats
    print(f"verdict: {result.verdict} ({stats.evaluation} breadth-first search)")
    print(f"distinct states: {stats.distinct_states:,}")
    aim = 50 if stats.distinct_states >= 10_000_000 else 100
    print(f"bytes per stored state: {stats.store_bytes_per_state:.1f} (aim: at most {aim})")
    print(f"peak RSS: {stats.peak_memory_mb:.0f} MB (interpreter, frontier and caches included)")
    print(f"time: {seconds:.1f} s ({stats.distinct_states / seconds:,.0f} states/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
