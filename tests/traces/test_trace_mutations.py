"""Mutation tests: mutants of valid P1 traces (dropped, duplicated, reordered, altered events)
are decided by a brute-force oracle (tests/traces/trace_mutants.py); the validator must reject each
invalid one at exactly the first invalid line and accept each valid one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from harness import ROOT
from trace_mutants import Line, first_invalid, mutants, write_lines

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.model.machine import Model
from numaspec.spec.pipeline import compile_spec
from numaspec.traces.bind import Binder
from numaspec.traces.formats.jsonl import event_lines
from numaspec.traces.frontier import FrontierOptions
from numaspec.traces.records import read_jsonl
from numaspec.traces.validate import validate

P1 = str(ROOT / "spec" / "examples" / "pernode.numa")
KINDS = ("drop", "duplicate", "swap", "move", "alter")


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(compile_spec(P1).spec)


def _walk(model: Model, seed: int, steps: int, posts: bool) -> list[Line]:
    trace = simulate(model.spec, SimulateOptions(steps, 1, seed)).last_trace
    assert trace is not None
    lines = event_lines(model, trace)
    if not posts:
        for line in lines[1:]:
            del line["post"]
    return lines


def _hide_receives(lines: list[Line]) -> tuple[list[Line], int]:
    """The trace without receive events, and the longest run of them (K needed)."""
    kept, run, longest = [], 0, 0
    for line in lines:
        if line.get("action", "").startswith("recv_"):
            run += 1
            longest = max(longest, run)
        else:
            kept.append(line)
            run = 0
    return kept, longest


def _check(model: Model, lines: list[Line], path: Path, hidden: tuple[str, ...],
           k: int) -> tuple[int | None, int | None]:
    """(line the oracle says is the first invalid one, line the validator rejects)."""
    write_lines(path, lines)
    expected = first_invalid(model, lines, hidden, k)
    result = validate(model, Binder(model, str(path)), read_jsonl(str(path)),
                      FrontierOptions(hidden, k))
    assert result.verdict in ("conforms", "diverges")
    got = result.divergence.line if result.divergence else None
    return (None if expected is None else expected + 1), got


def _run(model: Model, lines: list[Line], tmp_path: Path, seed: int, hidden: tuple[str, ...] = (),
         k: int = 0, per_kind: int = 8) -> Counter[tuple[str, bool]]:
    assert _check(model, lines, tmp_path / "valid.jsonl", hidden, k) == (None, None)
    outcomes: Counter[tuple[str, bool]] = Counter()
    for number, (kind, mutant) in enumerate(mutants(lines, seed, per_kind)):
        expected, got = _check(model, mutant, tmp_path / f"m{number}.jsonl", hidden, k)
        assert got == expected, (kind, number, mutant)
        outcomes[(kind, expected is None)] += 1
    return outcomes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mutants_of_event_logs(model: Model, tmp_path: Path, seed: int) -> None:
    outcomes = _run(model, _walk(model, seed, 40, posts=False), tmp_path, seed)
    for kind in KINDS:
        assert outcomes[(kind, False)] > 0, f"no invalid {kind} mutant"


def test_mutants_of_logs_with_observed_states(model: Model, tmp_path: Path) -> None:
    outcomes = _run(model, _walk(model, 7, 30, posts=True), tmp_path, 7, per_kind=6)
    for kind in KINDS:
        assert outcomes[(kind, False)] > 0, f"no invalid {kind} mutant"


def test_some_mutants_stay_valid(model: Model, tmp_path: Path) -> None:
    outcomes: Counter[tuple[str, bool]] = Counter()
    for seed in (4, 5):
        outcomes += _run(model, _walk(model, seed, 40, posts=False), tmp_path, seed)
    assert outcomes[("swap", True)] > 0 and outcomes[("drop", True)] > 0


@pytest.mark.parametrize("seed", [11, 12])
def test_mutants_with_hidden_receives(model: Model, tmp_path: Path, seed: int) -> None:
    lines, k = _hide_receives(_walk(model, seed, 40, posts=False))
    outcomes = _run(model, lines, tmp_path, seed, ("recv_req", "recv_ack"), k, per_kind=5)
    assert sum(n for (_, valid), n in outcomes.items() if not valid) > 0


def test_too_few_hidden_steps_is_rejected_where_the_oracle_says(model: Model,
                                                               tmp_path: Path) -> None:
    lines, k = _hide_receives(_walk(model, 11, 40, posts=False))
    assert k >= 2
    expected, got = _check(model, lines, tmp_path / "t.jsonl", ("recv_req", "recv_ack"), k - 1)
    assert expected == got


@pytest.mark.parametrize("memo", [1, 7])
def test_forgetting_remembered_steps_changes_nothing(model: Model, tmp_path: Path,
                                                     memo: int) -> None:
    """The step memo is cleared whenever it is full: with a tiny one it is cleared all the
    time, and every verdict, line and statistic stays the same."""
    lines, k = _hide_receives(_walk(model, 13, 60, posts=False))
    for number, (_, mutant) in enumerate(mutants(lines, 13, 4)):
        path = tmp_path / f"m{number}.jsonl"
        write_lines(path, mutant)
        results = [validate(model, Binder(model, str(path)), read_jsonl(str(path)),
                            FrontierOptions(("recv_req", "recv_ack"), k, memo=size))
                   for size in (200_000, memo)]
        big, small = ((r.verdict, r.divergence.line if r.divergence else None,
                       r.hidden_steps, r.largest_frontier) for r in results)
        assert big == small
