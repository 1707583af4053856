"""Recorded workloads (docs/workloads.md): the trace reader and the import on a tiny trace
with its figures pinned, every error of a bad trace as a golden, `numaspec workload import`
(text, --json golden, --out), the workload file read back, and experiment 6 on the tiny
trace with every figure pinned."""

from __future__ import annotations

import gzip
import json
import lzma
from pathlib import Path

import pytest
from harness import ROOT, assert_golden, run_cli

from numaspec.checker.evaluation.designs import (
    MITOSIS,
    NUMAPTE,
    PERNODE,
    ROOTPAGER,
    SINGLE,
    Machine,
    compile_design,
)
from numaspec.checker.evaluation.driver import Driver
from numaspec.checker.evaluation.experiments import traces as exp_traces
from numaspec.checker.evaluation.recorded.compact import ImportOptions, import_trace
from numaspec.checker.evaluation.recorded.tracefile import read_trace
from numaspec.checker.evaluation.recorded.workload import read_workload, write_workload
from numaspec.spec.diagnostics import SpecError

CORPUS = Path("tests/corpus/workloads")
TINY = CORPUS / "tiny.csv"
pytestmark = pytest.mark.usefixtures("at_root")


def test_reads_the_tiny_trace_in_time_order() -> None:
    trace = read_trace(TINY)
    assert trace.columns == ("time", "thread", "page", "op")
    assert [(r.thread, r.page, r.write, r.line) for r in trace.records[:4]] == [
        (1, 0x10, True, 3), (1, 0x11, True, 4), (2, 0x10, False, 5), (2, 0x12, True, 6)]
    assert len(trace.records) == 9  # the comment and the blank line are skipped


