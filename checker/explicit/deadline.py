"""A backstop for `--timeout`: stop work that cannot check the clock itself.

The searches check their limits between states, but one step can take long: the initial
states of a wide `init` choose, one invariant quantified over a cube of a million
combinations, the set-up of a spec with 100,000 action instances.  `deadline(seconds)`
arms a timer that raises `LimitReached` in the main thread a grace period after the limit,
wherever the interpreter is then (the searches catch it and report partial statistics).
Off the main thread, or without SIGALRM, it does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from numaspec.model.outcome import LimitReached

__all__ = ["deadline"]


def grace(seconds: float) -> float:
    """How long after the limit the backstop fires: the searches' own checks come first."""
    return max(0.5, seconds * 0.05)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise LimitReached("--timeout S s") if the block runs past `seconds` plus a grace."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds is None or not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise LimitReached(f"--timeout {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds + grace(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
