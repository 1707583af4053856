"""Faults: a killed worker (exit 3, naming it), Ctrl-C (exit 3), an unreachable scheduler
and a missing extra (exit 2); and never a process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from harness import P1, ROOT, cli_command, run_cli

# P1 at 5 nodes without symmetry (9,477,404 states): long enough on a quiet machine that the
# search still runs when the test kills a worker or sends Ctrl-C (4 nodes finished first)
BIG = ["check", P1, "-D", "NODES=5", "--no-symmetry", "--no-liveness", "--workers", "2"]


def _start() -> tuple[subprocess.Popen[str], Any]:
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("distributed")
    process = subprocess.Popen(cli_command(BIG), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    return process, psutil.Process(process.pid)


def _workers(parent: Any, seen: set[Any]) -> list[Any]:
    """The worker processes (spawned by multiprocessing) of `parent`, when both run;
    every descendant met is added to `seen`."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        children = parent.children(recursive=True)
        seen.update(children)
        workers = [c for c in children if "spawn_main" in " ".join(c.cmdline())]
        if len(workers) >= 2:
            return workers
        time.sleep(0.2)
    raise AssertionError("the workers did not start")


def _nothing_left(seen: set[Any]) -> None:
    psutil = pytest.importorskip("psutil")
    _, alive = psutil.wait_procs(list(seen), timeout=15)
    assert not alive, f"processes left behind: {alive}"


@pytest.mark.cluster
def test_a_killed_worker_ends_the_search_with_exit_3_naming_it() -> None:
    process, parent = _start()
    seen: set[Any] = set()
    try:
        workers = _workers(parent, seen)
        time.sleep(12)  # into the search: the workers have compiled the spec
        seen.update(parent.children(recursive=True))
        workers[0].kill()
        out, err = process.communicate(timeout=90)
        seen.update(p for p in seen if p.is_running())
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 3, err
    assert "worker tcp://" in out and "lost" in out and "incomplete" in out
    assert "Traceback" not in err
    _nothing_left(seen)


@pytest.mark.cluster
def test_ctrl_c_stops_the_cluster_it_started() -> None:
    process, parent = _start()
    seen: set[Any] = set()
    try:
        _workers(parent, seen)
        time.sleep(8)
        seen.update(parent.children(recursive=True))
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole group
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 3, err
    assert "interrupted" in out + err  # the search's report, or main's if it came earlier
    assert "Traceback" not in err
    _nothing_left(seen)


@pytest.mark.cluster
def test_an_unreachable_scheduler_is_e061_within_seconds() -> None:
    pytest.importorskip("distributed")
    start = time.monotonic()
    run = run_cli(["check", P1, "--cluster", "tcp://127.0.0.1:9"])
    assert run.status == 2 and "error[E061]" in run.err and "tcp://127.0.0.1:9" in run.err
    assert time.monotonic() - start < 15  # 5 s to connect; compiling the spec comes first


def test_without_dask_workers_names_the_extra_to_install() -> None:
    """As `pip install -e .` leaves it: importing `distributed` fails."""
    code = ("import sys; sys.modules['distributed'] = None; "
            "from numaspec.cli.main import main; sys.exit(main(sys.argv[1:]))")
    for argv in (["check", P1, "--workers", "2"], ["simulate", P1, "--workers", "2"]):
        done = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "error[E060]" in done.stderr and "numaspec[cluster]" in done.stderr
