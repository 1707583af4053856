"""The backend-neutral symbolic encoding (checker/symbolic/): each encoding has its own
backend object, so specs with different bit widths can be encoded side by side in one
process, and the encoding itself never imports Z3 (only the SMT engine does)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

from numaspec.checker.explicit import check
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.search import VectorSearch
from numaspec.checker.explicit.vector.step import VectorStepper
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.checker.smt.bmc import Bmc, BmcOptions
from numaspec.checker.smt.induction import ProveOptions, Prover, ProveResult
from numaspec.checker.smt.z3_logic import Z3Logic
from numaspec.checker.symbolic.terms import TermLogic
from numaspec.checker.symbolic.width import width_for
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir

# Needs 11 bits or more: 1000 does not fit the narrow spec's width.
WIDE = """
spec wide_counter
topology { nodes 2 frames_per_node 1 }
var x : 0 .. 1000
action inc() {
  require x < 1000
  x := x + 250
}
action reset() {
  require x == 1000
  x := 0
}
invariant bounded: x <= 1000
invariant quarters: x % 250 == 0
"""

# A violation at depth 3 (the base case of k-induction with k = 4 finds it too), in a few bits.
NARROW = """
spec narrow_counter
topology { nodes 2 frames_per_node 1 }
var y : 0 .. 3
action step() {
  require y < 3
  y := y + 1
}
invariant below: y < 3
"""


def _bmc_answer(result: CheckResult) -> tuple[Any, ...]:
    finding = result.finding
    states = None if finding is None else tuple(finding.trace.states())
    return result.verdict, None if finding is None else finding.property, states


def _prove_answer(result: ProveResult) -> tuple[Any, ...]:
    finding = result.finding
    return (result.verdict, tuple(result.proved), result.failed,
            None if finding is None else tuple(finding.trace.states()))


def _vector_answer(result: CheckResult) -> tuple[Any, ...]:
    finding = result.finding
    return (result.verdict, result.stats.distinct_states,
            None if finding is None else tuple(finding.trace.states()))


def _runners(spec: ir.Spec) -> list[Callable[[], tuple[Any, ...]]]:
    """Each engine on `spec`, built now (encoding started) and run when called."""
    bmc = Bmc(spec, BmcOptions(depth=6))
    prover = Prover(spec, ProveOptions(k=4))
    model = Model(spec)
    search = VectorSearch(model, CheckOptions(), VectorStepper(model, Layout(spec)))
    return [lambda: _bmc_answer(bmc.run()), lambda: _prove_answer(prover.run()),
            lambda: _vector_answer(search.run())]


def test_two_widths_encoded_side_by_side(compile_text: Any) -> None:
    wide, narrow = compile_text(WIDE).spec, compile_text(NARROW).spec
    assert width_for(wide) >= 11 and width_for(narrow) < 11
    alone = {id(spec): [run() for run in _runners(spec)] for spec in (wide, narrow)}
    # every engine of both specs built first, then run alternately
    built = {id(spec): _runners(spec) for spec in (wide, narrow)}
    together: dict[int, list[tuple[Any, ...]]] = {id(wide): [], id(narrow): []}
    for number in range(3):
        for spec in (narrow, wide):
            together[id(spec)].append(built[id(spec)][number]())
    assert together == alone
    wide_bmc, wide_prove, wide_vector = alone[id(wide)]
    assert wide_bmc[0] == "holds" and wide_prove[0] == "proved"
    assert wide_vector[:2] == ("holds", 5)
    narrow_bmc, narrow_prove, narrow_vector = alone[id(narrow)]
    assert narrow_bmc[:2] == ("violated", "below") and len(narrow_bmc[2]) == 4
    assert narrow_prove[0] == "violated" and narrow_vector[0] == "violated"
    assert narrow_vector[2] == narrow_bmc[2]
    assert _vector_answer(check(narrow, CheckOptions())) == narrow_vector


def test_each_backend_object_has_its_own_width_and_table() -> None:
    eight, sixteen = Z3Logic(8), Z3Logic(16)
    assert eight.int_var("a").size() == 8 and sixteen.int_var("a").size() == 16
    assert eight.as_z3(3).size() == 8 and sixteen.as_z3(3).size() == 16
    first, second = TermLogic(), TermLogic()
    column = first.make("col", 0)
    assert first.make("col", 0) is column and second.make("col", 0) is not column
    assert first.conj([first.make("colb", 1), True]) is first.make("colb", 1)


def test_the_symbolic_encoding_imports_no_z3() -> None:
    code = """
import pkgutil, sys
import numaspec.checker.symbolic as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
assert len(names) >= 10, names
for name in names:
    __import__(name)
print("z3" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_width_counts_values_not_bookkeeping(compile_text: Any) -> None:
    """A view over a large map and an action with many locals leave the width as it is: no
    symbolic backend encodes views, and local slots are not values (both once made P1 with the
    L4 library 10 bits wide instead of 8)."""
    lets = "\n".join(f"  let a{i} = y" for i in range(40))
    text = NARROW + f"""
fun everything(): Map[(Node, Node, Node, Node, Node, Node, Node, Node), bool] = {{}}
action busy() {{
  require y < 2
{lets}
  y := a39 + 1
}}
"""
    spec = compile_text(text).spec
    assert spec.views and max(a.locals_count for a in spec.actions) >= 40
    assert width_for(spec) == width_for(compile_text(NARROW).spec)
