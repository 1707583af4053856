"""Every invalid spec in tests/corpus/bad/ gives exit 2 and exactly its golden diagnostic.

A case may start with `// args: ...` to pass extra command-line arguments (e.g. `-D X=1`).
Regenerate the goldens after an intended change of wording with
`NUMASPEC_UPDATE_GOLDEN=1 pytest tests/test_bad_corpus.py` and review the diff.
"""

from __future__ import annotations

import re
import shlex
import signal
from pathlib import Path

import pytest
from harness import ROOT, assert_golden, run_cli

BAD = ROOT / "tests" / "corpus" / "bad"
HEADER = re.compile(r"^[^\s:][^:]*:\d+:\d+: error\[E\d{3}\]: .+$|^error\[E\d{3}\]: .+$")


def _generated() -> dict[str, bytes]:
    namespace: dict[str, object] = {}
    exec((BAD / "generated.py").read_text(), namespace)
    return namespace["GENERATED"]  # type: ignore[return-value]


def _cases() -> list[str]:
    return sorted(p.name for p in BAD.glob("*.numa")) + sorted(_generated())


def _args(path: Path) -> list[str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    return shlex.split(first[len("// args:"):]) if first.startswith("// args:") else []


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError("the front end took more than 20 s: a hang")


def test_corpus_is_large_enough() -> None:
    assert len(_cases()) >= 40


@pytest.mark.parametrize("name", _cases())
def test_bad_spec(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated = _generated()
    if name in generated:
        (tmp_path / name).write_bytes(generated[name])
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(BAD)
    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(20)
    try:
        out = run_cli(["parse", *_args(Path(name)), name])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert out.status == 2, out.out
    assert "Traceback" not in out.err
    lines = out.err.splitlines()
    assert HEADER.match(lines[0]), lines[0]
    assert_golden(out.err, BAD / (Path(name).stem + ".expected"))
