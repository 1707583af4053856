"""Progress lines on stderr, only when stderr is a terminal, at most four times a second."""

from __future__ import annotations

import sys
import time


class ProgressLine:
    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.start = self.last = time.perf_counter()

    def show(self, text: str) -> None:
        now = time.perf_counter()
        if not self.enabled or now - self.last < 0.25:
            return
        self.last = now
        sys.stderr.write(f"\r{text} ")
        sys.stderr.flush()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 79 + "\r")
