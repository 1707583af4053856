"""`numaspec trace SPEC LOG...`: per-node logs of P1 under their causal order (vector clocks
or message ids), planted divergences found at the right node, file and line, contradictory
causal metadata refused (exit 2), the divergence report's golden."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from causal_logs import P1, read, write, write_logs
from harness import assert_golden, run_cli

pytestmark = pytest.mark.usefixtures("at_root")
DATA = Path(__file__).parent / "data" / "causal"


def trace(*args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    run = run_cli(["trace", P1, *args, "--json"])
    assert "Traceback" not in run.err
    return run.status, json.loads(run.out) if run.out else {}, run.err


@pytest.mark.parametrize(("nodes", "mode", "events"), [(3, "vc", 800), (4, "vc", 800),
                                                      (3, "ids", 500), (4, "ids", 500)])
def test_p1_runs_conform(tmp_path: Path, nodes: int, mode: str, events: int) -> None:
    _conforms(tmp_path, nodes, mode, events)


@pytest.mark.slow
@pytest.mark.parametrize(("nodes", "mode"), [(3, "vc"), (4, "vc"), (3, "ids"), (4, "ids")])
def test_p1_runs_of_several_thousand_events_conform(tmp_path: Path, nodes: int,
                                                    mode: str) -> None:
    _conforms(tmp_path, nodes, mode, 5000)


def _conforms(tmp_path: Path, nodes: int, mode: str, events: int) -> None:
    write_logs(tmp_path, nodes, events, nodes, mode)
    status, report, _ = trace(str(tmp_path))
    assert (status, report["verdict"], report["events"]) == (0, "conforms", events)
    # bounded by the logs' concurrency, not by their interleavings
    assert report["largest_frontier"] < (100 if mode == "vc" else 1000)


def test_files_given_one_by_one_and_a_merged_stream(tmp_path: Path) -> None:
    paths = write_logs(tmp_path, 3, 600, 9, "vc")
    status, report, _ = trace(*map(str, reversed(paths)))
    assert (status, report["events"]) == (0, 600)
    merged = tmp_path / "merged.jsonl"
    lines = [line for p in paths for line in read(p)[1:]]  # by node: not in causal order
    write(merged, [read(paths[0])[0], *lines])
    status, report, _ = trace(str(merged))
    assert (status, report["events"]) == (0, 600)


def _plant(tmp_path: Path, mode: str, node: int, change) -> tuple[Path, int]:  # type: ignore[no-untyped-def]
    paths = write_logs(tmp_path, 3, 600, 11, mode, post=True)
    lines = read(paths[node])
    line = change(lines)
    write(paths[node], lines)
    return paths[node], line


def _first(lines: list[str], word: str, start: int = 100) -> int:
    return next(i for i in range(start, len(lines)) if word in lines[i])


def test_wrong_frame_in_a_post_is_found_at_its_line(tmp_path: Path) -> None:
    def change(lines: list[str]) -> int:
        at = _first(lines, '"post"')
        lines[at] = re.sub(r'\[\[(\d),(\d)\]', lambda m: f"[[{m[1]},{(int(m[2]) + 1) % 3}]",
                           lines[at], count=1)
        return at + 1

    path, line = _plant(tmp_path, "vc", 2, change)
    status, report, _ = trace(str(tmp_path))
    div = report["divergence"]
    assert (status, div["node"], div["file"], div["line"]) == (1, 2, str(path), line)
    assert div["candidates"][0]["reasons"][0]["kind"] == "post"


def test_removed_event_is_found_at_the_node_that_needed_it(tmp_path: Path) -> None:
    def change(lines: list[str]) -> int:
        at = _first(lines, '"start_unmap"')
        del lines[at]
        return at + 1

    path, line = _plant(tmp_path, "vc", 1, change)  # a clock may skip: no metadata error
    status, report, _ = trace(str(tmp_path))
    div = report["divergence"]
    assert status == 1
    # a later event of that node, or of another node that causally follows it
    assert div["file"] != str(path) or div["line"] >= line
    assert div["causally_after"]


def test_event_moved_before_its_causal_predecessor(tmp_path: Path) -> None:
    def change(lines: list[str]) -> int:  # start_unmap(n, v) moved before fault(n, v)
        at = next(i for i in range(2, len(lines)) if '"start_unmap"' in lines[i]
                  and '"fault"' in lines[i - 1] and _v(lines[i]) == _v(lines[i - 1]))
        lines[at - 1], lines[at] = lines[at], lines[at - 1]
        return at  # the moved event's new line

    path, line = _plant(tmp_path, "ids", 0, change)
    status, report, _ = trace(str(tmp_path))
    div = report["divergence"]
    assert (status, div["node"], div["file"]) == (1, 0, str(path))
    assert line <= div["line"] <= line + 1


def _v(line: str) -> int:
    return int(json.loads(line)["args"]["v"])


def test_divergence_report_golden() -> None:
    run = run_cli(["trace", "spec/examples/pernode.numa",
                   str(DATA.relative_to(Path.cwd()) / "wrong_frame")])
    assert run.status == 1
    text = re.sub(r"time: .*\n", "time: (omitted)\n", run.out)
    assert_golden(text, "trace_causal_wrong_frame.txt")


def test_missing_send_golden() -> None:
    run = run_cli(["trace", P1, str(DATA.relative_to(Path.cwd()) / "missing_send")])
    assert run.status == 2
    assert_golden(run.err, "trace_causal_missing_send.txt")


def _bad(tmp_path: Path, mode: str, node: int, change) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    paths = write_logs(tmp_path, 3, 400, 4, mode)
    lines = read(paths[node])
    change(lines)
    write(paths[node], lines)
    run = run_cli(["trace", P1, str(tmp_path)])
    assert run.status == 2 and "Traceback" not in run.err
    return run.err, paths[node]


def _vc(line: str) -> list[int]:
    return json.loads(line)["vc"]


def _set_vc(lines: list[str], at: int, vc: list[int]) -> None:
    data = json.loads(lines[at])
    data["vc"] = vc
    lines[at] = json.dumps(data, separators=(",", ":"))


def test_clock_going_backwards(tmp_path: Path) -> None:
    def change(lines: list[str]) -> None:
        vc = _vc(lines[20])
        _set_vc(lines, 21, [vc[0] - 1 if vc[0] else 0, vc[1] + 1, vc[2]])
    err, path = _bad(tmp_path, "vc", 1, change)
    assert f"{path}:22:" in err and "error[E521]" in err


def test_receive_before_its_send_with_clocks(tmp_path: Path) -> None:
    def change(lines: list[str]) -> None:  # node 1's event 10 claims node 2's future
        vc = _vc(lines[10])
        _set_vc(lines, 10, [vc[0], vc[1], vc[2] + 50])
    err, _ = _bad(tmp_path, "vc", 1, change)
    assert "error[E522]" in err or "error[E523]" in err
    assert re.search(r"node\d\.jsonl:\d+:\d+: error", err)


def test_receive_before_its_send_with_ids(tmp_path: Path) -> None:
    def change(lines: list[str]) -> None:  # receive a message sent later in this very log
        later = next(json.loads(x)["sent"][0] for x in lines[100:] if '"sent"' in x)
        at = _first(lines, '"fault"', 5)
        data = json.loads(lines[at])
        data["received"] = later
        lines[at] = json.dumps(data, separators=(",", ":"))
    err, path = _bad(tmp_path, "ids", 1, change)
    assert "error[E522]" in err and str(path) in err


def test_shape_of_causal_metadata(tmp_path: Path) -> None:
    def change(lines: list[str]) -> None:
        _set_vc(lines, 5, [1, 2])
    err, path = _bad(tmp_path, "vc", 0, change)
    assert f"{path}:6:" in err and "error[E520]" in err
    log = tmp_path / "node0.jsonl"
    write(log, ['{"action":"fault","args":{"n":0,"v":0},"vc":"x"}'])
    run = run_cli(["trace", P1, str(log)])
    assert run.status == 2 and "error[E520]" in run.err


def test_two_logs_of_one_node(tmp_path: Path) -> None:
    paths = write_logs(tmp_path, 3, 100, 1, "vc")
    run = run_cli(["trace", P1, str(paths[0]), str(paths[0])])
    assert run.status == 2 and "error[E524]" in run.err


def test_max_skew_narrows_the_frontier(tmp_path: Path) -> None:
    paths = write_logs(tmp_path, 3, 800, 3, "ids")
    merged = tmp_path / "merged.jsonl"  # one stream: followed by the exact frontier
    write(merged, [read(paths[0])[0], *(_stamped(x) for p in paths for x in read(p)[1:])])
    free = trace(str(merged))[1]["largest_frontier"]
    status, report, _ = trace(str(merged), "--max-skew", "0")  # the walk's order: exact
    assert status == 0 and report["largest_frontier"] < free


def _stamped(line: str) -> str:
    data = json.loads(line)
    data["ts"] = data.pop("#step")
    return json.dumps(data)


def test_hidden_receives_across_logs(tmp_path: Path) -> None:
    paths = write_logs(tmp_path, 3, 800, 2, "vc")
    for path in paths:
        write(path, [x for x in read(path) if '"recv_' not in x])
    status, report, _ = trace(str(tmp_path), "--hidden", "recv_req,recv_ack")
    assert status == 0 and report["hidden_steps"] > 0


def test_per_node_json_is_the_trace_envelope(tmp_path: Path) -> None:
    """Per-node logs print the envelope of every command (docs/schema/trace.schema.json),
    the divergence's node and file included."""
    from test_json_schema import validator

    paths = write_logs(tmp_path, nodes=3, events=300, seed=5)
    lines = read(paths[1])
    write(paths[1], lines[:2] + lines[3:])  # an event removed: a divergence
    for argv in ([str(p) for p in paths], [str(tmp_path)]):
        run = run_cli(["trace", P1, *argv, "--json"])
        document = json.loads(run.out)
        assert not list(validator("trace").iter_errors(document))
        assert document["command"] == "trace" and document["exit_code"] == run.status
