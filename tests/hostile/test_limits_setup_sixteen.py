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


def _timed(argv: list[str], timeout: float, status: int = 3) -> tuple[float, float]:
    """Run `check` on P1 with the 16-node topology; (seconds, peak MB of the child)."""
    start = time.perf_counter()
    result = run_cli_process(["check", "--topology", SIXTEEN, P1, *argv], timeout=timeout)
    elapsed = time.perf_counter() - start
    assert result.status == status, result.out + result.err
    assert "Traceback" not in result.err
    if status == 3:
        assert "--timeout" in result.out + result.err
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3


def test_timeout_stops_the_set_up_of_sixteen_nodes() -> None:
    elapsed, peak = _timed(["--timeout", "4", "--max-states", "2000", "--no-symmetry"], 60)
    assert elapsed < 12, elapsed  # 4 s, interpreter start and compilation; slack for load
    assert peak < 2000, peak


def test_symmetry_on_sixteen_nodes_with_cpu_less_hbm_is_refused_at_once() -> None:
    """The HBM nodes have no CPUs, so P1's actions `on n` are disabled there: the distance
    matrix's automorphisms, which swap HBM and DDR nodes, are no symmetry of the machine,
    and `symmetric Node` is refused (E405) before any set-up, instead of a search on a
    wrong group."""
    elapsed, peak = _timed(["--timeout", "4", "--max-states", "2000"], 60, status=2)
    assert elapsed < 12 and peak < 2000, (elapsed, peak)


@pytest.mark.slow
def test_the_issue_command_stops_within_25_seconds_and_2_gb() -> None:
    elapsed, peak = _timed(["--timeout", "20", "--max-states", "2000", "--no-symmetry"], 120)
    assert elapsed < 25, elapsed
    assert peak < 2000, peak
