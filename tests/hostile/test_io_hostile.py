"""Hostile command lines: numbers argparse took without a look, output paths that cannot be
written (found after the work, with a traceback and the counterexample lost), and Ctrl-C in
`trace` (partial results)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from harness import ROOT, cli_command, run_cli

SPEC = """spec counter
topology {
  nodes 1
  frames_per_node 1
}
var x : 0 .. 5
action inc() {
  require x < 3
  x += 1
}
invariant small: x <= 1
"""


@pytest.fixture
def spec(tmp_path: Path) -> str:
    path = tmp_path / "counter.numa"
    path.write_text(SPEC)
    return str(path)


@pytest.mark.parametrize("argv", [
    ["check", "{spec}", "--timeout", "-1"],
    ["check", "{spec}", "--timeout", "nan"],  # hung
    ["check", "{spec}", "--timeout", "inf"],
    ["check", "{spec}", "--max-states", "-5"],
    ["check", "{spec}", "--max-memory", "-1"],
    ["fuzz", "{spec}", "--examples", "-3"],
    ["fuzz", "{spec}", "--time-budget", "-1"],
    ["fuzz", "{spec}", "--max-steps", "0"],  # a traceback
    ["trace", "{spec}", "t.jsonl", "--max-frontier", "0"],
    ["prove", "{spec}", "--timeout", "-2"],
    ["lint", "{spec}", "--timeout", "nan"],
    ["evaluate", "--verify-timeout", "-1", "--out", "{tmp}", "--nodes", "2..2"],
])
def test_bad_numbers_are_refused_before_work(spec: str, tmp_path: Path,
                                            argv: list[str]) -> None:
    run = run_cli([a.format(spec=spec, tmp=tmp_path) for a in argv])
    assert run.status == 2 and "error[E004]" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("argv", [
    ["check", "{spec}", "--trace-out", "{missing}/cex.itf.json"],
    ["check", "{spec}", "--trace-out", "{tmp}"],
    ["check", "{spec}", "--trace-out", "{spec}/cex.jsonl"],
    ["simulate", "{spec}", "--trace-out", "{missing}/walk.jsonl"],
    ["fuzz", "{spec}", "--trace-out", "{missing}/cex.jsonl"],
    ["fuzz", "{spec}", "--database", "{spec}"],
    ["trace", "{spec}", "{log}", "--witness", "{missing}/w.itf.json"],
    ["infer", "{spec}", "--out", "{missing}/lemmas.numa"],
    ["evaluate", "--out", "{spec}"],
    ["evaluate", "--out", "{tmp}", "--report", "{missing}/report.md", "--nodes", "2..2",
     "--topology", "uniform2"],
])
def test_unwritable_outputs_are_refused_before_work(spec: str, tmp_path: Path,
                                                    argv: list[str]) -> None:
    log = tmp_path / "t.jsonl"
    log.write_text('{"state":{"x":0}}\n')
    names = {"spec": spec, "tmp": str(tmp_path), "missing": str(tmp_path / "no" / "dir"),
             "log": str(log)}
    start = time.perf_counter()
    run = run_cli([a.format(**names) for a in argv])
    assert run.status == 2 and "error[E005]" in run.err, run.err
    assert "Traceback" not in run.err and time.perf_counter() - start < 30


def test_a_write_that_fails_late_prints_the_finding_first(
        spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from numaspec.traces.formats import write

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    out = tmp_path / "cex.itf.json"
    monkeypatch.setattr(write, "write_trace", full_disk)
    run = run_cli(["check", spec, "--trace-out", str(out)])
    assert run.status == 2 and "violation (invariant)" in run.out
    assert "error[E005]" in run.err and "No space left on device" in run.err
    assert not out.exists()  # the check of the path before the work left nothing behind


def test_ctrl_c_in_trace_reports_what_was_matched(spec: str) -> None:
    process = subprocess.Popen(cli_command(["trace", spec, "-"]), cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdin is not None
    process.stdin.write('{"state":{"x":0}}\n{"action":"inc"}\n{"action":"inc"}\n')
    process.stdin.flush()  # the log goes on: the command waits for the next line
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 3, err
    assert "interrupted after line 3: it conforms up to there (incomplete)" in out
    assert "events matched: 2 and 1 state observation(s)" in out
