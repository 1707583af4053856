"""The good corpus compiles, and its IR says what the source says."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap
from numaspec.spec.pipeline import compile_spec

GOOD = ROOT / "tests" / "corpus" / "good"


@pytest.fixture(scope="module")
def spec() -> ir.Spec:
    return compile_spec(str(GOOD / "constructs.numa")).spec


def test_topology(spec: ir.Spec) -> None:
    assert spec.topology.nodes == 3 and spec.topology.frames_per_node == 2
    assert spec.topology.distance[0] == (10, 16, 16)


def test_constants_and_import_bindings(spec: ir.Spec) -> None:
    assert spec.constants["PAGES"][0] == 2
    assert spec.constants["helpers.LIMIT"][0] == 2  # bound by `with { LIMIT = 2 }`
    assert spec.constants["LIMITS"][0] == FrozenMap({1: 2, 3: 4})
    assert spec.constants["ALL"][0] == frozenset({0, 1})  # enum members by position


def test_types(spec: ir.Spec) -> None:
    assert spec.types["Page"] == t.IntType(0, 1)
    assert spec.types["Kind"] == t.EnumType("Kind", ("code", "data", "stack"))
    entry = spec.types["Entry"]
    assert isinstance(entry, t.RecordType) and [f for f, _ in entry.fields] == ["frame", "kind"]


def test_variables_initial_values_and_placement(spec: ir.Spec) -> None:
    owner = spec.variable("owner")
    assert owner.initial == FrozenMap({0: None, 1: None})
    assert owner.placement is not None and owner.placement.keys == ()
    table = spec.variable("table")
    assert table.placement is not None and [k.name for k in table.placement.keys] == ["k"]
    assert spec.variable("pair").initial == (1, True)
    assert spec.variable("count").initial == 3
    assert spec.variable("history").type == t.SeqType(t.IntType(0, 1), 4)


def test_channels(spec: ir.Spec) -> None:
    req = spec.variable("req")
    assert req.channel == ir.ChannelInfo(t.NodeType(3), t.TupleType((t.IntType(0, 1),
                                                                      t.NodeType(3))), 2)
    assert req.initial == FrozenMap({0: (), 1: (), 2: ()})
    assert req.placement is not None  # an indexed channel lives on its index node
    assert spec.variable("log").initial == ()


def test_actions(spec: ir.Spec) -> None:
    assert [a.name for a in spec.actions] == ["fault", "request", "serve", "drain"]
    fault = spec.action("fault")
    assert fault.annotations == {"pagefault"}
    assert [p.name for p in fault.params] == ["n", "p"]
    assert fault.on is not None
    serve = spec.action("serve")
    assert serve.receive is not None and serve.receive.channel == "req"
    assert spec.action("drain").on is None


def test_inlined_calls_are_marked(spec: ir.Spec) -> None:
    def inlined(block: ir.Block) -> list[ir.Inlined]:
        found = []
        for stmt in block.stmts:
            if isinstance(stmt, ir.Inlined):
                found.append(stmt)
                found += inlined(stmt.body)
            elif isinstance(stmt, ir.Block):
                found += inlined(stmt)
            elif isinstance(stmt, ir.Choose | ir.For):
                found += inlined(stmt.body)
        return found

    calls = inlined(spec.action("fault").body)
    assert [(c.callee, c.kernel) for c in calls] == [("touch", True), ("record", False)]
    assert "l4.map" in spec.kernels and "touch" in spec.kernels


def test_properties(spec: ir.Spec) -> None:
    names = [p.name for p in spec.invariants]
    assert names[:1] == ["l4.mdb_matches_pt"] or "l4." in names[0]  # imported first
    assert "helpers.ticks_bounded" in names and "consistent" in names
    lemma = next(p for p in spec.invariants if p.name == "owner_known")
    assert lemma.annotations == {"lemma"}
    assert [p.name for p in spec.reachables] == ["something_mapped"]
    assert [p.name for p in spec.finals] == ["quiet"]
    assert [p.name for p in spec.liveness] == ["drained"]
    assert spec.fair == ("serve", "drain") and spec.symmetric == ("Node",)


def test_defines_override_constants_and_topology() -> None:
    spec = compile_spec(str(ROOT / "spec" / "examples" / "pernode.numa"),
                        ["PAGES=3", "NODES=2"]).spec
    assert spec.constants["PAGES"][0] == 3
    assert spec.topology.nodes == 2


@pytest.mark.parametrize("path", sorted(GOOD.glob("*.numa")), ids=lambda p: p.name)
def test_good_corpus_compiles(path: Path) -> None:
    compile_spec(str(path))
