"""Keys and elements outside their type (tests/corpus/keys/): every engine agrees with the
interpreter (interpreted BFS, the reference) on the verdict, the violation's kind and the
failing place.

The symbolic encodings (BMC, k-induction, the vectorised search) represent a map by one entry
per value of its key type and a set by one bit per value of its element type, so a value
outside the type has no place: a write at such a key must be the model's range violation
(model/compile/stmt.py), a read of it an absent key, `in` false, `delete` nothing; a set or
map that gained such a value is a range violation where it is stored.  Before the fix the
vectorised search said "holds", BMC crashed with a KeyError and prove proved the step safe.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from harness import ROOT

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.model.findings import Finding
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec

CORPUS = sorted((ROOT / "tests/corpus/keys").glob("*.numa"))
SPECS = [*CORPUS, ROOT / "tests/corpus/mutation/key_out_of_range.numa"]

# the reference's verdict on each spec (so a change of the interpreter shows too)
EXPECTED = {"delete_key": "holds", "has_key": "holds", "map_literal": "range",
            "nested_key": "range", "read_key": "runtime", "set_element": "range",
            "write_key": "range", "key_out_of_range": "range", "inner_key": "range",
            "node_index": "runtime", "set_image": "range", "send_index": "range",
            "receive_index": "runtime", "union_widened": "range",
            "compare_widened": "holds", "diff_widened": "invariant",
            "quantifier_order": "runtime"}
# engines that may decline a spec (Unsupported: an honest answer, never a wrong one); the
# image `{next(x) | ...}` is typed `Set[int]` by the front end, which the SMT engine refuses
DECLINES = {"set_image": {"bmc", "prove"}, "diff_widened": {"bmc", "prove"}}


def _verdict(finding: Finding | None) -> tuple[str, str | None, object]:
    if finding is None:
        return ("holds", None, None)
    return (finding.kind, str(finding.failing), finding.span)


def _engines(spec: ir.Spec) -> dict[str, Finding | None]:
    def explicit(engine: str, vectorise: bool) -> Finding | None:
        return check(spec, CheckOptions(engine=engine, liveness=False,  # type: ignore[arg-type]
                                        vectorise=vectorise)).finding

    def symbolic(run: Callable[[], Finding | None]) -> Finding | str | None:
        try:
            return run()
        except Unsupported:
            return "unsupported"

    return {"bfs": explicit("bfs", False), "bfs-vector": explicit("bfs", True),
            "dfs": explicit("dfs", False),
            "bmc": symbolic(lambda: bmc(spec, BmcOptions(depth=3)).finding),
            "prove": symbolic(lambda: prove(spec, ProveOptions(k=1)).finding)}


@pytest.mark.parametrize("path", SPECS, ids=lambda p: Path(p).stem)
def test_every_engine_gives_the_interpreters_verdict(path):
    spec, name = compile_spec(str(path), [], None).spec, Path(path).stem
    found = {engine: f if isinstance(f, str) else _verdict(f)
             for engine, f in _engines(spec).items()}
    reference = found["bfs"]
    assert reference[0] == EXPECTED[name]
    assert {engine for engine, v in found.items() if v == "unsupported"} <= DECLINES.get(name,
                                                                                         set())
    assert {engine: v for engine, v in found.items()
            if v != reference and v != "unsupported"} == {}


def test_prove_proves_only_what_holds():
    for path in SPECS:
        name = Path(path).stem
        if "prove" in DECLINES.get(name, set()):
            continue
        result = prove(compile_spec(str(path), [], None).spec, ProveOptions(k=1))
        assert (result.verdict == "proved") == (EXPECTED[name] == "holds"), path
