"""The explicit-state engines: `check` runs safety (BFS/DFS, symmetry) then liveness."""

from __future__ import annotations

import time
from collections.abc import Callable

from numaspec.checker.explicit.deadline import Backstop, deadline
from numaspec.checker.explicit.liveness import check_liveness
from numaspec.checker.explicit.quotient import (
    InterpretedQuotient,
    Quotient,
    check_on_quotient,
    obstacle,
)
from numaspec.checker.explicit.search import SafetySearch, peak_mb
from numaspec.checker.explicit.symmetry import checked_group, checked_structure
from numaspec.checker.explicit.vector.hash import FingerprintIndex
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.liveness import check_liveness_vectorised
from numaspec.checker.explicit.vector.quotient import VectorQuotient
from numaspec.checker.explicit.vector.search import VectorSearch
from numaspec.checker.explicit.vector.step import VectorStepper
from numaspec.checker.results import COMPLETE_SEARCH_ONLY, CheckOptions, CheckResult, Stats
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.model.findings import Finding, initial_or_finding, replay
from numaspec.model.machine import Model
from numaspec.model.outcome import LimitReached, Progress
from numaspec.spec.ir import nodes as ir


def check(spec: ir.Spec, options: CheckOptions,
          progress: Progress[Stats] | None = None, model: Model | None = None) -> CheckResult:
    """Decide every property of `spec` within the limits of `options` (never prints).

    A false `symmetric Node` (E405) or a group too large to reduce by (E406) is refused
    before anything is compiled.  `--timeout` also bounds the set-up (the model, the initial
    states) and single long steps, through `deadline`: the result is then a limit with the
    statistics so far.  `model`, if given, is `Model(spec)` already built (the CLI builds
    it under the same clock, `options.started`, and renders with it)."""
    with deadline(options.timeout, options.max_memory_mb, options.started) as backstop:
        try:
            if options.symmetry and spec.symmetric:
                checked_structure(spec)  # E405, E406 before anything is compiled
            return _check(options, progress, Model(spec) if model is None else model,
                          backstop)
        except LimitReached as stop:  # before the search started: nothing explored yet
            return CheckResult("limit", stopped_by=str(stop))
        except KeyboardInterrupt:
            return CheckResult("limit", stopped_by="interrupted")


def _check(options: CheckOptions, progress: Progress[Stats] | None, model: Model,
           backstop: Backstop) -> CheckResult:
    spec = model.spec
    _, failed = initial_or_finding(model, options.max_states)
    if failed is not None:  # `init` itself breaks the spec: step 0, an empty trace
        return CheckResult("violated", failed)
    search, why_not = _safety_search(model, options, progress)
    backstop.searching(options.timeout)  # the search checks its limits from here on
    result = search.run()
    result.stats.not_vectorised = why_not
    if result.verdict != "holds":
        return result
    if not spec.liveness or not options.liveness:
        return _with_deadlock(result, search)
    return with_liveness(result, search, lambda: _liveness(search, options))


def with_liveness(result: CheckResult, search: SafetySearch,
                  decide: Callable[[], tuple[Finding | None, int, str]]) -> CheckResult:
    """`result` of a safety search that held, completed by `decide` (liveness: the first
    violated property, the graph's size and which graph), then by a pending deadlock; a
    limit, Ctrl-C or exhausted memory while deciding is the result's limit.  Shared by the
    one-process check and the distributed one (checker/distributed/check.py)."""
    # the search's rate stays the safety search's, whether liveness ends or is stopped
    result.stats.safety_seconds = result.stats.seconds
    try:
        finding, size, result.stats.liveness_graph = decide()
    except (LimitReached, KeyboardInterrupt, MemoryError) as stop:
        result.verdict, result.stopped_by = "limit", (
            "interrupted" if isinstance(stop, KeyboardInterrupt) else
            "out of memory (try --max-memory)" if isinstance(stop, MemoryError) else str(stop))
        result.stats.seconds = time.perf_counter() - search.start
        return result
    result.stats.liveness_states = size
    result.stats.seconds = time.perf_counter() - search.start
    result.stats.peak_memory_mb = peak_mb()
    if finding is not None:
        replay(search.model, finding)
        result.verdict, result.finding = "violated", finding
        return result
    return _with_deadlock(result, search)


def _liveness(search: SafetySearch,
              options: CheckOptions) -> tuple[Finding | None, int, str]:
    """The first violated leads_to property, the size of the graph and which graph: the
    symmetry quotient when the search reduced by symmetry and `obstacle` finds nothing,
    else the full graph (with the obstacle named)."""
    model, symmetry, check_limits = search.model, search.symmetry, search.check_limits
    why = None
    if symmetry is not None and symmetry.size > 1:
        why = obstacle(model.spec)
        if why is None:
            # the vectorised search's normal form (canon.py) lists no group; the fairness
            # analysis numbers group elements, so the group is listed (E406 past 5,040),
            # but the quotient keys its nodes by the search's own canonical fingerprints
            # (handed over, so none is computed twice) and reads each step's element off
            # the normal forms
            group = checked_group(model.spec) if isinstance(search, VectorSearch) \
                else symmetry.group
            graph: Quotient = VectorQuotient(
                search.stepper, group, search.fingerprinter, options.max_states,
                check_limits, search.canonical_of) \
                if isinstance(search, VectorSearch) else \
                InterpretedQuotient(model, symmetry, options.max_states, check_limits)
            return check_on_quotient(graph, group), graph.size, "quotient"
    how = "full" if why is None else f"full (not on the quotient: {why})"
    if isinstance(search, VectorSearch):
        finding, size = check_liveness_vectorised(search.stepper, options.max_states,
                                                  check_limits)
    else:
        finding, size = check_liveness(model, options.max_states, check_limits)
    return finding, size, how


def _safety_search(model: Model, options: CheckOptions,
                   progress: Progress[Stats] | None) -> tuple[SafetySearch, str | None]:
    """The vectorised BFS when asked for and possible, else the interpreted search (with
    why the vectorised one could not run)."""
    if options.engine != "bfs" or not options.vectorise:
        return SafetySearch(model, options, progress), None
    try:
        stepper = VectorStepper(model, Layout(model.spec))
    except Unsupported as err:
        return SafetySearch(model, options, progress), (
            str(err) if err.span is None else f"{err.message} ({err.span})")
    search = VectorSearch(model, options, stepper, progress)
    search.stats.evaluation = "vectorised"
    if options.liveness and model.spec.liveness and search.fingerprinter.size > 1 \
            and obstacle(model.spec) is None:  # the quotient will reuse its fingerprints
        search.canonical_of = FingerprintIndex()
    return search, None


def _with_deadlock(result: CheckResult, search: SafetySearch) -> CheckResult:
    deadlock = search.pending_deadlock()
    if deadlock is not None:
        result.verdict, result.finding = "violated", deadlock
        result.warnings = [w for w in result.warnings if w.code not in COMPLETE_SEARCH_ONLY]
    return result
