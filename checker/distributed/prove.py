"""`prove --workers N`: k-induction with the inductive step's queries on a Dask cluster.

The base case (a bounded model check of k-1 steps) runs here, as in one process
(checker/smt/induction.py).  The step's obligations are independent queries: one per
invariant (and "no action step fails") and per action the last step takes (the step's
action selector fixed: the actions partition the step, so the obligation holds iff it holds
for every action).  Each worker unrolls the k steps once (`ObligationStep`, kept by a
`StepPlugin` for the run) and answers the queries Dask gives it, as many as it can; the
first counterexample to induction, confirmed by the model on the worker, ends the proof
and cancels the rest.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import z3
from distributed import WorkerPlugin, get_worker

from numaspec.checker.distributed.cluster import Session, WorkerLost
from numaspec.checker.smt.induction import base_case
from numaspec.checker.smt.inductive_step import (
    NO_FAILURE,
    InductiveStep,
    ProveOptions,
    ProveResult,
    invariants_of,
)
from numaspec.checker.symbolic.logic import known
from numaspec.model.findings import Trace
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.symmetry.refuse import require_symmetric

Answer = tuple[str, str | None, Trace | None]  # "unsat" | "sat" | "unknown", reason, CTI


class ObligationStep(InductiveStep):
    """The inductive step unrolled once, answering one obligation for one action."""

    def __init__(self, spec: ir.Spec, options: ProveOptions):
        super().__init__(spec, options)
        context = z3.Solver()
        self.states, self.steps = self._unroll(context)
        self.assumptions = list(context.assertions())
        self.obligations = dict(self._obligations(self.states[-1], self.steps[-1]))

    def answer(self, name: str, action: int | None) -> Answer:
        holds = self.obligations[name]
        if known(holds) and holds:
            return "unsat", None, None
        solver = self._solver()
        solver.add(*self.assumptions)
        if action is not None:
            last = self.system.selector(f"s{self.options.k - 1}")
            solver.add(self.logic.as_z3(self.logic.equal(last, action)))
        answer = solver.check() if known(holds) else \
            solver.check(self.logic.as_z3(self.logic.neg(holds)))
        if answer == z3.unknown:
            return "unknown", solver.reason_unknown(), None
        if answer == z3.sat:
            return "sat", None, self._cti(solver.model(), self.states, name)
        return "unsat", None, None


class StepPlugin(WorkerPlugin):  # type: ignore[misc]
    """A worker's `ObligationStep` for one run, built by its first query."""

    def __init__(self, spec: ir.Spec, options: ProveOptions):
        self.spec, self.options = spec, options
        self.step: ObligationStep | None = None

    def teardown(self, worker: Any) -> None:
        self.step = None

    def unrolled(self) -> ObligationStep:
        if self.step is None:
            self.step = ObligationStep(self.spec, self.options)
        return self.step


def answer_task(run: str, name: str, action: int | None) -> Answer:
    plugin = get_worker().plugins[run]
    assert isinstance(plugin, StepPlugin)
    return plugin.unrolled().answer(name, action)


def prove_distributed(spec: ir.Spec, options: ProveOptions, session: Session,
                      by_action: bool | None = None) -> ProveResult:
    """k-induction over every invariant of `spec`, the step's queries on `session`'s
    workers (never prints); a lost worker is an `unknown` verdict naming it.  `by_action`:
    one query per obligation and action (None: only when there are fewer than two
    obligations per worker; every query repeats the solver's preprocessing of the
    unrolling, which on P1 costs as much as the query)."""
    start = time.perf_counter()
    if options.symmetry:
        require_symmetric(spec)  # E405 before any work is sent
    proved = replace(spec, invariants=invariants_of(spec, options))
    result = base_case(proved, options, start)
    if result.verdict == "proved":
        _step(proved, spec, options, session, result, by_action)
    result.seconds = time.perf_counter() - start
    return result


def _step(proved: ir.Spec, spec: ir.Spec, options: ProveOptions, session: Session,
          result: ProveResult, by_action: bool | None) -> None:
    # The obligations in InductiveStep's order; the step's selector picks one of the actions.
    names = sorted([p.name for p in proved.invariants] + [NO_FAILURE],
                   key=lambda name: name != options.invariant)
    if by_action is None:
        by_action = len(names) < 2 * session.size
    actions: list[int | None] = list(range(len(spec.actions))) if by_action else [None]
    queries = [(name, action) for name in names for action in actions]
    session.client.register_plugin(StepPlugin(spec, options), name=session.run_id)
    left = {name: len(actions) for name in names}
    try:
        futures = [session.anywhere(answer_task, session.run_id, n, a) for n, a in queries]
        for position, (answer, reason, cti) in session.completed(futures):
            name = queries[position][0]
            if answer == "sat":
                result.verdict, result.failed, result.cti = "cti", name, cti
                break
            if answer == "unknown" and result.verdict == "proved":
                result.verdict, result.reason, result.failed = "unknown", reason, name
            left[name] -= answer == "unsat"
    except WorkerLost as lost:
        result.verdict, result.reason, result.failed = "unknown", str(lost), None
    finally:
        if not session.owned:
            session.client.unregister_worker_plugin(session.run_id)
    result.proved = [name for name in names if left[name] == 0]
