"""Driving an implementation in lockstep with the spec (the adapter contract, docs/fuzzing.md).

An implementation is given as `MODULE:FACTORY`; `FACTORY(**constants)` (or `FACTORY()` if it
takes no arguments) returns an object with
- one method per spec action, with the action's name and its parameters as keyword arguments
  (`fault(n=1, v=0)`), called only when the spec says the instance is enabled;
- `observe()`, returning a partial state: a dict keyed by names of spec variables or of views
  (parameterless `fun`s of the spec) with plain Python values: bool and int (nodes, frames),
  enum members as their names, tuples (or lists) for tuples and sequences, dicts with field
  names for records, sets for sets, dicts for maps, None for `none`.
After every step the observation is compared with the model; the first difference, or an
exception raised by the implementation (any: `sys.exit()` too; only KeyboardInterrupt is taken
for the user's Ctrl-C), is a divergence naming the step.  A module that cannot be imported, a
factory that cannot build an implementation, a missing method or an `observe()` that returns
no dict is bad input (E006, exit 2), found by `Conformance.probe` before fuzzing.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable
from typing import Any, assert_never

from numaspec.checker.fuzz.machine import SpecFailure
from numaspec.model.machine import Instance, Model, State
from numaspec.spec.diagnostics import SpecError, fail
from numaspec.spec.ir import types as t


def load_factory(reference: str) -> Callable[..., Any]:
    """The factory named by `MODULE:FACTORY` (the working directory is importable)."""
    module_name, _, factory_name = reference.partition(":")
    if not module_name or not factory_name:
        raise fail("E004", f"--impl {reference}: expected MODULE:FACTORY, e.g. "
                   "examples.pager_impl:correct", None)
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")
    try:
        module = importlib.import_module(module_name)
    except (Exception, SystemExit) as err:  # an import error, or the module's own failure
        raise fail("E006", f"--impl {reference}: cannot import {module_name}: "
                   f"{_described(err)}", None) from None
    factory = getattr(module, factory_name, None)
    if not callable(factory):
        raise fail("E006", f"--impl {reference}: {module_name} has no factory "
                   f"{factory_name}", None)
    return factory  # type: ignore[no-any-return]


def _described(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


def _refused(reference: str, message: str) -> SpecError:
    return fail("E006", f"--impl {reference}: {message} (the adapter contract: "
                "docs/fuzzing.md)", None)


def plain(value: Any, typ: t.Type) -> Any:
    """A model value in the plain Python form of the adapter contract."""
    match typ:
        case t.BoolType() | t.IntType() | t.NodeType() | t.FrameType():
            return value
        case t.EnumType(members=members):
            return members[value]
        case t.TupleType(items=items):
            return tuple(plain(v, i) for v, i in zip(value, items, strict=True))
        case t.RecordType(fields=fields):
            return {n: plain(v, f) for v, (n, f) in zip(value, fields, strict=True)}
        case t.OptionType(inner=inner):
            return None if value is None else plain(value, inner)
        case t.SetType(elem=elem):
            return frozenset(plain(v, elem) for v in value)
        case t.MapType(key=key, value=val):
            return {plain(k, key): plain(v, val) for k, v in value.items()}
        case t.SeqType(elem=elem):
            return tuple(plain(v, elem) for v in value)
        case t.EmptyCollectionType() | t.NoneType():
            return value
        case _:
            assert_never(typ)


def normalise(value: Any) -> Any:
    """An observed value with lists as tuples and sets as frozensets, recursively."""
    if isinstance(value, (list, tuple)):
        return tuple(normalise(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(normalise(v) for v in value)
    if isinstance(value, dict):
        return {normalise(k): normalise(v) for k, v in value.items()}
    return value


class Conformance:
    """Creates one implementation per run and checks it step by step."""

    def __init__(self, model: Model, factory: Callable[..., Any], reference: str):
        self.model, self.factory, self.reference = model, factory, reference
        spec = model.spec
        self.types = {v.name: v.type for v in spec.variables}
        self.views = {p.name: p for p in spec.views}
        self.constants = {"nodes": spec.topology.nodes,
                          "frames_per_node": spec.topology.frames_per_node,
                          **{name.lower(): value for name, (value, _) in spec.constants.items()
                             if "." not in name and isinstance(value, int)}}

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments the factory is called with (those it accepts)."""
        try:
            parameters = inspect.signature(self.factory).parameters
        except (TypeError, ValueError):
            return {}  # a built-in without a signature: called without arguments
        if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            return dict(self.constants)  # `**constants` accepts them all
        return {k: v for k, v in self.constants.items() if k in parameters}

    def start(self) -> _Lockstep:
        """A new implementation (one per run).  Raises SpecError (E006) if the factory
        cannot build one: it needs arguments the spec has no constant for, or raises."""
        kwargs = self.arguments()
        try:
            return _Lockstep(self, self.factory(**kwargs))
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # noqa: BLE001 - anything the factory raises is its fault
            raise _refused(self.reference, f"the factory raised {_described(err)} (it is "
                           f"given {', '.join(sorted(kwargs)) or 'no arguments'})") from None

    def probe(self) -> None:
        """Build one implementation and check its shape before fuzzing: a method per action
        and an `observe()` returning a dict.  Raises SpecError (E006) where it does not."""
        impl = self.start().impl
        missing = [a.name for a in self.model.spec.actions
                   if not callable(getattr(impl, a.name, None))]
        if missing:
            raise _refused(self.reference, f"the implementation has no method "
                           f"{missing[0]} for the action {missing[0]}")
        if not callable(getattr(impl, "observe", None)):
            raise _refused(self.reference, "the implementation has no observe() method")
        try:
            observed = impl.observe()
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # noqa: BLE001
            raise _refused(self.reference, f"observe() raised {_described(err)}") from None
        if not isinstance(observed, dict):
            raise _refused(self.reference, f"observe() returned {type(observed).__name__}, "
                           "not a dict of variables and views")

    def expected(self, name: str, state: State) -> tuple[bool, Any]:
        """(known, value) of a variable or view in `state`, in plain form."""
        if name in self.types:
            index = self.model.names.index(name)
            return True, plain(state[index], self.types[name])
        view = self.views.get(name)
        if view is None:
            return False, None
        value = self.model.exprs.compile(view.expr)(state, [None] * view.locals_count)
        return True, plain(value, view.expr.type)


