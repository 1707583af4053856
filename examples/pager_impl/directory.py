"""The pagers' shared directory of global mappings.

The directory is user-level state that all pagers of the application share: which frame backs
each global page, which pages are being unmapped, and how many acknowledgements each unmap has
collected so far.
"""

from __future__ import annotations

from .errors import InconsistentState


class GlobalDirectory:
    """Global page -> frame map plus the bookkeeping of global unmaps."""

    def __init__(self) -> None:
        self.frames: dict[int, int] = {}
        self.unmapping: set[int] = set()
        self.acks: dict[int, int] = {}

    def frame_of(self, page: int) -> int | None:
        """The frame that backs ``page`` globally, or None."""
        return self.frames.get(page)

    def publish(self, page: int, frame: int) -> None:
        """Record ``frame`` as the global backing of ``page`` (first touch)."""
        if page in self.frames:
            raise InconsistentState(f"page {page} already backed by frame {self.frames[page]}")
        self.frames[page] = frame

    def begin_unmap(self, page: int, acks: int) -> int:
        """Mark ``page`` as being unmapped with ``acks`` acknowledgements counted; its frame."""
        frame = self.frames.get(page)
        if frame is None:
            raise InconsistentState(f"unmap of page {page}, which has no global mapping")
        if page in self.unmapping:
            raise InconsistentState(f"unmap of page {page} already in progress")
        self.unmapping.add(page)
        self.acks[page] = acks
        return frame

    def count_ack(self, page: int) -> int:
        """Count one more acknowledgement for ``page``; returns the new count."""
        if page not in self.acks:
            raise InconsistentState(f"ack for page {page}, which was never unmapped")
        self.acks[page] += 1
        return self.acks[page]

    def finish_unmap(self, page: int) -> None:
        """Drop the global mapping of ``page`` and end its unmap (the ack count is kept)."""
        self.frames.pop(page, None)
        self.unmapping.discard(page)
