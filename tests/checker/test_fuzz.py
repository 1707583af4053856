"""`numaspec fuzz`: the spec alone, and an implementation in lockstep."""

from __future__ import annotations

import re

import pytest
from harness import P1, ROOT, run_cli

from numaspec.checker.fuzz import FuzzOptions, fuzz
from numaspec.spec.pipeline import compile_spec

BUGS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "corpus" / "specs")
              .glob("pernode_bug*.numa"))
pytestmark = pytest.mark.usefixtures("at_root")


def test_p1_500_examples_hold() -> None:
    run = run_cli(["fuzz", P1, "--examples", "500", "--seed", "0"])
    assert run.status == 0
    out = run.out
    assert "seed 0" in out and "no violation" in out
    assert "actions covered: fault, recv_ack, recv_req, start_unmap" in out


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.slow) if "bug3" not in p
                                  else p for p in BUGS])
def test_seeded_bugs_are_found_and_shrunk(path: str) -> None:
    run = run_cli(["fuzz", path, "--examples", "500", "--seed", "0"])
    assert run.status == 1
    out = run.out
    steps = int(re.search(r"shrunk to (\d+) step", out).group(1))  # type: ignore[union-attr]
    assert 1 <= steps <= 12 and "violation: invariant" in out


@pytest.mark.parametrize(("factory", "message"), [
    ("buggy_early_free", "after recv_ack(n=0) the implementation differs from the spec: "
                         "l4.allocated"),
    pytest.param("buggy_fault_ignores_unmap", "the spec does not allow fault(n=0, v=0) here",
                 marks=pytest.mark.slow),
    ("buggy_skip_node", "after start_unmap(n=0, v=0) the implementation differs"),
])
def test_buggy_implementations_diverge(factory: str, message: str) -> None:
    run = run_cli(["fuzz", P1, "--impl", f"examples.pager_impl:{factory}", "--seed", "0",
                   "--examples", "300"])
    status, out = run.status, run.out
    assert status == 1 and "divergence found" in out and message in out
    assert re.search(r"violation: step \d+: ", out)


def test_correct_implementation_passes_a_bounded_campaign() -> None:
    spec = compile_spec(str(ROOT / P1)).spec
    result = fuzz(spec, FuzzOptions(examples=150, seed=1, impl="examples.pager_impl:correct"))
    assert result.finding is None and result.steps > 1000
    assert result.covered == {"fault", "start_unmap", "recv_req", "recv_ack"}


@pytest.mark.slow
def test_same_seed_same_result() -> None:
    spec = compile_spec(str(ROOT / BUGS[2])).spec  # bug 3: found within a few examples
    first = fuzz(spec, FuzzOptions(examples=200, seed=0))
    second = fuzz(spec, FuzzOptions(examples=200, seed=0))
    assert first.finding is not None and second.finding is not None
    assert first.finding.trace == second.finding.trace


def test_same_seed_same_examples_in_one_process() -> None:
    # Hypothesis mutates from the drawn values still alive (weak references), so without the
    # collector paused the runs differed with the garbage collector's timing
    spec = compile_spec(str(ROOT / "tests" / "corpus" / "small" / "live_fair.numa")).spec
    runs = [fuzz(spec, FuzzOptions(examples=100, seed=0)) for _ in range(3)]
    assert len({(run.steps, frozenset(run.covered)) for run in runs}) == 1


def test_bad_impl_reference_exits_2() -> None:
    runs = [run_cli(["fuzz", P1, "--impl", "no_such_module:factory"]),
            run_cli(["fuzz", P1, "--impl", "examples.pager_impl:no_such_factory"]),
            run_cli(["fuzz", P1, "--impl", "missing_colon"])]
    assert [run.status for run in runs] == [2, 2, 2]
    assert "error[E004]" in "".join(run.err for run in runs)


def test_documentation_shows_the_worked_example_verbatim() -> None:
    doc = (ROOT / "docs" / "fuzzing.md").read_text()
    example = (ROOT / "tests" / "examples" / "test_conformance_example.py").read_text()
    assert example.strip() in doc
