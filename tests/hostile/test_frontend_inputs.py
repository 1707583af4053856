"""Hostile inputs to the front end: a located diagnostic and exit 2, never a traceback or hang.

Each case once ended in a Python traceback (ValueError from int() past 4,300 digits, a
RuntimeError for a symlink loop, OSError for a long name, ValueError for a NUL byte), read
/dev/zero-like input forever, took exponential time (a constant `1 + 1 + ... + 1`), or named
the wrong problem ("recursive constant: topology -> topology" for `-D NODES=x`).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from harness import run_cli, run_cli_process

SPEC = """spec hostile
{imports}
topology {{
  nodes {nodes}
  frames_per_node 1
}}
const C = {const}
var x : 0 .. 3
action a() {{ x := 0 }}
"""
HUGE = "9" * 5000


def _spec(tmp_path: Path, *, imports: str = "", nodes: str = "2", const: str = "1") -> str:
    path = tmp_path / "s.numa"
    path.write_text(SPEC.format(imports=imports, nodes=nodes, const=const))
    return str(path)


def _refused(argv: list[str], code: str, *words: str) -> str:
    result = run_cli(argv)
    assert "Traceback" not in result.err
    assert result.status == 2, result.out + result.err
    assert f"error[{code}]" in result.err, result.err
    for word in words:
        assert word in result.err, result.err
    return result.err


@pytest.mark.parametrize("where", ["const", "nodes"])
def test_integer_of_5000_digits_in_a_spec(tmp_path: Path, where: str) -> None:
    path = _spec(tmp_path, **{where: HUGE})
    err = _refused(["parse", path], "E106", "(5000 digits)")
    assert "s.numa:" in err  # located


def test_integer_of_5000_digits_in_a_define(tmp_path: Path) -> None:
    _refused(["check", _spec(tmp_path), "-D", f"C={HUGE}"], "E106", "-D C:1:1")


def test_tuple_index_of_5000_digits(tmp_path: Path) -> None:
    _refused(["parse", _spec(tmp_path, const=f"(1, 2).{HUGE}")], "E106")


@pytest.mark.parametrize("text", [
    '{"distance": [[1' + "0" * 5000 + "]]}",
    "node distances:\nnode 0 1\n0: 10 2" + "0" * 5000 + "\n1: 20 10\n",
    "available: 2 nodes (0-99999999999999)\nnode distances:\nnode 0 1\n0: 10 20\n1: 20 10\n",
])
def test_topology_file_with_huge_numbers(tmp_path: Path, text: str) -> None:
    topology = tmp_path / "machine.txt"
    topology.write_text(text)
    _refused(["check", _spec(tmp_path), "--topology", str(topology)], "E404", "machine.txt")


def test_topology_json_nested_deeply(tmp_path: Path) -> None:
    topology = tmp_path / "deep.json"
    topology.write_text('{"nodes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _refused(["check", _spec(tmp_path), "--topology", str(topology)], "E404",
             "nested too deeply")


def test_sysfs_distance_file_that_is_a_fifo_without_writer(tmp_path: Path) -> None:
    # Opening a FIFO waits for a writer: the reader must not (it reads as empty).
    for node in (0, 1):
        (tmp_path / f"node{node}").mkdir()
    os.mkfifo(tmp_path / "node0" / "distance")
    (tmp_path / "node1" / "distance").write_text("20 10\n")
    spec = _spec(tmp_path / "node1")
    _refused(["check", spec, "--topology", str(tmp_path)], "E404", "is empty")


def test_sysfs_directory_with_a_huge_node_number(tmp_path: Path) -> None:
    (tmp_path / "node0").mkdir()
    (tmp_path / "node0" / "distance").write_text("10\n")
    (tmp_path / ("node" + "9" * 200)).mkdir()
    spec = _spec(tmp_path / "node0")
    _refused(["check", spec, "--topology", str(tmp_path)], "E404", "missing node1")


def test_large_topology_file_is_called_a_topology_file(tmp_path: Path) -> None:
    topology = tmp_path / "big.txt"
    topology.write_text(" " * (3 * 1024 * 1024))
    _refused(["check", _spec(tmp_path), "--topology", str(topology)], "E003",
             "topology files are limited")


def test_endless_topology_stream_is_refused(tmp_path: Path) -> None:
    # A FIFO that reports size 0 and never ends (as /dev/zero does): the reader stops
    # after the limit instead of reading forever.  The writing end is open (O_RDWR, which
    # Linux allows on a FIFO) before numaspec opens it: numaspec does not wait for a writer,
    # so a writer that came later would make it read an empty file instead.
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    end = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    stop = threading.Event()

    def write_forever() -> None:
        while not stop.is_set():
            try:
                os.write(end, b" " * 65536)
            except BlockingIOError:  # the pipe is full until numaspec reads
                stop.wait(0.001)

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        _refused(["check", _spec(tmp_path), "--topology", str(fifo)], "E003",
                 "larger than 2 MB")
    finally:
        stop.set()
        writer.join(timeout=5)
        os.close(end)


@pytest.mark.parametrize(("target", "reason"), [
    ("loop/m.numa", "symbolic links loop"),
    ("a/" * 3000 + "m.numa", "too long"),
    ("b" * 300 + ".numa", "too long"),
    ("a\\u0000b.numa", "NUL"),
])
def test_import_paths(tmp_path: Path, target: str, reason: str) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop")
    path = _spec(tmp_path, imports=f'import "{target}"')
    err = _refused(["parse", path], "E001", reason)
    assert "s.numa:2:1" in err


def test_spec_path_in_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop")
    _refused(["parse", str(tmp_path / "loop" / "s.numa")], "E001", "symbolic links loop")


def test_topology_path_too_long(tmp_path: Path) -> None:
    _refused(["check", _spec(tmp_path), "--topology", "a/" * 3000], "E001", "too long")


def test_bad_nodes_define_names_the_value(tmp_path: Path) -> None:
    err = _refused(["check", _spec(tmp_path), "-D", "NODES=y"], "E200", "unknown name `y`")
    assert "recursive" not in err
    _refused(["check", _spec(tmp_path), "-D", "NODES=NODES+1"], "E400",
             "`NODES` cannot be used to define the topology itself")


def test_long_sum_in_a_constant_is_linear(tmp_path: Path) -> None:
    # Each `+` once elaborated its left operand twice: 2^30 steps for 30 terms.
    const = " + ".join(f"({i} - 1)" for i in range(40))
    result = run_cli_process(["parse", _spec(tmp_path, const=const)], timeout=20)
    assert result.status == 0, result.err
