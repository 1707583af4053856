"""The vectorised breadth-first search (checker/explicit/vector_*.py) against the interpreted one.

`check` steps whole BFS levels with NumPy programs traced from the SMT encoders (and builds the
liveness graph the same way); it promises exactly the results of the interpreted engines
(`CheckOptions(vectorise=False)`): the same verdict, finding, counterexample (instances and
states at every step, lassos included), statistics (distinct states, transitions, coverage,
depth) and deadlock, with and without symmetry.  Here: that agreement on the shared corpus,
the examples, the small specs and the specs of tests/corpus/vector/; the fallback to the
interpreter for what the encoders cannot translate; limits; the refusal of a false
`symmetric Node`; and unit tests of the building blocks: steps of the vectorised stepper
against the model's, the fingerprint set and index, fingerprints under symmetry, the row
layout, and NumPy programs with lazily computed blocks against a plain recursive evaluator.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from numaspec.checker.explicit import check
from numaspec.checker.explicit.search import SafetySearch
from numaspec.checker.explicit.symmetry import Symmetry
from numaspec.checker.explicit.vector.hash import Fingerprinter, FingerprintIndex, FingerprintSet
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.program import Program
from numaspec.checker.explicit.vector.schedule import Block, schedule
from numaspec.checker.explicit.vector.step import VectorStepper, ranked
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.checker.symbolic.terms import Term, TermLogic
from numaspec.cli.main import main
from numaspec.model.findings import Trace
from numaspec.model.machine import Model, State, StepViolation
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec

ROOT = Path(__file__).resolve().parent.parent.parent

_TRACING: list[TermLogic] = []  # the recording backends of the open `tracing()` blocks


@contextmanager
def tracing() -> Iterator[None]:
    """Record the terms `make` builds inside the block with one `TermLogic` (shared)."""
    _TRACING.append(TermLogic())
    try:
        yield
    finally:
        _TRACING.pop()


def make(op: str, *args: Any) -> Term:
    """The term `op(args)`, recorded by the innermost `tracing()` block."""
    return _TRACING[-1].make(op, *args)
EXPECTED = json.loads((ROOT / "tests" / "corpus" / "specs" / "expected.json").read_text())
CORPUS = [(spec, config) for spec, entry in EXPECTED["specs"].items()
          for config in entry["verdicts"]]
P1 = "spec/examples/pernode.numa"
# P1's defaults (3 nodes, 2 pages, 1 frame per node) are the corpus's 3n2p1f: checked there
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in [
    *(ROOT / "spec" / "examples").glob("*.numa"), *(ROOT / "tests" / "corpus" / "small").glob(
        "*.numa")] if str(p.relative_to(ROOT)) != P1)
VECTOR = "tests/corpus/vector"
UNSUPPORTED = "tests/corpus/smt/unsupported.numa"
CONSTRUCTS = "tests/corpus/good/constructs.numa"


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # findings carry spans relative to the working directory


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


# ------------------------------------------------------------- corpus agreement
@pytest.mark.parametrize(("spec", "config"), CORPUS)
def test_engines_agree_on_the_corpus(spec: str, config: str) -> None:
    ir_spec = compiled(spec, EXPECTED["configurations"][config]["defines"])
    verdict = EXPECTED["specs"][spec]["verdicts"][config]
    for symmetry in symmetries(ir_spec):
        result = agree(ir_spec, f"symmetry={symmetry}", symmetry=symmetry)
        if verdict["safety"] == "holds" and not verdict["deadlock"]:
            assert result.verdict == "holds"  # the runs agree and are right
            if not symmetry:
                assert result.stats.distinct_states == verdict["states"]


@pytest.mark.parametrize("path", EXAMPLES)
def test_engines_agree_on_the_examples_and_small_specs(path: str) -> None:
    spec = compiled(path)
    for symmetry in symmetries(spec):
        agree(spec, f"symmetry={symmetry}", symmetry=symmetry)


LIVENESS_SLOW = {(P1, "3n2p1f")}  # 12,496 states in the full graph: 4 s in all


@pytest.mark.parametrize(("spec", "config"), [
    pytest.param(s, c, marks=pytest.mark.slow) if (s, c) in LIVENESS_SLOW else (s, c)
    for s, c in CORPUS])
def test_engines_agree_with_liveness_on_the_corpus(spec: str, config: str) -> None:
    ir_spec = compiled(spec, EXPECTED["configurations"][config]["defines"])
    want = EXPECTED["specs"][spec]["verdicts"][config]["liveness"]
    for symmetry in symmetries(ir_spec):
        result = agree(ir_spec, f"symmetry={symmetry}", symmetry=symmetry, liveness=True)
        if want != "holds":
            assert result.finding is not None and \
                (result.finding.kind, result.finding.property) == ("liveness", want)


@pytest.mark.parametrize("path", [p for p in EXAMPLES if "/small/live_" in p])
def test_engines_agree_with_liveness_on_small_specs(path: str) -> None:
    """Lassos: the same loop, the same states."""
    spec = compiled(path)
    assert spec.liveness
    result = agree(spec, "liveness", liveness=True)
    if result.finding is not None:
        assert result.finding.kind == "liveness" and result.finding.trace.loop is not None


@pytest.mark.parametrize(("path", "defines", "symmetry", "deadlock"), [
    (f"{VECTOR}/steps.numa", (), False, True),       # run-time error, choose, Seq, Option
    (f"{VECTOR}/steps.numa", ("LIMIT=3",), False, True),
    (f"{VECTOR}/asserts.numa", (), False, True),     # a failing assert
    # ... among the first states, which the interpreted symmetry probe steps too
    (f"{VECTOR}/asserts.numa", (), True, True),
    (f"{VECTOR}/final.numa", (), False, True),       # a deadlock that `final` does not excuse
    (f"{VECTOR}/final.numa", (), True, True),
    (f"{VECTOR}/final.numa", (), True, False),       # holds, with two warnings
    (f"{VECTOR}/final.numa", (), False, False),
    # absent parts (an option's value, a map entry's) copied: no range error
    (f"{VECTOR}/option_filler.numa", (), False, True),
    (f"{VECTOR}/map_filler.numa", (), False, True),
    (f"{VECTOR}/map_filler.numa", (), False, False),
])
def test_engines_agree_on_vector_specs(path: str, defines: tuple[str, ...], symmetry: bool,
                                       deadlock: bool) -> None:
    result = agree(compiled(path, defines), path, symmetry=symmetry, deadlock=deadlock)
    if path.endswith("final.numa") and not deadlock:
        assert result.verdict == "holds" and len(result.warnings) == 2


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


def test_engines_agree_on_every_construct(tmp_path: Path) -> None:
    """An overflow 6 steps in (PAGES=1); under symmetry both refuse the spec (it uses node 0)."""
    spec = compile_spec(str(constructs_without_int_sets(tmp_path)), ["PAGES=1"]).spec
    result = agree(spec, "constructs", symmetry=False)
    assert result.finding is not None and result.finding.kind == "overflow"
    for vectorise in (True, False):
        with pytest.raises(SpecError) as refused:
            run(spec, vectorise)
        assert refused.value.diagnostics[0].code == "E405"


@pytest.mark.slow
def test_engines_agree_on_every_construct_with_two_pages(tmp_path: Path) -> None:
    """615,670 states without symmetry (30 s interpreted), 203,057 orbits with it."""
    spec = compile_spec(str(constructs_without_int_sets(tmp_path)), []).spec
    for symmetry in (False, True):
        result = agree(spec, f"symmetry={symmetry}", symmetry=symmetry)
        assert result.finding is not None and result.finding.kind == "overflow"


@pytest.mark.slow
@pytest.mark.parametrize("spec", list(EXPECTED["specs"]))
def test_engines_agree_with_four_nodes(spec: str) -> None:
    """P1 with 4 nodes: 412,072 states (60 s interpreted), 18,058 orbits."""
    ir_spec = compiled(spec, ["NODES=4"])
    for symmetry in symmetries(ir_spec):
        result = agree(ir_spec, f"symmetry={symmetry}", symmetry=symmetry)
        if spec == P1:
            assert result.verdict == "holds"
            assert result.stats.distinct_states == (18_058 if symmetry else 412_072)


# --------------------------------------------------------------------- fallback
def test_unsupported_spec_is_checked_by_the_interpreter() -> None:
    spec = compiled(UNSUPPORTED)
    fallback = run(spec, True)
    assert fallback.stats.evaluation == "interpreted"
    assert fallback.stats.not_vectorised is not None
    assert "0..9999" in fallback.stats.not_vectorised
    reference = run(spec, False)
    assert reference.stats.not_vectorised is None  # asked for, not a fallback
    assert (fallback.verdict, fallback.stats.distinct_states, fallback.stats.transitions) == \
        (reference.verdict, reference.stats.distinct_states, reference.stats.transitions) == \
        ("holds", 4, 8)
    dfs = run(spec, True, engine="dfs")  # only bfs is vectorised: no reason to give
    assert dfs.stats.evaluation == "interpreted" and dfs.stats.not_vectorised is None


def test_fallback_names_the_construct_and_agrees() -> None:
    """constructs.numa's `{1, 2} <= {1, 2, 3}`: a set of `int`, with its place."""
    spec = compiled(CONSTRUCTS)
    fallback, reference = run(spec, True, symmetry=False), run(spec, False, symmetry=False)
    reason = fallback.stats.not_vectorised
    assert reason is not None and "int" in reason and "constructs.numa:" in reason
    assert fallback.finding is not None and reference.finding is not None
    assert fallback.finding.trace == reference.finding.trace
    assert fallback.stats.distinct_states == reference.stats.distinct_states


