"""Ctrl-C in `lint` keeps the warnings found so far (exit 1 with them, 3 without), instead
of a bare "interrupted"."""

from pathlib import Path

import pytest
from harness import run_cli

SPEC = """spec dead
topology { nodes 2 frames_per_node 1 }
var x : 0 .. 3
action never() { require x > 3; x := 0 }
action inc() { require x < 3; x += 1 }
invariant small: x <= 3
"""


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


@pytest.fixture
def interrupted_at_invariants(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C arrives once the actions are linted, before the invariants are."""
    from numaspec.checker.smt import lint

    monkeypatch.setattr(lint._Linter, "_invariant", _interrupt)


def test_the_warnings_found_before_ctrl_c_are_printed(
        tmp_path: Path, interrupted_at_invariants: None) -> None:
    path = tmp_path / "dead.numa"
    path.write_text(SPEC)
    run = run_cli(["lint", str(path)])
    assert run.status == 1 and "W610" in run.err
    assert "1 warning(s) (interrupted: the warnings found so far)" in run.out


def test_ctrl_c_before_any_warning_is_a_limit(
        tmp_path: Path, interrupted_at_invariants: None) -> None:
    path = tmp_path / "live.numa"
    path.write_text(SPEC.replace("require x > 3", "require x == 3"))
    run = run_cli(["lint", str(path)])
    assert run.status == 3
    assert "0 warning(s) (interrupted: the warnings found so far)" in run.out
