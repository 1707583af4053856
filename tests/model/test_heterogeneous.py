"""Heterogeneous machines: imported topologies keep CPU-less nodes (CXL memory
expanders, HBM) and memory-less nodes; specs ask `has_cpus(n)` / `has_memory(n)`; an action
`on n` does not run on a CPU-less node;
P1 adapted to a CXL machine (tests/corpus/hetero/pernode_cxl.numa) checks on every engine,
and nothing changes on a machine whose nodes all have both."""

from pathlib import Path

import pytest
from harness import ROOT

import numaspec
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.ir import nodes as ir
from numaspec.spec.topology.resolve import resolve_topology

TOPOLOGIES = ROOT / "tests/corpus/topologies"
CXL = str(TOPOLOGIES / "cxl3.txt")
HETERO = str(TOPOLOGIES / "hetero4.json")
CXL_SPEC = str(ROOT / "tests/corpus/hetero/pernode_cxl.numa")
P1 = str(ROOT / "spec/examples/pernode.numa")


def test_numactl_cpuless_node_is_kept() -> None:
    topology = resolve_topology(CXL)
    assert topology.cpuless == {2} and topology.memoryless == frozenset()


def test_json_kinds_and_their_errors(tmp_path: Path) -> None:
    topology = resolve_topology(HETERO)
    assert topology.cpuless == {3} and topology.memoryless == {1}
    both = tmp_path / "both.json"
    both.write_text('{"distance": [[10, 20], [20, 10]], "cpuless": [1], "memoryless": [1]}')
    with pytest.raises(SpecError, match="neither CPUs nor memory"):
        resolve_topology(str(both))
    outside = tmp_path / "outside.json"
    outside.write_text('{"distance": [[10, 20], [20, 10]], "cpuless": [5]}')
    with pytest.raises(SpecError, match="node 5 is not a node"):
        resolve_topology(str(outside))


def test_sysfs_cpulist_and_meminfo(tmp_path: Path) -> None:
    rows = ["10 21 24", "21 10 24", "24 24 10"]
    for n, row in enumerate(rows):
        node = tmp_path / f"node{n}"
        node.mkdir()
        (node / "distance").write_text(row + "\n")
        (node / "cpulist").write_text("" if n == 2 else f"{2 * n}-{2 * n + 1}\n")
        (node / "meminfo").write_text(f"Node {n} MemTotal:  {0 if n == 1 else 1048576} kB\n")
    topology = resolve_topology(str(tmp_path))
    assert topology.cpuless == {2} and topology.memoryless == {1}


def test_ordinary_machines_are_unchanged() -> None:
    """On presets and on the spec's own topology the predicates are `true` and nothing is
    added to the IR: P1's pinned counts stay."""
    compiled = numaspec.compile_spec(P1, ["NODES=2"])
    assert compiled.spec.topology.cpuless == compiled.spec.topology.memoryless == frozenset()
    result = numaspec.check(compiled)
    assert result.outcome is numaspec.Outcome.OK
    uniform = numaspec.compile_spec(CXL_SPEC, [], resolve_topology("uniform2"))
    fault = next(a for a in uniform.spec.actions if a.name == "fault")
    first = fault.body.stmts[0]
    assert isinstance(first, ir.Require) and first.cond == ir.Const(True, first.cond.type,
                                                                    first.cond.span)


def test_p1_on_a_cxl_machine_holds_on_every_engine() -> None:
    compiled = numaspec.compile_spec(CXL_SPEC, [], resolve_topology(CXL))
    explicit = numaspec.check(compiled)
    assert explicit.outcome is numaspec.Outcome.OK
    assert explicit.stats.distinct_states == 714
    interpreted = numaspec.check(compiled, numaspec.CheckOptions(vectorise=False))
    assert interpreted.stats.distinct_states == 714
    bounded = numaspec.bmc(compiled, numaspec.BmcOptions(depth=4))
    assert bounded.outcome is numaspec.Outcome.OK


