"""`numaspec trace SPEC --follow LOG...`: logs validated while they are written; a divergence
reported within a second of its line; the end by --idle-timeout, by the end of a pipe, or by
SIGTERM with partial results (never a hang)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from causal_logs import P1, read, write_logs
from harness import ROOT, cli_command

pytestmark = pytest.mark.usefixtures("at_root")


def _start(*args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the report's first line when printed
    return subprocess.Popen(cli_command(["trace", P1, *args]), cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin,
                            env=env)


def _first_line_time(process: subprocess.Popen[str], seen: list[tuple[float, str]]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        seen.append((time.monotonic(), line))


def _walk_order(paths: list[Path]) -> list[tuple[int, str]]:
    """Every event line with its node, in the order of the walk that made them."""
    lines = [(json.loads(x)["#step"], n, x) for n, p in enumerate(paths) for x in read(p)[1:]]
    return [(n, x) for _, n, x in sorted(lines)]


def _prepare(tmp_path: Path) -> tuple[list[Path], list[tuple[int, str]], Path]:
    source = tmp_path / "source"
    source.mkdir()
    paths = write_logs(source, 3, 400, 7, "vc", post=True)
    live = tmp_path / "live"
    live.mkdir()
    for path in paths:  # the headers first: the files exist when the command starts
        (live / path.name).write_text(read(path)[0] + "\n")
    return paths, _walk_order(paths), live


def test_divergence_reported_within_a_second(tmp_path: Path) -> None:
    paths, events, live = _prepare(tmp_path)
    bad = next(i for i, (_, x) in enumerate(events) if i > 150 and '"post"' in x)
    process = _start(str(live), "--follow", "--idle-timeout", "5")
    seen: list[tuple[float, str]] = []
    reader = threading.Thread(target=_first_line_time, args=(process, seen), daemon=True)
    reader.start()
    assert process.stderr is not None
    outs = [open(live / p.name, "a", encoding="utf-8") for p in paths]  # noqa: SIM115
    written = 0.0
    try:
        for i, (node, line) in enumerate(events):
            if i == bad:
                assert process.stderr.readline().startswith("following ")  # set up
                time.sleep(1.5)  # and caught up with the lines before this one
                line = re.sub(r'\[\[(\d),(\d)\]',
                              lambda m: f"[[{m[1]},{(int(m[2]) + 1) % 3}]", line, count=1)
            outs[node].write(line + "\n")
            outs[node].flush()
            if i == bad:
                written = time.monotonic()
            if process.poll() is not None:
                break
            time.sleep(0.004)
        process.wait(timeout=30)
        reader.join(timeout=30)
    finally:
        for out_file in outs:
            out_file.close()
    assert process.returncode == 1
    assert seen and "does not conform at node" in seen[0][1]
    # within a second of the line (0.5 s more for a machine shared by many jobs)
    assert seen[0][0] - written < 1.0 + 0.5


def test_ends_after_idle_timeout_and_conforms(tmp_path: Path) -> None:
    paths, events, live = _prepare(tmp_path)
    for node, line in events:
        with open(live / paths[node].name, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    start = time.monotonic()
    process = _start(str(live), "--follow", "--idle-timeout", "0.5")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "conforms" in out and time.monotonic() - start < 30


def test_merged_stream_on_stdin_ends_with_the_pipe(tmp_path: Path) -> None:
    paths, events, _ = _prepare(tmp_path)
    text = read(paths[0])[0] + "\n" + "".join(line + "\n" for _, line in events)
    process = _start("--follow", "-", stdin=subprocess.PIPE)
    out, err = process.communicate(text, timeout=60)
    assert process.returncode == 0, err
    assert "events matched: 400" in out


def test_sigterm_ends_with_partial_results(tmp_path: Path) -> None:
    paths, events, live = _prepare(tmp_path)
    for node, line in events[:100]:
        with open(live / paths[node].name, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    process = _start(str(live), "--follow", "--idle-timeout", "600")
    assert process.stderr is not None
    assert process.stderr.readline().startswith("following ")  # it is ready
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 3, err
    assert "interrupted" in out and "Traceback" not in err
