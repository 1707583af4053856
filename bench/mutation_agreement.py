"""The mutation corpus at a larger scale: how many mutants, what BFS says, where engines differ.

    python bench/mutation_agreement.py [--count 40] [--seed 14] [--only pernode]

For each design (small configurations, as tests/checker/test_mutation.py uses) samples
`--count` mutants (checker/mutation/operators.py; all of them with --count 0), runs every
engine on each (checker/mutation/agreement.py) and prints: the sites per operator, the
reference verdicts, a table of what each engine said, and every disagreement with the BFS
reference (a checker bug, or a known one: tests/checker/test_mutation.py's KNOWN_BUGS).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from numaspec.checker.mutation.agreement import ENGINES, agree
from numaspec.checker.mutation.operators import apply, sample, sites
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.topology.resolve import resolve_topology

ROOT = Path(__file__).resolve().parent.parent
DESIGNS = [
    ("spec/examples/pernode.numa", ["NODES=2", "PAGES=1", "FRAMES_PER_NODE=1"], None),
    ("tests/corpus/mutation/two_starts.numa", [], None),
    ("spec/examples/single_as.numa", ["PAGES=1"], None),
    ("spec/examples/node_local.numa", [], "uniform2"),
    ("spec/examples/migration.numa", [], "uniform2"),
    ("spec/examples/pernode_rootpager.numa", ["PAGES=1"], "uniform2"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", default="", help="designs whose path contains this")
    args = parser.parse_args()
    said: dict[str, Counter[str]] = {engine: Counter() for engine in ENGINES}
    for path, defines, topology in DESIGNS:
        if args.only not in path:
            continue
        spec = compile_spec(str(ROOT / path), defines,
                            resolve_topology(topology) if topology else None).spec
        every = sites(spec)
        chosen = every if args.count == 0 else sample(spec, args.count, args.seed)
        print(f"\n{path} {' '.join(defines)} {topology or ''}: {len(every)} sites "
              f"{dict(Counter(s.operator for s in every))}, {len(chosen)} run")
        reference: Counter[str] = Counter()
        start = time.perf_counter()
        for site in chosen:
            verdicts = agree(apply(spec, site))
            reference[verdicts.reference] += 1
            for engine, verdict in verdicts.said.items():
                said[engine][verdict.split(" ")[0]] += 1
            for problem in verdicts.disagreements:
                print(f"  DISAGREE {site.number} {site.operator} at {site.where} ({site.what}):"
                      f" {problem.engine} {problem.problem}")
        print(f"  BFS: {dict(reference)}  ({time.perf_counter() - start:.0f} s)")
    print("\nwhat each engine said, over every mutant run:")
    for engine, counts in said.items():
        print(f"  {engine:<11} {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