def test_p1_unchanged_is_wrong_on_a_cxl_machine(tmp_path: Path) -> None:
    """P1 asks every other node to unmap; a CPU-less node has no pager to answer (its
    `recv_req` is disabled there), so the unmap never completes."""
    text = (ROOT / P1).read_text().replace("symmetric Node", "")
    spec = tmp_path / "pernode.numa"
    spec.write_text(text)
    result = numaspec.check(numaspec.compile_spec(str(spec), [], resolve_topology(CXL)))
    assert result.finding is not None and result.finding.property == "unmap_terminates"


def test_no_frame_of_a_memory_less_node_is_allocated() -> None:
    compiled = numaspec.compile_spec(CXL_SPEC, [], resolve_topology(HETERO))
    result = numaspec.check(compiled)
    assert result.outcome is numaspec.Outcome.OK  # frames_have_memory, cpuless_maps_nothing


def test_symmetry_is_refused_where_the_machine_breaks_it(tmp_path: Path) -> None:
    spec = tmp_path / "sym.numa"
    spec.write_text(Path(CXL_SPEC).read_text() + "\nsymmetric Node\n")
    compiled = numaspec.compile_spec(str(spec), [], resolve_topology(HETERO))
    with pytest.raises(SpecError) as err:
        numaspec.check(compiled)
    assert err.value.diagnostics[0].code == "E405"


FRAMES = """spec frames

topology {
  nodes 3
  frames_per_node 2
}

var taken : Set[Frame]

action take(f: Frame) {
  require f not in taken
  taken += {f}
}

action take_local(n: Node) on n {
  choose f: frames_of(n) where f not in taken {
    taken += {f}
  }
}

invariant memory_only: forall f: taken: node_of(f) != 1
invariant four_frames: size({ f: Frame where true }) == 4
invariant none_on_one: frames_of(1) == {}
"""


def test_a_memory_less_node_has_no_frames(tmp_path: Path) -> None:
    """Nothing in the spec asks `has_memory`: node 1's frames 2 and 3 are in no binder over
    `Frame`, no action parameter takes them and `frames_of(1)` is empty, on every engine."""
    spec = tmp_path / "frames.numa"
    spec.write_text(FRAMES)
    machine = tmp_path / "memless.json"
    machine.write_text('{"distance": [[10, 20, 20], [20, 10, 20], [20, 20, 10]], '
                       '"frames_per_node": 2, "memoryless": [1]}')
    compiled = numaspec.compile_spec(str(spec), [], resolve_topology(str(machine)))
    for vectorise in (True, False):
        result = numaspec.check(compiled, numaspec.CheckOptions(deadlock=False,
                                                                vectorise=vectorise))
        assert result.outcome is numaspec.Outcome.OK
        assert result.stats.distinct_states == 2 ** 4  # subsets of frames 0, 1, 4, 5
    assert numaspec.bmc(compiled, numaspec.BmcOptions(depth=5, deadlock=False)).outcome \
        is numaspec.Outcome.OK
    plain = numaspec.compile_spec(str(spec))  # its own topology: every node has memory
    homogeneous = numaspec.check(plain, numaspec.CheckOptions(deadlock=False))
    assert homogeneous.finding is not None and homogeneous.finding.property == "four_frames"
    take, guarded = (next(a for a in c.spec.actions if a.name == "take")
                     for c in (plain, compiled))
    assert isinstance(guarded.body, ir.Block) and isinstance(guarded.body.stmts[0], ir.Require)
    assert guarded.body.stmts[1:] == (take.body,)  # the guard, only where memory is missing


def test_p1_on_a_machine_with_a_memory_less_node_needs_no_guard(tmp_path: Path) -> None:
    """The CXL variant without its `has_memory(n)`: the memory-less node's own frame is
    never taken, so `frames_have_memory` holds, with the states of the guarded spec."""
    text = Path(CXL_SPEC).read_text()
    assert "where has_memory(n) and" in text
    spec = tmp_path / "pernode_cxl.numa"
    spec.write_text(text.replace("where has_memory(n) and", "where"))
    hetero = resolve_topology(HETERO)
    unguarded = numaspec.check(numaspec.compile_spec(str(spec), [], hetero))
    guarded = numaspec.check(numaspec.compile_spec(CXL_SPEC, [], hetero))
    assert unguarded.outcome is guarded.outcome is numaspec.Outcome.OK
    assert unguarded.stats.distinct_states == guarded.stats.distinct_states