def test_cli_reports_the_fallback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", UNSUPPORTED]) == 0
    out = capsys.readouterr().out
    assert "not vectorised: " in out and "a set or map over `0..9999`" in out
    assert main(["check", UNSUPPORTED, "--no-vectorise"]) == 0
    assert "not vectorised" not in capsys.readouterr().out
    assert main(["check", UNSUPPORTED, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["evaluation"] == "interpreted"
    assert main(["check", P1, "-D", "NODES=2", "-D", "PAGES=1", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)["stats"]
    assert stats["evaluation"] == "vectorised" and stats["distinct_states"] == 11


# ----------------------------------------------------------------------- limits
@pytest.mark.parametrize("symmetry", [False, True])
@pytest.mark.parametrize(("limit", "reason"), [
    ({"max_states": 100}, "--max-states 100"),
    ({"timeout": 0.0001}, "--timeout 0.0001 s"),
    ({"max_memory_mb": 10}, "--max-memory 10 MB"),
])
def test_limits_stop_the_vectorised_search(limit: dict[str, Any], reason: str,
                                           symmetry: bool) -> None:
    full = {False: 12496, True: 2102}[symmetry]  # P1's states and orbits, 3 nodes, 2 pages
    for liveness in (False, True):
        result = check(compiled(P1), CheckOptions(symmetry=symmetry, liveness=liveness,
                                                  **limit))
        assert result.stats.evaluation == "vectorised"
        assert (result.verdict, result.stopped_by, result.finding) == ("limit", reason, None)
        assert 0 < result.stats.distinct_states < full
        if "max_states" in limit:
            assert result.stats.distinct_states >= 100
        assert result.stats.seconds > 0 and result.stats.store_bytes_per_state > 0


def test_limit_in_the_liveness_graph() -> None:
    """2,102 orbits fit under --max-states 5000, the full graph of 12,496 states does not."""
    for vectorise in (True, False):
        result = check(compiled(P1), CheckOptions(vectorise=vectorise, max_states=5000))
        assert (result.verdict, result.stopped_by) == ("limit", "--max-states 5000")
        assert result.stats.distinct_states == 2102 and result.finding is None
        assert result.stats.evaluation == ("vectorised" if vectorise else "interpreted")


def test_cli_limits_end_with_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", P1, "--max-states", "100"]) == 3
    out = capsys.readouterr().out
    assert "stopped by --max-states 100" in out and "distinct states" in out
    assert "not vectorised" not in out
    assert main(["check", P1, "--no-symmetry", "--timeout", "0.0001", "--json"]) == 3
    result = json.loads(capsys.readouterr().out)
    assert (result["verdict"], result["stopped_by"]) == ("limit", "--timeout 0.0001 s")
    assert result["stats"]["evaluation"] == "vectorised"
    assert result["stats"]["distinct_states"] > 0


def test_cli_limit_in_a_process_has_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from numaspec.cli.main import main; "
         "sys.exit(main(sys.argv[1:]))", "check", P1, "--timeout", "0.0001"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "stopped by --timeout 0.0001 s" in done.stdout


def test_interrupt_stops_the_vectorised_search(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def interrupt(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(SafetySearch, "_check_limits", interrupt)
    result = run(compiled(P1), True)
    assert (result.verdict, result.stopped_by) == ("limit", "interrupted")
    assert result.stats.evaluation == "vectorised" and result.stats.distinct_states > 0
    assert main(["check", P1]) == 3
    assert "stopped by interrupted" in capsys.readouterr().out


# ------------------------------------------------------------ symmetry refusal
ASYMMETRIC = {
    # node 2 never faults: enabledness depends on the node number
    "guard": ("  require not maps(n, v)\n", "  require not maps(n, v) and int(n) < 2\n"),
    # node 2 gets no unmap request: only the successors differ
    "send": ("  for m: Node where m != n {\n", "  for m: Node where m != n and int(m) < 2 {\n"),
}


@pytest.mark.parametrize("variant", list(ASYMMETRIC))
def test_false_symmetry_is_refused_by_both_engines(variant: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    old, new = ASYMMETRIC[variant]
    text = (ROOT / P1).read_text()
    assert text.count(old) == 1
    path = tmp_path / "asymmetric.numa"
    path.write_text(text.replace(old, new))
    spec = compile_spec(str(path), ["NODES=3", "PAGES=1"]).spec
    for vectorise in (True, False):
        with pytest.raises(SpecError) as refused:
            run(spec, vectorise)
        assert refused.value.diagnostics[0].code == "E405", f"vectorise={vectorise}"
    assert run(spec, True, symmetry=False).stats.evaluation == "vectorised"
    for flags in ([], ["--no-vectorise"]):
        assert main(["check", str(path), "-D", "NODES=3", "-D", "PAGES=1", *flags]) == 2
        assert "error[E405]" in capsys.readouterr().err


# ------------------------------------------------------------- unit: hashing
def test_fingerprint_set_matches_a_python_set() -> None:
    rng = np.random.default_rng(7)
    pool = rng.integers(1, 2**64 - 1, size=200_000, dtype=np.uint64, endpoint=True)
    store, reference = FingerprintSet(capacity=1 << 10), set[int]()
    for _ in range(12):
        batch = np.unique(rng.choice(pool, size=25_000))  # distinct, some seen before
        rng.shuffle(batch)
        fresh = store.add_new(batch)
        assert fresh.tolist() == [int(k) not in reference for k in batch.tolist()]
        reference.update(batch.tolist())
        assert store.count == len(reference)
    assert len(store.table) >= 2 * len(reference)
    everything = np.array(sorted(reference), dtype=np.uint64)
    assert not store.add_new(everything).any()  # every key survived the growths
    assert store.add_new(pool[~np.isin(pool, everything)]).all()


def test_fingerprint_set_collisions_and_wrap_around() -> None:
    """Keys that all want the same slots, the last ones included (probing wraps)."""
    store = FingerprintSet(capacity=64)
    limit = len(store.table) - 1
    for slot in (limit, 0, 5):
        keys = (np.uint64(slot) << np.uint64(17)) | np.arange(1, 25, dtype=np.uint64)
        assert store.add_new(keys).all()
        assert not store.add_new(keys[::-1].copy()).any()
    assert store.count == 72 and len(store.table) >= 144
    high = np.arange(1, 1000, dtype=np.uint64) | np.uint64(1 << 63)
    assert store.add_new(high).all() and not store.add_new(high).any()


def test_fingerprint_index_numbers_every_key() -> None:
    rng = np.random.default_rng(11)
    keys = np.unique(rng.integers(1, 2**64 - 1, size=60_000, dtype=np.uint64, endpoint=True))
    rng.shuffle(keys)
    index, numbers = FingerprintIndex(capacity=1 << 8), dict[int, int]()
    for start in range(0, len(keys), 7_000):  # growths move numbers with their keys
        batch = keys[max(0, start - 3_000):start + 7_000]  # overlapping batches
        fresh = index.add_numbered(batch, len(numbers))
        assert fresh.tolist() == [int(k) not in numbers for k in batch.tolist()]
        for key in batch[fresh].tolist():
            numbers[key] = len(numbers)
    assert index.count == len(numbers) == len(keys)
    assert index.find(keys).tolist() == [numbers[int(k)] for k in keys.tolist()]
    extra = np.arange(1, 101, dtype=np.uint64)
    assert index.add(extra, np.arange(1000, 1100)).all()
    assert not index.add(extra, np.zeros(100, dtype=np.int64)).any()  # numbers kept
    assert index.find(extra[::-1].copy()).tolist() == list(range(1099, 999, -1))


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


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """Reachable states of each sample spec (all of them, or the first ones)."""
    out = {}
    for name, (path, defines, count) in SAMPLES.items():
        if path == "constructs":
            path = str(constructs_without_int_sets(tmp_path_factory.mktemp("constructs")))
        spec = compiled(path, defines)
        out[name] = (spec, reachable(spec, count))
    return out


@pytest.mark.parametrize("name", list(SAMPLES))
def test_layout_round_trip(name: str, samples: Samples) -> None:
    spec, states = samples[name]
    layout = Layout(spec)
    assert 0 < len(states) <= SAMPLES[name][2]
    rows = set()
    for state in states:
        row = layout.row(state)
        assert row.dtype == layout.dtype and row.ndim == 1
        assert layout.state(row) == state
        values = row[:layout.width]
        for value, column in zip(values.tolist(), layout.columns, strict=True):
            assert column.lo is None or column.lo <= value, column
            assert column.hi is None or value <= column.hi, column
        rows.add(values.tobytes())
    assert len(rows) == len(states)  # distinct states, distinct rows
    batch = batch_of(layout, states[:50])
    assert [layout.state(r) for r in batch] == states[:50]


@pytest.mark.parametrize("name", list(SAMPLES))
def test_stepper_agrees_with_the_model(name: str, samples: Samples) -> None:
    """Every instance on every sample state: the same successors in the same order (by
    state, instance, outcome: the interpreter's order), the same failing steps, the same
    invariant violations and the same truth of `reachable`s and `final`s."""
    spec, states = samples[name]
    states = states[:500]
    model, layout = Model(spec), Layout(spec)
    stepper = VectorStepper(model, layout)
    expected, expected_failing = [], set()
    for row, state in enumerate(states):
        for instance in model.instances:
            try:
                outcomes = model.execute(state, instance)
            except StepViolation:
                expected_failing.add((row, instance.number))
                continue
            expected += [(row, instance.number, nxt) for nxt in outcomes]
    batch = batch_of(layout, states)
    steps, _ = stepper.steps(batch)
    failing = {(int(r), int(v)) for s in steps
               for r, v in zip(s.failing_rows.tolist(), s.failing_via.tolist(), strict=True)}
    assert failing == expected_failing
    rows, via, _, _, after = ranked(steps, len(model.instances), layout)
    decoded: dict[bytes, State] = {}  # decoding is slow: once per distinct row
    found = [(r, v, decoded.get(a.tobytes()) or decoded.setdefault(a.tobytes(),
                                                                     layout.state(a)))
             for r, v, a in zip(rows.tolist(), via.tolist(), after, strict=True)
             if (r, v) not in failing]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert got == want, f"state {want[0]}, {model.instances[want[1]]}"
    columns = stepper.columns(batch)
    violating = [model.violated_invariant(s) is not None for s in states]
    assert stepper.violating(columns).tolist() == violating
    for prop in (*spec.reachables, *spec.finals):
        assert stepper.holds(prop, columns).tolist() == [model.holds(prop, s) for s in states]
    if name in ("kernels", "asserts", "steps"):
        assert expected_failing or name == "kernels"


@pytest.mark.parametrize("name", ["P1", "constructs"])
def test_fingerprints_under_symmetry(name: str, samples: Samples) -> None:
    spec, states = samples[name]
    layout, symmetry = Layout(spec), Symmetry(spec)
    group = symmetry.group
    assert len(group) == symmetry.size == 6  # 3 nodes, uniform distances
    fingerprints = Fingerprinter(layout, group)
    batch = batch_of(layout, states)
    canonical, plain = fingerprints.fingerprints(batch)
    assert len(set(plain.tolist())) == len(states)  # no collision among distinct states
    assert (plain != 0).all() and (canonical <= plain).all()
    assert np.array_equal(fingerprints.plain(batch), plain)
    # The images the fingerprinter builds are the rows of the model's images.
    model_images = [batch_of(layout, [symmetry.image(s, g) for s in states])
                    for g in range(symmetry.size - 1)]
    own_images = [fingerprints.image(batch, g) for g in range(fingerprints.size - 1)]
    mine = [[r.tobytes() for r in image] for image in own_images]
    theirs = [[r.tobytes() for r in image] for image in model_images]
    for at, state in enumerate(states):
        assert {m[at] for m in mine} == {t[at] for t in theirs}, state
    # Every image of every state has the state's canonical fingerprint ...
    for image in model_images:
        assert np.array_equal(fingerprints.fingerprints(image)[0], canonical)
    # ... and states of different orbits have different ones.
    own = [r.tobytes() for r in batch]
    orbits = {min([own[at], *(t[at] for t in theirs)]) for at in range(len(states))}
    assert len(set(canonical.tolist())) == len(orbits) < len(states)
    # Without symmetry the canonical fingerprint is the plain one.
    alone = Fingerprinter(layout, None)
    assert alone.size == 1
    assert np.array_equal(alone.fingerprints(batch)[0], plain)


# ------------------------------------------------------------- unit: programs
@pytest.fixture
def short_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Term's repr unfolds its DAG into a tree, exponential in the depth of a random DAG:
    pytest's failure report (which shows the arguments of every frame) would hang."""
    monkeypatch.setattr(Term, "__repr__", lambda self: f"<{self.op} term>")


LIMIT = 8000  # bound on the magnitude of generated integer terms: int16 never overflows
COLUMNS, CONDITIONS = 12, 4  # columns 0 .. CONDITIONS - 1 are the block conditions


class DagBuilder:
    """Random term DAGs (inside `tracing()`): integer terms with a bound on their magnitude,
    boolean terms, and many `ite`s on a few shared conditions, some with sub-DAGs used on one
    side only (what the scheduler puts in lazily computed blocks)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.ints: list[tuple[Term | int, int]] = [(make("col", i), 9) for i in range(COLUMNS)]
        # the block conditions are used as conditions only (a condition computed inside a
        # block dissolves the blocks on it)
        self.conditions: list[Term] = [make("colb", i) for i in range(CONDITIONS - 1)]
        self.conditions += [make("not", c) for c in self.conditions[:2]]
        self.reserved = make("colb", CONDITIONS - 1)  # for the blocks `outputs` adds
        self.bools: list[Term | bool] = [make("colb", i) for i in range(CONDITIONS, COLUMNS)]

    def pick(self, items: list[Any]) -> Any:
        recent = items[-12:] if self.rng.random() < 0.6 else items
        return recent[int(self.rng.integers(len(recent)))]

    def integer(self) -> tuple[Term | int, int]:
        if self.rng.random() < 0.15:
            value = int(self.rng.integers(-5, 6))
            return value, abs(value)
        return self.pick(self.ints)

    def column(self) -> tuple[Term | int, int]:
        return self.ints[int(self.rng.integers(COLUMNS))]

    def boolean(self) -> Term | bool:
        if self.rng.random() < 0.05:
            return bool(self.rng.integers(2))
        return self.pick(self.bools)

    def term_boolean(self) -> Term:
        found = self.pick(self.bools)
        return found if isinstance(found, Term) else make("colb", COLUMNS - 1)

    def step(self) -> None:
        kind = self.rng.choice(["arith", "compare", "logic", "ite", "ite", "branch", "nested",
                                "divide", "closure"])
        getattr(self, f"_{kind}")()

    def _arith(self) -> None:
        (a, x), (b, y) = self.integer(), self.integer()
        op = str(self.rng.choice(["add", "sub", "mul"]))
        bound = x * y if op == "mul" else x + y
        if bound <= LIMIT and not (isinstance(a, int) and isinstance(b, int)):
            self.ints.append((make(op, a, b), bound))

    def _compare(self) -> None:
        (a, _), (b, _) = self.integer(), self.integer()
        if isinstance(a, int) and isinstance(b, int):
            return
        op = str(self.rng.choice(["eq", "lt", "le", "gt", "ge"]))
        self.bools.append(make(op, a, b))

    def _logic(self) -> None:
        op = str(self.rng.choice(["and", "or", "not", "eq"]))
        if op == "not":
            self.bools.append(make("not", self.term_boolean()))
        elif op == "eq":
            self.bools.append(make("eq", self.term_boolean(), self.term_boolean()))
        else:
            count = int(self.rng.integers(2, 5))
            self.bools.append(make(op, *(self.term_boolean() for _ in range(count))))

    def _ite(self) -> None:
        cond = self.pick(self.conditions) if self.rng.random() < 0.7 else self.term_boolean()
        if self.rng.random() < 0.5:
            (a, x), (b, y) = self.integer(), self.integer()
            if not (isinstance(a, int) and isinstance(b, int) and a == b):
                self.ints.append((make("ite", cond, a, b), max(x, y)))
        else:
            self.bools.append(make("ite", cond, self.boolean(), self.boolean()))

    def _branch(self) -> None:
        """A chain of fresh terms used only on one side of an ite: a block candidate."""
        cond = self.pick(self.conditions)
        value, bound = self.column()
        for _ in range(int(self.rng.integers(6, 14))):
            other, more = self.column() if self.rng.random() < 0.8 else self.integer()
            op = str(self.rng.choice(["add", "sub", "ite"]))
            if op == "ite" or bound + more > LIMIT:
                value = make("ite", self.term_boolean(), value, other)
                bound = max(bound, more)
            else:
                value, bound = make(op, value, other), bound + more
        other, more = self.integer()
        side = bool(self.rng.integers(2))
        pair = (value, other) if side else (other, value)
        self.ints.append((make("ite", cond, *pair), max(bound, more)))

    def _nested(self) -> None:
        """ite(c, ite(c, a, b), d) and ite(c, d, ite(c, a, b)): b and a are dead inside."""
        cond = self.pick(self.conditions)
        (a, x), (b, y), (d, z) = self.integer(), self.integer(), self.integer()
        inner = make("ite", cond, a, b)
        outer = make("ite", cond, inner, d) if self.rng.random() < 0.5 else \
            make("ite", cond, d, inner)
        self.ints += [(inner, max(x, y)), (outer, max(x, y, z))]

    def _divide(self) -> None:
        (a, x), (b, _) = self.integer(), self.integer()
        if isinstance(a, int):
            return
        if isinstance(b, int) or self.rng.random() < 0.4:
            divisor: Term | int = int(self.rng.choice([-3, -2, 2, 3, 7]))
        else:  # never zero: a guarded divisor, as the encoders guard them
            divisor = make("ite", make("eq", b, 0), 1, b)
        self.ints.append((make(str(self.rng.choice(["div", "mod"])), a, divisor), x))

    def _closure(self) -> None:
        n = int(self.rng.integers(2, 5))
        bits = [self.boolean() for _ in range(n + n * n)]
        closure = make("closure", bool(self.rng.integers(2)), n, *bits)
        self.bools += [make("item", closure, i) for i in range(n)]

    def fresh(self) -> Term:
        """A chain of 8 sums over columns only (used nowhere else; no ite inside, whose
        operands would be needed under another condition)."""
        value, _ = self.column()
        for _ in range(8):
            other, _ = self.column()
            value = make(str(self.rng.choice(["add", "sub"])), value, other)
        assert isinstance(value, Term)
        return value  # at most 9 * 9 in magnitude

    def outputs(self) -> list[Any]:
        """Some of the terms built, constants, and two blocks on the reserved condition r
        (which nothing else uses), one with nested ites: ite(r, ite(r, a, b), d) and
        ite(r, e, f) give the blocks (r, true): {a, e, the inner ite} and (r, false):
        {b, d, f}."""
        chosen = [*self.ints[-6:], *(self.pick(self.ints) for _ in range(10))]
        r = self.reserved
        a, b, d, e, f = (self.fresh() for _ in range(5))
        lazy = [make("ite", r, make("ite", r, a, b), d), make("ite", r, e, f)]
        return [t for t, _ in chosen] + self.bools[-6:] + [self.pick(self.bools)
                                                           for _ in range(6)] + [3, True] + lazy


def reference(term: Any, columns: np.ndarray, memo: dict[int, np.ndarray]) -> np.ndarray:
    """The value of `term` on every state, computed naively: every operand, no laziness,
    np.where for ite, int64 arithmetic."""
    states = columns.shape[1]
    if not isinstance(term, Term):
        return np.full(states, term, dtype=bool if isinstance(term, bool) else np.int64)
    if id(term) in memo:
        return memo[id(term)]
    op, args = term.op, term.args
    if op in ("col", "colb"):
        column = columns[args[0]].astype(np.int64)
        value = column != 0 if op == "colb" else column
    elif op == "closure":
        forward, n, bits = args[0], args[1], [reference(b, columns, memo) for b in args[2:]]
        reach = [bits[i].copy() for i in range(n)]
        for _ in range(n):
            for x in range(n):
                for y in range(n):
                    parent = bits[n + x * n + y]  # x's parent is y
                    if forward:
                        reach[x] |= parent & reach[y]
                    else:
                        reach[y] |= parent & reach[x]
        value = np.stack(reach)
    elif op == "item":
        value = reference(args[0], columns, memo)[args[1]]
    else:
        value = _apply(op, [reference(a, columns, memo) for a in args])
    memo[id(term)] = value
    return value


def _apply(op: str, v: list[np.ndarray]) -> np.ndarray:
    match op:
        case "and":
            return np.logical_and.reduce(v)
        case "or":
            return np.logical_or.reduce(v)
        case "not":
            return ~v[0]
        case "ite":
            return np.where(v[0], v[1], v[2])
        case "div" | "mod":
            quotient = np.array([int(a / b) for a, b in zip(v[0].tolist(), v[1].tolist(),
                                                             strict=True)], dtype=np.int64)
            return quotient if op == "div" else v[0] - v[1] * quotient
    functions: dict[str, Callable[[Any, Any], Any]] = {
        "eq": np.equal, "lt": np.less, "le": np.less_equal, "gt": np.greater,
        "ge": np.greater_equal, "add": np.add, "sub": np.subtract, "mul": np.multiply}
    return functions[op](v[0], v[1])


def batches(rng: np.random.Generator, states: int) -> Iterator[tuple[str, np.ndarray]]:
    """Random int16 column matrices, with the block conditions mixed, all false, all true."""
    for mode in ("mixed", "false", "true", "one", "single state"):
        count = 1 if mode == "single state" else states
        columns = rng.integers(-9, 10, size=(COLUMNS, count)).astype(np.int16)
        columns[:COLUMNS // 2][rng.random((COLUMNS // 2, count)) < 0.3] = 0
        if mode in ("false", "true"):
            columns[:CONDITIONS] = 0 if mode == "false" else 1
        if mode == "one":  # each condition true in exactly one state
            columns[:CONDITIONS] = 0
            columns[:CONDITIONS, rng.integers(count, size=CONDITIONS)] = 1
        yield mode, columns


def schedule_errors(outputs: list[Any], units: list[Term | Block]) -> list[str]:
    """What is wrong with a schedule: every term must come once, after its operands; a
    block's terms may be used outside it only as the block's side of an ite on its
    condition (and are then in its `skipped`); a block's condition and the outputs are
    computed outside blocks.  (Messages name ops only: a Term's repr unfolds its DAG.)"""
    errors: list[str] = []
    place: dict[int, Block | None] = {}
    for number, unit in enumerate(units):
        block = unit if isinstance(unit, Block) else None
        terms = unit.terms if isinstance(unit, Block) else [unit]
        if block is not None:
            if id(block.cond) not in place or place[id(block.cond)] is not None:
                errors.append(f"unit {number}: the block's condition is not computed before")
            if not block.terms or not {id(t) for t in block.skipped} <= {id(t) for t in terms}:
                errors.append(f"unit {number}: empty block, or skipped terms not in it")
        for term in terms:
            if id(term) in place:
                errors.append(f"unit {number}: a {term.op} is scheduled twice")
            for a in term.args:
                if not isinstance(a, Term):
                    continue
                if id(a) not in place:
                    errors.append(f"unit {number}: a {a.op} is used before it is computed")
                    continue
                home = place[id(a)]
                if home is None or home is block:
                    continue
                lazy = term.op == "ite" and term.args[0] is home.cond and \
                    term.args[1 if home.side else 2] is a and \
                    term.args[2 if home.side else 1] is not a
                if not lazy or not any(s is a for s in home.skipped):
                    errors.append(f"unit {number}: a {term.op} uses a {a.op} of another "
                                  "block, not as that block's side of an ite on its condition")
            place[id(term)] = block
    for out in outputs:
        if isinstance(out, Term) and place.get(id(out), 0) is not None:
            errors.append(f"an output {out.op} is not computed outside blocks")
    return errors


def check_schedule(outputs: list[Any], units: list[Term | Block]) -> int:
    """Asserts the schedule is sound; the number of blocks."""
    errors = schedule_errors(outputs, units)
    assert not errors, "\n".join(errors[:10])
    return sum(isinstance(u, Block) for u in units)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.usefixtures("short_terms")
def test_programs_with_lazy_blocks_match_a_plain_evaluator(seed: int) -> None:
    rng = np.random.default_rng(seed)
    with tracing():
        builder = DagBuilder(rng)
        for _ in range(int(rng.integers(60, 160))):
            builder.step()
        outputs = builder.outputs()
        units = schedule(outputs)
        blocks = check_schedule(outputs, units)
        assert blocks >= 2, "the DAG has no lazily computed block"
        assert {id(builder.reserved)} <= {id(u.cond) for u in units if isinstance(u, Block)}
        program = Program(outputs, f"random{seed}", np.int16)
        assert any(line.lstrip().startswith("if ") for line in program.lines)
        for mode, columns in batches(rng, 257):
            got = program(columns)
            memo: dict[int, np.ndarray] = {}
            assert len(got) == len(outputs)
            for number, (out, value) in enumerate(zip(outputs, got, strict=True)):
                if not isinstance(out, Term):
                    assert value == out and type(value) is type(out)
                    continue
                want = reference(out, columns, memo)
                actual = np.broadcast_to(np.asarray(value), want.shape)
                assert (actual.dtype == bool) == out.boolean, (mode, number, out.op)
                assert np.array_equal(actual.astype(want.dtype), want), (mode, number, out.op)


@pytest.mark.usefixtures("short_terms")
def test_nested_same_condition_ites_in_blocks() -> None:
    """ite(c, ite(c, a, b), d) with big a, b and d: b, computed in the false block, gets a
    dummy value where c is all true (the inner ite, in the true block, then takes a), and
    the results stay right."""
    with tracing():
        c, x, y = make("colb", 0), make("col", 1), make("col", 2)

        def chain(start: Term, step: int) -> Term:
            for k in range(8):
                start = make("add", make("mul", start, 1 + k % 2), step + k)
            return make("sub", start, make("mul", start, 0))

        a, b, d = chain(x, 1), chain(y, 2), chain(make("add", x, y), 3)
        e, f = chain(x, 4), chain(y, 5)
        # blocks (c, true): inner, a, e; (c, false): b (used by inner), d, f
        inner = make("ite", c, a, b)
        outputs: list[Any] = [make("ite", c, inner, d), make("ite", c, e, f)]
        units = schedule(outputs)
        assert check_schedule(outputs, units) == 2
        skipped = {id(t) for u in units if isinstance(u, Block) for t in u.skipped}
        assert {id(b), id(d), id(e), id(f)} <= skipped and id(a) not in skipped
        program = Program(outputs, "nested", np.int16)
        rng = np.random.default_rng(0)
        for condition in ([0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 0, 1], [1, 0, 0, 0]):
            columns = rng.integers(-3, 4, size=(3, 4)).astype(np.int16)
            columns[0] = condition
            memo: dict[int, np.ndarray] = {}
            for out, value in zip(outputs, program(columns), strict=True):
                assert np.array_equal(np.asarray(value), reference(out, columns, memo)), \
                    condition
