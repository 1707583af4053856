"""The `numaspec` command: exit statuses and output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from numaspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent.parent


def test_parse_reference_specs(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    files = ["spec/lib/l4.numa", *sorted(str(p.relative_to(ROOT))
                                         for p in (ROOT / "spec" / "examples").glob("*.numa"))]
    assert main(["parse", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(files)
    assert out[files.index("spec/examples/pernode.numa")].startswith(
        "spec/examples/pernode.numa: ok: spec pernode (3 nodes, 1 frame per node)")


def test_parse_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["parse", "--json", "spec/examples/pernode.numa"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result[0]["ok"] and result[0]["summary"]["actions"] == 4


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.numa"
    bad.write_text("spec bad\naction a() { x := }\n")
    assert main(["parse", str(bad)]) == 2
    assert "error[E101]" in capsys.readouterr().err


def test_missing_file_and_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/nonexistent/x.numa"]) == 2
    assert "error[E001]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["parse"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