def test_records_are_sorted_by_time_stably(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("#numaspec-trace 1\nthread,time,page,op\n1,5,1,r\n2,0.5,2,w\n3,5,3,r\n")
    assert [r.thread for r in read_trace(path).records] == [2, 1, 3]


@pytest.mark.parametrize("opener", [gzip.open, lzma.open], ids=["gz", "xz"])
def test_reads_compressed_traces(tmp_path: Path, opener) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / ("t.csv.gz" if opener is gzip.open else "t.csv.xz")
    with opener(path, "wt") as out:
        out.write(TINY.read_text())
    assert read_trace(path).records == read_trace(TINY).records


def test_import_keeps_the_most_accessed_pages_and_counts_the_rest() -> None:
    workload = import_trace(read_trace(TINY), ImportOptions(nodes=2, pages=4))
    assert workload.page_map == (0x10, 0x11, 0x12, 0x13)  # 0x14 (one access, last) dropped
    assert [(a.node, a.page, a.write) for a in workload.stream] == [
        (0, 0, True), (0, 1, True), (1, 0, False), (1, 2, True), (0, 0, False), (0, 3, True),
        (1, 2, False), (0, 3, False)]
    assert workload.thread_nodes == {1: 0, 2: 1, 3: 0}
    s = workload.stats
    assert (s.records, s.writes, s.threads, s.virtual_pages, s.pages, s.accesses,
            s.dropped) == (9, 4, 3, 5, 4, 8, 1)
    assert (s.shared_pages, s.shared_access_share, s.remote_share) == (1, 3 / 8, 1 / 8)
    assert s.shared_access_share_all == 3 / 9
    assert (s.accesses_by_node, s.threads_by_node) == ((5, 3), (2, 1))


def test_import_by_cpu_with_a_map_and_by_address() -> None:
    trace = read_trace(CORPUS / "cpus.csv")
    workload = import_trace(trace, ImportOptions(nodes=2, assign="cpu", pages=8,
                                                 cpu_map={0: 0, 1: 0, 2: 1, 3: 1}))
    assert [(a.node, a.page) for a in workload.stream] == [(0, 0), (1, 0), (0, 1), (1, 2)]
    assert workload.page_map == (0x7f0000001, 0x7f0000002, 0x1)
    assert workload.thread_nodes == {7: 0, 8: 1}  # 7 ran on CPUs 0 and 1, 8 on 3 and 2
    by_modulo = import_trace(trace, ImportOptions(nodes=2, assign="cpu"))
    assert [a.node for a in by_modulo.stream] == [0, 1, 1, 0]
    assert by_modulo.thread_nodes == {}  # CPU mod 2: each thread ran on both nodes


BAD = sorted(p.name for p in (ROOT / CORPUS / "bad").glob("*.csv"))


def test_every_bad_trace_is_refused_with_its_diagnostic() -> None:
    """One golden for all: each bad trace's stderr (exit 2, no traceback)."""
    shown = []
    for name in BAD:
        argv = ["workload", "import", str(CORPUS / "bad" / name)]
        if name == "node.csv":
            argv += ["--assign", "node"]
        run = run_cli(argv)
        assert (run.status, run.out) == (2, ""), (name, run.out, run.err)
        shown.append(f"$ numaspec {' '.join(argv)}\n{run.err}")
    assert_golden("\n".join(shown), "workload_import_errors.txt")


def test_a_cpu_missing_from_the_map_is_marked_in_its_record() -> None:
    run = run_cli(["workload", "import", str(CORPUS / "cpus.csv"), "--assign", "cpu",
                   "--cpu-map", "0:0,1:0,2:1"])
    assert (run.status, run.err) == (2, "tests/corpus/workloads/cpus.csv:4:3: error[E545]: "
                                        "CPU 3 is not in --cpu-map\n"
                                        " 4 | 8,3,0x7f0000001010,r\n"
                                        "   |   ^\n")


@pytest.mark.parametrize(("argv", "code"), [
    (["--assign", "cpu"], "E545"),  # tiny.csv has no cpu column
    (["--assign", "node"], "E545"),
    (["--nodes", "0"], "E004"), (["--pages", "x"], "E004"), (["--cpu-map", "0:1"], "E004"),
    (["--assign", "cpu", "--cpu-map", "0:5"], "E004"),
    (["--assign", "cpu", "--cpu-map", "0=1"], "E004")])
def test_bad_options_exit_2(argv: list[str], code: str) -> None:
    run = run_cli(["workload", "import", str(TINY), *argv])
    assert run.status == 2 and f"error[{code}]" in run.err, run.err
    assert "Traceback" not in run.err


def test_unreadable_and_missing_traces(tmp_path: Path) -> None:
    (tmp_path / "latin1.csv").write_bytes(b"#numaspec-trace 1\nthread,page,op\n1,1,\xe9\n")
    for path, code in ((tmp_path / "nosuch.csv", "E001"), (tmp_path / "latin1.csv", "E002")):
        run = run_cli(["workload", "import", str(path)])
        assert run.status == 2 and f"error[{code}]" in run.err, run.err


def test_cli_text_and_json(tmp_path: Path) -> None:
    run = run_cli(["workload", "import", str(TINY), "--pages", "4"])
    assert run.status == 0, run.err
    assert run.out.splitlines()[0] == ("tests/corpus/workloads/tiny.csv: 9 accesses (4 "
                                       "writes) by 3 threads to 5 virtual pages")
    assert "pages kept: 4 of 5 (the most accessed); accesses kept 8, dropped 1 (11.1 %)" \
        in run.out
    out = tmp_path / "tiny.json"
    run = run_cli(["workload", "import", str(TINY), "--pages", "4", "--out", str(out),
                   "--json"])
    assert run.status == 0, run.err
    document = json.loads(run.out)
    del document["version"]  # numaspec's version
    document["out"] = "TINY.json"
    assert_golden(json.dumps(document, indent=2) + "\n", "workload_import.json")
    assert json.loads(out.read_text())["accesses"][:3] == [[0, 0, "w"], [0, 1, "w"],
                                                           [1, 0, "r"]]


def test_the_workload_file_reads_back_and_replays_the_same(tmp_path: Path) -> None:
    workload = import_trace(read_trace(TINY), ImportOptions(nodes=3, pages=4))
    write_workload(workload, tmp_path / "w.json")
    again = read_workload(tmp_path / "w.json")
    assert again == workload
    first, second = (exp_traces.replay(PERNODE, w) for w in (workload, again))
    assert (first.accesses, first.data_cost) == (second.accesses, second.data_cost)


@pytest.mark.parametrize("text", ["{", '{"format": "other", "version": 1}',
                                  '{"format": "numaspec-workload", "version": 2}'])
def test_a_file_that_is_no_workload_is_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "w.json").write_text(text)
    with pytest.raises(SpecError) as err:
        read_workload(tmp_path / "w.json")
    assert err.value.diagnostics[0].code == "E546"


