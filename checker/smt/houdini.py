"""Houdini: the largest subset of the candidates that is inductive relative to the spec.

Candidates and the spec's own invariants are assumed in a state s0; a step leads to s1;
the solver is asked whether some live candidate is false in s1.  Each answer is a
counterexample to induction: every candidate false in its s1 is dropped (with the round and
the reason), and the question is asked again, until none is false (unsat: the survivors,
with the spec's invariants, are inductive) or the deadline passes (the live set is then
reported as partial).  The system is encoded once; each candidate's assumption sits behind
its own literal, so a round is one incremental query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import z3

from numaspec.checker.smt.inductive_step import InductiveStep, ProveOptions
from numaspec.checker.smt.z3_logic import solve, timeout_ms
from numaspec.spec.ir import nodes as ir


@dataclass
class HoudiniResult:
    kept: list[str]  # invariant names
    dropped: dict[str, int] = field(default_factory=dict)  # name -> round it failed in
    rounds: int = 0
    complete: bool = True  # False: the deadline passed, `kept` is not known inductive
    seconds: float = 0.0


class Houdini(InductiveStep):
    """Houdini over the invariants of `spec` named in `candidates` (the others assumed)."""

    def __init__(self, spec: ir.Spec, candidates: list[str], deadline: float | None = None,
                 symmetry: bool = True):
        super().__init__(spec, ProveOptions(k=1, symmetry=symmetry))
        self.candidates, self.deadline = candidates, deadline
        self.solver: z3.Solver | None = None
        self.literal: dict[str, z3.BoolRef] = {}
        self.after: dict[str, z3.BoolRef] = {}  # each candidate over s1
        self.spec_after: list[z3.BoolRef] = []  # the spec's invariants over s1
        self.queries = 0

    def _encode(self) -> None:
        """s0 -> s1 once; each candidate assumed in s0 behind its literal."""
        if self.solver is not None:
            return
        self.solver = solver = z3.Solver()
        s0, s1 = self.system.state("s0"), self.system.state("s1")
        steps = self.system.actions(s0, "s0")
        for leaf in (self.system.type_ok(s0), self.system.type_ok(s1),
                     self.system.transition(s0, steps, s1, "s0"), self._break_symmetry(steps)):
            solver.add(self.logic.as_z3(leaf))
        for prop in self.spec.invariants:
            before = self.logic.as_z3(self.system.holds(prop, s0))
            after = self.logic.as_z3(self.system.holds(prop, s1))
            if prop.name in self.candidates:
                self.literal[prop.name] = z3.Bool(f"assume_{prop.name}")
                solver.add(z3.Implies(self.literal[prop.name], before))
                self.after[prop.name] = after
            else:
                solver.add(before)
                self.spec_after.append(after)
        # "no action step fails" in s1: an obligation of the proof, as in prove
        failure = self.system.failure(self.system.actions(s1, "s1"))
        self.spec_after.append(self.logic.as_z3(self.logic.neg(failure)))

    def _ask(self, live: list[str], also: list[z3.BoolRef]) -> z3.CheckSatResult:
        """Can a step from a state satisfying `live` (and the spec) falsify one of `live`
        or of `also` (terms over s1)?"""
        assert self.solver is not None
        self.queries += 1
        query = z3.Bool(f"query_{self.queries}")
        self.solver.add(z3.Implies(query, z3.Or([z3.Not(self.after[n]) for n in live]
                                                + [z3.Not(t) for t in also])))
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                return z3.unknown
            self.solver.set("timeout", timeout_ms(left))
        return solve(self.solver, query, *[self.literal[n] for n in live])

    def suffices(self, live: list[str]) -> bool | None:
        """Whether `live` with the spec's invariants is inductive for all of them and no
        step fails (the obligations of `prove`'s 1-induction step, in one query); None when
        the deadline cut the query."""
        self._encode()
        answer = self._ask(live, self.spec_after)
        return None if answer == z3.unknown else answer == z3.unsat

    def core(self, live: list[str]) -> tuple[bool | None, list[str]]:
        """`suffices(live)`, and when it does, the subset of `live` in the solver's unsat
        core (it suffices too; it need not be minimal).  (None, live) when the deadline cut
        the query, (False, live) when `live` does not suffice."""
        self._encode()
        answer = self._ask(live, self.spec_after)
        if answer != z3.unsat:
            return (None if answer == z3.unknown else False), live
        assert self.solver is not None
        used = {str(lit) for lit in self.solver.unsat_core()}
        return True, [n for n in live if str(self.literal[n]) in used]

    def suffices_alone(self, live: list[str], timeout: float | None = None) -> bool | None:
        """`suffices(live)` asked of a fresh encoding that holds only `live` of the
        candidates, on `prove`'s bit-blasting solver: for a few dozen lemmas many times
        faster than the incremental encoding of every candidate.  None: the deadline (or
        `timeout` seconds, when sooner) cut the query."""
        left = None if self.deadline is None else self.deadline - time.monotonic()
        if left is not None and left <= 0:
            return None
        if timeout is not None:
            left = timeout if left is None else min(left, timeout)
        keep = set(live)
        props = tuple(p for p in self.spec.invariants
                      if p.name not in self.candidates or p.name in keep)
        options = ProveOptions(k=1, symmetry=self.options.symmetry, timeout=left)
        return _SubsetStep(replace(self.spec, invariants=props), options).suffices()

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def weights(self, live: list[str]) -> dict[str, int]:
        """The size of each candidate's encoding over s1 (distinct subterms): what it
        costs the solver, for minimisation to try leaving out the costliest first."""
        self._encode()
        return {name: _dag_size(self.after[name]) for name in live}

    def run(self) -> HoudiniResult:
        result = HoudiniResult([])
        self._encode()
        assert self.solver is not None
        live = list(self.candidates)
        while live:
            result.rounds += 1
            answer = self._ask(live, [])
            if answer == z3.unsat:
                break
            if answer == z3.unknown:
                result.complete = False
                break
            solution = self.solver.model()
            failed = [n for n in live
                      if z3.is_false(solution.eval(self.after[n], model_completion=True))]
            assert failed, "a model of the round's query falsifies some candidate"
            for name in failed:
                result.dropped[name] = result.rounds
            live = [n for n in live if n not in failed]
        result.kept = live
        result.seconds = time.perf_counter() - self.start
        return result


class _SubsetStep(InductiveStep):
    """The 1-induction step of `prove` asked once for all obligations at once."""

    def suffices(self) -> bool | None:
        context = z3.Solver()  # only collects the assumptions
        states, steps = self._unroll(context)
        obligations = self._obligations(states[-1], steps[-1])
        answer = self._answer(list(context.assertions()), self._some_fails(obligations))
        return None if answer == z3.unknown else answer == z3.unsat


def _dag_size(term: z3.ExprRef) -> int:
    seen: set[int] = set()
    todo = [term]
    while todo:
        node = todo.pop()
        if node.get_id() in seen:
            continue
        seen.add(node.get_id())
        todo.extend(node.children())
    return len(seen)
