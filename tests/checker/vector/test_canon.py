"""The normal form of canon.py against the reference it replaces, the least fingerprint over
every automorphism's image: on reachable and random states of several specs and topologies,
two states get equal canonical fingerprints under one exactly when they do under the other,
every image of a state gets the state's, and the representative is in the orbit and has it."""

from __future__ import annotations

import numpy as np
import pytest
from vector_helpers import P1, ROOT, Samples, batch_of, reachable

from numaspec.checker.explicit.group import group_structure
from numaspec.checker.explicit.symmetry import symmetry_group
from numaspec.checker.explicit.vector.hash import Fingerprinter
from numaspec.checker.explicit.vector.images import column_image
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.topology.parse import parse_numactl

TOPOLOGIES = ROOT / "tests" / "corpus" / "topologies"


def _on(name: str) -> ir.Spec:
    topology = parse_numactl((TOPOLOGIES / name).read_text(), name)
    return compile_spec(str(ROOT / P1), ["PAGES=2"], topology=topology).spec


def _random_rows(layout: Layout, count: int, seed: int) -> np.ndarray:
    """Rows of values in each column's range, mostly fillers and small values, so that many
    nodes look alike (ties, and swaps that fix the row)."""
    rng = np.random.default_rng(seed)
    rows = np.zeros((count, layout.stored_width), dtype=layout.dtype)
    for j, column in enumerate(layout.columns):
        lo = column.lo if column.lo is not None else -2
        hi = column.hi if column.hi is not None else 2
        values = rng.integers(lo, min(hi, lo + 2) + 1, size=count)
        rows[:, j] = np.where(rng.random(count) < 0.6, column.filler, values)
    return rows


