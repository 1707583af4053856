"""Ctrl-C and SIGTERM stop a solver query (api/cli/interrupt.py, checker/smt/z3_logic.py's
`solve`).

Z3 took SIGINT for itself during a query: it cancelled the query and swallowed the signal, so
`prove` took the cancelled query for a solver that gave up, asked smaller ones, and went on
to its verdict (P1 at 8 nodes: Ctrl-C 12 s in, "proved", exit 0, a minute later).  SIGTERM
waited for the query to end.  Both now stop the command at once with exit 3.

Where a signal lands depends on timing (a query, building one, a finaliser, ctypes converting
an argument: each of those lost it or printed a traceback), so the end-to-end test below may
not meet every case; the first test puts the signal inside a query for certain: a pigeonhole
formula (13 pigeons, 12 holes) that Z3 needs minutes for.

Each runs in a process of its own whose SIGINT is not ignored (a background job of a
non-interactive shell inherits it ignored, and Python then installs no handler for it)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from harness import ROOT

P1 = ROOT / "spec" / "examples" / "pernode.numa"
INTO_THE_QUERY = 12.0  # seconds: P1 at 8 nodes compiles and proves its base case in about 7


HARD_QUERY = """
import signal, z3
from numaspec.checker.smt.z3_logic import solve
from numaspec.cli.interrupt import solver_interrupts

def terminate(signum, frame):
    raise KeyboardInterrupt  # as the CLI's SIGTERM handler

signal.signal(signal.SIGTERM, terminate)
holes = 12
pigeon = [[z3.Bool(f"p{i}_{j}") for j in range(holes)] for i in range(holes + 1)]
solver = z3.Solver()
solver.add([z3.Or(row) for row in pigeon])
solver.add([z3.Not(z3.And(pigeon[a][j], pigeon[b][j])) for j in range(holes)
            for a in range(holes + 1) for b in range(a)])
print("solving", flush=True)
try:
    with solver_interrupts():
        print("answered", solve(solver), solver.reason_unknown(), flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_signal_inside_a_query_interrupts_it(signum: signal.Signals) -> None:
    process = subprocess.Popen([sys.executable, "-c", HARD_QUERY], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    try:
        assert process.stdout is not None and process.stdout.readline() == "solving\n"
        time.sleep(1.0)  # into the query
        sent = time.perf_counter()
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert out == "interrupted\n", out + err
    assert time.perf_counter() - sent < 5


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_signal_during_a_query_stops_prove(signum: signal.Signals) -> None:
    command = [sys.executable, "-m", "numaspec", "prove", str(P1), "-D", "NODES=8"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=_default_sigint)
    try:
        time.sleep(INTO_THE_QUERY)
        sent = time.perf_counter()
        process.send_signal(signum)
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 3, out + err
    assert "interrupted" in err and "proved:" not in out
    assert time.perf_counter() - sent < 10
