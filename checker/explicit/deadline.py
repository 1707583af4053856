"""A backstop for `--timeout` and `--max-memory`: stop work that cannot check them itself.

The searches check their limits between states, but one step can take long or grow large:
the initial states of a wide `init` choose, one invariant quantified over a cube of a
million combinations, the set-up of a spec with 100,000 action instances.  `deadline(...)`
arms a periodic timer that raises `LimitReached` in the main thread when the time is past
the limit plus a grace period (3 s or a tenth), or the resident memory past the limit plus
a tenth (after the same grace), wherever the interpreter is then (the searches catch it and
report the statistics so far).  Off the main thread, or without SIGALRM, it does nothing.

A signal handler's exception raised inside a garbage-collector callback or a `__del__` is
not propagated: Python reports it to `sys.unraisablehook` and goes on.  The backstop fires
once (a second stop while the search reports the first would lose its figures), so such a
lost stop would leave the block unbounded; while the block runs, a hook re-arms the timer
when it sees its own stop ignored, and the next tick raises it again.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from numaspec.checker.explicit.search import rss_mb
from numaspec.model.outcome import LimitReached

__all__ = ["Backstop", "deadline"]

_PERIOD = 0.25  # seconds between two looks at the clock and the memory
_RETRY = 0.01  # seconds: a stop that was raised where it could not propagate is raised again


def grace(seconds: float) -> float:
    """How long after the limit the backstop fires: the searches' own checks come first, and
    a search that finishes setting up within it reports its figures (a tiny --timeout still
    stops the search after its set-up, not during it)."""
    return max(3.0, seconds * 0.1)


SETUP_FLOOR = 3.0  # seconds: a set-up may always take this long (tiny limits, small specs)


class Backstop:
    """What `deadline` yields: `searching()` says the search itself now checks its limits
    (and reports its figures when it stops), so the backstop may leave it a grace.  Until
    then -- compiling, tracing, building symmetry tables, enumerating initial states -- no
    search would report anything, and the backstop fires at the limit itself, or at
    SETUP_FLOOR seconds if that is later (so that a tiny --timeout still lets a small spec
    set up and then stop its search with figures)."""

    def __init__(self, seconds: float | None, floor: bool = True) -> None:
        self.grace = max(0.0, SETUP_FLOOR - (seconds or 0.0)) if floor else 0.0

    def searching(self, seconds: float | None) -> None:
        self.grace = grace(seconds or 0.0)


@contextmanager
def deadline(seconds: float | None, memory_mb: float | None = None,
             started: float | None = None, strict: bool = False) -> Iterator[Backstop]:
    """Raise LimitReached ("--timeout S s", "--max-memory MB MB") if the block runs past
    `seconds` (plus a grace once the search runs: `Backstop.searching`), or grows past
    `memory_mb` plus a tenth (looked at after the same grace, so that a search that sets up
    quickly stops itself, with its figures).  `started` (a time.perf_counter()) is when the
    clock started: default, now; a caller that bounds several blocks with one limit passes
    the same value to each.  `strict`: no grace and no floor (for work that has no figures
    to report, such as reading and compiling a spec)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    backstop = Backstop(None if strict else seconds, floor=not strict)
    if (seconds is None and memory_mb is None) or not usable:
        yield backstop
        return
    start = time.perf_counter() if started is None else started

    def look(signum: int, frame: FrameType | None) -> None:
        stop, now = None, time.perf_counter()
        end = None if seconds is None else start + seconds + backstop.grace
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
    previous_hook = sys.unraisablehook

    def refire_if_lost(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, LimitReached):
            signal.setitimer(signal.ITIMER_REAL, _RETRY)  # raised where it could not propagate
        else:
            previous_hook(unraisable)

    sys.unraisablehook = refire_if_lost
    signal.setitimer(signal.ITIMER_REAL, _PERIOD, _PERIOD)
    try:
        yield backstop
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook
