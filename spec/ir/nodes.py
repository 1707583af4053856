"""The engine-neutral IR: the contract between the front end and every engine.

Everything here is resolved and typed: names are state variables (`StateRef`), locals
(`LocalRef`, numbered slots unique within one action, property or initialiser) or folded
constants (`Const`); every expression carries its `Type`; procedures and functions are inlined
(`Inlined` statements and `LetIn` expressions keep the call visible for cost accounting and
messages).  Channels are state variables of type `Seq[T, cap]` (or `Map[I, Seq[T, cap]]` when
indexed, every index present).  All nodes are frozen and carry a source span.

Semantics (docs/language.md has the full text):
- an action instance is one atomic step; `Require` false anywhere = the instance is disabled;
- statements run in order; `For` iterates its domain in ascending value order;
- `Choose` branches over every value of its domain that satisfies `where` (none = disabled);
- `Assert` false, an assignment out of the target type's domain, a lookup of an absent key,
  `unwrap(none)`, `min` of an empty set and channel overflow are violations of the spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numaspec.spec.ir.expressions import (  # noqa: F401 (re-exported)
    Binary,
    Binding,
    BinOp,
    Builtin,
    Comprehension,
    Const,
    Domain,
    Expr,
    IfThenElse,
    LetIn,
    Local,
    LocalRef,
    Lookup,
    MakeMap,
    MakeSet,
    MakeTuple,
    Project,
    Quantifier,
    SetDomain,
    SomeOf,
    StateRef,
    TypeDomain,
    Unary,
    UnaryOp,
)
from numaspec.spec.ir.statements import (  # noqa: F401 (re-exported)
    Assert,
    Assign,
    Block,
    Choose,
    Delete,
    For,
    If,
    Inlined,
    KeyStep,
    Let,
    PathStep,
    ProjectStep,
    Require,
    Send,
    Stmt,
    Target,
)
from numaspec.spec.ir.types import Type
from numaspec.spec.span import Span

# ------------------------------------------------------------------- the spec


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a variable's data lives: `keys` bind the successive map-key levels."""

    keys: tuple[Local, ...]
    node: Expr
    span: Span
    locals_count: int = 1


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    index: Type | None
    message: Type
    capacity: int


@dataclass(frozen=True, slots=True)
class StateVar:
    name: str
    type: Type
    initial: Any
    placement: Placement | None
    span: Span
    channel: ChannelInfo | None = None


@dataclass(frozen=True, slots=True)
class Receive:
    channel: str
    index: Expr | None
    message: Local
    span: Span


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    params: tuple[Local, ...]
    on: Expr | None
    receive: Receive | None
    body: Block
    annotations: frozenset[str]
    locals_count: int
    span: Span


@dataclass(frozen=True, slots=True)
class Property:
    """An invariant, reachability goal or final-state predicate (a state predicate)."""

    name: str
    expr: Expr
    annotations: frozenset[str]
    locals_count: int
    span: Span


@dataclass(frozen=True, slots=True)
class LeadsTo:
    """`forall bindings: premise leads_to conclusion`, under weak fairness of `Spec.fair`."""

    name: str
    bindings: tuple[Binding, ...]
    premise: Expr
    conclusion: Expr
    locals_count: int
    span: Span


@dataclass(frozen=True, slots=True)
class Weight:
    """The weight of each instance of `action`: `expr` over its parameters and the state."""

    action: str
    params: tuple[Local, ...]
    expr: Expr
    locals_count: int
    span: Span


@dataclass(frozen=True, slots=True)
class Workload:
    """Relative likelihoods of action instances for random walks; unlisted actions weigh 1."""

    name: str
    weights: tuple[Weight, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Topology:
    """The machine.  `cpuless` nodes have memory but no CPU (a CXL memory expander, HBM):
    no pager or thread runs there; `memoryless` nodes have CPUs but no memory: no frame of
    theirs is in a binder over `Frame` or in `frames_of`.  Specs ask with `has_cpus(n)` and
    `has_memory(n)`.  Elaboration lowers all of it to constants and guards
    (spec/elaborate/calls.py, heterogeneous.py), so engines need nothing of their own."""

    nodes: int
    frames_per_node: int
    distance: tuple[tuple[int, ...], ...]
    span: Span | None
    cpuless: frozenset[int] = frozenset()
    memoryless: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Spec:
    """A whole spec; `kind` is "module" when a library was compiled on its own."""

    name: str
    path: str
    topology: Topology
    constants: dict[str, tuple[Any, Type]]
    types: dict[str, Type]
    variables: tuple[StateVar, ...]
    init: Block | None
    init_locals: int
    actions: tuple[Action, ...]
    invariants: tuple[Property, ...]
    reachables: tuple[Property, ...]
    finals: tuple[Property, ...]
    liveness: tuple[LeadsTo, ...]
    fair: tuple[str, ...]
    symmetric: tuple[str, ...]
    kernels: tuple[str, ...]
    modules: tuple[str, ...] = field(default=())
    kind: str = "spec"
    workloads: tuple[Workload, ...] = ()
    views: tuple[Property, ...] = ()  # parameterless `fun`s: named expressions over the state

    def variable(self, name: str) -> StateVar:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)

    def action(self, name: str) -> Action:
        for action in self.actions:
            if action.name == name:
                return action
        raise KeyError(name)
