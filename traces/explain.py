"""Why candidate states refused an event: the divergence report of `numaspec trace`.

For each candidate state and each action instance the event may be: the node it runs on
differs; or the instance is disabled, and which `require` failed, with the values of its
operands (or which channel was empty); or executing it breaks the spec (assert, overflow);
or it runs, but the state observed after it differs (which variable, and how).  For an
observation: which observed variables or views differ.

Finding the failed `require` re-runs the action body compiled with closures whose `require`s
record the state and locals when they fail (the fast compiled model only says "disabled").
This runs once, on failure, so it costs nothing while a trace conforms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numaspec.model.compile.expr import ExprCompiler
from numaspec.model.compile.stmt import Compiled, Disabled, StmtCompiler, Violation
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.ir.format import format_value
from numaspec.traces.bind import BoundEvent, Check
from numaspec.traces.frontier import Rejection
from numaspec.traces.source_text import span_text

EXPLAINED = 200  # candidates explained; a divergence report counts the others
SHOWN_INSTANCES = 4  # instances explained per candidate; the rest are counted
_VALUE_WIDTH = 80


@dataclass
class Reason:
    instance: str | None  # `fault(n=1, v=0)`; None for an observation
    kind: str  # node | disabled | violation | post | observation
    message: str
    key: str  # what it is about (the require's span, the variable): for summaries


@dataclass
class CandidateReport:
    hidden: list[str]  # hidden steps that led to this candidate since the last event
    reasons: list[Reason] = field(default_factory=list)
    unexplained: int = 0  # instances not explained (beyond SHOWN_INSTANCES)


def explain(model: Model, rejection: Rejection,
            sources: dict[str, str]) -> list[CandidateReport]:
    """One report per candidate of the rejection (the first EXPLAINED), in frontier order;
    `sources` (the spec's files) let the report quote the failed `require`s."""
    why = _Why(model, sources)
    reports = []
    for number, (state, candidate) in enumerate(rejection.candidates.items()):
        if number == EXPLAINED:
            break
        report = CandidateReport([why.describe(i) for i in candidate.hidden])
        if rejection.event is not None:
            instances = rejection.event.instances
            for instance in instances[:SHOWN_INSTANCES]:
                report.reasons += why.event(state, instance, rejection.event)
            report.unexplained = max(len(instances) - SHOWN_INSTANCES, 0)
        else:
            assert rejection.observation is not None
            report.reasons += why.observed(state, rejection.observation.checks, None)
        reports.append(report)
    return reports


class _Recording(StmtCompiler):
    """Action bodies whose failed `require`s record (require, state, locals)."""

    def __init__(self, exprs: ExprCompiler):
        super().__init__(exprs)
        self.failures: list[tuple[ir.Require, tuple[Any, ...], list[Any]]] = []

    def stmt(self, stmt: ir.Stmt) -> Compiled:
        if not isinstance(stmt, ir.Require):
            return super().stmt(stmt)
        cond, failures = self.exprs.compile(stmt.cond), self.failures

        def require(st: list[Any], env: list[Any]) -> None:
            if not cond(st, env):
                failures.append((stmt, tuple(st), list(env)))
                raise Disabled

        return False, require


class _Why:
    def __init__(self, model: Model, sources: dict[str, str]):
        self.model, self.sources = model, sources
        self.recording = _Recording(ExprCompiler(model.spec))
        self.bodies: dict[int, Compiled] = {}

    def describe(self, instance: Instance) -> str:
        from numaspec.model.render import describe_instance

        return describe_instance(self.model, instance)

    def event(self, state: State, instance: Instance, event: BoundEvent) -> list[Reason]:
        name = self.describe(instance)
        if event.node is not None:
            node = self.model.node_of(state, instance)
            if node != event.node:
                return [Reason(name, "node", f"runs on node {node}, the event says node "
                               f"{event.node}", "node")]
        try:
            nexts = self.model.execute(state, instance)
        except StepViolation as err:
            where = f" ({err.violation.span})" if err.violation.span else ""
            return [Reason(name, "violation", f"breaks the spec: {err.violation.message}"
                           f"{where}", f"violation {err.violation.span}")]
        if not nexts:
            return self.disabled(state, instance, name)
        reasons: list[Reason] = []
        for nxt in nexts:
            reasons += self.observed(nxt, event.post, name)
        return reasons

    # ------------------------------------------------------------ disabled
    def disabled(self, state: State, instance: Instance, name: str) -> list[Reason]:
        action = self.model.spec.actions[instance.action]
        env: list[Any] = [None] * max(action.locals_count, 1)
        for param, value in zip(action.params, instance.args, strict=True):
            env[param.slot] = value
        st = list(state)
        receive = self.model.actions[instance.action].receive
        if receive is not None and not receive(st, env):
            return [Reason(name, "disabled", f"is disabled: {self._channel(action, state, env)}"
                           " is empty, there is nothing to receive", f"empty {action.name}")]
        self.recording.failures.clear()
        try:
            self._body(instance.action, action)[1](st, env)
        except (Disabled, Violation, EvalError):
            pass
        failures = self.recording.failures
        if not failures:
            return [Reason(name, "disabled", "is disabled: no value satisfies a `choose`",
                           "choose")]
        return [Reason(name, "disabled", "is disabled: " + self._require(*failure),
                       f"require {failure[0].span}") for failure in failures]

    def _body(self, number: int, action: ir.Action) -> Compiled:
        if number not in self.bodies:
            self.bodies[number] = self.recording.block(action.body)
        return self.bodies[number]

    def _channel(self, action: ir.Action, state: State, env: list[Any]) -> str:
        receive = action.receive
        assert receive is not None
        if receive.index is None:
            return f"channel {receive.channel}"
        index = self.recording.exprs.compile(receive.index)(state, env)
        return f"channel {receive.channel}[{format_value(index, receive.index.type)}]"

    def _require(self, stmt: ir.Require, st: tuple[Any, ...], env: list[Any]) -> str:
        text = span_text(self.sources, stmt.span) or "require ..."
        facts: list[tuple[str, str]] = []
        for operand in _operands(stmt.cond):
            label = span_text(self.sources, _span(operand))
            if label is None or label in (f for f, _ in facts):
                continue
            facts.append((label, self._value(operand, st, env)))
        shown = ", ".join(f"{label} = {value}" for label, value in facts)
        return f"`{text}` is false ({stmt.span})" + (f": {shown}" if shown else "")

    def _value(self, expr: ir.Expr, st: tuple[Any, ...], env: list[Any]) -> str:
        try:
            value = self.recording.exprs.compile(expr)(st, list(env))
        except EvalError as err:
            return f"(cannot be evaluated: {err.message})"
        return clip(format_value(value, expr.type))

    # ------------------------------------------------------- observations
    def observed(self, state: State, checks: tuple[Check, ...], name: str | None) -> list[Reason]:
        reasons = []
        for check in checks:
            actual = check.read(state)
            if actual != check.value:
                after = "leads to another state than the trace's: " if name else ""
                reasons.append(Reason(name, "post" if name else "observation",
                                      after + difference(check, actual), check.name))
        return reasons


def difference(check: Check, actual: Any) -> str:
    """`global_map: the spec has {0 -> 1}, the trace {0 -> 2} (they differ at 0)`."""
    typ = check.type
    text = (f"{check.name}: the spec has {clip(format_value(actual, typ))}, the trace says "
            f"{clip(format_value(check.value, typ))}")
    if isinstance(actual, dict) and isinstance(check.value, dict):
        keys = [k for k in set(actual) | set(check.value) if actual.get(k, _NO)
                != check.value.get(k, _NO)]
        key_type = typ.key  # type: ignore[union-attr]
        shown = ", ".join(format_value(k, key_type) for k in sorted(keys, key=repr)[:3])
        text += f" (they differ at {shown}{', ...' if len(keys) > 3 else ''})"
    return text


_NO = object()


def clip(text: str) -> str:
    return text if len(text) <= _VALUE_WIDTH else text[:_VALUE_WIDTH - 3] + "..."


def _operands(expr: ir.Expr) -> list[ir.Expr]:
    """The parts of a condition worth showing the values of."""
    match expr:
        case ir.Unary(op="not", operand=operand):
            return _operands(operand)
        case ir.Binary(op="and" | "or" | "implies", left=left, right=right):
            return _operands(left) + _operands(right)
        case ir.Binary(left=left, right=right):
            return [e for e in (left, right) if not isinstance(e, ir.Const)]
        case ir.Const():
            return []
        case _:
            return [expr]


def _span(expr: ir.Expr) -> Any:
    return getattr(expr, "span", None)
