"""Every engine on one spec, judged against breadth-first search within its own bounds.

`agree(spec, bounds)` runs interpreted BFS (the reference), the vectorised BFS, DFS, BMC,
k-induction, `simulate` and `fuzz`, and returns the `Disagreement`s: each one is a checker
bug (or a crash, recorded with its exception).  The rules, engine by engine:
- `bfs-vector`, `dfs`: the same verdict as BFS (holds / violated);
- `bmc` (depth d): a violation iff BFS's shortest one has at most d steps; it never claims
  the invariants proved for all depths when BFS finds an invariant violated;
- `prove`: "proved" only if BFS without deadlock checking finds no violation;
- every engine: each counterexample replays through the model, is no longer than the engine's
  bound, and BFS finds a violation too (`simulate` and `fuzz` may miss one, never invent one).
Liveness is not checked (only the explicit engines decide it).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.model.findings import CheckerBug, Finding, replay
from numaspec.model.machine import Model
from numaspec.spec.ir import nodes as ir

ENGINES = ("bfs-vector", "dfs", "bmc", "prove", "simulate", "fuzz")


@dataclass(frozen=True)
class Bounds:
    """How hard each bounded engine tries (small: the corpus runs in the fast suite)."""

    depth: int = 5  # bmc
    k: int = 1  # prove
    walks: int = 10  # simulate
    steps: int = 40  # simulate: per walk
    examples: int = 5  # fuzz
    fuzz_steps: int = 12  # fuzz: per example
    seed: int = 0
    engines: tuple[str, ...] = ENGINES


@dataclass(frozen=True)
class Disagreement:
    engine: str
    problem: str


@dataclass
class Verdicts:
    """What each engine said ("holds", "violated", "limit", "proved", ...), and the problems."""

    reference: str  # BFS: "holds" or the kind of its finding
    shortest: int | None  # the length of BFS's counterexample
    said: dict[str, str] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)


def _bfs(spec: ir.Spec, deadlock: bool = True, vectorise: bool = False,
         engine: str = "bfs") -> Any:
    return check(spec, CheckOptions(engine=engine, liveness=False, deadlock=deadlock,  # type: ignore[arg-type]
                                    vectorise=vectorise))


class _Judge:
    def __init__(self, spec: ir.Spec, bounds: Bounds):
        self.spec, self.bounds, self.model = spec, bounds, Model(spec)
        reference = _bfs(spec)
        self.finding: Finding | None = reference.finding
        self.verdicts = Verdicts(self._name(reference.finding),
                                 len(reference.finding.trace.steps) if reference.finding
                                 else None)

    @staticmethod
    def _name(finding: Finding | None) -> str:
        return "holds" if finding is None else finding.kind

    def problem(self, engine: str, text: str) -> None:
        self.verdicts.disagreements.append(Disagreement(engine, text))

    def replays(self, engine: str, finding: Finding, longest: int | None = None) -> bool:
        """Whether `finding` is a real counterexample (within `longest` steps)."""
        try:
            replay(self.model, finding)
        except CheckerBug as err:
            self.problem(engine, f"its {finding.kind} counterexample does not replay: {err}")
            return False
        if longest is not None and len(finding.trace.steps) > longest:
            self.problem(engine, f"a counterexample of {len(finding.trace.steps)} steps, "
                         f"beyond its bound {longest}")
        if self.finding is None:
            self.problem(engine, f"reports a {finding.kind} violation that BFS does not find")
            return False
        return True

    def run(self, engine: str, body: Callable[[], str]) -> None:
        try:
            self.verdicts.said[engine] = body()
        except Exception as err:  # a crash of an engine is a finding of this harness
            self.verdicts.said[engine] = "crash"
            head = traceback.format_exception_only(err)[-1].strip()
            self.problem(engine, f"raised {head}")


def agree(spec: ir.Spec, bounds: Bounds | None = None) -> Verdicts:
    """Every engine of `bounds.engines` on `spec`, judged against BFS (see the module)."""
    bounds = bounds or Bounds()
    judge = _Judge(spec, bounds)
    for engine in bounds.engines:
        judge.run(engine, lambda engine=engine: _ENGINES[engine](judge))  # type: ignore[misc]
    return judge.verdicts


def _explicit(judge: _Judge, vectorise: bool, engine: str, name: str) -> str:
    result = _bfs(judge.spec, vectorise=vectorise, engine=engine)
    said = _Judge._name(result.finding) if result.verdict != "limit" else "limit"
    if (result.finding is None) != (judge.finding is None):
        judge.problem(name, f"says {said}, BFS says {judge.verdicts.reference}")
    elif result.finding is not None:
        judge.replays(name, result.finding)
    return said


def _bmc(judge: _Judge) -> str:
    from numaspec.checker.smt.bmc import BmcOptions, bmc

    depth = judge.bounds.depth
    result = bmc(judge.spec, BmcOptions(depth=depth))
    shortest = judge.verdicts.shortest
    if result.finding is not None:
        judge.replays("bmc", result.finding, depth)
    elif result.verdict == "holds" and shortest is not None and shortest <= depth:
        judge.problem("bmc", f"finds nothing within depth {depth}; BFS finds a "
                      f"{judge.verdicts.reference} violation in {shortest} steps")
    if result.proved_by and judge.finding is not None and judge.finding.kind == "invariant":
        judge.problem("bmc", f"proves the invariants ({result.proved_by}); BFS finds "
                      f"{judge.finding.property} violated")
    return f"{result.verdict} ({result.proved_by})" if result.proved_by else result.verdict


def _prove(judge: _Judge) -> str:
    from numaspec.checker.smt.induction import ProveOptions, prove

    result = prove(judge.spec, ProveOptions(k=judge.bounds.k))
    if result.verdict == "proved":
        safety = _bfs(judge.spec, deadlock=False)
        if safety.finding is not None:
            judge.problem("prove", f"proves every invariant; BFS finds a "
                          f"{safety.finding.kind} violation")
    if result.finding is not None:
        judge.replays("prove", result.finding)
    return result.verdict


def _simulate(judge: _Judge) -> str:
    from numaspec.checker.simulate import SimulateOptions, simulate

    bounds = judge.bounds
    result = simulate(judge.spec, SimulateOptions(steps=bounds.steps, runs=bounds.walks,
                                                  seed=bounds.seed))
    if result.finding is not None:
        judge.replays("simulate", result.finding)
    return _Judge._name(result.finding)


def _fuzz(judge: _Judge) -> str:
    from numaspec.checker.fuzz import FuzzOptions, fuzz

    bounds = judge.bounds
    result = fuzz(judge.spec, FuzzOptions(examples=bounds.examples,
                                          max_steps=bounds.fuzz_steps, seed=bounds.seed))
    if result.finding is not None:
        judge.replays("fuzz", result.finding)
    return _Judge._name(result.finding)


_ENGINES: dict[str, Callable[[_Judge], str]] = {
    "bfs-vector": lambda judge: _explicit(judge, True, "bfs", "bfs-vector"),
    "dfs": lambda judge: _explicit(judge, False, "dfs", "dfs"),
    "bmc": _bmc,
    "prove": _prove,
    "simulate": _simulate,
    "fuzz": _fuzz,
}
