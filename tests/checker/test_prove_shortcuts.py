"""The shortcuts of `prove` that keep P1's proof fast, and what they must not hide.

Variables that no step writes are constants in the inductive step (checker/symbolic/
unwritten.py): sound because they keep their initial value in every reachable state; a
variable written anywhere, even if only guards read it, stays free, so the step still finds
the counterexample.  The base case (a bounded model check of depth k - 1 = 0) computes no
inductive subset.  One query first asks for all obligations at once (one per action when
the solver gives up on it).
"""

from __future__ import annotations

from typing import Any

import pytest
import z3

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.smt import houdini
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.checker.smt.inductive_step import InductiveStep
from numaspec.checker.symbolic.unwritten import unwritten_variables

# `lock` is never written: false in every reachable state, so `fire` is never enabled.
NEVER_WRITTEN = """
spec never_written
topology { nodes 2 frames_per_node 1 }
var lock : bool
var x : 0 .. 3
action fire() {
  require lock
  x := 1
}
action idle() {
  require x == 0
}
invariant x_zero: x == 0
"""

# `x` depends on `key` only through two guards (key -> armed -> x): both are written, so
# neither may be taken for a constant; x == 0 is broken after three steps.
GUARDED = """
spec guarded_chain
topology { nodes 2 frames_per_node 1 }
var key : bool
var armed : bool
var x : 0 .. 3
action unlock() {
  key := true
}
action arm() {
  require key
  armed := true
}
action fire() {
  require armed
  x := 1
}
invariant x_zero: x == 0
"""

# The same as NEVER_WRITTEN, but `init` may set the lock: it is not a constant.
INIT_WRITES = NEVER_WRITTEN.replace("invariant", "init {\n  choose b: bool { lock := b }\n}\n"
                                    "invariant")


def test_a_never_written_variable_is_its_initial_value(compile_text: Any) -> None:
    spec = compile_text(NEVER_WRITTEN).spec
    assert unwritten_variables(spec) == {"lock"}
    assert check(spec, CheckOptions(liveness=False)).verdict == "holds"
    result = prove(spec, ProveOptions())
    assert result.verdict == "proved" and "x_zero" in result.proved


def test_a_variable_read_only_by_guards_stays_free(compile_text: Any) -> None:
    spec = compile_text(GUARDED).spec
    assert unwritten_variables(spec) == set()
    assert check(spec, CheckOptions(liveness=False)).verdict == "violated"
    result = prove(spec, ProveOptions())
    assert result.verdict == "cti" and result.failed == "x_zero"
    assert result.cti is not None and result.cti.last != result.cti.initial
    found = prove(spec, ProveOptions(k=4))  # the base case reaches the violation
    assert found.verdict == "violated" and found.failed == "x_zero"


def test_a_variable_init_writes_stays_free(compile_text: Any) -> None:
    spec = compile_text(INIT_WRITES).spec
    assert "lock" not in unwritten_variables(spec)
    assert check(spec, CheckOptions(liveness=False)).verdict == "violated"
    assert prove(spec, ProveOptions(k=2)).verdict == "violated"


def test_the_base_case_of_1_induction_runs_no_houdini(compile_text: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Any) -> Any:
        raise AssertionError("Houdini at depth 0")

    monkeypatch.setattr(houdini.Houdini, "run", refuse)
    text = GUARDED.replace("x := 1", "x := 0") + "invariant x_small: x < 2\n"
    spec = compile_text(text).spec  # two invariants: BMC would look for an inductive subset
    assert prove(spec, ProveOptions()).verdict == "proved"


def test_when_the_query_for_all_gives_up_each_action_is_asked(
        compile_text: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first query (every obligation at once) answering unknown, as at a --timeout: one
    query per action of the last step proves the step, or the obligations are asked alone and
    name the same failure as ever."""
    calls: list[str] = []
    answer = InductiveStep._answer

    def first_unknown(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append("query")
        return z3.unknown if len(calls) == 1 else answer(self, *args, **kwargs)

    monkeypatch.setattr(InductiveStep, "_answer", first_unknown)
    safe = compile_text(GUARDED.replace("x := 1", "x := 0")).spec
    assert prove(safe, ProveOptions()).verdict == "proved"
    assert len(calls) == 1 + len(safe.actions)
    calls.clear()
    result = prove(compile_text(GUARDED).spec, ProveOptions())
    assert result.verdict == "cti" and result.failed == "x_zero"
