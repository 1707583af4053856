"""`check --engine bmc --workers N`: bounded model checking, each depth's queries on a cluster.

One process asks, at depth k, one query: a path of k steps to a state that violates some
invariant or from which some step fails.  That disjunction splits: one query per invariant
and one for the failing steps, independent of each other, answered by the workers; depth k
is clean when every one is `unsat` (then, as in one process, it becomes a fact for the later
depths).  The first depth with a `sat` answer is the shortest violation; of its answers the
first in the spec's order is reported (the model names the property, as in one process).
After safety, the deadlock queries of all depths are independent too: they go out at once
and the shallowest deadlock is reported.

Each worker keeps its own incremental unrolling (`DepthSolver`, held by a `BmcPlugin` for the
run), extended as deeper queries come, with the clean depths asserted as facts.  What one
process does before the depths stays here: the 1-induction proof, the inductive subset of
the invariants (Houdini; its names are sent to the workers, which assume them as one process
does), the deadlock-freedom proof.  A lost worker ends the run as a limit naming it (exit 3).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from distributed import WorkerPlugin, get_worker

from numaspec.checker.distributed.cluster import Session, WorkerLost
from numaspec.checker.results import CheckResult
from numaspec.checker.smt.bmc import Bmc, BmcOptions, BmcProgress, BmcUnknown
from numaspec.checker.smt.witness import deadlock_at, violation_at
from numaspec.checker.symbolic.logic import Leaf
from numaspec.model.findings import Finding
from numaspec.model.outcome import Progress
from numaspec.spec.ir import nodes as ir

Answer = tuple[str, str | None, Finding | None]  # "sat" | "unsat" | "unknown", reason, finding
FAILURE = -1  # the goal "some step fails" (the others are invariants, by position)


class DepthSolver(Bmc):
    """A worker's unrolling: answers one goal at one depth, the depths below clean."""

    def __init__(self, spec: ir.Spec, options: BmcOptions, assumed: list[str]):
        super().__init__(spec, options)
        self.assumed = [p for p in spec.invariants if p.name in assumed]
        self.facts = -1  # the deepest depth whose cleanliness is asserted

    def answer(self, depth: int, goal: int | None) -> Answer:
        """`goal`: an invariant's position, FAILURE, or None for a deadlock at `depth`."""
        while len(self.states) <= depth:
            self._extend()
        clean_through = depth if goal is None else depth - 1
        while self.facts < clean_through:
            self.facts += 1
            self.solver.add(self.logic.as_z3(self._clean(self.states[self.facts],
                                                         self.steps[self.facts])))
        try:
            if not self._check(self._goal(depth, goal), f"depth {depth}", depth):
                return "unsat", None, None
        except BmcUnknown as stop:
            return "unknown", str(stop), None
        trace = self._trace(depth)
        found = deadlock_at(self.model, trace) if goal is None else \
            violation_at(self.model, trace)
        return "sat", None, found

    def _goal(self, depth: int, goal: int | None) -> Leaf:
        state, steps = self.states[depth], self.steps[depth]
        if goal is None:
            return self._stuck(state, str(depth))
        if goal == FAILURE:
            return self.system.failure(steps)
        return self.logic.neg(self.system.holds(self.spec.invariants[goal], state))


class BmcPlugin(WorkerPlugin):  # type: ignore[misc]
    """A worker's `DepthSolver` for one run, built by its first query."""

    def __init__(self, spec: ir.Spec, options: BmcOptions, assumed: list[str]):
        self.spec, self.options, self.assumed = spec, options, assumed
        self.solver: DepthSolver | None = None

    def teardown(self, worker: Any) -> None:
        self.solver = None

    def unrolled(self) -> DepthSolver:
        if self.solver is None:
            self.solver = DepthSolver(self.spec, self.options, self.assumed)
        return self.solver


def answer_task(run: str, depth: int, goal: int | None) -> Answer:
    plugin = get_worker().plugins[run]
    assert isinstance(plugin, BmcPlugin)
    return plugin.unrolled().answer(depth, goal)


class DistributedBmc(Bmc):
    """Bmc with the per-depth queries answered by `session`'s workers."""

    def __init__(self, spec: ir.Spec, options: BmcOptions, session: Session,
                 progress: Progress[BmcProgress] | None = None):
        super().__init__(spec, options, progress)
        self.session, self.run_name = session, f"{session.run_id}-bmc"
        self.registered = False
        self.reached = 0  # the deepest depth asked about

    def run(self) -> CheckResult:
        try:
            return super().run()
        finally:
            if self.registered:
                try:
                    self.session.client.unregister_worker_plugin(self.run_name)
                except Exception:  # a lost worker: nothing left to free there
                    pass

    def _safety(self) -> Finding | None:
        goals = [*range(len(self.spec.invariants)), FAILURE]
        for k in range(self.options.depth + 1):
            self.reached = k
            found = self._first([(k, goal) for goal in goals])
            if found is not None:
                return found
            self.clean_depth = k
            if self.progress:
                self.progress(BmcProgress(k, time.perf_counter() - self.start))
        return None

    def _deadlocks(self) -> Finding | None:
        if not self.options.deadlock:
            return None
        found = self._first([(k, None) for k in range(self.options.depth + 1)])
        self.reached = self.options.depth  # one process has unrolled every depth by now
        return found

    def _first(self, queries: list[tuple[int, int | None]]) -> Finding | None:
        """The finding of the first of `queries` answered `sat` (None: all unsat)."""
        self._register()
        futures = [self.session.anywhere(answer_task, self.run_name, k, goal)
                   for k, goal in queries]
        try:
            answers: list[Answer] = self.session.gather(futures, self._limits)
        except WorkerLost as lost:
            raise BmcUnknown(str(lost)) from None
        for (k, _), (answer, reason, found) in zip(queries, answers, strict=True):
            if answer == "unknown":
                raise BmcUnknown(f"the solver gave up at depth {k}: {reason}")
            if answer == "sat":
                self.reached = k
                return found
        return None

    def _register(self) -> None:
        if not self.registered:
            options = replace(self.options, time_limit=None)  # this process keeps the limit
            names = [p.name for p in self.assumed]
            self.session.client.register_plugin(BmcPlugin(self.spec, options, names),
                                                name=self.run_name)
            self.registered = True

    def _limits(self) -> None:
        if self._out_of_time():
            raise BmcUnknown(f"the time limit ({self.options.time_limit:g} s){self._reached()}")

    def _finish(self, result: CheckResult) -> CheckResult:
        result = super()._finish(result)
        if not result.proved_by and result.verdict != "limit":
            result.stats.depth = self.reached
        return result


def bmc_distributed(spec: ir.Spec, options: BmcOptions, session: Session,
                    progress: Progress[BmcProgress] | None = None) -> CheckResult:
    """`bmc`'s result with the per-depth queries on `session`'s workers (never prints)."""
    return DistributedBmc(spec, options, session, progress).run()
