"""SIGTERM (and a Ctrl-C that Z3 does not take) reaches a running solver query.

Python runs a signal handler only between bytecodes of the main thread, so while Z3 is inside
one `check()` (a 1-induction query at 7 nodes runs for many minutes) a SIGTERM waits for the
query to end.  `solver_interrupts()` has the signal's C-level handler write to a wake-up pipe
(`signal.set_wakeup_fd`); a watcher thread blocked on the pipe then interrupts Z3's context,
the query returns at once without an answer, and the Python handler raises
KeyboardInterrupt as usual, so the engines report how far they got.  A Ctrl-C during a query
is Z3's own: its handler ends the query, and checker/smt/z3_logic.py's `solve` raises
KeyboardInterrupt for it.

The handler's KeyboardInterrupt may come up inside a finaliser (Z3 frees its terms in
`__del__`), where Python reports it as ignored and goes on: the block's `sys.unraisablehook`
then delivers the signal again, until the exception lands where it propagates.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["solver_interrupts"]

_STOPPING = {signal.SIGINT, signal.SIGTERM}
_DONE = 0  # the byte the block's end writes: no signal has number 0
_AGAIN = 0.001  # seconds before a signal whose exception was ignored is delivered again


@contextmanager
def solver_interrupts() -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM interrupt the query Z3 is answering (if
    any).  Off the main thread, or where a wake-up fd cannot be set, it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    except ValueError:
        os.close(read_end)
        os.close(write_end)
        yield
        return
    received: list[int] = []  # the stopping signals, as the watcher reads them
    watcher = threading.Thread(target=_watch, args=(read_end, received), daemon=True,
                               name="numaspec-solver-interrupts")
    watcher.start()
    previous_hook = sys.unraisablehook

    def deliver_again(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            # From another thread, a moment later: raised here, inside the hook, the
            # handler's exception would be ignored once more.
            number = received[-1] if received else signal.SIGINT
            threading.Timer(_AGAIN, os.kill, (os.getpid(), number)).start()
        elif not (received and _z3_finaliser(unraisable)):
            previous_hook(unraisable)

    sys.unraisablehook = deliver_again
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        signal.set_wakeup_fd(previous)
        os.write(write_end, bytes([_DONE]))
        watcher.join(timeout=1.0)
        os.close(write_end)


def _watch(read_end: int, received: list[int]) -> None:
    """Interrupt Z3 for each stopping signal (noted in `received`), until the block's end
    writes `_DONE`."""
    try:
        while True:
            numbers = os.read(read_end, 64)
            if not numbers or _DONE in numbers:
                return
            stopping = [number for number in numbers if number in _STOPPING]
            if stopping:
                received.extend(stopping)
                _interrupt_z3()
    finally:
        os.close(read_end)


def _z3_finaliser(unraisable: sys.UnraisableHookArgs) -> bool:
    """An error in a Z3 object's `__del__`: after a stop, those that the interrupt left half
    built fail there (no `ctx` yet); they are not shown."""
    return getattr(unraisable.object, "__module__", "").startswith("z3")


def _interrupt_z3() -> None:
    """Interrupt Z3's query, if Z3 is loaded: looked up, never imported, so that a command
    without a solver does not load it (tests/test_api.py)."""
    z3 = sys.modules.get("z3")
    if z3 is not None:
        z3.main_ctx().interrupt()
