"""The L4 kernel primitives of spec/lib/l4.numa, executed through the model.

The driver spec tests/corpus/l4/kernels.numa has one action per kernel (every argument a
parameter) and `setup`, which builds this tree from concrete arguments (frame 0 unless noted):

    sigma0 -> (A, 0) rwx -> (B, 0) rwx -> (C, 0) rw -> (C, 1) w
                         -> (D, 0) r
    sigma0 -> (D, 1) rwx  (frame 1)

Values follow spec/ir/values.py: a Space is (node, slot), a mapping ((node, slot), page), a page
table entry the record (frame, rights) (fields sorted by name), rights a frozenset of the enum
positions r = 0, w = 1, x = 2.
"""

from __future__ import annotations

from typing import Any

import pytest
from harness import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numaspec.model.machine import Model, State
from numaspec.spec.ir.values import FrozenMap
from numaspec.spec.pipeline import compile_spec

KERNELS = ROOT / "tests" / "corpus" / "l4" / "kernels.numa"

R, W, X = 0, 1, 2
RWX = frozenset({R, W, X})
A, B, C, D = (0, 0), (0, 1), (1, 0), (1, 1)
A0, A1, B0, B1, C0, C1, D0, D1 = (A, 0), (A, 1), (B, 0), (B, 1), (C, 0), (C, 1), (D, 0), (D, 1)


def rights(*members: int) -> frozenset[int]:
    return frozenset(members)


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(compile_spec(str(KERNELS)).spec)


class Kernel:
    """A state of the driver spec, stepped by kernel calls with named arguments."""

    def __init__(self, model: Model, state: State):
        self.model, self.state = model, state

    def var(self, name: str) -> Any:
        spec = self.model.spec
        return self.state[spec.variables.index(spec.variable(name))]

    @property
    def pt(self) -> FrozenMap:
        return self.var("l4.pt")  # type: ignore[no-any-return]

    @property
    def mdb(self) -> FrozenMap:
        return self.var("l4.mdb")  # type: ignore[no-any-return]

    def _successors(self, action: str, args: dict[str, Any]) -> list[State]:
        found = self.model.find_instance(action, args)
        assert len(found) == 1, f"{action}{args} names {len(found)} instances"
        return self.model.execute(self.state, found[0])

    def call(self, action: str, **args: Any) -> Kernel:
        """The kernel call must be enabled and deterministic, and keep every l4 invariant."""
        successors = self._successors(action, args)
        assert len(successors) == 1, f"{action}{args}: {len(successors)} successors"
        after = Kernel(self.model, successors[0])
        assert self.model.violated_invariant(after.state) is None
        assert_tree(after.state, self.model)
        return after

    def refused(self, action: str, **args: Any) -> bool:
        return self._successors(action, args) == []

    def entry(self, key: Any) -> tuple[int, frozenset[int]]:
        return self.pt[key]  # type: ignore[no-any-return]


def assert_tree(state: State, model: Model) -> None:
    """An oracle independent of the spec's invariants: the MDB is a forest over the PTEs, every
    child maps its parent's frame with at most its parent's rights, and rights are non-empty."""
    pt = state[model.names.index("l4.pt")]
    mdb = state[model.names.index("l4.mdb")]
    assert set(pt) == set(mdb)
    for key, parent in mdb.items():
        frame, rs = pt[key]
        assert rs, f"{key} has no rights"
        seen = {key}
        up = parent
        while up is not None:
            assert up not in seen, f"cycle through {key}"
            seen.add(up)
            up = mdb[up]
        if parent is not None:
            assert pt[parent][0] == frame and rs <= pt[parent][1], f"{key} exceeds {parent}"


@pytest.fixture
def tree(model: Model) -> Kernel:
    return Kernel(model, model.initial_states()[0]).call("setup")


# ------------------------------------------------------------------------------- setup

def test_setup_builds_the_tree(tree: Kernel) -> None:
    assert tree.pt == {A0: (0, RWX), B0: (0, RWX), C0: (0, rights(R, W)), C1: (0, rights(W)),
                       D0: (0, rights(R)), D1: (1, RWX)}
    assert tree.mdb == {A0: None, B0: A0, C0: B0, C1: C0, D0: A0, D1: None}
    assert tree.var("l4.allocated") == {0, 1}


def test_setup_runs_once(tree: Kernel) -> None:
    assert tree.refused("setup")


# ------------------------------------------------------------------------------- unmap

