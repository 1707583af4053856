"""The `numaspec` command: exit statuses and output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import ROOT, run_cli


@pytest.mark.usefixtures("at_root")
def test_parse_reference_specs() -> None:
    files = ["spec/lib/l4.numa", *sorted(str(p.relative_to(ROOT))
                                         for p in (ROOT / "spec" / "examples").glob("*.numa"))]
    run = run_cli(["parse", *files])
    assert run.status == 0
    out = run.out.splitlines()
    assert len(out) == len(files)
    assert out[files.index("spec/examples/pernode.numa")].startswith(
        "spec/examples/pernode.numa: ok: spec pernode (3 nodes, 1 frame per node)")


@pytest.mark.usefixtures("at_root")
def test_parse_json() -> None:
    run = run_cli(["parse", "--json", "spec/examples/pernode.numa"])
    assert run.status == 0
    result = json.loads(run.out)
    assert (result["tool"], result["command"], result["exit_code"]) == ("numaspec", "parse", 0)
    files = result["files"]
    assert files[0]["ok"] and files[0]["summary"]["actions"] == 4


def test_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.numa"
    bad.write_text("spec bad\naction a() { x := }\n")
    run = run_cli(["parse", str(bad)])
    assert run.status == 2
    assert "error[E101]" in run.err


def test_missing_file_and_bad_arguments() -> None:
    run = run_cli(["parse", "/nonexistent/x.numa"])
    assert run.status == 2
    assert "error[E001]" in run.err
    for argv in (["parse"], ["frobnicate"]):
        run = run_cli(argv)
        assert run.exited and run.status == 2
