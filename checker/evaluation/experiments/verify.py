"""Experiment 5, verification cost: distinct states and time to verify P1 with the
explicit-state checker against the number of nodes, and the time of a k-induction proof (SMT
engine) against the number of nodes.

Each size is checked twice, each run with at most `timeout` seconds: safety alone (every
invariant and witness: the states and time of the search), then everything including the
liveness property `unmap_terminates` (which builds the full, unreduced state graph).  State
spaces grow steeply with n: once a kind of run stops at the limit, it is not tried for larger
sizes (marked "not run").  The k-induction proof has no limit of its own beyond `timeout` per
solver query; once a proof takes longer than `timeout` seconds in all (or fails), it is not
tried for larger sizes either (n/a), which bounds the stage's time on a slow or busy
machine."""

from __future__ import annotations

import time
from collections.abc import Sequence

from numaspec.checker.evaluation.designs import PERNODE, Machine, compile_design
from numaspec.checker.evaluation.tables import Cell, Table
from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions, CheckResult
from numaspec.model.outcome import Progress
from numaspec.spec.ir import nodes as ir

PAGES = 2  # P1's default

COLUMNS = ["n", "safety verdict", "distinct states (symmetry-reduced)", "safety seconds",
           "verdict with liveness", "liveness graph states", "seconds with liveness",
           "k-induction seconds"]
NOT_RUN: list[Cell] = ["not run", None, None]


def kinduction_seconds(spec: ir.Spec, timeout: float) -> float | None:
    """Seconds for `numaspec prove` (1-induction, lemmas included) to prove every invariant
    of P1 in `spec`, None if it does not finish with a proof within `timeout` per query."""
    from numaspec.checker.smt.induction import ProveOptions, prove

    start = time.perf_counter()
    result = prove(spec, ProveOptions(timeout=timeout))
    return time.perf_counter() - start if result.verdict == "proved" else None


def run(node_counts: Sequence[int], timeout: float, progress: Progress[str]) -> Table:
    table = Table("verification", "Verification cost of P1 against the number of nodes",
                  COLUMNS, note=f"Explicit: `numaspec check` (BFS with symmetry reduction; "
                  f"then the liveness graph), at most {timeout:g} s per run. n/a: not "
                  "measured (not run, or no proof within the limit). k-induction: `numaspec prove` "
                  "(1-induction over P1's invariants and lemmas); not tried for larger n once "
                  f"a proof took more than {timeout:g} s.")
    safety_on = liveness_on = proving = True
    for nodes in node_counts:
        spec = compile_design(PERNODE, Machine(nodes), PAGES, 1)
        safety: list[Cell] = list(NOT_RUN)
        liveness: list[Cell] = list(NOT_RUN)
        if safety_on:
            progress(f"verification: P1 safety, n = {nodes} (limit {timeout:g} s)")
            result, seconds = _timed(spec, CheckOptions(liveness=False, timeout=timeout))
            safety = [_verdict(result), result.stats.distinct_states, seconds]
            safety_on = result.verdict == "holds"
            liveness_on = liveness_on and safety_on
        if liveness_on:
            progress(f"verification: P1 with liveness, n = {nodes} (limit {timeout:g} s)")
            result, seconds = _timed(spec, CheckOptions(timeout=timeout))
            liveness = [_verdict(result), result.stats.liveness_states or None, seconds]
            liveness_on = result.verdict == "holds"
        proof = None
        if proving:
            progress(f"verification: P1 k-induction, n = {nodes}")
            proof = kinduction_seconds(spec, timeout)
            proving = proof is not None and proof <= timeout
        table.add(nodes, *safety, *liveness, proof)
    return table


def _timed(spec: ir.Spec, options: CheckOptions) -> tuple[CheckResult, float]:
    start = time.perf_counter()
    result = check(spec, options)
    return result, time.perf_counter() - start


def _verdict(result: CheckResult) -> Cell:
    return result.verdict if result.verdict != "limit" else f"limit ({result.stopped_by})"