def test_unmap_removes_exactly_the_derived_mappings(tree: Kernel) -> None:
    after = tree.call("unmap", s=B, p=0, rs=RWX, flush=False)
    assert after.mdb == {A0: None, B0: A0, D0: A0, D1: None}  # B's subtree only; B stays
    assert after.pt[B0] == tree.pt[B0] and after.pt[D0] == tree.pt[D0]


def test_unmap_at_the_root_of_a_tree_spares_the_caller_and_other_trees(tree: Kernel) -> None:
    after = tree.call("unmap", s=A, p=0, rs=RWX, flush=False)
    assert after.mdb == {A0: None, D1: None}
    assert after.pt == {A0: (0, RWX), D1: (1, RWX)}


def test_flush_removes_the_callers_mapping_too(tree: Kernel) -> None:
    after = tree.call("unmap", s=B, p=0, rs=RWX, flush=True)
    assert after.mdb == {A0: None, D0: A0, D1: None}
    assert after.call("unmap", s=A, p=0, rs=RWX, flush=True).mdb == {D1: None}


@pytest.mark.parametrize("args", [
    {"s": C, "p": 1, "rs": RWX, "flush": False},   # a leaf has no derived mappings
    {"s": B, "p": 1, "rs": RWX, "flush": True},    # an unmapped page
    {"s": A, "p": 0, "rs": frozenset(), "flush": True},  # no rights: GetStatus
    {"s": B, "p": 0, "rs": rights(X), "flush": False},   # nothing below B has x
])
def test_unmap_that_hits_nothing_changes_nothing(tree: Kernel, args: dict[str, Any]) -> None:
    assert tree.call("unmap", **args).state == tree.state


def test_partial_unmap_revokes_rights_down_the_subtree(tree: Kernel) -> None:
    after = tree.call("unmap", s=A, p=0, rs=rights(W), flush=False)
    assert after.pt == {A0: (0, RWX), B0: (0, rights(R, X)), C0: (0, rights(R)),
                        D0: (0, rights(R)), D1: (1, RWX)}  # C1 had only w: removed
    assert after.mdb == {A0: None, B0: A0, C0: B0, D0: A0, D1: None}


def test_partial_flush_revokes_the_callers_rights_too(tree: Kernel) -> None:
    after = tree.call("unmap", s=A, p=0, rs=rights(W, X), flush=True)
    assert after.pt[A0] == (0, rights(R)) and after.pt[B0] == (0, rights(R))
    assert after.pt[C0] == (0, rights(R)) and C1 not in after.pt


def test_partial_unmap_removes_a_mapping_left_without_rights_and_its_subtree(
        tree: Kernel) -> None:
    after = tree.call("unmap", s=B, p=0, rs=rights(R, W), flush=True)
    assert after.pt == {A0: (0, RWX), B0: (0, rights(X)), D0: (0, rights(R)), D1: (1, RWX)}
    assert after.mdb == {A0: None, B0: A0, D0: A0, D1: None}


def test_unmap_then_remap_gives_a_fresh_child(tree: Kernel) -> None:
    after = tree.call("unmap", s=A, p=0, rs=RWX, flush=False)
    after = after.call("map", fs=A, fp=0, ts=C, tp=0, rs=rights(X))
    assert after.pt[C0] == (0, rights(X)) and after.mdb[C0] == A0


# ---------------------------------------------------------------------------------- map

@pytest.mark.parametrize("rs", [RWX, rights(X), rights(R, X)])
def test_map_refuses_rights_beyond_the_source(tree: Kernel, rs: frozenset[int]) -> None:
    assert tree.refused("map", fs=C, fp=0, ts=A, tp=1, rs=rs)   # (C, 0) has rw


def test_map_with_a_subset_of_the_source_rights(tree: Kernel) -> None:
    after = tree.call("map", fs=C, fp=0, ts=A, tp=1, rs=rights(R))
    assert after.pt[A1] == (0, rights(R)) and after.mdb[A1] == C0


@pytest.mark.parametrize("args", [
    {"fs": A, "fp": 1, "ts": B, "tp": 1, "rs": rights(R)},   # source not mapped
    {"fs": A, "fp": 0, "ts": B, "tp": 1, "rs": frozenset()},  # no rights
    {"fs": B, "fp": 0, "ts": B, "tp": 0, "rs": rights(R)},   # onto itself
    {"fs": C, "fp": 0, "ts": A, "tp": 0, "rs": rights(R)},   # onto an ancestor (the root)
    {"fs": C, "fp": 1, "ts": B, "tp": 0, "rs": rights(W)},   # onto an ancestor (inner)
    {"fs": C, "fp": 1, "ts": C, "tp": 0, "rs": rights(W)},   # onto its parent
])
def test_map_is_refused(tree: Kernel, args: dict[str, Any]) -> None:
    assert tree.refused("map", **args)


