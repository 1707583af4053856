"""`python -m examples.pager_mp DIR [--nodes N] [--steps K] [--seed S] [--bug B]`."""

from __future__ import annotations

import argparse

from . import KNOWN_BUGS, run


def main() -> None:
    parser = argparse.ArgumentParser(description="run the multi-process P1 pager once")
    parser.add_argument("dir")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bug", choices=sorted(KNOWN_BUGS), action="append", default=[])
    args = parser.parse_args()
    for path in run(args.dir, nodes=args.nodes, steps=args.steps, seed=args.seed,
                    bugs=args.bug):
        print(path)


if __name__ == "__main__":
    main()
