"""The shared test harness: the repository's paths, running the `numaspec` command (in-process
or as a real process) and golden files.  Test modules import from here (`from harness import
ROOT, ...`; pyproject's `pythonpath = ["tests"]` puts this directory on sys.path); the
fixtures (`at_root`, `compile_text`) are in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the repository root
GOLDEN = ROOT / "tests" / "golden"
P1 = "spec/examples/pernode.numa"  # relative to ROOT: the reference design
# The shared corpus's expected verdicts (tests/corpus/specs/expected.json), read once.
EXPECTED: dict[str, Any] = json.loads((ROOT / "tests" / "corpus" / "specs" / "expected.json")
                                      .read_text())
# NUMASPEC_UPDATE_GOLDEN=1 rewrites every golden a test compares with (then review the diff).
UPDATE_GOLDENS = os.environ.get("NUMASPEC_UPDATE_GOLDEN") == "1"
# A one-node counter to 3: the hostile-input tests' smallest spec, with traces of it.
COUNTER_SPEC = """spec counter
topology {
  nodes 1
  frames_per_node 1
}
const MAX = 3
var x : 0 .. 5
action inc() {
  require x < MAX
  x += 1
}
invariant small: x <= MAX
"""


@dataclass(frozen=True)
class CliRun:
    """One run of the command: its exit status, what it wrote, and whether it ended by raising
    SystemExit (argparse's errors) instead of returning the status from `main`."""

    status: int
    out: str
    err: str
    exited: bool = False


def run_cli(argv: Sequence[str]) -> CliRun:
    """`numaspec.cli.main.main(argv)` in this process, with stdout and stderr captured."""
    from numaspec.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    exited = False
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as stop:
            exited = True
            status = stop.code if isinstance(stop.code, int) else 1
    return CliRun(status, out.getvalue(), err.getvalue(), exited)


def cli_command(argv: Sequence[str]) -> list[str]:
    """The command line of a process that runs `main` with this interpreter, as the
    installed script does (for tests that talk to the process: pipes, signals)."""
    return [sys.executable, "-c", "import sys; from numaspec.cli.main import main; "
            "sys.exit(main(sys.argv[1:]))", *argv]


def run_cli_process(argv: Sequence[str], *, installed: bool = False, cwd: Path = ROOT,
                    timeout: float = 120) -> CliRun:
    """The command as a real process: `main` run by this interpreter, or with `installed`
    the `numaspec` script that `pip install` put next to it."""
    if installed:
        command = [str(Path(sys.executable).parent / "numaspec"), *argv]
    else:
        command = cli_command(argv)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return CliRun(done.returncode, done.stdout, done.stderr)


def assert_golden(text: str, path: str | Path) -> None:
    """`text` is exactly the golden file `path` (relative to tests/golden/ unless absolute);
    with NUMASPEC_UPDATE_GOLDEN=1 the file is rewritten first."""
    golden = GOLDEN / path
    if UPDATE_GOLDENS:
        golden.write_text(text)
    assert golden.exists(), \
        f"no golden file {golden.name}; create it with NUMASPEC_UPDATE_GOLDEN=1"
    assert text == golden.read_text()