def test_map_again_from_the_same_parent_extends_the_rights(tree: Kernel) -> None:
    after = tree.call("map", fs=A, fp=0, ts=D, tp=0, rs=rights(W))
    assert after.pt[D0] == (0, rights(R, W)) and after.mdb[D0] == A0
    # the union stays within the parent's rights: C0 (rw) cannot give C1 x
    assert after.refused("map", fs=C, fp=0, ts=C, tp=1, rs=rights(X))
    again = after.call("map", fs=C, fp=0, ts=C, tp=1, rs=rights(R))
    assert again.pt[C1] == (0, rights(R, W))


def test_map_from_another_parent_flushes_the_target_subtree(tree: Kernel) -> None:
    # (C, 0) maps frame 0 from B; mapped again from A it is flushed (with (C, 1)) first
    after = tree.call("map", fs=A, fp=0, ts=C, tp=0, rs=rights(X))
    assert after.pt[C0] == (0, rights(X)) and after.mdb[C0] == A0
    assert C1 not in after.pt


def test_overmapping_another_frame_flushes_the_old_mapping_and_its_subtree(
        tree: Kernel) -> None:
    with_child = tree.call("map", fs=D, fp=1, ts=B, tp=1, rs=rights(R))   # frame 1 tree
    after = with_child.call("map", fs=A, fp=0, ts=D, tp=1, rs=rights(R, X))
    assert after.pt[D1] == (0, rights(R, X)) and after.mdb[D1] == A0
    assert B1 not in after.pt and B1 not in after.mdb


def test_map_onto_a_descendant_rebuilds_it_as_a_child(tree: Kernel) -> None:
    after = tree.call("map", fs=B, fp=0, ts=C, tp=1, rs=rights(X))
    assert after.pt[C1] == (0, rights(X)) and after.mdb[C1] == B0


# --------------------------------------------------------------------------- sigma0_map

def test_sigma0_map_over_a_derived_mapping_flushes_its_subtree(tree: Kernel) -> None:
    after = tree.call("sigma0_map", s=B, p=0, f=0, rs=rights(R))
    assert after.pt[B0] == (0, rights(R)) and after.mdb[B0] is None
    assert C0 not in after.pt and C1 not in after.pt


def test_sigma0_map_of_the_same_frame_extends_the_rights(model: Model) -> None:
    k = Kernel(model, model.initial_states()[0])
    k = k.call("sigma0_map", s=A, p=1, f=1, rs=rights(R))
    k = k.call("map", fs=A, fp=1, ts=C, tp=1, rs=rights(R))
    k = k.call("sigma0_map", s=A, p=1, f=1, rs=rights(W))
    assert k.pt[A1] == (1, rights(R, W)) and k.mdb[C1] == A1   # the child survives
    k = k.call("sigma0_map", s=A, p=1, f=0, rs=rights(W))     # another frame: flushed
    assert k.pt == {A1: (0, rights(W))}


def test_sigma0_map_needs_rights(tree: Kernel) -> None:
    assert tree.refused("sigma0_map", s=A, p=1, f=0, rs=frozenset())


# -------------------------------------------------------------------------------- grant

def test_grant_moves_the_subtree(tree: Kernel) -> None:
    after = tree.call("grant", fs=B, fp=0, ts=A, tp=1)
    assert B0 not in after.pt and B0 not in after.mdb
    assert after.pt[A1] == tree.pt[B0] and after.mdb[A1] == tree.mdb[B0]   # same parent
    assert after.mdb[C0] == A1                                            # children moved
    assert after.mdb[C1] == C0 and after.pt[C0] == tree.pt[C0]            # grandchildren kept


def test_grant_of_a_root_mapping(tree: Kernel) -> None:
    after = tree.call("grant", fs=D, fp=1, ts=B, tp=1)
    assert after.pt[B1] == (1, RWX) and after.mdb[B1] is None and D1 not in after.pt


def test_grant_to_a_sibling_of_the_same_frame_merges(tree: Kernel) -> None:
    after = tree.call("grant", fs=B, fp=0, ts=D, tp=0)
    assert after.pt[D0] == (0, RWX) and after.mdb[D0] == A0    # r + rwx
    assert after.mdb[C0] == D0 and B0 not in after.pt


def test_grant_over_another_frame_flushes_the_target(tree: Kernel) -> None:
    with_child = tree.call("map", fs=D, fp=1, ts=B, tp=1, rs=rights(R))
    after = with_child.call("grant", fs=B, fp=0, ts=D, tp=1)
    assert after.pt[D1] == (0, RWX) and after.mdb[D1] == A0
    assert B1 not in after.pt and after.mdb[C0] == D1


