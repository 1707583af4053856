"""Exceptions raised by the example pager implementation.

A real implementation asserts its own internal consistency; these are the situations it refuses.
They all derive from :class:`PagerError` so a driver can catch them in one place.
"""

from __future__ import annotations


class PagerError(Exception):
    """Root of every error the example implementation raises."""


class EmptyQueue(PagerError):
    """A pager tried to receive from a message queue that holds no message."""


class OutOfFrames(PagerError):
    """A first-touch fault found no free frame on the faulting node."""


class WouldBlock(PagerError):
    """A fault hit a page whose global unmap is in progress; the faulting thread must wait."""


class InconsistentState(PagerError):
    """An internal invariant of the implementation does not hold (a bug or a bad call)."""
