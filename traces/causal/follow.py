"""Logs read while they are written (`numaspec trace --follow`), as `tail -f`.

A followed regular file is polled at its end (every `POLL` seconds) for more lines; a line
is handed over only once its newline is written.  It ends when no followed file has grown
for `idle_timeout` seconds (the writers are done), or at once for a pipe, a FIFO or standard
input when the writer closes it (the end of a pipe is the end of the log).  Ctrl-C and
SIGTERM end it too, as KeyboardInterrupt (the command reports what it validated so far).
So following never hangs: it ends by the writers' end, the idle timeout, or a signal.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterator
from typing import IO

from numaspec.spec.diagnostics import fail
from numaspec.traces.diagnose import MAX_LINE_BYTES
from numaspec.traces.formats.source import STDIN, Source, display_name

POLL = 0.02  # seconds between two looks at a file that has not grown


class Activity:
    """When any followed file last grew: shared by the files of one run."""

    def __init__(self, idle_timeout: float):
        self.idle_timeout = idle_timeout
        self.last = time.monotonic()

    def grew(self) -> None:
        self.last = time.monotonic()

    def idle(self) -> bool:
        return time.monotonic() - self.last > self.idle_timeout


class FollowSource(Source):
    """A `Source` whose lines wait for the writer (see the module's docstring)."""

    def __init__(self, name: str, stream: IO[bytes], activity: Activity, regular: bool):
        super().__init__(name, stream, b"")
        self.activity, self.regular = activity, regular

    def lines(self) -> Iterator[bytes]:
        try:
            pending = b""
            while True:
                chunk = self.stream.readline(MAX_LINE_BYTES + 1 - len(pending))
                if chunk:
                    self.activity.grew()
                    pending += chunk
                    if pending.endswith(b"\n") or len(pending) > MAX_LINE_BYTES:
                        yield pending
                        pending = b""
                    continue
                if not self.regular or self.activity.idle():
                    if pending:
                        yield pending
                    return
                time.sleep(POLL)
        finally:
            self.close()


def follow_source(path: str, activity: Activity) -> FollowSource:
    """`path` (`-`: standard input) opened for following; E001 if it cannot be opened."""
    try:
        stream: IO[bytes] = sys.stdin.buffer if path == STDIN else open(path, "rb")  # noqa: SIM115 - closed by Source
        regular = stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except OSError as err:
        raise fail("E001", f"cannot read {path}: {err.strerror or err}", None) from None
    return FollowSource(display_name(path), stream, activity, regular)