@pytest.mark.parametrize("target", [C0, C1])
def test_grant_into_the_own_subtree(tree: Kernel, target: Any) -> None:
    after = tree.call("grant", fs=B, fp=0, ts=target[0], tp=target[1])
    assert after.pt[target] == (0, RWX) and after.mdb[target] == A0 and B0 not in after.pt


@pytest.mark.parametrize("args", [
    {"fs": B, "fp": 1, "ts": A, "tp": 1},   # source not mapped
    {"fs": B, "fp": 0, "ts": B, "tp": 0},   # onto itself
    {"fs": C, "fp": 0, "ts": A, "tp": 0},   # onto an ancestor
    {"fs": C, "fp": 1, "ts": B, "tp": 0},
])
def test_grant_is_refused(tree: Kernel, args: dict[str, Any]) -> None:
    assert tree.refused("grant", **args)


# ------------------------------------------------------------------ sigma0's allocator

def test_alloc_and_release(tree: Kernel) -> None:
    assert tree.refused("alloc", f=0)
    freed = tree.call("release", f=0)
    assert freed.var("l4.allocated") == {1}
    assert freed.call("release", f=0).state == freed.state     # idempotent
    assert freed.call("alloc", f=0).var("l4.allocated") == {0, 1}
    assert freed.pt == tree.pt   # the kernel does not consult sigma0's bookkeeping


# -------------------------------------------------------------------------------- threads

def test_create_thread_and_migrate_guards(model: Model) -> None:
    k = Kernel(model, model.initial_states()[0])
    assert k.refused("migrate", t=0, n=1)                      # not created yet
    k = k.call("create_thread", t=0, n=1)
    assert k.var("l4.thread_node") == {0: 1}
    assert k.refused("create_thread", t=0, n=0)                # exists already
    assert k.refused("migrate", t=0, n=1)                      # already there
    k = k.call("migrate", t=0, n=0)
    assert k.var("l4.thread_node") == {0: 0}
    k = k.call("create_thread", t=1, n=0)
    assert k.var("l4.thread_node") == {0: 0, 1: 0}


# --------------------------------------------------------------- invariants are kept

def test_every_single_kernel_call_from_the_tree_keeps_the_invariants(tree: Kernel) -> None:
    successors = tree.model.successors(tree.state)
    assert len(successors) > 100
    for _instance, state in successors:
        assert tree.model.violated_invariant(state) is None
        assert_tree(state, tree.model)


@pytest.mark.parametrize("depth", [2, pytest.param(3, marks=pytest.mark.slow)])
def test_every_state_within_a_few_kernel_calls_keeps_the_invariants(
        model: Model, depth: int) -> None:
    # Exhaustive: every sequence of `depth` enabled kernel calls from the empty state
    # (2: 8,735 states in about a second; 3: about 480,000 states, a minute).
    seen = set(model.initial_states())
    frontier = list(seen)
    for _ in range(depth):
        found = []
        for state in frontier:
            for _instance, successor in model.successors(state):
                if successor not in seen:
                    seen.add(successor)
                    found.append(successor)
                    assert model.violated_invariant(successor) is None
        frontier = found
    assert len(seen) > 100 * depth


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_kernel_sequences_keep_every_l4_invariant(data: st.DataObject) -> None:
    model = _shared_model()
    state = model.initial_states()[0]
    if data.draw(st.booleans(), label="start from the setup tree"):
        state = model.execute(state, model.find_instance("setup", {})[0])[0]
    calls = data.draw(st.lists(st.sampled_from(model.instances), max_size=60), label="calls")
    for instance in calls:
        successors = model.execute(state, instance)
        if not successors:
            continue
        assert len(successors) == 1
        state = successors[0]
        violated = model.violated_invariant(state)
        assert violated is None, violated[0].name
        assert_tree(state, model)


_MODEL: list[Model] = []


def _shared_model() -> Model:
    # Hypothesis tests cannot take function-scoped fixtures; compile once per session.
    if not _MODEL:
        _MODEL.append(Model(compile_spec(str(KERNELS)).spec))
    return _MODEL[0]


# ------------------------------------------------------ `{}` takes the value of its type

def test_empty_map_literal_equals_an_empty_map(compile_text: Any) -> None:
    compiled = compile_text("spec e\nvar m : Map[0 .. 1, bool]\ninvariant empty: m == {}\n")
    model = Model(compiled.spec)
    assert model.violated_invariant(model.initial_states()[0]) is None
