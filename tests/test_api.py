"""The Python facade: docs/api.md's session runs as written, and the CLI stays light."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("z3", "hypothesis", "matplotlib", "pygls")


def session_blocks(markdown: str) -> str:
    """The ```pycon blocks of a Markdown text, one after the other (a doctest session)."""
    return "\n".join(re.findall(r"^```pycon\n(.*?)^```", markdown, re.S | re.M))


def test_api_session_runs_as_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = session_blocks((ROOT / "docs" / "api.md").read_text())
    test = doctest.DocTestParser().get_doctest(text, {}, "docs/api.md", "docs/api.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.tries > 10 and runner.failures == 0


def test_facade_exports_every_documented_name() -> None:
    import numaspec

    for name in ("compile_spec", "Model", "check", "bmc", "prove", "lint", "simulate", "fuzz",
                 "validate_trace", "Outcome", "SpecError"):
        assert callable(getattr(numaspec, name)), name
    with pytest.raises(AttributeError):
        _ = numaspec.no_such_name  # type: ignore[attr-defined]


_PROBE = """
import sys
from numaspec.cli import main
try:
    status = main({argv!r})
except SystemExit as stop:
    status = stop.code
print("status", status)
print("loaded", *[m for m in {heavy!r} if m in sys.modules])
"""


@pytest.mark.parametrize("argv", [
    ["--version"],
    ["parse", "spec/examples/pernode.numa"],
    ["check", "spec/examples/pernode.numa", "-D", "NODES=2"],
    ["check", "spec/examples/pernode.numa", "-D", "NODES=2", "--no-vectorise"],
    ["workload", "import", "tests/corpus/workloads/tiny.csv"],
], ids=["version", "parse", "check", "check-interpreted", "workload-import"])
def test_light_commands_import_no_heavy_dependency(argv: list[str]) -> None:
    code = _PROBE.format(argv=argv, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": ""})
    lines = done.stdout.splitlines()
    assert "status 0" in lines, done.stderr
    assert lines[-1] == "loaded", f"{argv} imported {lines[-1].split()[1:]}"


def test_import_numaspec_is_light() -> None:
    code = f"import sys, numaspec; numaspec.compile_spec; print(*[m for m in {HEAVY!r} " \
           "if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr
