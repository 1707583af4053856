"""Exhaustive explicit-state search for safety: breadth-first (shortest counterexamples) or
depth-first (smaller frontier), over fingerprints.

Each distinct state (or orbit, under symmetry) is stored as a 64-bit fingerprint in a set, plus
three compact array entries: the index of its parent, the instance that led to it and which
outcome of that instance it was.  Full states live only in the frontier.  A counterexample is
rebuilt from the parent links and re-executed from its initial state, so it is always a run of
the model (and is replayed once more before it is reported).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from array import array
from collections import deque

from numaspec.checker.explicit.symmetry import Symmetry, checked_group, plain_fingerprint
from numaspec.checker.results import CheckOptions, CheckResult, Stats
from numaspec.model.findings import (
    Finding,
    Step,
    Trace,
    deadlock_finding,
    invariant_finding,
    replay,
    step_finding,
)
from numaspec.model.machine import Model, State, StepViolation
from numaspec.model.outcome import LimitReached, Progress
from numaspec.spec.diagnostics import Diagnostic
from numaspec.spec.ir import nodes as ir

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096



def rss_mb() -> float:
    """Current resident memory in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE / 1e6
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


class SafetySearch:
    def __init__(self, model: Model, options: CheckOptions,
                 progress: Progress[Stats] | None = None):
        self.model, self.options, self.progress = model, options, progress
        spec = model.spec
        use_symmetry = options.symmetry and bool(spec.symmetric)
        self.symmetry = self._symmetry(spec) if use_symmetry else None
        self.fingerprint = self.symmetry.fingerprint if self.symmetry else plain_fingerprint
        self.seen: set[int] = set()
        # 4 bytes each: a search holds far fewer than 2^31 states (10 bytes in all per state)
        self.parent, self.via, self.outcome = array("i"), array("i"), array("H")
        self.initial = model.initial_states()
        self.stats = Stats(symmetry_group=self.symmetry.size if self.symmetry else 1)
        self.unwitnessed = list(spec.reachables)
        self.start = time.perf_counter()
        self.expanded = 0
        self.deadlock: Finding | None = None

    def _symmetry(self, spec: ir.Spec) -> Symmetry:
        """The reduction this search fingerprints with: the interpreted search takes the
        least hash over the group's images, memoised per variable value (docs/explicit.md:
        one state at a time, a normal form would cost more than the memo lookups)."""
        return Symmetry(spec, checked_group(spec))

    # ------------------------------------------------------------------ search
    def run(self) -> CheckResult:
        try:
            found = self._search()
        except LimitReached as stop:
            return self._result("limit", None, str(stop))
        except KeyboardInterrupt:
            return self._result("limit", None, "interrupted")
        except MemoryError:
            return self._result("limit", None, "out of memory (try --max-memory)")
        return self._result("violated" if found else "holds", found)

    def _search(self) -> Finding | None:
        """The first violation, or None when every state was explored (raises LimitReached)."""
        frontier: deque[tuple[int, State, int]] = deque()
        for number, state in enumerate(self.initial):
            found = self._discover(state, -1, number, 0, frontier, 0)
            if found:
                return found
        return self._explore(frontier)

    def pending_deadlock(self) -> Finding | None:
        """A deadlock found by a search that otherwise holds (checked after liveness)."""
        if self.deadlock is not None:
            replay(self.model, self.deadlock)
        return self.deadlock

    def _explore(self, frontier: deque[tuple[int, State, int]]) -> Finding | None:
        take = frontier.popleft if self.options.engine == "bfs" else frontier.pop
        model, instances = self.model, self.model.instances
        while frontier:
            index, state, depth = take()
            self.stats.depth = max(self.stats.depth, depth)
            self.expanded += 1
            if self.expanded % 1024 == 0:
                self.check_limits()
            enabled = False
            for number, instance in enumerate(instances):
                try:
                    outcomes = model.execute(state, instance)
                except StepViolation as err:
                    return self._step_violation(err, index)
                if outcomes:
                    enabled = True
                    self.stats.coverage[model.action_name(instance)] += len(outcomes)
                for k, nxt in enumerate(outcomes):
                    self.stats.transitions += 1
                    found = self._discover(nxt, index, number, k, frontier, depth + 1, state)
                    if found:
                        return found
            if not enabled and self.deadlock is None:
                # Reported only if nothing else is: a deadlocked state that also violates a
                # liveness property is better explained by that property.
                self.deadlock = self._deadlock(state, index)
        return None

    def _discover(self, state: State, parent: int, via: int, outcome: int,
                  frontier: deque[tuple[int, State, int]], depth: int,
                  parent_state: State | None = None) -> Finding | None:
        fingerprint = self.fingerprint(state)
        if fingerprint in self.seen:
            return None
        self.seen.add(fingerprint)
        index = len(self.parent)
        self.parent.append(parent)
        self.via.append(via)
        try:
            self.outcome.append(outcome)
        except OverflowError:
            # 2 bytes per state hold the outcome number of almost every action; one with
            # more than 65,535 outcomes (a wide `choose`) widens the array once.
            self.outcome = array("l", self.outcome)
            self.outcome.append(outcome)
        self.stats.distinct_states += 1
        if self.stats.distinct_states == self.options.max_states:
            raise LimitReached(f"--max-states {self.options.max_states}")
        if self.unwitnessed:
            self.unwitnessed = [p for p in self.unwitnessed if not self.model.holds(p, state)]
        violated = self.model.violated_invariant(state, parent_state)
        if violated is not None:
            return invariant_finding(*violated, self.trace_to(index))
        frontier.append((index, state, depth))
        return None

    def _deadlock(self, state: State, index: int) -> Finding | None:
        if not self.options.deadlock:
            return None
        if any(self.model.holds(p, state) for p in self.model.spec.finals):
            return None
        return deadlock_finding(self.trace_to(index))

    def _step_violation(self, err: StepViolation, index: int) -> Finding:
        return step_finding(err, self.trace_to(index))

    def check_limits(self) -> None:
        options, stats = self.options, self.stats
        now = time.perf_counter()
        elapsed = now - self.start
        if options.max_states is not None and stats.distinct_states >= options.max_states:
            raise LimitReached(f"--max-states {options.max_states}")
        clock = now - (self.start if options.started is None else options.started)
        if options.timeout is not None and clock >= options.timeout:
            raise LimitReached(f"--timeout {options.timeout:g} s")
        if options.max_memory_mb is not None and rss_mb() >= options.max_memory_mb:
            raise LimitReached(f"--max-memory {options.max_memory_mb} MB")
        if self.progress is not None:
            stats.seconds = elapsed
            self.progress(stats)

    # ---------------------------------------------------------------- traces
    def trace_to(self, index: int) -> Trace:
        """The run from an initial state to the state stored at `index`, re-executed."""
        path = []
        while self.parent[index] != -1:
            path.append((self.via[index], self.outcome[index]))
            index = self.parent[index]
        state = self.initial[self.via[index]]
        initial, steps = state, []
        for via, outcome in reversed(path):
            instance = self.model.instances[via]
            state = self.model.execute(state, instance)[outcome]
            steps.append(Step(instance, state))
        return Trace(initial, tuple(steps))

    def _result(self, verdict: str, finding: Finding | None,
                stopped_by: str | None = None) -> CheckResult:
        stats = self.stats
        stats.seconds = time.perf_counter() - self.start
        stats.peak_memory_mb = peak_mb()
        stats.store_bytes_per_state = self._store_bytes() / max(stats.distinct_states, 1)
        if finding is not None:
            replay(self.model, finding)
        result = CheckResult(verdict, finding, stats, stopped_by=stopped_by)  # type: ignore[arg-type]
        if verdict == "holds":
            result.warnings += self._warnings()
        return result

    def _store_bytes(self) -> int:
        """Bytes of the structures kept per stored state (fingerprints, parent links)."""
        # A fingerprint is a Python int; most 64-bit hashes need three 30-bit digits
        # (36 bytes), which pymalloc rounds up to 40.
        per_int = -(-sys.getsizeof(2**62) // 8) * 8
        return sys.getsizeof(self.seen) + per_int * len(self.seen) + sum(
            a.itemsize * len(a) for a in (self.parent, self.via, self.outcome))

    def _warnings(self) -> list[Diagnostic]:
        out = [Diagnostic("W701", f"reachable {p.name} was never reached: the spec may be "
                          "vacuous", p.span, "warning") for p in self.unwitnessed]
        for action in self.model.spec.actions:
            if self.stats.coverage[action.name] == 0:
                out.append(Diagnostic("W702", f"action {action.name} never fired: it may be "
                                      "dead", action.span, "warning"))
        return out


def check_safety(spec: ir.Spec, options: CheckOptions,
                 progress: Progress[Stats] | None = None) -> CheckResult:
    return SafetySearch(Model(spec), options, progress).run()
