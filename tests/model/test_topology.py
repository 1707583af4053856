"""Topologies: presets, numactl / sysfs / JSON readers, describe().

Sample files are in tests/corpus/topologies/ (its README says where each came from).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT

from numaspec.spec.diagnostics import SpecError, render
from numaspec.spec.ir import nodes as ir
from numaspec.spec.topology.distances import automorphism_count, automorphisms, distance_problem
from numaspec.spec.topology.resolve import (
    PRESET_NOTES,
    PRESETS,
    describe,
    parse_numactl,
    read_sysfs,
    resolve_topology,
    validate_topology,
)

CORPUS = ROOT / "tests" / "corpus" / "topologies"

# The size of each preset's automorphism group: what `symmetric Node` may reduce by.
GROUP_SIZES = {"uniform2": 2, "uniform4": 24, "opteron4": 8, "xeon2": 2, "magnycours8": 4}


def _error(excinfo: pytest.ExceptionInfo[SpecError]) -> tuple[str, str, int | None]:
    """The single diagnostic's code, message and line."""
    (diag,) = excinfo.value.diagnostics
    return diag.code, diag.message, diag.span.line if diag.span else None


# ------------------------------------------------------------------------------ presets


def test_every_preset_is_listed_and_described() -> None:
    assert set(PRESETS) == set(GROUP_SIZES) == set(PRESET_NOTES)


@pytest.mark.parametrize("name", sorted(GROUP_SIZES))
def test_preset_validates_and_has_its_symmetry(name: str) -> None:
    topology = resolve_topology(name)
    assert validate_topology(topology) is None
    assert topology.frames_per_node == 1 and topology.nodes == len(topology.distance)
    assert len(automorphisms(topology.distance)) == GROUP_SIZES[name]
    assert automorphism_count(topology.distance) == GROUP_SIZES[name]


def test_opteron4_is_a_ring_with_the_papers_ratio() -> None:
    distance = PRESETS["opteron4"].distance
    # 1.4 (the seed paper's, unverified) to each ring neighbour, one more hop across.
    assert [distance[0][j] / distance[0][0] for j in range(4)] == [1.0, 1.4, 1.8, 1.4]
    assert all(distance[i][j] == distance[j][i] for i in range(4) for j in range(4))


def test_frames_per_node_override() -> None:
    assert resolve_topology("uniform4", frames_per_node=3).frames_per_node == 3
    assert PRESETS["uniform4"].frames_per_node == 1  # the preset itself is untouched
    with pytest.raises(SpecError) as excinfo:
        resolve_topology("uniform4", frames_per_node=0)
    assert _error(excinfo)[0] == "E404"


def test_unknown_name_suggests_and_lists_presets() -> None:
    with pytest.raises(SpecError) as excinfo:
        resolve_topology("opteron")
    (diag,) = excinfo.value.diagnostics
    assert diag.code == "E404" and "unknown topology `opteron`" in diag.message
    notes = " ".join(note.message for note in diag.notes)
    assert "did you mean `opteron4`?" in notes
    assert all(name in notes for name in PRESETS)


def test_automorphism_count_scales_past_listing() -> None:
    uniform12 = tuple(tuple(10 if i == j else 20 for j in range(12)) for i in range(12))
    assert automorphism_count(uniform12) == 479001600  # 12!, never listed


# ------------------------------------------------------------------------------ numactl


def test_numactl_two_socket_xeon_with_prompts_around() -> None:
    topology = resolve_topology(str(CORPUS / "xeon2_c5n.txt"))
    assert topology.distance == PRESETS["xeon2"].distance
    assert topology.span is not None and topology.span.line == 10  # the header line


def test_numactl_magny_cours_matches_preset() -> None:
    topology = resolve_topology(str(CORPUS / "magnycours8_closson.txt"))
    assert (topology.nodes, topology.distance) == (8, PRESETS["magnycours8"].distance)


def test_numactl_single_node() -> None:
    topology = resolve_topology(str(CORPUS / "single_node.txt"))
    assert (topology.nodes, topology.distance) == (1, ((10,),))
    assert "none (a single node)" in describe(topology)


def test_numactl_from_text_without_available_line() -> None:
    text = "node distances:\nnode   0   1 \n  0:  10  20 \n  1:  20  10 \n"
    assert parse_numactl(text, "<stdin>").distance == ((10, 20), (20, 10))


BAD_FILES = [
    # file, expected message fragment, line of the diagnostic
    ("bad_not_square.txt", "row 2 of the distance matrix has 3 entries, not 4", 10),
    ("bad_zero_distance.txt", "distance[1][2] is 0; distances must be positive", 9),
    ("bad_local_not_smallest.txt", "row 3: a remote distance is smaller than the local", 11),
    ("bad_available_mismatch.txt", "`available:` says 4 nodes but the distance table has 2", 1),
    ("bad_missing_row.txt", "has 2 rows but the topology has 3 nodes", 3),
    ("bad_non_integer.txt", "`2l` is not an integer distance", 4),
    ("bad_sparse_nodes.txt", "needs nodes numbered 0..N-1", 3),
    ("bad_no_distances.txt", "no distance information", None),
    ("bad_unknown_key.json", "unknown key 'frames_per_nodes'", 1),
    ("bad_syntax.json", "not valid JSON", 4),
]


