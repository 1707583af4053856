"""`--workers N` and `--cluster ADDRESS`, shared by check, prove, simulate and fuzz.

The commands run in one process unless given one of them; then `cluster_session` opens a
Dask session (numaspec.checker.distributed.cluster: a LocalCluster of N processes that is
stopped afterwards, or the scheduler at ADDRESS) for the engine to run on.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from numaspec.cli.options import integer


def add_cluster_options(cmd: argparse.ArgumentParser, what: str) -> None:
    group = cmd.add_mutually_exclusive_group()
    group.add_argument("--workers", type=integer(1), metavar="N",
                       help=f"{what} on a Dask cluster of N worker processes started on this "
                            "machine (pip install 'numaspec[cluster]'; docs/distributed.md)")
    group.add_argument("--cluster", metavar="ADDRESS",
                       help=f"{what} on the workers of the running Dask scheduler at ADDRESS "
                            "(tcp://HOST:8786)")


def distributed(args: argparse.Namespace) -> bool:
    return args.workers is not None or args.cluster is not None


@contextmanager
def cluster_session(args: argparse.Namespace) -> Iterator[Any]:
    """The Dask session `--workers`/`--cluster` ask for (E060 without Dask, E061 for an
    address that does not answer)."""
    from numaspec.checker.distributed.cluster import open_session

    with open_session(args.workers, args.cluster) as session:
        yield session
