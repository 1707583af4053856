"""The inductive step of k-induction (induction.py has the whole proof).

From any k consecutive type-correct states that satisfy the invariants and are linked by
steps, the next state must satisfy every invariant, and no action instance may fail in it.
A failed obligation yields a *counterexample to induction*: the k+1 states and the actions,
which the model confirms before it is reported.  Bounded model checking (bmc.py) runs this
step alone to skip its search when the invariants are inductive; the proof (induction.py)
adds the base case, itself a bounded model check: so this module is below both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Literal

import z3

from numaspec.checker.smt.system import ActionStep, State, SymbolicSystem
from numaspec.checker.smt.witness import connect, decode_state, first_failure
from numaspec.checker.smt.z3_logic import solve, timeout_ms
from numaspec.checker.symbolic.logic import Leaf
from numaspec.checker.symbolic.unwritten import unwritten_variables
from numaspec.model.findings import CheckerBug, Finding, Trace
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.symmetry.refuse import require_symmetric
from numaspec.spec.topology.distances import SearchBudgetExceeded, orbits

ProveVerdict = Literal["proved", "violated", "cti", "unknown"]
NO_FAILURE = "no action step fails"  # the obligation that no instance fails


@dataclass(frozen=True)
class ProveOptions:
    k: int = 1
    invariant: str | None = None  # the obligation reported first (all are proved)
    lemmas: bool = True  # False: drop the @lemma invariants
    timeout: float | None = None  # seconds per solver query
    symmetry: bool = True  # use `symmetric Node` (checked first: E405) to break symmetry


@dataclass
class ProveResult:
    verdict: ProveVerdict
    k: int
    proved: list[str] = field(default_factory=list)
    failed: str | None = None  # the obligation with a counterexample (to induction)
    finding: Finding | None = None  # a real violation (base case)
    cti: Trace | None = None  # a counterexample to induction: k+1 states
    reason: str | None = None  # why the solver gave up
    seconds: float = 0.0
    base_seconds: float = 0.0

    @property
    def outcome(self) -> Outcome:
        """Proved: OK; a counterexample or one to induction: VIOLATION; unknown: LIMIT."""
        return {"proved": Outcome.OK, "violated": Outcome.VIOLATION,
                "cti": Outcome.VIOLATION, "unknown": Outcome.LIMIT}[self.verdict]


def invariants_of(spec: ir.Spec, options: ProveOptions) -> tuple[ir.Property, ...]:
    return tuple(p for p in spec.invariants if options.lemmas or "lemma" not in p.annotations)


class InductiveStep:
    """The inductive step for the invariants of `spec` that `options` selects."""

    def __init__(self, spec: ir.Spec, options: ProveOptions):
        self.options = options
        if options.symmetry:
            require_symmetric(spec)
        self.spec = _with_invariants(spec, invariants_of(spec, options))
        # the variables no step writes are their initial values: an inductive invariant
        self.system = SymbolicSystem(self.spec, unwritten_variables(self.spec))
        self.logic = self.system.logic
        self.model = Model(self.spec)
        self.start = time.perf_counter()

    def step_only(self) -> ProveResult:
        """The inductive step alone (for callers that check the base case themselves)."""
        result = ProveResult("proved", self.options.k)
        self._step(result)
        result.seconds = time.perf_counter() - self.start
        return result

    def _step(self, result: ProveResult) -> None:
        context = z3.Solver()  # only collects the assumptions
        states, steps = self._unroll(context)
        assumptions = list(context.assertions())
        obligations = self._obligations(states[-1], steps[-1])
        # First all of them at once (on P1 a third of the time of the separate queries).
        # Otherwise (some obligation fails, or the solver gave up) each is asked alone, in
        # order, so the obligation reported and the proved ones before it are those of the
        # separate queries.
        if self._all_at_once(assumptions, obligations, len(steps[-2])):
            result.proved += [name for name, _ in obligations]
            return
        # One query per obligation, each on a fresh solver that first substitutes the next
        # state away and bit-blasts: on P1 many times faster than one incremental solver.
        for name, holds in obligations:
            solver = self._solver()
            answer = self._answer(assumptions, self.logic.neg(holds), solver)
            if answer == z3.unknown:
                result.verdict, result.reason = "unknown", solver.reason_unknown()
                result.failed = name
                return
            if answer == z3.sat:
                result.verdict, result.failed = "cti", name
                result.cti = self._cti(solver.model(), states, name)
                return
            result.proved.append(name)

    def _all_at_once(self, assumptions: list[z3.ExprRef], obligations: list[tuple[str, Leaf]],
                     actions: int) -> bool:
        """Whether one query proves every obligation; when the solver gives up on it (a
        `--timeout`), whether the queries for each action of the last step do (the actions
        partition the step, and each query is smaller; see `_for_action`)."""
        answer = self._answer(assumptions, self._some_fails(obligations))
        if answer != z3.unknown:
            return bool(answer == z3.unsat)
        selector = self.system.selector(f"s{self.options.k - 1}")
        return all(self._for_action([*assumptions, self.logic.as_z3(self.logic.equal(
            selector, number))], obligations) for number in range(actions))

    def _for_action(self, assumptions: list[z3.ExprRef],
                    obligations: list[tuple[str, Leaf]]) -> bool:
        """Whether every obligation holds after the one action the assumptions fix: one
        query for all, and one per obligation if the solver gives up on it."""
        answer = self._answer(assumptions, self._some_fails(obligations))
        if answer != z3.unknown:
            return bool(answer == z3.unsat)
        return all(self._answer(assumptions, self.logic.neg(holds)) == z3.unsat
                   for _, holds in obligations)

    def _some_fails(self, obligations: list[tuple[str, Leaf]]) -> Leaf:
        return self.logic.disj(self.logic.neg(holds) for _, holds in obligations)

    def _answer(self, assumptions: list[z3.ExprRef], goal: Leaf,
                solver: z3.Solver | None = None) -> z3.CheckSatResult:
        """Whether a model of the assumptions satisfies `goal`, on a fresh solver (or
        `solver`, which keeps the model); a goal known false needs no query."""
        if goal is False:
            return z3.unsat
        solver = solver or self._solver()
        solver.add(*assumptions)
        return solve(solver) if goal is True else solve(solver, self.logic.as_z3(goal))

    def _solver(self) -> z3.Solver:
        solver = z3.Then("simplify", "solve-eqs", "bit-blast", "sat").solver()
        if self.options.timeout is not None:
            solver.set("timeout", timeout_ms(self.options.timeout))
        return solver

    def _unroll(self, solver: z3.Solver) -> tuple[list[State], list[list[ActionStep]]]:
        """k steps between type-correct states, P assumed in the first k."""
        states: list[State] = []
        steps: list[list[ActionStep]] = []
        for i in range(self.options.k + 1):
            state = self.system.state(f"s{i}")
            solver.add(self.logic.as_z3(self.system.type_ok(state)))
            if states:
                solver.add(self.logic.as_z3(self.system.transition(
                    states[-1], steps[-1], state, f"s{i - 1}")))
            states.append(state)
            steps.append(self.system.actions(state, f"s{i}"))
            if i < self.options.k:
                solver.add(self.logic.as_z3(self._assumption(state, f"s{i}")))
        solver.add(self.logic.as_z3(self._break_symmetry(steps[-2])))
        return states, steps

    def _break_symmetry(self, steps: list[ActionStep]) -> Leaf:
        """With `symmetric Node`, the last step's first node parameter is an orbit
        representative: a counterexample to induction renamed by an automorphism of the
        topology is one too, so one per orbit suffices (on a uniform machine: node 0)."""
        if "Node" not in self.spec.symmetric or not self.options.symmetry:
            return True
        representatives = orbit_representatives(self.spec.topology.distance)
        parts = []
        for step in steps:
            nodes = [arg for arg, p in zip(step.args, step.action.params, strict=True)
                     if isinstance(p.type, t.NodeType)]
            if nodes:
                parts.append(self.logic.disj(self.logic.equal(nodes[0], r)
                                             for r in representatives))
        return self.logic.conj(parts)

    def _assumption(self, state: State, label: str) -> Leaf:
        """The invariants, assumed in the first k states.  "No step fails" is not assumed:
        steps that fail are no transitions, so the invariants' step does not need it, and
        leaving out that universal statement (over every instance and choice) keeps the
        queries small; it is still an obligation of the last state."""
        return self.logic.conj(self.system.holds(p, state) for p in self.spec.invariants)

    def _obligations(self, state: State, steps: list[ActionStep]) -> list[tuple[str, Leaf]]:
        found = [(p.name, self.system.holds(p, state)) for p in self.spec.invariants]
        found.append((NO_FAILURE, self.logic.neg(self.system.failure(steps))))
        first = self.options.invariant
        return sorted(found, key=lambda item: item[0] != first)

    def _cti(self, solution: z3.ModelRef, states: list[State], name: str) -> Trace:
        decoded = [decode_state(self.spec, solution, s) for s in states]
        trace = Trace(decoded[0], tuple(connect(self.model, decoded)))
        self._confirm_cti(trace, name)
        return trace

    def _confirm_cti(self, trace: Trace, name: str) -> None:
        """The model agrees: P in the first k states, the obligation broken in the last."""
        for state in trace.states()[:-1]:
            if self.model.violated_invariant(state) is not None:
                raise CheckerBug("SMT encoding: a state of the counterexample to induction "
                                 "violates an assumption")
        last = trace.last
        if name == NO_FAILURE:
            if first_failure(self.model, last) is None:
                raise CheckerBug("SMT encoding: no step fails in the last state of the CTI")
            return
        prop = next(p for p in self.spec.invariants if p.name == name)
        if self.model.holds(prop, last):
            raise CheckerBug(f"SMT encoding: {name} holds in the last state of the CTI")


def orbit_representatives(distance: tuple[tuple[int, ...], ...]) -> list[int]:
    """The smallest node of each orbit of the topology's automorphism group (the group is
    never listed); every node if the orbits cannot be found quickly (no symmetry breaking,
    which is sound)."""
    try:
        return [orbit[0] for orbit in orbits(distance)]
    except SearchBudgetExceeded:
        return list(range(len(distance)))


def _with_invariants(spec: ir.Spec, invariants: tuple[ir.Property, ...]) -> ir.Spec:
    return replace(spec, invariants=invariants)