@pytest.mark.parametrize(("name", "fragment", "line"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_topology_file(name: str, fragment: str, line: int | None) -> None:
    with pytest.raises(SpecError) as excinfo:
        resolve_topology(str(CORPUS / name))
    code, message, at = _error(excinfo)
    assert code == "E404"
    assert fragment in message and name in message  # the file is always named
    assert at == line


def test_bad_file_renders_with_the_offending_line() -> None:
    with pytest.raises(SpecError) as excinfo:
        resolve_topology(str(CORPUS / "bad_zero_distance.txt"))
    shown = render(excinfo.value.diagnostics[0], excinfo.value.sources)
    assert "error[E404]" in shown and "1:  14  10   0  18" in shown and "^^^" in shown


def test_json_topology() -> None:
    topology = resolve_topology(str(CORPUS / "ring3.json"))
    assert (topology.nodes, topology.frames_per_node) == (3, 2)
    assert resolve_topology(str(CORPUS / "ring3.json"), frames_per_node=1).frames_per_node == 1


@pytest.mark.parametrize("content", [
    '{"distance": [[10, true], [20, 10]]}', '{"distance": 5}', '[1, 2]',
    '{"distance": [[10]], "frames_per_node": 0}', '{"distance": [[10]], "nodes": 2}',
    '{"distance": []}',
])
def test_bad_json_values(tmp_path: Path, content: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(content)
    with pytest.raises(SpecError) as excinfo:
        resolve_topology(str(path))
    assert _error(excinfo)[0] == "E404"


# -------------------------------------------------------------------------------- paths


def test_missing_file_is_e001(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as excinfo:
        resolve_topology(str(tmp_path / "nope.txt"))
    code, message, _ = _error(excinfo)
    assert code == "E001" and "nope.txt" in message


def test_not_utf8_is_e002(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"node distances:\n\xff\n")
    with pytest.raises(SpecError) as excinfo:
        resolve_topology(str(path))
    assert _error(excinfo)[0] == "E002"


def test_empty_argument() -> None:
    with pytest.raises(SpecError) as excinfo:
        resolve_topology("  ")
    assert _error(excinfo)[0] == "E404"


# -------------------------------------------------------------------------------- sysfs


def _sysfs(root: Path, rows: dict[int, str]) -> Path:
    """A /sys/devices/system/node look-alike: node<i>/distance per entry, plus noise."""
    for number, line in rows.items():
        (root / f"node{number}").mkdir(parents=True)
        (root / f"node{number}" / "distance").write_text(line + "\n")
    (root / "online").write_text(f"0-{len(rows) - 1}\n")
    (root / "power").mkdir(exist_ok=True)
    return root


def test_sysfs_directory(tmp_path: Path) -> None:
    rows = {i: " ".join(str(v) for v in PRESETS["opteron4"].distance[i]) for i in range(4)}
    topology = resolve_topology(str(_sysfs(tmp_path / "node", rows)))
    assert topology.distance == PRESETS["opteron4"].distance
    assert read_sysfs(tmp_path / "node") == topology


@pytest.mark.parametrize(("rows", "code", "fragment"), [
    ({0: "10 20", 2: "20 10"}, "E404", "missing node1"),
    ({0: "10 20", 1: "20 ten"}, "E404", "`ten` is not an integer"),
    ({0: "10 20", 1: "20"}, "E404", "row 1 of the distance matrix has 1 entries, not 2"),
    ({0: "10 20", 1: "20 30"}, "E404", "row 1: a remote distance is smaller"),
    ({0: "10 20", 1: ""}, "E404", "is empty"),
    ({}, "E404", "no node<N> directories"),
])
def test_bad_sysfs(tmp_path: Path, rows: dict[int, str], code: str, fragment: str) -> None:
    root = tmp_path / "node"
    root.mkdir()
    _sysfs(root, rows)
    with pytest.raises(SpecError) as excinfo:
        read_sysfs(root)
    got, message, _ = _error(excinfo)
    assert got == code and fragment in message


def test_sysfs_missing_distance_file_is_e001(tmp_path: Path) -> None:
    root = _sysfs(tmp_path / "node", {0: "10 20"})
    (root / "node1").mkdir()
    with pytest.raises(SpecError) as excinfo:
        resolve_topology(str(root))
    code, message, _ = _error(excinfo)
    assert code == "E001" and "node1" in message and "distance" in message


# ----------------------------------------------------------------------------- describe


def test_describe_opteron4() -> None:
    assert describe(PRESETS["opteron4"]) == "\n".join([
        "4 nodes, 1 frame per node (4 frames)",
        "from\\to   0   1   2   3",
        "      0  10  14  18  14",
        "      1  14  10  14  18",
        "      2  18  14  10  14",
        "      3  14  18  14  10",
        "remote/local ratio: 1.40 .. 1.80",
        "automorphisms: 8 (node permutations that preserve every distance)",
    ])


def test_describe_marks_asymmetric_topologies() -> None:
    text = describe(ir.Topology(2, 1, ((10, 20), (30, 10)), None))
    assert "remote/local ratio: 2.00 .. 3.00" in text and "no symmetry" in text


def test_distance_problem_unchanged_for_existing_callers() -> None:
    assert distance_problem(((10, 20), (20, 10)), 3) == (
        "the distance matrix has 2 rows but the topology has 3 nodes")
    assert distance_problem(((10, 20), (20, 10)), 2) is None