class _Lockstep:
    def __init__(self, conformance: Conformance, impl: Any):
        self.conformance, self.impl = conformance, impl

    def step(self, instance: Instance, before: State, outcomes: list[State], number: int) -> State:
        """Apply `instance` to the implementation; the model successor it agrees with."""
        name, args, call = self._call(instance)
        try:
            getattr(self.impl, name)(**args)
        except KeyboardInterrupt:  # the user's Ctrl-C
            raise
        except BaseException as err:  # noqa: BLE001 - also sys.exit(): a failure of the step
            raise SpecFailure("divergence", f"step {number}: {call} raised "
                              f"{_described(err)}", failing=instance) from None
        observed = self._observe(f"step {number}: after {call}", instance)
        mismatches = []
        for candidate in outcomes:
            mismatches = self._differences(observed, candidate)
            if not mismatches:
                return candidate
        raise SpecFailure("divergence", f"step {number}: after {call} the implementation "
                          f"differs from the spec: {mismatches[0]}", failing=instance)

    def initial(self, states: list[State]) -> list[State]:
        """The initial states of the spec that the implementation's first observation
        agrees with; a divergence at step 0 if there is none."""
        observed = self._observe("step 0: initially", None)
        agreeing = [s for s in states if not self._differences(observed, s)]
        if not agreeing:
            raise SpecFailure("divergence", "step 0: the implementation starts in none of the "
                              f"spec's initial states: {self._differences(observed, states[0])[0]}")
        return agreeing

    def _observe(self, when: str, instance: Instance | None) -> dict[Any, Any]:
        """`observe()`, normalised; a divergence if it raises or returns no dict."""
        try:
            observed = self.impl.observe()
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # noqa: BLE001
            raise SpecFailure("divergence", f"{when}, observe() raised {_described(err)}",
                              failing=instance) from None
        if not isinstance(observed, dict):
            raise SpecFailure("divergence", f"{when}, observe() returned "
                              f"{type(observed).__name__}, not a dict", failing=instance)
        return normalise(observed)  # type: ignore[no-any-return]

    def refuse(self, instance: Instance, state: State, number: int) -> None:
        """Offer a disabled instance: the implementation must raise and change nothing."""
        name, args, call = self._call(instance)
        try:
            getattr(self.impl, name)(**args)
        except KeyboardInterrupt:
            raise
        except Exception:  # a refusal, as the contract asks
            changed = self._differences(self._observe(f"step {number}: refusing {call}",
                                                      instance), state)
            if changed:
                raise SpecFailure("divergence", f"step {number}: refusing {call} changed the "
                                  f"implementation: {changed[0]}", failing=instance) from None
            return
        except BaseException as err:  # noqa: BLE001 - sys.exit() is no refusal
            raise SpecFailure("divergence", f"step {number}: offered {call}, which the spec "
                              f"does not allow, the implementation raised {_described(err)}",
                              failing=instance) from None
        raise SpecFailure("divergence", f"step {number}: the spec does not allow {call} here, "
                          "but the implementation accepted it", failing=instance)

    def _call(self, instance: Instance) -> tuple[str, dict[str, Any], str]:
        """The method name, its keyword arguments (plain values) and the call as text."""
        model = self.conformance.model
        name = model.action_name(instance)
        args = {p.name: plain(v, p.type) for p, v in zip(model.params(instance),
                                                         instance.args, strict=True)}
        return name, args, f"{name}({', '.join(f'{k}={v!r}' for k, v in args.items())})"

    def _differences(self, observed: dict[Any, Any], state: State) -> list[str]:
        found = []
        for key, value in observed.items():
            known, expected = self.conformance.expected(str(key), state)
            if not known:
                found.append(f"observe() reports {key!r}, which is neither a variable nor a "
                             "view of the spec")
            elif normalise(expected) != value:
                found.append(f"{key}: the spec has {expected!r}, the implementation "
                             f"{value!r}")
        return found
