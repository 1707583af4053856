"""Output paths (`--trace-out`, `--witness`, `evaluate --out/--report`): checked before any
work starts, and written after the result is printed.

`check_file` and `check_directory` refuse, with E005 and exit 2, a path that cannot be
written: its directory is missing or not a directory, the path is a directory, or the
operating system refuses to open it for writing (tried, not guessed: permissions do not
say what root, a read-only file system or an ACL allow).  A file the check had to create is
removed again, so a run that writes nothing leaves nothing behind.  `write_after` writes
once the result has been printed; should that still fail (a full disk), the finding has
been shown and the error follows it on stderr, exit 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from numaspec.cli import exit_status
from numaspec.cli.render import render_diagnostics
from numaspec.spec.diagnostics import SpecError, fail

if TYPE_CHECKING:
    from numaspec.model.findings import Finding
    from numaspec.model.machine import Model
    from numaspec.spec.pipeline import CompiledSpec
    from numaspec.traces.formats.itf_style import ItfStyle


def check_file(path: str, option: str) -> None:
    """Raise SpecError (E005) if the file `path` given to `option` cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise _error(option, path, "it is a directory")
    _check_parent(target.parent, option, path)
    existed = os.path.lexists(path)
    try:
        # O_NONBLOCK: a FIFO without a reader is an error (ENXIO), not a hang
        handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o666)
    except OSError as err:
        raise _error(option, path, err.strerror or str(err)) from None
    os.close(handle)
    if not existed:
        os.unlink(path)


def check_directory(path: str, option: str) -> None:
    """Raise SpecError (E005) if the directory `path` can neither be written nor created."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise _error(option, path, "it exists and is not a directory")
    existing = target
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise _error(option, path, f"{existing} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _error(option, path, f"{existing} is not writable")


def _check_parent(parent: Path, option: str, path: str) -> None:
    if not parent.exists():
        raise _error(option, path, f"the directory {parent} does not exist")
    if not parent.is_dir():
        raise _error(option, path, f"{parent} is not a directory")


def write_after(path: str, option: str, write: Callable[[], None]) -> int | None:
    """Run `write()` (the result is already printed); None, or exit 2 after reporting on
    stderr why `path` could not be written (always text: stdout may hold a JSON result)."""
    try:
        write()
    except OSError as err:
        error = _error(option, path, err.strerror or str(err))
        sys.stderr.write(render_diagnostics(error.diagnostics, error.sources) + "\n")
        return exit_status.BAD_INPUT
    return None


def write_finding_trace(path: str | None, model: Model, finding: Finding | None,
                        compiled: CompiledSpec, style: ItfStyle | None = None) -> int | None:
    """`--trace-out`: write `finding`'s trace to `path` (if both are given) after the result
    was printed; None, or exit 2 (reported on stderr) if the file could not be written."""
    if not path or finding is None:
        return None
    from numaspec.traces.formats.itf_style import ItfStyle
    from numaspec.traces.formats.write import write_trace

    return write_after(path, "--trace-out", lambda: write_trace(
        path, model, finding.trace, compiled, finding, style or ItfStyle()))


def _error(option: str, path: str, reason: str) -> SpecError:
    return fail("E005", f"{option} {path}: cannot write: {reason}", None)