def test_experiment_on_the_tiny_trace_pins_every_figure() -> None:
    setup = exp_traces.TraceSetup(traces=(str(TINY),), node_counts=(2, 3), pages=4)
    lines: list[str] = []
    workloads, table = exp_traces.run(exp_traces.DESIGNS, setup, lines.append)
    assert workloads.rows == [
        ["tiny", 2, 3, 5, 4, 9, 8, 400 / 9, 1, 37.5, 12.5],
        ["tiny", 3, 3, 5, 4, 9, 8, 400 / 9, 1, 37.5, 25.0]]
    assert len(lines) == 10
    measured = {(r["n"], r["design"]): (r["pagefaults"], r["messages"],
                                        r["fault cost per access"], r["data cost per access"])
                for r in table.where()}
    assert measured == EXPECTED


# (pagefaults, messages, fault cost per access, data cost per access).  By hand: at n = 3
# the threads are on nodes 0, 1, 2 and touch (node, page) 6 distinct pairs of 4 pages: P1
# and P2 fault 6 times (P2 with a forwarded fault and its reply each), the single space and
# Mitosis 4, numaPTE 4 and 3 replica touches; 2 of the 8 accesses read page 0 from another
# node than its first toucher's: data cost (2 * 20 + 6 * 10) / 8.
P1, P2 = PERNODE.label, ROOTPAGER.label
EXPECTED: dict[tuple[object, object], tuple[object, ...]] = {
    (2, P1): (5, 0, 101.25, 11.25), (2, P2): (5, 10, 267.5, 11.25),
    (2, SINGLE.label): (4, 0, 87.5, 11.25), (2, MITOSIS.label): (4, 0, 172.5, 11.25),
    (2, NUMAPTE.label): (6, 0, 191.25, 11.25),
    (3, P1): (6, 0, 127.5, 12.5), (3, P2): (6, 12, 330.0, 12.5),
    (3, SINGLE.label): (4, 0, 105.0, 12.5), (3, MITOSIS.label): (4, 0, 265.0, 12.5),
    (3, NUMAPTE.label): (7, 0, 272.5, 12.5)}


@pytest.mark.parametrize(("design", "faults", "messages"), [(MITOSIS, 2, 4), (NUMAPTE, 5, 2)],
                         ids=["mitosis", "numapte"])
def test_the_driver_runs_replica_updates_and_first_touches(design, faults: int,
                                                           messages: int) -> None:  # type: ignore[no-untyped-def]
    """Mitosis: node 0's fault maps page 0 on every node, node 1's unmap drops the two other
    replicas (an IPI and an ack each), node 2's fault maps it again from node 2.  numaPTE:
    also a `touch` per node on its first fault, and the unmap reaches node 0's replica only
    (node 2 has none yet)."""
    driver = Driver(compile_design(design, Machine(3), 2, 2), design)
    driver.access(0, 0)
    driver.access(1, 0)
    driver.global_unmap(1, 0)
    driver.access(2, 0)
    driver.access(0, 0)
    assert driver.phase("fault").costs.pagefaults == faults
    assert driver.phase("unmap").costs.messages == messages
    assert driver.data_cost == 10 + 20 + 10 + 20  # frames on node 0, then on node 2
    assert {node for node, _ in driver.sees()} == {0, 1, 2}


@pytest.mark.parametrize(("name", "records"), [("matmul", 282_422), ("psort", 445_510)])
def test_the_shipped_traces_are_those_the_docs_describe(name: str, records: int) -> None:
    """examples/workloads/README.md and docs/workloads.md give these counts; < 1 MB each."""
    path = ROOT / "examples" / "workloads" / f"{name}.csv.xz"
    assert path.stat().st_size < 1_000_000
    with lzma.open(path, "rt") as text:
        lines = text.read().splitlines()
    assert lines[:2] == ["#numaspec-trace 1", "time,thread,page,op"]
    assert len(lines) - 2 == records
    assert {line.split(",")[1] for line in lines[2:]} == {"1", "2", "3"}
    assert str(path) in exp_traces.recorded_traces()
