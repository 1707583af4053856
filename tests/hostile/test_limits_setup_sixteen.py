"""Limits while a search sets up on a 16-node topology (Xeon Max in SNC4 mode with HBM, as
`numactl --hardware` prints it: tests/corpus/topologies/xeon_max_snc4_hbm.txt).

Tracing 16 nodes' action instances and building the symmetry tables of 1,152 automorphisms
take longer than the limit; before, the backstop left the set-up a grace past the limit
(`check --timeout 20 --max-states 2000` ran 82 s and peaked at 11.3 GB).  Now the set-up
stops at the limit itself, with exit 3 and the (empty) statistics.  Each command runs in a
process of its own, so what is timed is the command.
"""

from __future__ import annotations

import resource
import time

import pytest
from harness import P1, ROOT, run_cli_process

SIXTEEN = str(ROOT / "tests" / "corpus" / "topologies" / "xeon_max_snc4_hbm.txt")


def _timed(argv: list[str], timeout: float) -> tuple[float, float]:
    """Run `check` on P1 with the 16-node topology; (seconds, peak MB of the child)."""
    start = time.perf_counter()
    result = run_cli_process(["check", "--topology", SIXTEEN, P1, *argv], timeout=timeout)
    elapsed = time.perf_counter() - start
    assert result.status == 3, result.out + result.err
    assert "Traceback" not in result.err
    assert "--timeout" in result.out + result.err
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3


@pytest.mark.parametrize("symmetry", [[], ["--no-symmetry"]])
def test_timeout_stops_the_set_up_of_sixteen_nodes(symmetry: list[str]) -> None:
    elapsed, peak = _timed(["--timeout", "4", "--max-states", "2000", *symmetry], 60)
    assert elapsed < 12, elapsed  # 4 s, interpreter start and compilation; slack for load
    assert peak < 2000, peak


@pytest.mark.slow
def test_the_issue_command_stops_within_25_seconds_and_2_gb() -> None:
    elapsed, peak = _timed(["--timeout", "20", "--max-states", "2000"], 120)
    assert elapsed < 25, elapsed
    assert peak < 2000, peak
