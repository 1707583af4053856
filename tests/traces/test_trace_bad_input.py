"""Every malformed trace (tests/traces/bad/cases.py) exits 2 with exactly its golden
diagnostic: `file:line:col: error[CODE]` naming the right line, the line, a caret, no traceback.

Regenerate the goldens after an intended change of wording with
`NUMASPEC_UPDATE_GOLDEN=1 pytest tests/traces/test_trace_bad_input.py` and review the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from harness import ROOT, CliRun, assert_golden, run_cli

BAD = Path(__file__).parent / "bad"
P1 = str(ROOT / "spec" / "examples" / "pernode.numa")
HEADER = re.compile(r"^[^\s:][^:]*:\d+:\d+: error\[E\d{3}\]: .+$|^error\[E\d{3}\]: .+$")


def _cases() -> dict[str, tuple[bytes, list[str]]]:
    namespace: dict[str, object] = {}
    exec((BAD / "cases.py").read_text(), namespace)
    return namespace["CASES"]  # type: ignore[return-value]


def test_every_trace_code_has_a_case() -> None:
    goldens = "".join(p.read_text() for p in BAD.glob("*.expected"))
    for code in ("E002", "E500", "E501", "E502", "E503", "E504", "E505", "E506", "E507",
                 "E508", "E509"):
        assert f"error[{code}]" in goldens, code


def _run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *more: str) -> CliRun:
    """Write case `name` to `tmp_path` and run `numaspec trace` on it from there."""
    contents, extra = _cases()[name]
    (tmp_path / name).write_bytes(contents)
    monkeypatch.chdir(tmp_path)
    return run_cli(["trace", P1, name, *extra, *more])


@pytest.mark.parametrize("name", sorted(_cases()))
def test_malformed_trace(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _run(name, tmp_path, monkeypatch)
    assert out.status == 2, out.out
    assert "Traceback" not in out.err and out.out == ""
    assert HEADER.match(out.err.splitlines()[0]), out.err
    assert_golden(out.err, BAD / (name.split(".")[0] + ".expected"))


@pytest.mark.parametrize("name", sorted(_cases()))
def test_malformed_trace_as_json(name: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run(name, tmp_path, monkeypatch, "--json")
    assert run.status == 2
    data = json.loads(run.out)
    assert data["ok"] is False and data["diagnostics"][0]["code"].startswith("E")