def _fixed_by_a_cycle(layout: Layout, group: list[tuple[int, ...]], base: np.ndarray
                      ) -> np.ndarray:
    """Rows that a 3-cycle of nodes maps to themselves, built from `base`: its three nodes
    then have equal signatures, yet swapping two of them changes the row (the ties the
    normal form must enumerate)."""
    cycles = [g for g in group if sum(a != b for a, b in enumerate(g)) == 3]
    if not cycles:
        return base[:0]
    cycle = cycles[0]
    per = layout.spec.topology.frames_per_node
    source = column_image(layout, cycle)[0]
    kinds = [c.kind for c in layout.columns] + ["pad"] * layout.stored_width

    def rename(kind: str, v: int) -> int:
        if v < 0 or kind not in ("node", "frame"):
            return v
        return cycle[v] if kind == "node" else cycle[v // per] * per + v % per

    rows = base.copy()
    destination = np.argsort(source)
    for row in rows:
        done = np.zeros(layout.stored_width, dtype=bool)
        for start in range(layout.stored_width):
            chain, j = [start], int(destination[start])
            while j != start:
                chain.append(j)
                j = int(destination[j])
            if done[start]:
                continue
            value = int(row[start])
            if rename(kinds[start], rename(kinds[start], rename(kinds[start], value))) \
                    != value or (len(chain) == 1 and rename(kinds[start], value) != value):
                value = layout.columns[start].filler
            for j in chain:
                row[j], done[j] = value, True
                value = rename(kinds[j], value)
    return rows


def _assert_same_partition(spec: ir.Spec, batch: np.ndarray, seed: int) -> None:
    layout = Layout(spec)
    group = symmetry_group(spec)
    reference = Fingerprinter(layout, group)
    normal = Fingerprinter(layout, None, group_structure(spec.topology.distance))
    assert normal.size == len(group)
    batch = np.concatenate([batch, _fixed_by_a_cycle(layout, group, batch[-100:])])
    rng = np.random.default_rng(seed)
    images = [reference.image(batch, int(k)) for k in
              rng.integers(0, len(group) - 1, size=3)]
    every = np.concatenate([batch, *images])
    old, _ = reference.fingerprints(every)
    assert normal.canon is not None
    new, representatives = normal.canon.fingerprints(every)
    pairs = np.unique(np.stack([old, new]), axis=1).shape[1]
    assert pairs == len(np.unique(old)) == len(np.unique(new))  # the same partition
    for image in np.split(new, 4)[1:]:
        assert np.array_equal(image, new[:len(batch)])  # an image has the state's form
    assert np.array_equal(normal.plain(representatives), new)
    assert np.array_equal(reference.fingerprints(representatives)[0], old)


@pytest.mark.parametrize("name", ["P1", "constructs"])
def test_normal_form_on_reachable_states(name: str, samples: Samples) -> None:
    spec, states = samples[name]
    layout = Layout(spec)
    batch = np.concatenate([batch_of(layout, states), _random_rows(layout, 400, 3)])
    _assert_same_partition(spec, batch, 5)


def test_normal_form_with_four_uniform_nodes() -> None:
    spec = compile_spec(str(ROOT / P1), ["NODES=4", "PAGES=2"]).spec
    layout = Layout(spec)
    batch = np.concatenate([batch_of(layout, reachable(spec, 500)),
                            _random_rows(layout, 200, 7)])
    _assert_same_partition(spec, batch, 11)


@pytest.mark.parametrize("name", ["two_sockets_of_four.txt", "magnycours8_closson.txt"])
def test_normal_form_on_topologies_that_are_not_uniform(name: str) -> None:
    """Two blocks and two cosets (1,152 automorphisms); no interchangeable pair at all, four
    cosets (magnycours8)."""
    spec = _on(name)
    layout = Layout(spec)
    batch = np.concatenate([batch_of(layout, reachable(spec, 80)),
                            _random_rows(layout, 40, 13)])
    _assert_same_partition(spec, batch, 17)


def test_group_structure_of_the_topologies() -> None:
    uniform = group_structure(tuple(tuple(10 if i == j else 20 for j in range(8))
                                    for i in range(8)))
    assert (uniform.blocks, uniform.cosets, uniform.size) == ((tuple(range(8)),),
                                                              (tuple(range(8)),), 40_320)
    sockets = group_structure(_on("two_sockets_of_four.txt").topology.distance)
    assert sockets.blocks == ((0, 1, 2, 3), (4, 5, 6, 7)) and sockets.size == 1152
    assert sockets.cosets[1] == (4, 5, 6, 7, 0, 1, 2, 3)
    magny = group_structure(_on("magnycours8_closson.txt").topology.distance)
    assert len(magny.blocks) == 8 and magny.size == len(magny.cosets) == 4


def _under(layout: Layout, rows: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """Each row under its own node permutation (a row of `perms`), through column_image."""
    out = np.empty_like(rows)
    for perm in np.unique(perms, axis=0):
        mine = (perms == perm).all(axis=1)
        source, renames = column_image(layout, tuple(int(p) for p in perm))
        image = rows[mine][:, source]
        for columns, table in renames:
            image[:, columns] = table[image[:, columns]]
        out[mine] = image
    return out


@pytest.mark.parametrize("exact_floats", [True, False])
def test_signatures_move_with_the_nodes(exact_floats: bool) -> None:
    """sig(h.x)[h(n)] == sig(x)[n] for random elements h, with the float product and with
    the 64-bit integer one."""
    spec = compile_spec(str(ROOT / P1), ["NODES=4", "PAGES=2"]).spec
    layout = Layout(spec)
    normal = Fingerprinter(layout, None, group_structure(spec.topology.distance))
    assert normal.canon is not None
    signature = normal.canon.signature
    assert signature.float_keys is not None  # int8 rows: the float product is exact
    if not exact_floats:
        signature.float_keys = None
    rows = np.concatenate([batch_of(layout, reachable(spec, 300)), _random_rows(layout, 300, 19)])
    rng = np.random.default_rng(23)
    perms = np.array([rng.permutation(4) for _ in range(len(rows))])
    before, after = signature.of(rows), signature.of(_under(layout, rows, perms))
    assert np.array_equal(np.take_along_axis(after, perms, axis=1), before)
    assert len(np.unique(before[:, 0])) > 10  # not a constant


@pytest.mark.parametrize("name", ["uniform", "two_sockets_of_four.txt"])
def test_mapping_maps_a_state_onto_its_representative(name: str) -> None:
    """Fingerprinter.mapping(images, rows) is a group element taking each image back onto
    its row, found from the two normal forms."""
    spec = compile_spec(str(ROOT / P1), ["NODES=4", "PAGES=2"]).spec if name == "uniform" \
        else _on(name)
    layout = Layout(spec)
    group = symmetry_group(spec)
    normal = Fingerprinter(layout, None, group_structure(spec.topology.distance))
    rows = np.concatenate([batch_of(layout, reachable(spec, 200)), _random_rows(layout, 100, 29)])
    rng = np.random.default_rng(31)
    chosen = np.array(group)[rng.integers(0, len(group), size=len(rows))]
    images = _under(layout, rows, chosen)
    mapping = normal.mapping(images, rows)
    assert {tuple(p) for p in mapping.tolist()} <= set(group)
    assert np.array_equal(_under(layout, images, mapping), rows)
