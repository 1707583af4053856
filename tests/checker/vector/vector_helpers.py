"""Shared helpers of the tests of the vectorised search (tests/checker/vector/): the specs they
run, checking a spec both ways (`agree`), the comparison of the two results, and the sample
states of the unit tests (`reachable`, `batch_of`, SAMPLES)."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
from harness import EXPECTED, P1, ROOT

from numaspec.checker.explicit import check
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.model.findings import Trace
from numaspec.model.machine import Model, State, StepViolation
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec

__all__ = ["CONSTRUCTS", "CORPUS", "EXAMPLES", "EXPECTED", "P1", "ROOT", "SAMPLES", "Samples",
           "UNSUPPORTED", "VECTOR", "agree", "assert_same_results", "batch_of", "compiled",
           "constructs_without_int_sets", "reachable", "run", "symmetries", "trace_difference"]

CORPUS = [(spec, config) for spec, entry in EXPECTED["specs"].items()
          for config in entry["verdicts"]]
# P1's defaults (3 nodes, 2 pages, 1 frame per node) are the corpus's 3n2p1f: checked there
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in [
    *(ROOT / "spec" / "examples").glob("*.numa"), *(ROOT / "tests" / "corpus" / "small").glob(
        "*.numa")] if str(p.relative_to(ROOT)) != P1)
VECTOR = "tests/corpus/vector"
UNSUPPORTED = "tests/corpus/smt/unsupported.numa"
CONSTRUCTS = "tests/corpus/good/constructs.numa"


def compiled(path: str, defines: list[str] | tuple[str, ...] = ()) -> ir.Spec:
    return compile_spec(str(ROOT / path), list(defines)).spec


def run(spec: ir.Spec, vectorise: bool, **options: Any) -> CheckResult:
    options.setdefault("liveness", False)
    return check(spec, CheckOptions(vectorise=vectorise, **options))


def symmetries(spec: ir.Spec) -> list[bool]:
    return [False, True] if spec.symmetric else [False]


def trace_difference(a: Trace, b: Trace) -> str:
    """Where two traces first differ (for assertion messages)."""
    if a.initial != b.initial:
        return "the initial states differ"
    for number, (x, y) in enumerate(zip(a.steps, b.steps, strict=False)):
        if x.instance != y.instance:
            return f"step {number + 1}: instance {x.instance} vs {y.instance}"
        if x.state != y.state:
            return f"step {number + 1} ({x.instance}): the states differ"
    return f"lengths {len(a.steps)} vs {len(b.steps)}, loops {a.loop} vs {b.loop}"


def assert_same_results(vector: CheckResult, interpreted: CheckResult, context: str) -> None:
    """The vectorised run was vectorised and found what the interpreted one found."""
    assert vector.stats.evaluation == "vectorised", \
        f"{context}: not vectorised: {vector.stats.not_vectorised}"
    assert vector.stats.not_vectorised is None, context
    assert interpreted.stats.evaluation == "interpreted", context
    assert interpreted.stats.not_vectorised is None, context
    assert vector.verdict == interpreted.verdict, context
    assert vector.stopped_by == interpreted.stopped_by, context
    mine, theirs = vector.finding, interpreted.finding
    assert (mine is None) == (theirs is None), f"{context}: {mine} vs {theirs}"
    if mine is not None and theirs is not None:
        assert (mine.kind, mine.property) == (theirs.kind, theirs.property), context
        assert (mine.message, mine.span, mine.failing) == \
            (theirs.message, theirs.span, theirs.failing), context
        assert mine.trace == theirs.trace, \
            f"{context}: {trace_difference(mine.trace, theirs.trace)}"
    stats, reference = vector.stats, interpreted.stats
    assert stats.symmetry_group == reference.symmetry_group, context
    assert vector.warnings == interpreted.warnings, context
    if interpreted.verdict != "limit":  # at a violation too: the interpreter's counting
        assert stats.distinct_states == reference.distinct_states, context
        assert stats.depth == reference.depth, context
        assert stats.transitions == reference.transitions, context
        assert stats.coverage == reference.coverage, context
        assert stats.liveness_states == reference.liveness_states, context


def agree(spec: ir.Spec, context: str, **options: Any) -> CheckResult:
    """Check `spec` both ways; the vectorised result."""
    vector = run(spec, True, **options)
    interpreted = run(spec, False, **options)
    assert_same_results(vector, interpreted, context)
    return vector


def constructs_without_int_sets(tmp_path: Path) -> Path:
    """tests/corpus/good/constructs.numa without its one set of `int`s (which the encoders
    cannot translate) and with its violated lemma made true: every other construct."""
    text = (ROOT / CONSTRUCTS).read_text()
    changed = text.replace("{1, 2} <= {1, 2, 3} and ", "").replace(
        "invariant owner_known: forall p: Page: owner[p] != none implies p in flags",
        "invariant owner_known: true")
    assert changed.count("\n") == text.count("\n") and len(changed) < len(text) - 60
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "helpers.numa").write_text(
        (ROOT / "tests" / "corpus" / "good" / "lib" / "helpers.numa").read_text())
    path = tmp_path / "constructs.numa"
    path.write_text(changed)
    return path


def batch_of(layout: Layout, states: list[State]) -> np.ndarray:
    """A batch: one row per state."""
    return np.stack([layout.row(s) for s in states])


def reachable(spec: ir.Spec, limit: int) -> list[State]:
    """The first `limit` states reached breadth-first (failing steps ignored)."""
    model = Model(spec)
    seen = list(dict.fromkeys(model.initial_states()))
    known, frontier = set(seen), deque(seen)
    while frontier and len(seen) < limit:
        state = frontier.popleft()
        for instance in model.instances:
            try:
                successors = model.execute(state, instance)
            except StepViolation:
                continue
            for nxt in successors:
                if nxt not in known:
                    known.add(nxt)
                    seen.append(nxt)
                    frontier.append(nxt)
    return seen[:limit]


SAMPLES = {  # name: (spec, defines, states); the first two have 3 symmetric nodes
    "P1": (P1, ("NODES=3", "PAGES=2"), 1500),
    # records, enums, options, sequences, channels, two frames per node
    "constructs": ("constructs", ("PAGES=1",), 1500),
    # the l4 kernels: map, grant (with an MDB parent `none`), unmap (closures), ...
    "kernels": ("tests/corpus/l4/kernels.numa", (), 40),
    "steps": (f"{VECTOR}/steps.numa", (), 600),
    "asserts": (f"{VECTOR}/asserts.numa", (), 200),
    "option_filler": (f"{VECTOR}/option_filler.numa", (), 100),
    "map_filler": (f"{VECTOR}/map_filler.numa", (), 100),
}
Samples = dict[str, tuple[ir.Spec, list[State]]]
