"""The first try for per-node logs (traces/causal/search.py) against the exact frontier:
on P1 runs it finds a witness, with and without hidden receives, where the exact frontier
says the logs conform; on planted divergences it finds none, and the verdict and the place
of the divergence are the exact frontier's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from causal_logs import p1, read, write, write_logs

from numaspec.model.machine import Model
from numaspec.traces.causal.engine import CausalFrontier, CausalOptions
from numaspec.traces.causal.open import expand, open_logs, order_for
from numaspec.traces.causal.search import speculate
from numaspec.traces.causal.validate import SPECULATION_WINDOW, validate_logs
from numaspec.traces.frontier import FrontierOptions
from numaspec.traces.validate import ValidationResult

DATA = Path(__file__).parent / "data" / "causal"
HIDDEN = ("recv_req", "recv_ack")


class Logs:
    def __init__(self, model: Model, folder: Path, hidden: bool):
        self.model, self.paths = model, expand([str(folder)])
        self.hidden = HIDDEN if hidden else ()
        self.options = CausalOptions(FrontierOptions(self.hidden, 13 if hidden else 0))

    def order(self):  # type: ignore[no-untyped-def]
        return order_for(self.model, open_logs(self.paths, None), False, bool(self.hidden))

    def first_try(self) -> bool:
        engine = CausalFrontier(self.model, self.order(), self.options)
        return speculate(engine, SPECULATION_WINDOW)

    def validate(self, first_try: bool) -> ValidationResult:
        return validate_logs(self.model, self.order(), self.options,
                             reopen=self.order if first_try else None)


def _hide(paths: list[Path]) -> None:
    for path in paths:
        write(path, [line for line in read(path) if '"recv_' not in line])


@pytest.mark.parametrize(("nodes", "mode", "hidden"), [
    (3, "vc", False), (4, "vc", False), (3, "ids", False), (4, "ids", False),
    (3, "vc", True), (4, "vc", True), (3, "ids", True)])
def test_first_try_finds_a_witness_where_the_exact_frontier_conforms(
        tmp_path: Path, nodes: int, mode: str, hidden: bool) -> None:
    # message ids with hidden receives: a large exact frontier (1,743 candidates at most on
    # 100 events, 27,488 on 300), so a short run
    events = 100 if mode == "ids" and hidden else 300
    paths = write_logs(tmp_path, nodes, events, nodes + 7, mode)
    if hidden:
        _hide(paths)
    logs = Logs(p1(nodes)[1], tmp_path, hidden)
    assert logs.first_try()
    fast, exact = logs.validate(True), logs.validate(False)
    assert fast.verdict == exact.verdict == "conforms"
    assert fast.events == exact.events and fast.largest_frontier == 1
    assert (fast.hidden_steps > 0) == hidden


def _planted(tmp_path: Path, how: str, hidden: bool) -> Path:
    paths = write_logs(tmp_path, 3, 400, 11, "vc", post=True)
    lines = read(paths[2])
    if how == "removed":
        at = next(i for i in range(60, len(lines)) if '"start_unmap"' in lines[i])
        del lines[at]
    else:  # a wrong frame in a post
        at = next(i for i in range(60, len(lines)) if '"post"' in lines[i])
        lines[at] = re.sub(r'\[\[(\d),(\d)\]',
                           lambda m: f"[[{m[1]},{(int(m[2]) + 1) % 3}]", lines[at], count=1)
    write(paths[2], lines)
    if hidden:
        _hide(paths)
    return tmp_path


@pytest.mark.parametrize(("how", "hidden"), [("removed", False), ("post", False),
                                             ("post", True)])
def test_a_planted_divergence_is_the_exact_frontiers(tmp_path: Path, how: str,
                                                     hidden: bool) -> None:
    logs = Logs(p1(3)[1], _planted(tmp_path, how, hidden), hidden)
    assert not logs.first_try()
    _same_divergence(logs)


def test_the_recorded_divergence_is_the_exact_frontiers() -> None:
    logs = Logs(p1(3)[1], DATA / "wrong_frame", False)
    assert not logs.first_try()
    _same_divergence(logs)


def _same_divergence(logs: Logs) -> None:
    fast, exact = logs.validate(True), logs.validate(False)
    assert fast.verdict == exact.verdict == "diverges"
    assert fast.divergence is not None and exact.divergence is not None
    where = [(d.node, d.path, d.line, d.label) for d in (fast.divergence, exact.divergence)]
    assert where[0] == where[1]
