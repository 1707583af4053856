"""Quint's traces of P1 (examples/quint/p1.qnt, `quint run --mbt`) checked against
spec/examples/pernode.numa with the map examples/quint/p1.map.json: recorded Quint traces
always, fresh ones (20 of a seeded-bug model, one process) where node and Quint are
installed.  And the map file's own rules."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from harness import P1, ROOT, run_cli
from test_itf_adr015 import quint_package

pytestmark = pytest.mark.usefixtures("at_root")
MAP = "examples/quint/p1.map.json"
MODEL = ROOT / "examples" / "quint" / "p1.qnt"
RECORDED = "tests/traces/data/quint"  # written by Quint 0.33.1 from p1.qnt (bug_*: BUG = true)


def expected_divergence(document: dict[str, Any]) -> int | None:
    """Where P1 refuses a trace of the seeded bug, worked out from the trace alone: the first
    StartUnmap by a node that maps the page (the buggy model leaves the mapping in place)."""
    states = document["states"]
    for index in range(1, len(states)):
        state, before = states[index], states[index - 1]
        if state["mbt::actionTaken"] != "StartUnmap":
            continue
        picks = state["mbt::nondetPicks"]
        key = {"#tup": [picks["node"]["value"], picks["page"]["value"]]}
        frame = next(v for k, v in before["pt"]["#map"] if k == key)
        if frame != {"#bigint": "-1"}:
            return index
    return None


def verdicts(paths: list[str]) -> dict[str, Any]:
    run = run_cli(["trace", P1, *paths, "--map", MAP, "--json"])
    assert run.status in (0, 1), run.out + run.err
    return json.loads(run.out)  # type: ignore[no-any-return]


def test_recorded_quint_traces_conform_with_the_map() -> None:
    document = verdicts([f"{RECORDED}/p1_*.itf.json"])
    assert document["exit_code"] == 0 and document["summary"]["conforms"] == 2


def test_recorded_quint_traces_need_the_map() -> None:
    run = run_cli(["trace", P1, f"{RECORDED}/p1_0.itf.json"])
    assert run.status == 2 and "E507" in run.err and "`G`" in run.err


def test_recorded_bug_traces_diverge_at_the_state_the_bug_shows() -> None:
    document = verdicts([f"{RECORDED}/bug_0.itf.json", f"{RECORDED}/bug_1.itf.json"])
    for row in document["traces"]:
        trace = json.loads(Path(row["trace"]).read_text())
        assert row["verdict"] == "diverges"
        assert row["divergence"]["state"] == expected_divergence(trace)
        assert row["divergence"]["event"].startswith("start_unmap(")


@pytest.mark.slow  # Quint takes about 15 s to start and write them
def test_twenty_fresh_quint_traces_of_a_seeded_bug(tmp_path: Path) -> None:
    package = quint_package()
    if package is None or shutil.which("node") is None:
        pytest.skip("needs node and Quint (docs/traces.md, \"Quint for the tests\")")
    model = tmp_path / "p1.qnt"
    model.write_text(MODEL.read_text().replace("pure val BUG = false", "pure val BUG = true"))
    quint = package.parent.parent / ".bin" / "quint"
    command = [str(quint) if quint.exists() else "quint", "run", str(model), "--mbt",
               "--backend", "typescript", "--max-steps", "30", "--max-samples", "20",
               "--n-traces", "20", "--seed", "11",
               "--out-itf", str(tmp_path / "bug_{seq}.itf.json")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    document = verdicts([str(tmp_path)])  # one process for all of them
    assert document["summary"]["traces"] == 20
    for row in document["traces"]:
        expected = expected_divergence(json.loads(Path(row["trace"]).read_text()))
        assert expected is not None, row["trace"]  # 30 steps always reach the bug
        assert (row["verdict"], row["divergence"]["state"]) == ("diverges", expected)


# ------------------------------------------------------------------------------- the map
def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


@pytest.mark.parametrize("bad", [
    "[1]", "{", '{"variables": 3}', '{"variables": {"G": 3}}', '{"actions": {"F": {"x": 1}}}',
    '{"keep_unmapped": "yes"}', '{"renames": {}}'])
def test_bad_maps_are_e042(bad: str, tmp_path: Path) -> None:
    run = run_cli(["trace", P1, f"{RECORDED}/p1_0.itf.json", "--map",
                   write(tmp_path / "m.json", bad)])
    assert run.status == 2 and "error[E042]" in run.err, run.err


def test_a_missing_map_is_e001() -> None:
    run = run_cli(["trace", P1, f"{RECORDED}/p1_0.itf.json", "--map", "nosuch.json"])
    assert run.status == 2 and "error[E001]" in run.err


def test_none_values_and_dropped_variables(tmp_path: Path) -> None:
    from numaspec.traces.formats.trace_map import convert
    none = {"tag": "None", "value": {"#tup": []}}
    assert convert({"#bigint": "-1"}, -1) == none and convert({"#bigint": "3"}, -1) == \
        {"#bigint": "3"}
    assert convert({"#map": [[{"#bigint": "0"}, {"#bigint": "-1"}],
                             [{"#bigint": "1"}, {"#bigint": "2"}]]}, -1) == \
        {"#map": [[{"#bigint": "1"}, {"#bigint": "2"}]]}
    assert convert("none", "none") == none and convert(True, 1) is True
    # a map that drops G: the trace conforms with less observed; keep_unmapped keeps G
    data = json.loads(Path(MAP).read_text())
    data["variables"]["G"] = None
    assert run_cli(["trace", P1, f"{RECORDED}/p1_0.itf.json", "--map",
                    write(tmp_path / "m.json", data)]).status == 0
    data["keep_unmapped"] = True
    run = run_cli(["trace", P1, f"{RECORDED}/p1_0.itf.json", "--map",
                   write(tmp_path / "m.json", data)])
    assert run.status == 0  # G is null: dropped even so


def test_no_trace_matches_is_e043(tmp_path: Path) -> None:
    run = run_cli(["trace", P1, str(tmp_path / "*.itf.json")])
    assert run.status == 2 and "error[E043]" in run.err
    run = run_cli(["trace", P1, str(tmp_path)])
    assert run.status == 2 and "error[E043]" in run.err


def test_many_traces_one_line_each(tmp_path: Path) -> None:
    for seed in range(3):
        assert run_cli(["simulate", P1, "--steps", "15", "--seed", str(seed), "--trace-out",
                        str(tmp_path / f"w{seed}.itf.json")]).status == 0
    (tmp_path / "w9.itf.json").write_text("{}")
    run = run_cli(["trace", P1, str(tmp_path)])
    lines = run.out.splitlines()
    assert run.status == 2 and len(lines) == 5
    assert lines[0].endswith("w0.itf.json: conforms (15 events)")
    assert "w9.itf.json: malformed: " in lines[3] and "E508" in lines[3]
    assert lines[4].startswith("4 traces: 3 conform, 0 diverge, 0 stopped at a limit, 1 "
                               "malformed")
    assert run_cli(["trace", P1, str(tmp_path), "--witness", str(tmp_path / "w.itf.json")]
                   ).status == 2


VIEWS = """module quint_views

// Quint's G: every page, -1 where it is not mapped globally
fun G(): Map[Page, int] = { v: Page -> if v in global_map then int(global_map[v]) else -1 }
"""


def test_views_from_a_side_file(tmp_path: Path) -> None:
    """Quint's total G observed through a view of a side file instead of a `none` value."""
    data = json.loads(Path(MAP).read_text())
    data["variables"]["G"] = "G"
    mapping = write(tmp_path / "m.json", data)
    views = write(tmp_path / "views.numa", VIEWS)
    argv = ["trace", P1, f"{RECORDED}/p1_0.itf.json", "--map", mapping, "--views", views]
    assert run_cli(argv).status == 0
    assert run_cli(argv[:-2]).status == 2  # without the view: E507, no `G`
    write(tmp_path / "views.numa", VIEWS.replace("else -1", "else -2"))
    run = run_cli(argv)
    assert run.status == 1 and "does not conform at state 0" in run.out
