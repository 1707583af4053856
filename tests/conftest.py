"""Fixtures shared by every test; the helpers they use are in tests/harness.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT

from numaspec.spec.pipeline import CompiledSpec, compile_spec


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in the repository root: findings carry spans relative to the working directory,
    and the tests name specs relative to the root."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def compile_text(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Compile spec text written to a temporary file; returns the CompiledSpec."""

    def run(text: str, *defines: str) -> CompiledSpec:
        path = tmp_path / "t.numa"
        path.write_text(text)
        return compile_spec(str(path), list(defines))

    return run
