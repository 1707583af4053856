"""`check --workers N` / `--cluster ADDRESS`: the explicit check on a Dask cluster.

The same steps as `numaspec.checker.explicit.check` in one process: a failing `init` is a
violation at step 0, then the safety search (search.py, distributed), then liveness, then a
deadlock found by the search.  Liveness is decided on the graph one process decides it on:
the symmetry quotient when the search reduced by symmetry and nothing stands in the way
(quotient/'s `obstacle`), else the full graph; the partitions record it while they search
and this process gathers it (graph.py).  When an obstacle makes one process build the full
graph of a search reduced by symmetry, this process builds it too, by stepping (the
partitions hold orbits only).  Only the vectorised breadth-first search is distributed: a
spec it cannot step, `--engine dfs` and `--no-vectorise` are refused (E062).
"""

from __future__ import annotations

from numaspec.checker.distributed.cluster import Session
from numaspec.checker.distributed.graph import GatheredGraph, GatheredQuotient
from numaspec.checker.distributed.search import DistributedSearch
from numaspec.checker.explicit import with_liveness
from numaspec.checker.explicit.liveness import fair_instances
from numaspec.checker.explicit.quotient import check_on_quotient, obstacle
from numaspec.checker.explicit.symmetry import checked_group
from numaspec.checker.explicit.vector.layout import Layout
from numaspec.checker.explicit.vector.liveness import VectorLeadsTo, check_liveness_vectorised
from numaspec.checker.explicit.vector.step import VectorStepper
from numaspec.checker.results import COMPLETE_SEARCH_ONLY, CheckOptions, CheckResult, Stats
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.model.findings import Finding, initial_or_finding
from numaspec.model.machine import Model
from numaspec.model.outcome import Progress
from numaspec.spec.diagnostics import fail
from numaspec.spec.ir import nodes as ir


def check_distributed(spec: ir.Spec, options: CheckOptions, session: Session,
                      progress: Progress[Stats] | None = None,
                      search_out: list[DistributedSearch] | None = None) -> CheckResult:
    """Decide every property of `spec` with the safety search spread over `session`'s
    workers (never prints); `search_out`, if given, receives the search (its per-level
    figures, for the benchmark)."""
    if options.engine != "bfs" or not options.vectorise:
        raise fail("E062", "--workers and --cluster run the vectorised breadth-first search "
                   "only: drop --engine dfs and --no-vectorise", None)
    if options.symmetry and spec.symmetric:
        checked_group(spec)
    model = Model(spec)
    _, failed = initial_or_finding(model)
    if failed is not None:
        return CheckResult("violated", failed)
    try:
        stepper = VectorStepper(model, Layout(spec))
    except Unsupported as err:
        raise fail("E062", f"--workers needs the vectorised search, which cannot step this "
                   f"spec: {err.message}; check it without --workers", err.span) from None
    live = bool(spec.liveness) and options.liveness
    reduced = options.symmetry and bool(spec.symmetric)
    search = DistributedSearch(model, options, stepper, session, progress,
                               graph=live and (not reduced or obstacle(spec) is None))
    search.stats.evaluation = "vectorised"
    if search_out is not None:
        search_out.append(search)
    try:
        result = search.run()
    finally:
        search.close()
    if result.verdict != "holds" or not spec.liveness or not options.liveness:
        return _with_deadlock(result, search)
    return _liveness(result, search)


def _liveness(result: CheckResult, search: DistributedSearch) -> CheckResult:
    """Liveness decided as one process decides it (checker/explicit's `_liveness`)."""
    return with_liveness(result, search, lambda: _decide(search))


def _decide(search: DistributedSearch) -> tuple[Finding | None, int, str]:
    """The first violated leads_to property, the size of the graph and which graph."""
    spec, stepper, check = search.model.spec, search.stepper, search.check_limits
    if search.symmetry is not None and search.symmetry.size > 1:
        why = obstacle(spec)
        if why is not None:
            finding, size = check_liveness_vectorised(stepper, search.options.max_states,
                                                      check)
            return finding, size, f"full (not on the quotient: {why})"
        group = checked_group(spec)
        quotient = GatheredQuotient(stepper, search.graph_parts(), check,
                                    search.fingerprinter, group)
        return check_on_quotient(quotient, group), quotient.size, "quotient"
    graph = GatheredGraph(stepper, search.graph_parts(), check)
    fair = fair_instances(search.model)
    for prop in spec.liveness:
        found = VectorLeadsTo(graph, prop, fair).run()
        if found is not None:
            return found, graph.size, "full"
    return None, graph.size, "full"


def _with_deadlock(result: CheckResult, search: DistributedSearch) -> CheckResult:
    if result.verdict != "holds":
        return result
    deadlock = search.pending_deadlock()
    if deadlock is not None:
        result.verdict, result.finding = "violated", deadlock
        result.warnings = [w for w in result.warnings if w.code not in COMPLETE_SEARCH_ONLY]
    return result
