from __future__ import annotations

from pathlib import Path

import pytest

from numaspec.spec.pipeline import CompiledSpec, compile_spec

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def compile_text(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Compile spec text written to a temporary file; returns the CompiledSpec."""

    def run(text: str, *defines: str) -> CompiledSpec:
        path = tmp_path / "t.numa"
        path.write_text(text)
        return compile_spec(str(path), list(defines))

    return run
