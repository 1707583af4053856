"""The row layout: every sample state round-trips through its row, within the columns' bounds."""

from __future__ import annotations

import pytest
from vector_helpers import SAMPLES, Samples, batch_of

from numaspec.checker.explicit.vector.layout import Layout


@pytest.mark.parametrize("name", list(SAMPLES))
def test_layout_round_trip(name: str, samples: Samples) -> None:
    spec, states = samples[name]
    layout = Layout(spec)
    assert 0 < len(states) <= SAMPLES[name][2]
    rows = set()
    for state in states:
        row = layout.row(state)
        assert row.dtype == layout.dtype and row.ndim == 1
        assert layout.state(row) == state
        values = row[:layout.width]
        for value, column in zip(values.tolist(), layout.columns, strict=True):
            assert column.lo is None or column.lo <= value, column
            assert column.hi is None or value <= column.hi, column
        rows.add(values.tobytes())
    assert len(rows) == len(states)  # distinct states, distinct rows
    batch = batch_of(layout, states[:50])
    assert [layout.state(r) for r in batch] == states[:50]
