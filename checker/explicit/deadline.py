"""A backstop for `--timeout` and `--max-memory`: stop work that cannot check them itself.

The searches check their limits between states, but one step can take long or grow large:
the initial states of a wide `init` choose, one invariant quantified over a cube of a
million combinations, the set-up of a spec with 100,000 action instances.  `deadline(...)`
arms a periodic timer that raises `LimitReached` in the main thread when the time is past
the limit plus a grace period (3 s or a tenth), or the resident memory past the limit plus
a tenth (after the same grace), wherever the interpreter is then (the searches catch it and
report the statistics so far).  Off the main thread, or without SIGALRM, it does nothing.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from numaspec.checker.explicit.search import rss_mb
from numaspec.model.outcome import LimitReached

__all__ = ["deadline"]

_PERIOD = 0.25  # seconds between two looks at the clock and the memory


def grace(seconds: float) -> float:
    """How long after the limit the backstop fires: the searches' own checks come first, and
    a search that finishes setting up within it reports its figures (a tiny --timeout still
    stops the search after its set-up, not during it)."""
    return max(3.0, seconds * 0.1)


@contextmanager
def deadline(seconds: float | None, memory_mb: float | None = None,
             started: float | None = None, strict: bool = False) -> Iterator[None]:
    """Raise LimitReached ("--timeout S s", "--max-memory MB MB") if the block runs past
    `seconds` plus a grace, or grows past `memory_mb` plus a tenth (looked at after the
    same grace, so that a search that sets up quickly stops itself, with its figures).
    `started` (a time.perf_counter()) is when the clock started: default, now; a caller
    that bounds several blocks with one limit passes the same value to each.  `strict`: no
    grace (for work that has no figures to report, such as reading and compiling a spec)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if (seconds is None and memory_mb is None) or not usable:
        yield
        return
    start = time.perf_counter() if started is None else started
    late = 0.0 if strict or seconds is None else grace(seconds)
    end = None if seconds is None else start + seconds + late

    def look(signum: int, frame: FrameType | None) -> None:
        stop, now = None, time.perf_counter()
        if end is not None and now >= end:
            stop = f"--timeout {seconds:g} s"
        elif memory_mb is not None and now - start >= (0.0 if strict else grace(0)) and \
                rss_mb() >= memory_mb * 1.1:
            stop = f"--max-memory {memory_mb:g} MB"
        if stop is not None:
            # Once: a second stop while the search reports the first would lose its figures.
            signal.setitimer(signal.ITIMER_REAL, 0)
            raise LimitReached(stop)

    previous = signal.signal(signal.SIGALRM, look)
    signal.setitimer(signal.ITIMER_REAL, _PERIOD, _PERIOD)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
