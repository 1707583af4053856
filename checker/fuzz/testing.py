"""The pytest integration: `spec_test` (a test class) and `conforms` (a check run at once).

Both behave like Hypothesis under pytest: the settings are those of the active profile
(`--hypothesis-profile`, `settings.load_profile`) or of the `settings` object given, and
numaspec's own preferences (no deadline, no health checks, no explain phase, one failure
instead of a group, no blob) apply only to the fields left at Hypothesis's built-in default.
A failure is reported as a numaspec counterexample followed by a runnable reproduction: the
implementation's calls as Python (with `impl`), or the `numaspec check` command (without).

`impl` is a factory (any callable returning an implementation, docs/fuzzing.md) or a
`"module:factory"` string; `spec` is a path or the name of a bundled spec (`"pernode"`).
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from numaspec.checker.fuzz.conformance import Conformance, load_factory, plain
from numaspec.checker.fuzz.machine import Reproduce, Run, SpecFailure, build_machine
from numaspec.model.machine import Instance, Model
from numaspec.spec.bundled import find
from numaspec.spec.pipeline import compile_spec

Impl = Callable[..., Any] | str | None
SpecPath = str | PathLike[str]

# numaspec's preferences, applied where the user's settings keep Hypothesis's own default
PREFERENCES: dict[str, Any] = {
    "deadline": None, "suppress_health_check": tuple(HealthCheck), "print_blob": False,
    "report_multiple_bugs": False, "phases": tuple(p for p in Phase if p is not Phase.explain),
}


def merged_settings(given: settings | None = None) -> settings:
    """`given` (default: the active profile), with numaspec's preferences for the fields
    that still have Hypothesis's built-in default value."""
    base = given if given is not None else settings.default
    builtin = settings.get_profile("default")
    changes = {name: value for name, value in PREFERENCES.items()
               if _same(getattr(base, name), getattr(builtin, name))}
    return settings(base, **changes)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return tuple(a) == tuple(b)
    return bool(a == b)


def spec_test(spec: SpecPath, impl: Impl = None, defines: tuple[str, ...] = (),
              settings: settings | None = None) -> type:
    """A `unittest.TestCase` class fuzzing the spec (and `impl` in lockstep), for pytest:

        TestP1 = spec_test(numaspec.examples.path("pernode"), impl=pager_impl.correct)

    The settings are computed when the class is made (pytest has loaded the profile by
    then); Hypothesis's example database replays a failure first on the next run."""
    machine = _machine(spec, impl, defines)
    test_case = machine.TestCase
    test_case.settings = merged_settings(settings)
    return test_case  # type: ignore[no-any-return]


def conforms(spec: SpecPath, impl: Impl = None, defines: tuple[str, ...] = (),
             settings: settings | None = None) -> None:
    """Fuzz now (inside a test function); raises SpecFailure, an AssertionError, with the
    counterexample and its reproduction if a property fails or `impl` diverges."""
    run_state_machine_as_test(_machine(spec, impl, defines), settings=merged_settings(settings))


def _machine(spec: SpecPath, impl: Impl, defines: tuple[str, ...]) -> type[RuleBasedStateMachine]:
    path = find(str(spec))
    model = Model(compile_spec(path, list(defines)).spec)
    conformance = None
    if impl is not None:
        factory, reference = resolve_impl(impl)
        conformance = Conformance(model, factory, reference)
    reproduce = _calls(conformance) if conformance else _command(path, defines)
    return build_machine(model, [], True, conformance, reproduce=reproduce)


def resolve_impl(impl: Callable[..., Any] | str) -> tuple[Callable[..., Any], str]:
    """The factory and how to name it (`module:name`).  Raises SpecError (E004, E006)."""
    if isinstance(impl, str):
        return load_factory(impl), impl
    if not callable(impl):
        raise TypeError(f"impl must be a factory or a 'module:factory' string, not "
                        f"{type(impl).__name__}")
    name = getattr(impl, "__qualname__", getattr(impl, "__name__", type(impl).__name__))
    return impl, f"{getattr(impl, '__module__', '?')}:{name}"


def _command(path: str, defines: tuple[str, ...]) -> Reproduce:
    def lines(run: Run, failure: SpecFailure) -> list[str]:
        flags = "".join(f" -D {d}" for d in defines)
        return ["", "reproduce (the explicit checker finds the shortest such trace):",
                f"    numaspec check {path}{flags}"]

    return lines


def _calls(conformance: Conformance) -> Reproduce:
    """The implementation's calls of the failing run, as a Python script."""
    model = conformance.model

    def lines(run: Run, failure: SpecFailure) -> list[str]:
        module, _, name = conformance.reference.partition(":")
        kwargs = ", ".join(f"{k}={v!r}" for k, v in conformance.arguments().items())
        out = ["", "reproduce (the implementation alone, as the fuzzer drove it):",
               f"    from {module} import {name.split('.')[0]}", f"    impl = {name}({kwargs})"]
        instances = [step.instance for step in run.steps]
        if failure.failing is not None and (not instances or failure.failing != instances[-1]):
            instances.append(failure.failing)
        out += [f"    impl.{_call(model, i)}" for i in instances]
        return [*out, "    print(impl.observe())"]

    return lines


def _call(model: Model, instance: Instance) -> str:
    args = ", ".join(f"{p.name}={plain(v, p.type)!r}"
                     for p, v in zip(model.params(instance), instance.args, strict=True))
    return f"{model.action_name(instance)}({args})"


__all__ = ["conforms", "merged_settings", "resolve_impl", "spec_test"]
