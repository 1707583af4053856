"""Access streams and result tables of the evaluation: determinism, shapes, formatting."""

from __future__ import annotations

import pytest

from numaspec.checker.evaluation.experiments.sharing import _first_crossing, crossings
from numaspec.checker.evaluation.tables import Table, fmt
from numaspec.checker.evaluation.workloads import Layout, sharing_stream, touch_in_turn


def test_streams_are_deterministic_for_a_seed() -> None:
    layout = Layout(4)
    assert sharing_stream(layout, 0.3, 200, 0.05, 9) == sharing_stream(layout, 0.3, 200, 0.05, 9)
    assert sharing_stream(layout, 0.3, 200, 0.05, 9) != sharing_stream(layout, 0.3, 200, 0.05, 8)


def test_fractions_share_their_random_numbers() -> None:
    layout = Layout(3)
    low, high = (sharing_stream(layout, f, 300, 0.05, 1) for f in (0.2, 0.6))
    assert [a.node for a in low] == [a.node for a in high]
    assert [a.unmap for a in low] == [a.unmap for a in high]
    shared = set(range(layout.nodes * layout.private, layout.pages))
    low_shared = {i for i, a in enumerate(low) if a.page in shared}
    high_shared = {i for i, a in enumerate(high) if a.page in shared}
    assert low_shared < high_shared  # more sharing only adds shared accesses


def test_private_pages_belong_to_their_node() -> None:
    layout = Layout(3, private=2, shared=4)
    assert layout.pages == 10 and layout.frames_per_node == 6
    for access in sharing_stream(layout, 0.0, 200, 0.0, 4):
        assert access.page // layout.private == access.node and not access.unmap
    assert all(a.page >= 6 for a in sharing_stream(layout, 1.0, 200, 0.0, 4))
    assert [(a.node, a.page) for a in touch_in_turn(3)] == [(0, 0), (1, 0), (2, 0)]


def test_table_formats() -> None:
    table = Table("t", "T", ["name", "value"])
    table.add("a", 1234)
    table.add("b", 0.123456)
    table.add("c", None)
    assert table.markdown().splitlines()[1] == "|---|---:|"
    assert "| a | 1,234 |" in table.markdown() and "| c | n/a |" in table.markdown()
    assert table.csv() == "name,value\na,1234\nb,0.123456\nc,\n"
    assert fmt(2.0) == "2" and fmt(123.456) == "123.5" and fmt(0.5) == "0.5"


def test_crossings_interpolate_between_fractions() -> None:
    assert _first_crossing([(0.0, -2.0), (0.5, 2.0), (1.0, 3.0)]) == 0.25
    assert _first_crossing([(0.0, 1.0), (1.0, 2.0)]) == 0.0  # ahead from the start
    assert _first_crossing([(0.0, -1.0), (1.0, -2.0)]) is None
    table = Table("s", "S", ["n", "shared fraction", "design", "cost"])
    for fraction, a, b in ((0.0, 1.0, 2.0), (1.0, 5.0, 3.0)):
        table.add(2, fraction, "A", a)
        table.add(2, fraction, "B", b)
    assert crossings(table, "A", "B", "cost") == {2: pytest.approx(1 / 3)}


def test_sharing_patterns() -> None:
    from numaspec.checker.evaluation.workloads import BURST, pattern_stream

    layout = Layout(4)
    private = pattern_stream("private", layout, 300, 0.05, 2)
    assert all(a.page // layout.private == a.node and not a.write for a in private)
    reads = pattern_stream("read-shared", layout, 300, 0.05, 2)
    writes = pattern_stream("write-shared", layout, 300, 0.05, 2)
    assert all(a.page >= layout.nodes * layout.private for a in reads)
    assert [(a.node, a.page, a.unmap) for a in reads] == \
        [(a.node, a.page, a.unmap) for a in writes]
    assert all(a.write for a in writes) and not any(a.write for a in reads)
    migratory = pattern_stream("migratory", layout, 300, 0.05, 2)
    owners = [migratory[i].node for i in range(0, 300, BURST)]
    assert all(a.node == owners[i // BURST] for i, a in enumerate(migratory))
    assert all(a != b for a, b in zip(owners, owners[1:], strict=False))  # it moves on
    assert [a.unmap for a in migratory] == [a.unmap for a in reads]  # the same draws
