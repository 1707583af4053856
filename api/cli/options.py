"""Command-line options shared by every command that reads a spec (-D, --topology, --json),
the argparse types of numeric options, and the one place that turns them into a compiled
spec.

A bad number (negative, zero where that means nothing, `nan`, `inf`) is refused by argparse
with E004 and exit 2 (api/cli/main.py) before any work starts.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterable
from pathlib import Path

from numaspec.spec.diagnostics import fail
from numaspec.spec.pipeline import CompiledSpec, compile_spec
from numaspec.spec.topology.resolve import resolve_topology


def add_spec_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME=VALUE",
                        help="override a constant (repeatable), e.g. -D PAGES=3")
    parser.add_argument("--topology", metavar="NAME|FILE|DIR",
                        help="a preset (uniform2, uniform4, opteron4, xeon2, magnycours8), "
                             "numactl --hardware output, a JSON file or a sysfs node directory")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def load_spec(path: str, args: argparse.Namespace) -> CompiledSpec:
    """Compile `path` with the -D and --topology of `args`.  Raises SpecError.  `-` is the
    spec on standard input (shown as `<stdin>`; its imports are looked up from the working
    directory); a name that is no file but a bundled example (`pernode`) is that example.
    E004 if the spec and a `--lemmas` file are both standard input."""
    lemma_paths = getattr(args, "lemmas", None) or ()
    one_standard_input([("SPEC", path), *(("--lemmas", f) for f in lemma_paths)])
    topology = resolve_topology(args.topology) if args.topology else None
    lemmas = tuple(read_lemma_file(f) for f in lemma_paths)
    shown, texts = spec_source(path)
    return compile_spec(shown, args.defines, topology, lemmas=lemmas, texts=texts)


def spec_source(path: str) -> tuple[str, dict[Path, str] | None]:
    """What `compile_spec` is given for the SPEC argument `path`: the path and the texts that
    stand in for files.  `-` is standard input, read here (once), shown as `<stdin>` (its
    imports are looked up from the working directory); a bundled example's name is its file.
    Raises SpecError if standard input cannot be read (E001, E002, E003)."""
    from numaspec.spec.bundled import find

    if path == "-":
        return STDIN, {Path(STDIN).resolve(): read_stdin()}
    return find(path), None


STDIN = "<stdin>"  # the name a spec read from standard input is shown by
# The names of standard input: `-`, and the device files a trace may also be read from.
STANDARD_INPUT = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})


def one_standard_input(inputs: Iterable[tuple[str, str | None]]) -> None:
    """E004 if two of a command's inputs, (what, path) with path None when not given, are
    standard input: it can be read once, so the second would read nothing."""
    seen: list[str] = []
    for what, path in inputs:
        if path is not None and path in STANDARD_INPUT:
            seen.append(f"{what} ({path})")
    if len(seen) > 1:
        raise fail("E004", f"standard input can be read once: {seen[0]} and {seen[1]} are "
                   "both standard input; give one of them as a file", None)


def read_stdin() -> str:
    """Standard input as text, read once; E001 if it cannot be read, E003 beyond the size
    limit of spec files, E002 if it is not UTF-8."""
    import sys

    from numaspec.spec.loader import MAX_FILE_BYTES

    try:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError, AttributeError) as err:  # closed, or not a byte stream
        raise fail("E001", f"cannot read the spec from standard input: {err}", None) from None
    if len(data) > MAX_FILE_BYTES:
        raise fail("E003", f"standard input is larger than {MAX_FILE_BYTES // 2**20} MB; "
                   "spec files are limited to that", None)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail("E002", f"standard input is not valid UTF-8 (byte 0x{data[err.start]:02x} "
                   f"at offset {err.start})", None) from None


def read_lemma_file(path: str) -> tuple[str, str]:
    """(shown path, text) of a `--lemmas` or `--views` side file; `-` is standard input,
    shown as `<stdin>`.  Raises SpecError (E001) if unreadable."""
    from numaspec.spec.loader import read_source

    if path == "-":
        return STDIN, read_stdin()
    return path, read_source(Path(path), path, None)


MAX_SECONDS = 1_000_000_000  # the largest number of seconds a time limit may be


def integer(least: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least `least`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, not {value}")
        return value

    parse.__name__ = "integer"  # argparse names the type in its messages
    return parse


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds greater than 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not {text!r}") \
            from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds greater than 0, "
                                         f"not {text!r}")
    if value > MAX_SECONDS:  # past any run; some clocks and solvers cannot hold it
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SECONDS:,} seconds (about 31 "
                                         f"years), not {text!r}; leave it out for no limit")
    return value


def seconds_or_zero(text: str) -> float:
    """An argparse type: `seconds`, or 0 (which turns the thing timed off)."""
    try:
        if float(text) == 0:
            return 0.0
    except ValueError:
        pass
    return seconds(text)
