"""Bounded model checking: the shortest violation within K steps, one depth at a time.

One incremental solver holds the initial condition and the unrolled steps.  At depth k it asks,
under an assumption literal, for a path whose last state violates an invariant or from which
some action instance fails; a `sat` answer at the smallest k is a shortest counterexample,
the same length breadth-first search finds.  Once depth k is clean its states are known to
satisfy every invariant and to fail no step, and that is added as a fact, which both matches
the explicit checker (it cuts at violations) and prunes later queries.  Deadlocks are asked
for after safety up to K, as the explicit checker reports them last.  Liveness is not checked.

Two cuts of the per-depth cost.  The invariants that are inductive on their own (the largest
such subset, found by Houdini; the spec's lemmas or a `--lemmas` file when they are) hold in
every state reached from a clean state 0, so they are asserted in every later state before
its query.  With `symmetric Node` on a machine whose nodes are all alike, the first node
parameter of step k is at most k: every path renamed so that its steps' nodes appear in
order of first use (node 0 first, then node 1, ...) is a path too, with the same invariants
broken; on other machines step 0's node is an orbit representative, as in `prove`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import z3

from numaspec.checker.results import CheckResult
from numaspec.checker.smt.houdini import Houdini
from numaspec.checker.smt.inductive_step import (
    InductiveStep,
    ProveOptions,
    orbit_representatives,
)
from numaspec.checker.smt.system import ActionStep, State, SymbolicSystem
from numaspec.checker.smt.witness import connect, deadlock_at, decode_state, violation_at
from numaspec.checker.smt.z3_logic import solve, timeout_ms
from numaspec.checker.symbolic.logic import Leaf
from numaspec.model.findings import Finding, Trace, initial_or_finding, replay
from numaspec.model.machine import Model
from numaspec.model.outcome import Progress
from numaspec.spec.diagnostics import Diagnostic
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.symmetry.refuse import require_symmetric

INTERRUPT = "an interrupt"  # how `stopped_by` begins after Ctrl-C or SIGTERM


class BmcProgress(NamedTuple):
    """How far bounded model checking got: the depth found clean, and seconds so far."""

    depth: int
    seconds: float



@dataclass(frozen=True)
class BmcOptions:
    depth: int = 10
    deadlock: bool = True
    timeout: float | None = None  # seconds per solver query
    induction: bool = True  # first try to prove the invariants at every depth (1-induction)
    symmetry: bool = True  # use `symmetric Node` (checked first: E405) in that proof
    time_limit: float | None = None  # seconds for the whole run (then a limit, with the depth)
    assume: bool = True  # assert the inductive subset of the invariants in every later state


class BmcUnknown(Exception):
    """A run stopped without a verdict (time limit, solver gave up, lost worker): says why."""


class Bmc:
    def __init__(self, spec: ir.Spec, options: BmcOptions,
                 progress: Progress[BmcProgress] | None = None):
        self.spec, self.options, self.progress = spec, options, progress
        if options.symmetry:
            require_symmetric(spec)
        self.system = SymbolicSystem(spec)
        self.logic = self.system.logic
        self.model = Model(spec)
        self.solver = z3.Solver()
        if options.timeout is not None:
            self.solver.set("timeout", timeout_ms(options.timeout))
        self.states: list[State] = []
        self.steps: list[list[ActionStep]] = []
        self.active: list[z3.BoolRef] = []  # activation literals of the unrolled steps
        self.start = time.perf_counter()
        self.clean_depth = -1  # the deepest depth found clean so far
        self.assumed: list[ir.Property] = []  # inductive invariants, facts after state 0

    def run(self) -> CheckResult:
        result = CheckResult("holds")
        _, failed = initial_or_finding(self.model)
        if failed is not None:  # `init` breaks the spec (symbolically: no initial state)
            result.verdict, result.finding = "violated", failed
            return self._finish(result)
        try:
            if self.options.induction and self._inductive():
                result.proved_by = "1-induction"
                finding = None if self._deadlock_free() else self._deadlocks()
            else:
                self.assumed = self._inductive_subset()
                finding = self._safety() or self._deadlocks()
        except BmcUnknown as stop:
            result.verdict, result.stopped_by = "limit", str(stop)
            return self._finish(result)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM (the CLI maps it): the depth reached
            result.verdict = "limit"
            result.stopped_by = f"{INTERRUPT}{self._reached()}"
            return self._finish(result)
        if finding is not None:
            replay(self.model, finding)
            result.verdict, result.finding = "violated", finding
        return self._finish(result)

    def _finish(self, result: CheckResult) -> CheckResult:
        result.stats.depth = self.options.depth if result.proved_by else max(
            self.clean_depth if result.verdict == "limit" else len(self.states) - 1, 0)
        result.stats.seconds = time.perf_counter() - self.start
        result.checked = [p.name for p in self.spec.invariants]
        if self.spec.liveness:
            result.warnings.append(Diagnostic(
                "W703", "leads_to properties are not checked by bounded model checking (use "
                "the explicit engine)", None, "warning"))
        return result

    # ------------------------------------------------------------- induction
    def _inductive(self) -> bool:
        """The invariants (and "no step fails") are 1-inductive and hold initially: then no
        depth has a violation and the bounded search is not needed."""
        if not self.spec.invariants:
            return False
        step = InductiveStep(self.spec, ProveOptions(k=1, timeout=self._query_timeout(),
                                                     symmetry=self.options.symmetry))
        if step.step_only().verdict != "proved":
            return False
        self._extend()
        state, steps = self.states[0], self.steps[0]
        return not self._check(self.logic.neg(self._clean(state, steps)), "the initial states", 0)

    def _inductive_subset(self) -> list[ir.Property]:
        """The largest subset of the invariants that is 1-inductive on its own (Houdini, bounded by
        the time limit; nothing when it is cut).  Nothing at depth 0: the facts are asserted
        only in states after state 0, so there they would be found for no use."""
        if not self.options.assume or len(self.spec.invariants) < 2 or self.options.depth == 0:
            return []
        limit = self.options.time_limit
        deadline = None if limit is None else time.monotonic() + max(
            limit - (time.perf_counter() - self.start), 0.0) / 4
        names = [p.name for p in self.spec.invariants]
        found = Houdini(self.spec, names, deadline, self.options.symmetry).run()
        if not found.complete:
            return []
        return [p for p in self.spec.invariants if p.name in found.kept]

    def _order_nodes(self, k: int, steps: list[ActionStep]) -> Leaf:
        """Symmetry breaking for the steps from state k (see the module's docstring)."""
        if "Node" not in self.spec.symmetric or not self.options.symmetry:
            return True
        distance = self.spec.topology.distance
        if _uniform(distance):
            allowed = list(range(min(k + 1, len(distance))))
        elif k == 0:
            allowed = orbit_representatives(distance)
        else:
            return True
        parts = []
        for step in steps:
            nodes = [arg for arg, p in zip(step.args, step.action.params, strict=True)
                     if isinstance(p.type, t.NodeType)]
            if nodes:
                parts.append(self.logic.disj(self.logic.equal(nodes[0], n) for n in allowed))
        return self.logic.conj(parts)

    def _deadlock_free(self) -> bool:
        """No state that satisfies the (inductive) invariants is a deadlock."""
        if not self.options.deadlock:
            return True
        system = self.system
        state = system.state("any")
        typed = system.type_ok(state)  # built first, as before: Z3 numbers terms by creation
        clean = self._clean(state, system.actions(state, "any"))
        stuck = self.logic.conj([typed, clean, self._stuck(state, "any")])
        solver = z3.Solver()
        if self.options.timeout is not None:
            solver.set("timeout", timeout_ms(self.options.timeout))
        answer = solve(solver, self.logic.as_z3(stuck))
        return bool(answer == z3.unsat)

    def _clean(self, state: State, steps: list[ActionStep]) -> Leaf:
        return self.logic.conj([*(self.system.holds(p, state) for p in self.spec.invariants),
                                self.logic.neg(self.system.failure(steps))])

    def _stuck(self, state: State, label: str) -> Leaf:
        finals = [self.system.holds(p, state) for p in self.spec.finals]
        instances = self.system.instance_steps(state, f"{label}.dead")
        return self.logic.conj([self.system.deadlock(instances),
                                self.logic.neg(self.logic.disj(finals))])

    # ---------------------------------------------------------------- depths
    def _extend(self) -> None:
        k = len(self.states)
        state = self.system.state(str(k))
        self.solver.add(self.logic.as_z3(self.system.type_ok(state)))
        if k == 0:
            self.solver.add(self.logic.as_z3(self.system.initial(state)))
        else:
            # under an activation literal: a deadlock at depth k needs no step k+1
            step = z3.Bool(f"step{k - 1}")
            self.active.append(step)
            self.solver.add(z3.Implies(step, self.logic.as_z3(self.system.transition(
                self.states[-1], self.steps[-1], state, str(k - 1)))))
            for prop in self.assumed:  # they hold after a step from a clean state
                self.solver.add(z3.Implies(step, self.logic.as_z3(
                    self.system.holds(prop, state))))
        self.states.append(state)
        self.steps.append(self.system.actions(state, str(k)))
        self.solver.add(self.logic.as_z3(self._order_nodes(k, self.steps[-1])))

    def _safety(self) -> Finding | None:
        for k in range(self.options.depth + 1):
            self._extend()
            clean = self._clean(self.states[k], self.steps[k])
            if self._check(self.logic.neg(clean), f"safety at depth {k}", k):
                return violation_at(self.model, self._trace(k))
            self.solver.add(self.logic.as_z3(clean))
            self.clean_depth = k
            if self.progress:
                self.progress(BmcProgress(k, time.perf_counter() - self.start))
        return None

    def _deadlocks(self) -> Finding | None:
        if not self.options.deadlock:
            return None
        while len(self.states) <= self.options.depth:  # after an inductive proof
            self._extend()
            self.solver.add(self.logic.as_z3(self._clean(self.states[-1], self.steps[-1])))
        for k, state in enumerate(self.states):
            if self._check(self._stuck(state, str(k)), f"deadlock at depth {k}", k):
                return deadlock_at(self.model, self._trace(k))
        return None

    def _check(self, goal: Leaf, what: str, depth: int) -> bool:
        """Whether a path of `depth` steps can end in a state satisfying `goal`."""
        if goal is False:
            return False
        literal = z3.FreshBool("goal")
        self.solver.add(z3.Implies(literal, self.logic.as_z3(goal)))
        timeout = self._query_timeout()
        if timeout is not None:
            self.solver.set("timeout", timeout_ms(timeout))
        answer = solve(self.solver, literal, *self.active[:depth])
        if answer == z3.unknown:
            if self._out_of_time():
                raise BmcUnknown(f"the time limit ({self.options.time_limit:g} s){self._reached()}")
            raise BmcUnknown(f"the solver gave up on {what}: {self.solver.reason_unknown()}")
        return bool(answer == z3.sat)

    def _query_timeout(self) -> float | None:
        """Seconds for the next query: the per-query timeout, cut to what the whole run's
        time limit leaves (at least a millisecond; an exhausted limit is reported at once)."""
        limit = self.options.time_limit
        if limit is None:
            return self.options.timeout
        left = limit - (time.perf_counter() - self.start)
        if left <= 0:
            raise BmcUnknown(f"the time limit ({limit:g} s){self._reached()}")
        return left if self.options.timeout is None else min(left, self.options.timeout)

    def _out_of_time(self) -> bool:
        limit = self.options.time_limit
        return limit is not None and time.perf_counter() - self.start >= limit - 0.05

    def _reached(self) -> str:
        if self.clean_depth < 0:
            return " before depth 0 was checked"
        return f" at depth {self.clean_depth + 1}: depths 0..{self.clean_depth} are clean"

    def _trace(self, k: int) -> Trace:
        solution = self.solver.model()
        states = [decode_state(self.spec, solution, s) for s in self.states[:k + 1]]
        return Trace(states[0], tuple(connect(self.model, states)))


def _uniform(distance: tuple[tuple[int, ...], ...]) -> bool:
    """Every node at the same distance from every other: any permutation is an automorphism."""
    return len({d for i, row in enumerate(distance) for j, d in enumerate(row) if i != j}) <= 1


def bmc(spec: ir.Spec, options: BmcOptions,
        progress: Progress[BmcProgress] | None = None) -> CheckResult:
    """Search for the shortest violation within `options.depth` steps (never prints)."""
    return Bmc(spec, options, progress).run()
