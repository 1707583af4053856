"""HTML reports and the explorer without a browser: the chart's lanes and messages, the
page's sections, the size of a long report, the CLI's files and exit statuses, the
explorer's JSON endpoints.  The same pages in Chromium: test_browser.py."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from pathlib import Path

import pytest
from harness import P1, run_cli

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.explore.server import Explorer, make_server
from numaspec.explore.session import Session
from numaspec.model.machine import Model
from numaspec.report.chart import build_chart
from numaspec.spec.pipeline import compile_spec

BUG1 = "tests/corpus/specs/pernode_bug1_fault_ignores_unmap.numa"
BUG2 = "tests/corpus/specs/pernode_bug2_early_free.numa"
BUG3 = "tests/corpus/specs/pernode_bug3_skip_node.numa"
pytestmark = pytest.mark.usefixtures("at_root")


def _finding(path: str, *defines: str):  # type: ignore[no-untyped-def]
    compiled = compile_spec(path, list(defines), None)
    result = check(compiled.spec, CheckOptions())
    assert result.finding is not None
    return Model(compiled.spec), result.finding


def test_chart_of_bug2_has_a_lane_per_node_and_every_message() -> None:
    model, finding = _finding(BUG2)
    chart = build_chart(model, finding.trace)
    assert chart.nodes == 3 and [s.node for s in chart.steps] == [0, 1, 2, 1]
    sent = [(m.channel, m.sent, m.source, m.received, m.target) for m in chart.messages]
    # start_unmap on node 1 asks nodes 0 and 2; node 2 answers, node 0's request stays.
    assert sorted(sent) == [("ack[1]", 3, 2, 4, 1), ("req[0]", 2, 1, None, 0),
                            ("req[2]", 2, 1, 3, 2)]
    assert chart.steps[1].cost["messages"] == 2


def test_html_report_of_check_marks_property_lanes_and_arrows(tmp_path: Path) -> None:
    out = tmp_path / "bug2.html"
    run = run_cli(["check", BUG2, "--html", str(out)])
    assert run.status == 1 and "report written" in run.err
    text = out.read_text()
    assert text.count('class="lane"') == 3
    assert text.count('<g class="arrow"') == 2 and text.count('class="arrow in-flight"') == 1
    assert 'data-property="no_stale_frame"' in text and 'class="broken"' in text
    assert not re.search(r"(src|href)=\"https?:", text)  # self-contained: no network


def test_lasso_report_marks_the_loop(tmp_path: Path) -> None:
    out = tmp_path / "bug3.html"
    assert run_cli(["check", BUG3, "-D", "NODES=2", "--html", str(out)]).status == 1
    text = out.read_text()
    assert 'class="loop" data-from="2" data-to="2"' in text
    assert 'data-property="unmap_terminates"' in text and text.count('class="lane"') == 2


@pytest.mark.parametrize("engine", ["bfs", "dfs"])
def test_explicit_engines_write_a_report(tmp_path: Path, engine: str) -> None:
    out = tmp_path / f"{engine}.html"
    run = run_cli(["check", BUG1, "-D", "NODES=2", "--engine", engine, "--html", str(out)])
    assert run.status == 1 and 'data-property="unmap_complete"' in out.read_text()


def test_simulate_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "simulate.html"
    assert run_cli(["simulate", BUG1, "-D", "NODES=2", "--runs", "20", "--steps", "50",
                    "--html", str(out)]).status == 1
    assert 'data-property="unmap_complete"' in out.read_text()
    quiet = run_cli(["simulate", P1, "--steps", "20", "--html", str(tmp_path / "none.html")])
    assert quiet.status == 0 and "not written" in quiet.err
    assert not (tmp_path / "none.html").exists()


@pytest.mark.slow  # Z3 and Hypothesis: some 15 s on a loaded machine
def test_bmc_and_fuzz_write_a_report(tmp_path: Path) -> None:
    out = tmp_path / "bmc.html"
    assert run_cli(["check", BUG1, "-D", "NODES=2", "--engine", "bmc", "--depth", "5",
                    "--html", str(out)]).status == 1
    assert 'data-property="unmap_complete"' in out.read_text()
    out = tmp_path / "fuzz.html"
    assert run_cli(["fuzz", BUG1, "-D", "NODES=2", "--examples", "200", "--html",
                    str(out)]).status == 1
    assert 'data-property="unmap_complete"' in out.read_text()


@pytest.mark.slow  # Z3: some 10 s
def test_prove_reports_a_counterexample_to_induction(tmp_path: Path) -> None:
    out = tmp_path / "cti.html"
    assert run_cli(["prove", P1, "-D", "NODES=2", "--no-lemmas", "--html", str(out)]).status \
        == 1
    text = out.read_text()
    assert 'data-kind="cti"' in text and text.count('class="state"') >= 4
    assert 'class="broken"' in text


def test_report_of_a_written_trace_and_its_errors(tmp_path: Path) -> None:
    itf, out = tmp_path / "bug1.itf.json", tmp_path / "bug1.html"
    assert run_cli(["check", BUG1, "-D", "NODES=2", "--trace-out", str(itf)]).status == 1
    assert run_cli(["report", str(itf), "-o", str(out)]).status == 0
    assert 'data-property="unmap_complete"' in out.read_text()
    bad = run_cli(["report", str(itf), "-o", str(tmp_path / "no" / "x.html")])
    assert bad.status == 2 and "E030" in bad.err and "Traceback" not in bad.err
    missing = run_cli(["report", str(tmp_path / "none.jsonl"), "-o", str(out)])
    assert missing.status == 2 and "Traceback" not in missing.err


def long_counterexample(out: Path) -> None:
    """Seeded bug 2 at 4 nodes, found by the walk of seed 6 after 42 steps (kept as walked:
    shortened, it is 4 steps)."""
    assert run_cli(["simulate", BUG2, "-D", "NODES=4", "--steps", "300", "--seed", "6",
                    "--no-shorten", "--html", str(out)]).status == 1


def test_a_40_step_report_is_small(tmp_path: Path) -> None:
    out = tmp_path / "long.html"
    long_counterexample(out)
    text = out.read_text()
    assert text.count('<g class="step') == 42 and len(text.encode()) < 300_000
    walk, report = tmp_path / "walk.jsonl", tmp_path / "walk.html"
    assert run_cli(["simulate", P1, "--steps", "40", "--trace-out", str(walk)]).status == 0
    assert run_cli(["report", str(walk), "-o", str(report)]).status == 0
    assert report.read_text().count('<g class="step') == 40


def divergent_trace(tmp_path: Path) -> Path:
    """A walk of P1 with its acknowledgement receipts removed: it diverges."""
    walk, cut = tmp_path / "walk.jsonl", tmp_path / "cut.jsonl"
    assert run_cli(["simulate", P1, "--steps", "40", "--seed", "3", "--trace-out",
                    str(walk)]).status == 0
    cut.write_text("".join(line for line in walk.read_text().splitlines(keepends=True)
                           if '"action":"recv_ack"' not in line))
    return cut


def test_trace_divergence_report(tmp_path: Path) -> None:
    out = tmp_path / "div.html"
    run = run_cli(["trace", P1, str(divergent_trace(tmp_path)), "--html", str(out)])
    assert run.status == 1
    text = out.read_text()
    assert 'data-kind="divergence"' in text and 'class="candidate"' in text
    assert "the spec has" in text and text.count('class="lane"') == 3
    assert run_cli(["trace", P1, str(tmp_path / "walk.jsonl"), "--html",
                    str(tmp_path / "ok.html")]).status == 0
    assert not (tmp_path / "ok.html").exists()


def test_explorer_endpoints_walk_to_a_violation() -> None:
    compiled = compile_spec(BUG1, ["NODES=2"], None)
    model = Model(compiled.spec)
    finding = check(compiled.spec, CheckOptions()).finding
    server = make_server(Explorer(Session(model), lambda: finding), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def post(path: str, body: dict | None = None) -> dict:  # type: ignore[type-arg]
        request = urllib.request.Request(base + path, json.dumps(body or {}).encode(),
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())  # type: ignore[no-any-return]

    try:
        with urllib.request.urlopen(base + "/", timeout=10) as page:
            assert b"numaspec explore" in page.read()
        view = post("/api/counterexample")
        assert view["depth"] == 0 and view["plan"]["steps"] == 5
        while view["violation"] is None:
            view = post("/api/follow")
        assert view["depth"] == 5 and "unmap_complete" in view["violation"]
        assert post("/api/back")["depth"] == 4
        with pytest.raises(urllib.error.HTTPError) as bad:
            post("/api/step", {"index": 10_000})
        assert bad.value.code == 400
    finally:
        server.shutdown()
        server.server_close()


def test_explore_refuses_a_busy_port() -> None:
    server = make_server(Explorer(Session(Model(compile_spec(P1, [], None).spec)),
                                  lambda: None), "127.0.0.1", 0)
    try:
        run = run_cli(["explore", P1, "--port", str(server.server_address[1])])
        assert run.status == 2 and "E031" in run.err
    finally:
        server.server_close()
