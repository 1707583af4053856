"""Reading a page-access trace (docs/workloads.md, "The trace format"): a version line, a
header line naming the columns, then one CSV record per access.  Plain, `.gz` or `.xz` files.

Every problem with the text is a `SpecError` at `file:line:col` with the line and a caret
(codes E540-E546); nothing here prints.  Records are returned in time order (stable: records
with equal times keep their order in the file, which is also the order when there is no
`time` column).
"""

from __future__ import annotations

import gzip
import lzma
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from numaspec.spec.diagnostics import Diagnostic, SpecError
from numaspec.spec.span import Span

MAGIC = "#numaspec-trace"
VERSION = 1
PAGE_SHIFT = 12  # an `addr` column is a byte address in 4 KiB pages
COLUMNS = ("time", "thread", "cpu", "node", "page", "addr", "op")
REQUIRED = ("thread", "op")
OPS = {"r": False, "w": True}  # op -> is a write
SHOWN = 200  # characters of a line kept for the excerpt under a diagnostic


@dataclass(frozen=True, slots=True)
class Record:
    """One access: `page` is the virtual page number; `cpu` and `node` are None when the
    trace has no such column."""

    time: float
    thread: int
    page: int
    write: bool
    cpu: int | None = None
    node: int | None = None
    line: int = 0  # where in the file (for diagnostics about the record later)


Header = tuple[int, str, dict[str, int]]  # line number, text, column name -> index


def trace_error(code: str, message: str, path: str, line: int, text: str,
                col: int = 1, width: int | None = None) -> SpecError:
    """A `SpecError` at `line` of `path` (whose text is `text`); without `width` the caret
    marks the rest of the line.  Only that line is kept as the source, behind empty lines,
    so a diagnostic about a large trace does not hold the whole file."""
    shown = text[:max(SHOWN, col + 80)]
    end = col + (width if width is not None else max(len(shown) - col + 1, 1))
    return SpecError([Diagnostic(code, message, Span(path, line, col, line, end))],
                     {path: "\n" * (line - 1) + shown})


