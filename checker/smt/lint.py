"""`numaspec lint`: questions about a spec that Z3 answers over all type-correct states.

- an action none of whose instances can be enabled in any type-correct state (W610);
- an invariant true in every type-correct state (a tautology: it checks nothing, W611) or in
  none (a contradiction, W612);
- a `require` implied by the path and the `require`s before it (W613);
- a branch of an `if` that no type-correct state reaches (W614).

"Type-correct" is deliberately weaker than "reachable": lint needs no search and no bound,
so it speaks about the spec's text, not about its behaviours.  Findings are diagnostics
(warnings with spans); the engine never prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import z3

from numaspec.checker.smt.system import ActionStep, SymbolicSystem
from numaspec.checker.smt.z3_logic import timeout_ms
from numaspec.checker.symbolic.logic import Leaf, known
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import Diagnostic, Note
from numaspec.spec.ir import nodes as ir


@dataclass(frozen=True)
class LintOptions:
    timeout: float | None = 10.0  # seconds per solver query


class _Linter:
    def __init__(self, spec: ir.Spec, options: LintOptions):
        self.spec, self.options = spec, options
        self.system = SymbolicSystem(spec)
        self.logic = self.system.logic
        self.state = self.system.state("lint")
        self.solver = z3.Solver()
        if options.timeout is not None:
            self.solver.set("timeout", timeout_ms(options.timeout))
        self.solver.add(self.logic.as_z3(self.system.type_ok(self.state)))
        self.found: list[Diagnostic] = []
        self.undecided = 0

    def possible(self, formula: Leaf) -> bool:
        """Whether some type-correct state satisfies `formula` (unknown counts as yes)."""
        if known(formula):
            return bool(formula)
        answer = self.solver.check(self.logic.as_z3(formula))
        if answer == z3.unknown:
            self.undecided += 1
        return bool(answer != z3.unsat)

    def warn(self, code: str, message: str, span: object, *notes: Note) -> None:
        self.found.append(Diagnostic(code, message, span, "warning", notes))  # type: ignore[arg-type]

    def run(self) -> list[Diagnostic]:
        for step in self.system.actions(self.state, "lint"):
            self._action(step)
        for prop in self.spec.invariants:
            self._invariant(prop)
        return self.found

    def _action(self, step: ActionStep) -> None:
        action = step.action
        if not self.possible(self.logic.disj([step.ok, step.fails])):
            self.warn("W610", f"action {action.name} can never be enabled: its guards "
                      "contradict each other in every type-correct state", action.span)
            return
        for stmt, path, before, cond in step.requires:
            if not self.possible(self.logic.conj([path, before, self.logic.neg(cond)])):
                self.warn("W613", "this `require` always holds where it is reached: the "
                          "earlier requires (or the path) imply it", stmt.span,
                          Note("remove it, or check whether it should say something else"))
        for branch, then_reached, else_reached in step.branches:
            if not self.possible(then_reached):
                self.warn("W614", "the `then` branch of this `if` is never taken",
                          branch.span)
            elif branch.orelse.stmts and not self.possible(else_reached):
                self.warn("W614", "the `else` branch of this `if` is never taken",
                          branch.span)

    def _invariant(self, prop: ir.Property) -> None:
        holds = self.system.holds(prop, self.state)
        if not self.possible(self.logic.neg(holds)):
            self.warn("W611", f"invariant {prop.name} holds in every type-correct state "
                      "(a tautology): it checks nothing", prop.span)
        elif not self.possible(holds):
            self.warn("W612", f"invariant {prop.name} holds in no state (a contradiction)",
                      prop.span)


class LintResult(NamedTuple):
    """The lint warnings (W610-W614), how many questions the solver left undecided, and
    whether Ctrl-C cut the run short (the warnings are then those found so far)."""

    warnings: list[Diagnostic]
    undecided: int
    interrupted: bool = False

    @property
    def outcome(self) -> Outcome:
        if self.warnings:
            return Outcome.VIOLATION
        return Outcome.LIMIT if self.interrupted else Outcome.OK


def lint(spec: ir.Spec, options: LintOptions | None = None) -> LintResult:
    """The lint warnings of `spec`, and how many questions the solver left undecided.  Ctrl-C
    (KeyboardInterrupt) ends the run with the warnings found so far, marked interrupted."""
    linter = _Linter(spec, options or LintOptions())
    try:
        linter.run()
    except KeyboardInterrupt:
        return LintResult(list(linter.found), linter.undecided, interrupted=True)
    return LintResult(linter.found, linter.undecided)
