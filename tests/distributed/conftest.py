"""A 2-worker Dask LocalCluster shared by the tests of numaspec on a cluster (marked
`cluster`; pyproject.toml says why they are not in the default selection)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def session() -> Iterator[Any]:
    pytest.importorskip("distributed")
    from numaspec.checker.distributed.cluster import open_session

    with open_session(workers=2) as opened:
        yield opened
