"""Fixtures of the tests of the vectorised search."""

from __future__ import annotations

import pytest
from vector_helpers import SAMPLES, Samples, compiled, constructs_without_int_sets, reachable


@pytest.fixture(autouse=True)
def at_root(at_root: None) -> None:
    """Every test here runs in the repository root (findings carry spans relative to the
    working directory)."""


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """Reachable states of each sample spec (all of them, or the first ones); computed once for
    the layout, stepper and fingerprint tests."""
    out = {}
    for name, (path, defines, count) in SAMPLES.items():
        if path == "constructs":
            path = str(constructs_without_int_sets(tmp_path_factory.mktemp("constructs")))
        spec = compiled(path, defines)
        out[name] = (spec, reachable(spec, count))
    return out