def open_text(path: Path) -> IO[str]:
    """The trace as text, decompressed by its suffix.  Raises OSError."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


@dataclass(frozen=True)
class Trace:
    """A trace read: its records in time order and the columns its header named."""

    path: Path
    name: str  # as diagnostics show it
    columns: tuple[str, ...]
    header_line: int
    records: list[Record]

    def error(self, code: str, message: str, line: int | None = None,
              column: str | None = None) -> SpecError:
        """A diagnostic at `line` (a record's, default the header's), under the field of
        `column` if given; the line is read again from the file (only for an error)."""
        number = self.header_line if line is None else line
        with open_text(self.path) as stream:
            text = next((t for n, t in _numbered(stream) if n == number), "") or " "
        if column is None or column not in self.columns:
            return trace_error(code, message, self.name, number, text)
        position = self.columns.index(column)
        fields = text.split(",")
        width = len(fields[position]) if position < len(fields) else 1
        return trace_error(code, message, self.name, number, text,
                           _field_column(text, position), max(width, 1))


def read_trace(path: Path, shown: str | None = None) -> Trace:
    """Every record of the trace at `path` (shown in diagnostics as `shown`, default the
    path), in time order.  Raises SpecError (E001 and E002 for an unreadable file)."""
    name = shown or str(path)
    header: list[Header] = []
    try:
        with open_text(path) as stream:
            records = list(_records(_numbered(stream), name, header))
    except (OSError, EOFError, lzma.LZMAError) as err:
        raise SpecError([Diagnostic("E001", f"cannot read {name}: {_reason(err)}", None)]) \
            from None
    except UnicodeDecodeError as err:
        raise SpecError([Diagnostic("E002", f"{name} is not valid UTF-8: {err.reason}",
                                    None)]) from None
    records.sort(key=lambda r: r.time)  # stable
    number, _, columns = header[0]
    return Trace(path, name, tuple(sorted(columns, key=columns.__getitem__)), number, records)


def _reason(err: BaseException) -> str:
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


def _numbered(stream: IO[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        yield number, line.rstrip("\r\n")


def _records(lines: Iterator[tuple[int, str]], path: str,
             headers: list[Header]) -> Iterator[Record]:
    """The records after the version and header lines; the header is appended to
    `headers`."""
    _version(next(lines, (1, "")), path)
    header = _header(next(lines, None), path)
    headers.append(header)
    count = 0
    for number, text in lines:
        if not text.strip() or text.startswith("#"):
            continue  # blank lines and comments
        count += 1
        yield _record(header, number, text, path, count)
    if count == 0:
        last = header[0]
        raise trace_error("E544", "the trace has no records (a header, then one line per "
                          "access)", path, last, header[1] or " ")


def _version(first: tuple[int, str], path: str) -> None:
    number, text = first
    word, _, rest = text.partition(" ")
    if word != MAGIC:
        raise trace_error("E540", f"not a page-access trace: its first line must be "
                          f"`{MAGIC} {VERSION}`", path, number, text or " ")
    version = rest.strip()
    if version != str(VERSION):
        col = len(word) + 2
        raise trace_error("E541", f"page-trace version {version or '(none)'!s} is not "
                          f"supported; this numaspec reads version {VERSION}", path, number,
                          text, min(col, len(text) + 1))


def _header(found: tuple[int, str] | None, path: str) -> Header:
    if found is None:
        raise trace_error("E544", "the trace has no header line and no records", path, 1,
                          f"{MAGIC} {VERSION}")
    number, text = found
    names = [name.strip() for name in text.split(",")]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        col, width = _field_column(text, position), len(text.split(",")[position]) or 1
        if name not in COLUMNS:
            raise trace_error("E542", f"unknown column {name!r}; a trace has the columns "
                              f"{', '.join(COLUMNS)}", path, number, text, col, width)
        if name in index:
            raise trace_error("E542", f"column {name!r} appears twice", path, number, text,
                              col, width)
        index[name] = position
    _require_columns(index, path, number, text)
    return number, text, index


def _require_columns(index: dict[str, int], path: str, number: int, text: str) -> None:
    missing = [name for name in REQUIRED if name not in index]
    if ("page" in index) == ("addr" in index):
        missing.append("page or addr (exactly one)")
    if missing:
        raise trace_error("E542", f"the header lacks the column {missing[0]}", path, number,
                          text)


def _field_column(text: str, position: int) -> int:
    """The 1-based column where field `position` of a CSV line starts."""
    col = 1
    for field in text.split(",")[:position]:
        col += len(field) + 1
    return col


class _Line:
    """One record line split into its fields, and diagnostics pointing into it."""

    def __init__(self, columns: dict[str, int], path: str, number: int, text: str):
        self.columns, self.path, self.number, self.text = columns, path, number, text
        self.fields = text.split(",")

    def has(self, name: str) -> bool:
        return name in self.columns

    def value(self, name: str) -> str:
        return self.fields[self.columns[name]].strip()

    def error(self, name: str, message: str) -> SpecError:
        position = self.columns[name]
        return trace_error("E543", message, self.path, self.number, self.text,
                           _field_column(self.text, position),
                           max(len(self.fields[position]), 1))

    def integer(self, name: str) -> int | None:
        """The column's non-negative integer (decimal or 0x hex); None without the column."""
        if name not in self.columns:
            return None
        value = self.value(name)
        try:
            parsed = int(value, 16) if value.lower().startswith("0x") else int(value, 10)
        except ValueError:
            parsed = -1
        if parsed < 0 or len(value) > 40:
            raise self.error(name, f"{name} must be a non-negative integer (decimal or 0x "
                             f"hex), not {value!r}")
        return parsed

    def time(self, default: float) -> float:
        if "time" not in self.columns:
            return default
        value = self.value("time")
        try:
            parsed = float(value)
        except ValueError:
            parsed = -1.0
        if not 0 <= parsed < float("inf"):
            raise self.error("time", f"time must be a non-negative number, not {value!r}")
        return parsed


def _record(header: Header, number: int, text: str, path: str, count: int) -> Record:
    line = _Line(header[2], path, number, text)
    if len(line.fields) != len(line.columns):
        raise trace_error("E543", f"a record has {len(line.columns)} fields "
                          f"({header[1].replace(' ', '')}), this line {len(line.fields)}",
                          path, number, text)
    op = line.value("op")
    if op not in OPS:
        raise line.error("op", f"op must be r or w, not {op!r}")
    page = line.integer("page")
    if page is None:
        page = (line.integer("addr") or 0) >> PAGE_SHIFT
    return Record(line.time(float(count)), line.integer("thread") or 0, page, OPS[op],
                  line.integer("cpu"), line.integer("node"), number)
