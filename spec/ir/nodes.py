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
from typing import Any, Literal

from numaspec.spec.ir.types import Type
from numaspec.spec.span import Span

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Local:
    """A parameter, `let`, bound or loop variable; `slot` is unique within its context."""

    name: str
    slot: int
    type: Type


@dataclass(frozen=True, slots=True)
class Const:
    value: Any
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class StateRef:
    var: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class LocalRef:
    local: Local
    type: Type
    span: Span


UnaryOp = Literal["not", "neg"]
BinOp = Literal[
    "and", "or", "implies", "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "div",
    "mod", "member", "has_key", "union", "diff", "inter", "subseteq", "subset",
]


@dataclass(frozen=True, slots=True)
class Unary:
    op: UnaryOp
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Binary:
    """`member`: element of a set or sequence; `has_key`: key of a map."""

    op: BinOp
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class IfThenElse:
    cond: Expr
    then: Expr
    orelse: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class TypeDomain:
    """Every value of a finite type, in ascending order."""

    type: Type


@dataclass(frozen=True, slots=True)
class SetDomain:
    """The elements of a set-valued expression, in ascending order."""

    set: Expr


Domain = TypeDomain | SetDomain


@dataclass(frozen=True, slots=True)
class Binding:
    local: Local
    domain: Domain


@dataclass(frozen=True, slots=True)
class Quantifier:
    kind: Literal["forall", "exists"]
    bindings: tuple[Binding, ...]
    where: Expr | None
    body: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Comprehension:
    """filter: {x | P} (one binding); image: {element | bindings, P}; map: {x -> element}."""

    kind: Literal["filter", "image", "map"]
    bindings: tuple[Binding, ...]
    where: Expr | None
    element: Expr | None
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Lookup:
    """`m[k]` of a map (the key must be present) or `s[i]` of a sequence (0-based)."""

    base: Expr
    key: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Project:
    """Component `index` of a tuple or record (records are tuples, fields sorted by name)."""

    base: Expr
    index: int
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class SomeOf:
    """The implicit conversion of a `T` to `T?` (a no-op on runtime values)."""

    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Builtin:
    """A built-in function; the names are in spec/elaborate/symbols.py, the signatures in
    spec/elaborate/calls.py."""

    name: str
    args: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class MakeTuple:
    """A tuple, record (fields sorted by name) or sequence literal, by `type`."""

    items: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class MakeSet:
    items: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class MakeMap:
    entries: tuple[tuple[Expr, Expr], ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class LetIn:
    """`let local = value in body`: from inlining a `fun` (its name kept for messages)."""

    local: Local
    value: Expr
    body: Expr
    type: Type
    span: Span
    origin: str = ""


Expr = (
    Const | StateRef | LocalRef | Unary | Binary | IfThenElse | Quantifier | Comprehension
    | Lookup | Project | SomeOf | Builtin | MakeTuple | MakeSet | MakeMap | LetIn
)

# ----------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class KeyStep:
    key: Expr


@dataclass(frozen=True, slots=True)
class ProjectStep:
    index: int


PathStep = KeyStep | ProjectStep


@dataclass(frozen=True, slots=True)
class Target:
    """An assignable place: a state variable and a path of map keys / record fields into it."""

    var: str
    path: tuple[PathStep, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Require:
    cond: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Assert:
    cond: Expr
    message: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Let:
    local: Local
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Assign:
    target: Target
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Delete:
    """Remove `key` from the map at `target` (nothing happens if it is absent)."""

    target: Target
    key: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class If:
    cond: Expr
    then: Block
    orelse: Block
    span: Span


@dataclass(frozen=True, slots=True)
class For:
    bindings: tuple[Binding, ...]
    where: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Choose:
    bindings: tuple[Binding, ...]
    where: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Send:
    """Append `value` to channel `channel` (at `index` if the channel is indexed)."""

    channel: str
    index: Expr | None
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Inlined:
    """The body of a called `proc` or `kernel`, its arguments bound by leading `Let`s."""

    callee: str
    kernel: bool
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    span: Span


Stmt = Require | Assert | Let | Assign | Delete | If | For | Choose | Send | Inlined | Block

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
    nodes: int
    frames_per_node: int
    distance: tuple[tuple[int, ...], ...]
    span: Span | None


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
