"""Hostile trace input: pipes, FIFOs and standard input, and JSON that `json.loads` accepts
but a trace must not hold.  Each case was a wrong verdict, a hang or a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from harness import COUNTER_SPEC, P1, ROOT, cli_command, run_cli

DIVERGES = '{"state":{"x":0}}\n{"action":"inc","post":{"x":2}}\n'  # wrong at line 2


@pytest.fixture
def spec(tmp_path: Path) -> str:
    path = tmp_path / "counter.numa"
    path.write_text(COUNTER_SPEC)
    return str(path)


def _process(argv: list[str], stdin: str | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_command(argv), input=stdin, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_a_piped_log_that_diverges_does_not_conform(spec: str, name: str) -> None:
    # sniffing the format read the pipe, and the reader opened it again: "conforms", 0 events
    done = _process(["trace", spec, name], stdin=DIVERGES)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "does not conform at line 2" in done.stdout


def test_a_fifo_not_named_jsonl_is_read_once(spec: str, tmp_path: Path) -> None:
    fifo = tmp_path / "log"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=(DIVERGES,), daemon=True)
    writer.start()
    done = _process(["trace", spec, str(fifo)], timeout=60)  # it hung: opened twice
    writer.join(5)
    assert done.returncode == 1 and "does not conform at line 2" in done.stdout


def test_a_device_or_fifo_is_not_said_not_to_exist(spec: str, tmp_path: Path) -> None:
    fifo = tmp_path / "spec.numa"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):  # a spec is read from a regular file
        run = run_cli(["check", path])
        assert run.status == 2 and f"cannot read {path}: it is not a regular file" in run.err
    done = _process(["trace", spec, "/dev/zero"], timeout=60)  # read to the line limit only
    assert done.returncode == 2 and "error[E502]" in done.stderr


def _trace(spec: str, tmp_path: Path, name: str, text: str) -> tuple[int, str]:
    path = tmp_path / name
    path.write_text(text)
    run = run_cli(["trace", spec, str(path)])
    assert "Traceback" not in run.err
    return run.status, run.err + run.out


@pytest.mark.parametrize(("name", "text", "code"), [
    ("dup.jsonl", '{"state":{"x":0,"x":1}}\n', "E510"),
    ("dup.itf.json", '{"vars":["x"],"states":[{"x":0,\n"x":1}]}', "E510"),
    ("float.jsonl", '{"state":{"x":{"#bigint":1.0}}}\n', "E506"),
    ("bool.jsonl", '{"state":{"x":{"#bigint":true}}}\n', "E506"),
    ("underscore.jsonl", '{"state":{"x":{"#bigint":"0_1"}}}\n', "E506"),
    ("spaces.jsonl", '{"state":{"x":{"#bigint":" 1"}}}\n', "E506"),
    ("version.jsonl", '{"#meta":{"format":"numaspec-trace/10"}}\n{"state":{"x":0}}\n', "E503"),
    ("version.itf.json", '{"#meta":{"format":"ITF-2"},"states":[{"x":0}]}', "E508"),
    ("long.jsonl", '{"state":{"x":0}}\n{"action":"inc","post":{"x":' + "1" * 5000 + "}}\n",
     "E511"),
    ("long.itf.json", '{"states":[{"x":' + "1" * 5000 + "}]}", "E511"),
])
def test_json_a_trace_must_not_hold_is_refused(spec: str, tmp_path: Path, name: str,
                                               text: str, code: str) -> None:
    status, output = _trace(spec, tmp_path, name, text)
    assert status == 2 and f"error[{code}]" in output, output


def test_the_duplicate_key_is_pointed_at(spec: str, tmp_path: Path) -> None:
    _, output = _trace(spec, tmp_path, "dup.jsonl", '{"state":{"x":0,"x":1}}\n')
    assert 'dup.jsonl:1:11: error[E510]: line 1: the key "x" appears twice' in output


def test_a_header_naming_another_spec_is_noted(spec: str, tmp_path: Path) -> None:
    header = json.dumps({"#meta": {"format": "numaspec-trace/1", "spec": "pager.numa"}})
    status, output = _trace(spec, tmp_path, "t.jsonl", header + '\n{"state":{"x":0}}\n')
    assert status == 0 and "the trace's header names the spec 'pager.numa'" in output


@pytest.mark.usefixtures("at_root")
def test_a_bad_constant_from_the_header_says_where_it_came_from(tmp_path: Path) -> None:
    header = json.dumps({"#meta": {"constants": {"PAGES": -1}}})
    log = tmp_path / "neg.jsonl"
    log.write_text(header + '\n{"state":{}}\n')
    run = run_cli(["trace", P1, str(log)])
    assert run.status == 2 and "l4.numa" in run.err
    assert f"PAGES=-1 come from the trace's header ({log}:1)" in run.err


def test_a_spec_whose_init_fails_is_e526_not_a_traceback(tmp_path: Path) -> None:
    """Found by the command-line fuzz test: `trace` on a spec whose `init` fails raised
    StepViolation from the frontier's set-up."""
    spec = tmp_path / "init_fails.numa"
    spec.write_text("spec init_fails\nvar x : bool\naction a() { x := not x }\n"
                    "init { assert x }\n")
    log = tmp_path / "walk.jsonl"
    log.write_text('{"action":"a"}\n')
    run = run_cli(["trace", str(spec), str(log)])
    assert run.status == 2 and "error[E526]" in run.err and "Traceback" not in run.err
