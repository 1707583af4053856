"""Errors are collected (all of them, once each) and rendered with a caret."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from numaspec.spec.diagnostics import SpecError, render_all
from numaspec.spec.pipeline import CompiledSpec

Compile = Callable[..., CompiledSpec]


def errors(compile_text: Compile, text: str, *defines: str) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as info:
        compile_text(text, *defines)
    return [(d.code, d.message) for d in info.value.diagnostics]


def test_independent_errors_are_all_reported(compile_text: Compile) -> None:
    found = errors(compile_text, """spec s
var a : bool
var b : int
action f() { a := 3 }
action g() { c := true }
invariant i: a + 1
""")
    assert [code for code, _ in found] == ["E302", "E300", "E200", "E303"]


def test_error_in_inlined_procedure_is_reported_once(compile_text: Compile) -> None:
    found = errors(compile_text, """spec s
var a : bool
proc p() { a := 1 }
action f() { p() }
action g() { p() }
""")
    assert found == [("E300", "expected `bool`, found `int`")]


def test_uncalled_procedure_is_checked(compile_text: Compile) -> None:
    assert errors(compile_text, "spec s\nproc p() { require 3 }\n")[0][0] == "E300"


def test_recursion_is_rejected(compile_text: Compile) -> None:
    found = errors(compile_text, "spec s\nproc p() { q() }\nproc q() { p() }\n"
                                 "action a() { p() }\n")
    assert found[0][0] == "E206" and "p -> q -> p" in found[0][1]


def test_rendering_has_source_line_and_caret(compile_text: Compile) -> None:
    with pytest.raises(SpecError) as info:
        compile_text("spec s\nvar flag : bool\naction f() { flag := 7 }\n")
    text = render_all(info.value.diagnostics, info.value.sources)
    lines = text.splitlines()
    assert lines[0].endswith("t.numa:3:22: error[E300]: expected `bool`, found `int`")
    assert lines[1] == " 3 | action f() { flag := 7 }"
    assert lines[2] == "   |                      ^"


def test_did_you_mean(compile_text: Compile) -> None:
    found = errors(compile_text, "spec s\nvar unmapping : bool\ninvariant i: unmaping\n")
    assert found[0][0] == "E200"
    with pytest.raises(SpecError) as info:
        compile_text("spec s\nvar unmapping : bool\ninvariant i: unmaping\n")
    assert "did you mean `unmapping`?" in info.value.diagnostics[0].notes[0].message


def test_define_errors(compile_text: Compile) -> None:
    spec = "spec s\nconst PAGES = 2\n"
    assert errors(compile_text, spec, "PAGS=3")[0][0] == "E401"
    assert errors(compile_text, spec, "PAGES=true")[0][0] == "E402"
    assert errors(compile_text, spec, "PAGES=(")[0][0] == "E102"
    assert errors(compile_text, spec, "no equals sign")[0][0] == "E004"
