"""A trace's bytes, opened once: a file, a pipe, a FIFO, `/dev/stdin` or `-` (standard input).

The format is told from the first line (traces/formats/load.py), and a pipe can be read only
once, so the first line is read here and kept (`head`); the JSONL reader then streams the
lines from it on, and the ITF reader reads the rest up to its size limit.  Nothing is opened
twice (opening a FIFO again waits for a writer that has gone: a hang), and nothing is read
without a bound (a line stops at MAX_LINE_BYTES + 1 bytes, a document at its limit), so
`/dev/zero` is refused as too long, not read for ever.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from numaspec.spec.diagnostics import fail
from numaspec.traces.diagnose import MAX_LINE_BYTES

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass
class Source:
    name: str  # the path, or "<stdin>": what diagnostics and reports show
    stream: IO[bytes]
    head: bytes  # the first line, at most MAX_LINE_BYTES + 1 bytes, already read

    def lines(self) -> Iterator[bytes]:
        """Every line (each at most MAX_LINE_BYTES + 1 bytes), the head first; closes the
        stream when done."""
        try:
            line = self.head
            while line:
                yield line
                line = self.stream.readline(MAX_LINE_BYTES + 1)
        finally:
            self.close()

    def read_all(self, limit: int) -> bytes:
        """The whole content, or its first `limit + 1` bytes if it is longer; closes."""
        try:
            return self.head + self.stream.read(max(limit + 1 - len(self.head), 0))
        finally:
            self.close()

    def close(self) -> None:
        if self.stream is not sys.stdin.buffer:
            self.stream.close()


def display_name(path: str) -> str:
    """How the trace `path` is named in reports: `-` is "<stdin>"."""
    return STDIN_NAME if path == STDIN else path


def open_source(path: str) -> Source:
    """The trace at `path` (`-`: standard input), its first line read.  Raises SpecError
    (E001) if it cannot be opened or read."""
    try:
        stream: IO[bytes] = sys.stdin.buffer if path == STDIN else open(path, "rb")  # noqa: SIM115 - closed by Source
    except OSError as err:
        raise fail("E001", f"cannot read {path}: {err.strerror or err}", None) from None
    try:
        head = stream.readline(MAX_LINE_BYTES + 1)
    except OSError as err:  # e.g. a directory on some systems, a device that refuses
        stream.close()
        raise fail("E001", f"cannot read {path}: {err.strerror or err}", None) from None
    return Source(display_name(path), stream, head)
