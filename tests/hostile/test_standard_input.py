"""`-` for standard input wherever a spec or a trace is read: the SPEC of `trace` (one log,
several ITF traces, per-node logs), `--views -`, `report`'s TRACE and `--spec`; a spec error
located in `<stdin>`; two inputs of one command on standard input refused (E004) before
either is read."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from harness import COUNTER_SPEC, P1, ROOT, CliRun, cli_command, run_cli

CONFORMS = '{"state":{"x":0}}\n{"action":"inc","post":{"x":1}}\n'
DIVERGES = '{"state":{"x":0}}\n{"action":"inc","post":{"x":2}}\n'  # wrong at line 2
DATA = ROOT / "tests/traces/data"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> io.BytesIO:
    """Standard input holding `text` (its buffer returned, to see how much was read)."""
    raw = io.BytesIO(text.encode())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    return raw


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def _run(monkeypatch: pytest.MonkeyPatch, stdin: str, argv: list[str]) -> CliRun:
    _stdin(monkeypatch, stdin)
    run = run_cli(argv)
    assert "Traceback" not in run.err
    return run


def test_trace_reads_its_spec_from_standard_input(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    good, bad = _write(tmp_path / "ok.jsonl", CONFORMS), _write(tmp_path / "bad.jsonl", DIVERGES)
    run = _run(monkeypatch, COUNTER_SPEC, ["trace", "-", good])
    assert run.status == 0 and f"trace {good} against <stdin>: conforms" in run.out, run.err
    run = _run(monkeypatch, COUNTER_SPEC, ["trace", "-", bad])
    assert run.status == 1 and "does not conform at line 2" in run.out


def test_a_spec_on_standard_input_takes_the_trace_header_constants(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The header's constants compile the spec a second time, from the text read once."""
    header = ('{"#meta":{"format":"numaspec-trace/1","spec":"counter.numa",'
              '"constants":{"MAX":1}}}\n')
    log = _write(tmp_path / "t.jsonl", header + CONFORMS + '{"action":"inc"}\n')
    run = _run(monkeypatch, COUNTER_SPEC, ["trace", "-", log])
    assert run.status == 1 and "constants from the trace: MAX=1" in run.out, run.err
    assert "does not conform at line 4" in run.out  # MAX=1: no second inc
    assert "header names the spec" not in run.out + run.err  # counter.numa is spec counter


def test_spec_errors_from_standard_input_are_located_in_stdin(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    log = _write(tmp_path / "ok.jsonl", CONFORMS)
    run = _run(monkeypatch, COUNTER_SPEC.replace("x += 1", "x += y"), ["trace", "-", log])
    assert run.status == 2
    assert run.err.startswith("<stdin>:10:8: error[E200]: unknown name `y`\n")
    assert "10 |   x += y\n" in run.err and "^" in run.err
    page = tmp_path / "r.html"
    run = _run(monkeypatch, COUNTER_SPEC.replace("x <= MAX", "x <= MAXX"),
               ["report", log, "--spec", "-", "-o", str(page)])
    assert run.status == 2 and not page.exists()
    assert run.err.startswith("<stdin>:12:23: error[E200]: unknown name `MAXX`\n")


def test_several_itf_traces_and_per_node_logs_with_the_spec_on_standard_input(
        monkeypatch: pytest.MonkeyPatch) -> None:
    p1 = (ROOT / P1).read_text()
    itf = str(DATA / "quint_style.itf.json")
    run = _run(monkeypatch, p1, ["trace", "-", itf, itf])
    assert run.status == 0, run.err
    assert run.out.splitlines()[-1].startswith("2 traces: 2 conform")
    run = _run(monkeypatch, p1, ["trace", "-", str(DATA / "causal/wrong_frame")])
    assert run.status == 1 and "against <stdin>: does not conform at node 2" in run.out


def test_views_from_standard_input(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec = _write(tmp_path / "counter.numa", COUNTER_SPEC)
    log = _write(tmp_path / "v.jsonl", '{"state":{"x":0}}\n{"action":"inc",'
                 '"post":{"doubled":2}}\n')
    views = "module v\nfun doubled(): int = 2 * x\n"
    assert _run(monkeypatch, views, ["trace", spec, log, "--views", "-"]).status == 0
    wrong = _run(monkeypatch, views.replace("2 *", "3 *"), ["trace", spec, log, "--views", "-"])
    assert wrong.status == 1
    bad = _run(monkeypatch, views.replace("* x", "* y"), ["trace", spec, log, "--views", "-"])
    assert bad.status == 2 and bad.err.startswith("<stdin>:2:26: error[E200]")


def test_report_reads_its_trace_or_its_spec_from_standard_input(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The trace is opened once: reading it again from a pipe found no initial state."""
    walk = tmp_path / "walk.itf.json"
    assert run_cli(["simulate", P1, "--steps", "6", "--trace-out", str(walk)]).status == 0
    page = tmp_path / "stdin.html"
    run = _run(monkeypatch, walk.read_text(), ["report", "-", "-o", str(page)])
    assert run.status == 0 and page.exists(), run.err
    assert "&lt;stdin&gt;" in page.read_text() or "<stdin>" in page.read_text()
    counter = tmp_path / "counter.itf.json"
    run = _run(monkeypatch, COUNTER_SPEC.replace("x <= MAX", "x < MAX"),
               ["check", "-", "--trace-out", str(counter)])
    assert run.status == 1, run.err  # its header's source is <stdin>: no file to read
    run = run_cli(["report", str(counter), "-o", str(page)])
    assert run.status == 2 and "error[E032]" in run.err and "give --spec SPEC" in run.err
    other = tmp_path / "spec.html"
    run = _run(monkeypatch, (ROOT / P1).read_text(),
               ["report", str(walk), "--spec", "-", "-o", str(other)])
    assert run.status == 0 and other.exists(), run.err


@pytest.mark.parametrize("argv", [
    ["trace", "-", "-"],
    ["trace", "-", "/dev/stdin"],
    ["trace", "-", "LOG", "--views", "-"],
    ["trace", "SPEC", "-", "--views", "-"],
    ["report", "-", "--spec", "-", "-o", "OUT"],
    ["explore", "-", "--trace", "-"],
    ["check", "-", "--lemmas", "-"],
    ["parse", "-", "-"],
])
def test_two_inputs_on_standard_input_are_refused(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path, argv: list[str]) -> None:
    names = {"SPEC": _write(tmp_path / "counter.numa", COUNTER_SPEC),
             "LOG": _write(tmp_path / "ok.jsonl", CONFORMS), "OUT": str(tmp_path / "r.html")}
    raw = _stdin(monkeypatch, COUNTER_SPEC)
    run = run_cli([names.get(a, a) for a in argv])
    assert run.status == 2 and "error[E004]: standard input can be read once" in run.err
    assert raw.tell() == 0  # refused before anything was read
    json_run = run_cli([*(names.get(a, a) for a in argv), "--json"])
    assert json_run.status == 2 and '"code": "E004"' in json_run.out


def test_a_real_pipe_into_trace() -> None:
    """The command as a process, the spec piped in, the log a file."""
    log = str(DATA / "quint_style.itf.json")
    done = subprocess.run(cli_command(["trace", "-", log]), input=(ROOT / P1).read_text(),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"trace {log} against <stdin>: conforms" in done.stdout
