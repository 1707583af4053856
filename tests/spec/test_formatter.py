"""`numaspec fmt`: idempotent, keeps comments, and the output elaborates to the same IR."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numaspec.cli.main import main
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.span import Span
from numaspec.spec.syntax.formatter import format_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted([*ROOT.glob("spec/**/*.numa"), *ROOT.glob("tests/corpus/**/*.numa")])

MESSY = """

spec   messy   // header
const N=3
var x :0..N-1   =  0
     // a comment
action go(a:0..N-1,b :int){
require x<N-1   and   -a < 3
    if x==0{x:=x+1}else{
x := -(x)  // neg
}
   for  y : {1, 2} {
         x := f(y)[0]
   }
}



invariant ok : x>=0 and
x<=N
/* block
   comment */
fun f(z: int): Seq[int] = [z , -z]
"""

TIDY = """spec messy     // header
const N = 3
var x : 0 .. N - 1 = 0
// a comment
action go(a: 0 .. N - 1, b : int) {
  require x < N - 1 and -a < 3
  if x == 0 {x := x + 1} else {
    x := -(x)  // neg
  }
  for y : {1, 2} {
    x := f(y)[0]
  }
}

invariant ok : x >= 0 and
  x <= N
/* block
   comment */
fun f(z: int): Seq[int] = [z, -z]
"""


def _without_spans(value: Any) -> Any:
    """The IR as nested tuples, spans left out (formatting may move columns)."""
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                *(_without_spans(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _without_spans(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_without_spans(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(map(repr, value)))
    return value


def test_layout_is_normalised_and_comments_kept() -> None:
    assert format_text(MESSY) == TIDY
    assert format_text(TIDY) == TIDY


def test_every_valid_spec_formats_to_the_same_ir() -> None:
    checked = 0
    for path in SPECS:
        text = path.read_text(encoding="utf-8-sig")
        try:
            before = compile_spec(str(path))
        except SpecError:
            continue  # a deliberately bad spec (tests/corpus/bad/) or a module needing bindings
        formatted = format_text(text, str(path))
        assert format_text(formatted, str(path)) == formatted, f"{path}: not idempotent"
        after = compile_spec(str(path), texts={path.resolve(): formatted})
        assert _without_spans(after.spec) == _without_spans(before.spec), path
        checked += 1
    assert checked >= 20


def test_bundled_specs_are_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    bundled = [str(p) for p in sorted(ROOT.glob("spec/**/*.numa"))]
    assert main(["fmt", "--check", *bundled]) == 0


def test_check_and_rewrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy, bad = tmp_path / "messy.numa", tmp_path / "bad.numa"
    messy.write_text(MESSY)
    bad.write_text("spec bad\nvar : int\n")
    assert main(["fmt", "--check", str(messy)]) == 1
    assert "would be reformatted" in capsys.readouterr().err
    assert messy.read_text() == MESSY
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text() == TIDY
    assert main(["fmt", "--check", str(messy)]) == 0
    assert main(["fmt", str(bad)]) == 2
    assert "error[E101]" in capsys.readouterr().err


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(MESSY))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == TIDY
    monkeypatch.setattr("sys.stdin", io.StringIO(MESSY))
    assert main(["fmt", "--check", "-"]) == 1


SEED = (ROOT / "spec" / "lib" / "l4.numa").read_text()
LAYOUT = ["\n", " ", "    ", "\n\n\n", "\t", "// note\n", " /* c */ "]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.sampled_from(LAYOUT)), max_size=8))
def test_layout_changes_format_idempotently(edits: list[tuple[int, str]]) -> None:
    """White space and comments put anywhere between tokens: still one fixed point."""
    text = SEED
    for at, piece in edits:
        text = text[:at] + piece + text[at:]
    try:
        formatted = format_text(text)
    except SpecError:
        return  # the insertion split a token or went into a comment or string
    assert format_text(formatted) == formatted
