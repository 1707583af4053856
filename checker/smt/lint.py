"""`numaspec lint`: questions about a spec that Z3 answers over all type-correct states.

- an action none of whose instances can be enabled in any type-correct state (W610);
- an invariant true in every type-correct state (a tautology: it checks nothing, W611) or in
  none (a contradiction, W612);
- a `require` implied by the path and the `require`s before it (W613);
- a branch of an `if` that no type-correct state reaches (W614).

"Type-correct" is deliberately weaker than "reachable": lint needs no search and no bound,
so it speaks about the spec's text, not about its behaviours.  Findings are diagnostics
(warnings with spans); the engine never prints.

One warning per place: a `require` or `if` of a `proc` or `kernel` is encoded once per call
and once per iteration of a `for` around it.  Within an action the encodings are judged
together (a branch is never taken if no encoding takes it), and across actions the warnings
of one place are merged into one, whose notes name the call sites (`CALL_SITE`), in the
actions' bodies, where the place is dead.  Which warnings are shown (library code,
suppression) is checker/smt/lint_select.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple, assert_never

import z3

from numaspec.checker.smt.system import ActionStep, SymbolicSystem
from numaspec.checker.smt.z3_logic import solve, timeout_ms
from numaspec.checker.symbolic.logic import Leaf, known
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import Diagnostic, Note
from numaspec.spec.ir import nodes as ir
from numaspec.spec.span import Span

# The message of a note naming a call site (with its span) under a warning in a proc/kernel.
CALL_SITE = "at this call, in action"


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
        answer = solve(self.solver, self.logic.as_z3(formula))
        if answer == z3.unknown:
            self.undecided += 1
        return bool(answer != z3.unsat)

    def warn(self, code: str, message: str, span: Span, *notes: Note) -> None:
        """Add a warning, or merge its notes into the warning already at the same place."""
        for i, old in enumerate(self.found):
            if (old.code, old.message, old.span) == (code, message, span):
                extra = tuple(n for n in notes if n not in old.notes)
                self.found[i] = Diagnostic(code, message, span, "warning", old.notes + extra)
                return
        self.found.append(Diagnostic(code, message, span, "warning", notes))

    def run(self) -> list[Diagnostic]:
        for step in self.system.actions(self.state, "lint"):
            self._action(step)
        for prop in self.spec.invariants:
            self._invariant(prop)
        return self.found

    def _action(self, step: ActionStep) -> None:
        action, lg = step.action, self.logic
        if not self.possible(lg.disj([step.ok, step.fails])):
            self.warn("W610", f"action {action.name} can never be enabled: its guards "
                      "contradict each other in every type-correct state", action.span)
            return
        sites = call_sites(action.body)
        requires: dict[int, tuple[ir.Require, list[Leaf]]] = {}
        for stmt, path, before, cond in step.requires:
            if isinstance(stmt.cond, ir.Const):  # `has_cpus(n)` on a homogeneous machine
                continue
            requires.setdefault(id(stmt), (stmt, []))[1].append(
                lg.conj([path, before, lg.neg(cond)]))
        for stmt, violated in requires.values():
            if not self.possible(lg.disj(violated)):
                self.warn("W613", "this `require` always holds where it is reached: the "
                          "earlier requires (or the path) imply it", stmt.span,
                          Note("remove it, or check whether it should say something else"),
                          *_site(sites, stmt, action))
        self._branches(step, sites)

    def _branches(self, step: ActionStep, sites: dict[int, Span]) -> None:
        lg = self.logic
        branches: dict[int, tuple[ir.If, list[Leaf], list[Leaf]]] = {}
        for branch, then_reached, else_reached in step.branches:
            entry = branches.setdefault(id(branch), (branch, [], []))
            entry[1].append(then_reached)
            entry[2].append(else_reached)
        for branch, thens, elses in branches.values():
            where = _site(sites, branch, step.action)
            if not self.possible(lg.disj(thens)):
                self.warn("W614", "the `then` branch of this `if` is never taken",
                          branch.span, *where)
            elif branch.orelse.stmts and not self.possible(lg.disj(elses)):
                self.warn("W614", "the `else` branch of this `if` is never taken",
                          branch.span, *where)

    def _invariant(self, prop: ir.Property) -> None:
        holds = self.system.holds(prop, self.state)
        if not self.possible(self.logic.neg(holds)):
            self.warn("W611", f"invariant {prop.name} holds in every type-correct state "
                      "(a tautology): it checks nothing", prop.span)
        elif not self.possible(holds):
            self.warn("W612", f"invariant {prop.name} holds in no state (a contradiction)",
                      prop.span)


def _site(sites: dict[int, Span], stmt: ir.Require | ir.If, action: ir.Action) -> list[Note]:
    span = sites.get(id(stmt))
    return [] if span is None else [Note(f"{CALL_SITE} {action.name}", span)]


def call_sites(body: ir.Block) -> dict[int, Span]:
    """For each `require` and `if` inside a call in `body` (by identity), the span of the
    outermost call: the call written in the action's own body."""
    return {id(stmt): site for stmt, site in _statements(body, None)
            if site is not None and isinstance(stmt, (ir.Require, ir.If))}


def _statements(block: ir.Block, site: Span | None) -> Iterator[tuple[ir.Stmt, Span | None]]:
    for stmt in block.stmts:
        yield stmt, site
        match stmt:
            case ir.If(then=then, orelse=orelse):
                yield from _statements(then, site)
                yield from _statements(orelse, site)
            case ir.For(body=inner) | ir.Choose(body=inner):
                yield from _statements(inner, site)
            case ir.Block():
                yield from _statements(stmt, site)
            case ir.Inlined(body=inner):
                yield from _statements(inner, site or stmt.span)
            case ir.Require() | ir.Assert() | ir.Let() | ir.Assign() | ir.Delete() | \
                    ir.Send():
                pass
            case _:
                assert_never(stmt)


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
