"""The pytest plugin of numaspec (entry point `pytest11`, loaded by pytest once numaspec is
installed): the fixture `numaspec_conforms` and a line in the report header.

    def test_pager(numaspec_conforms):
        numaspec_conforms("pernode", impl=pager_impl.correct)

The fixture is `numaspec.checker.fuzz.conforms` (docs/fuzzing.md): it fuzzes the spec, with
the implementation in lockstep, under the active Hypothesis profile, inside the test, so
`pytest.mark.parametrize` can run one spec against several factories.  Loading the plugin
imports nothing heavy: Hypothesis and the engines are imported when the fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def pytest_report_header() -> str:
    from numaspec import __version__

    return f"numaspec: {__version__}"


@pytest.fixture
def numaspec_conforms() -> Callable[..., None]:
    """`conforms(spec, impl=None, defines=(), settings=None)`: fuzz now; a failure raises
    an AssertionError with the numaspec counterexample and a reproduction."""
    from numaspec.checker.fuzz.testing import conforms

    def run(*args: Any, **kwargs: Any) -> None:
        conforms(*args, **kwargs)

    return run
