"""The breadth-first search on a Dask cluster: level-synchronous, the store partitioned.

The coordinator (this module, in the numaspec process) holds no states: it submits each
level as a graph of tasks, two per worker (partition.py), and adds up what they report.
`expand` on worker i yields one batch per partition; the batch for j is a future that Dask
moves from worker i to worker j, straight, when `absorb` on j needs it: the successors never
pass through the coordinator.  A level ends when every partition has absorbed its batches;
then the coordinator looks at the reports: a failing step or a violating new state ends the
search at this level, so the counterexample is a shortest one (as long as in one process,
though maybe another of that length), rebuilt by walking the parent links partition by
partition and replayed by the model, as the one-process search does (VectorSearch).

Everything else is VectorSearch's: the result, the warnings (W701, W702), deadlocks kept
for after liveness, the limits (checked between levels and every quarter second while the
workers work; --max-states may then be passed by up to one level's new states).  Liveness
is decided afterwards in this process on the graph the partitions recorded (graph.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from numaspec.checker.distributed.cluster import Session
from numaspec.checker.distributed.graph import GraphPart
from numaspec.checker.distributed.partition import (
    Absorbed,
    Batch,
    Expansion,
    PartitionPlugin,
    absorb_task,
    batch_of,
    build_task,
    expand_task,
    graph_task,
    record_task,
    summary_of,
)
from numaspec.checker.explicit.vector.search import VectorSearch
from numaspec.checker.explicit.vector.step import VectorStepper
from numaspec.checker.results import CheckOptions, Stats
from numaspec.model.findings import Finding, Step, Trace, deadlock_finding, step_finding
from numaspec.model.machine import Model, StepViolation
from numaspec.model.outcome import LimitReached, Progress


@dataclass(frozen=True)
class LevelFigures:
    """One level as measured: states expanded, new states, transitions, bytes sent between
    workers (rows and their links; a worker's batch to itself is not sent) and seconds."""

    depth: int
    expanded: int
    new: int
    transitions: int
    sent_bytes: int
    seconds: float
    compute_seconds: float  # the slowest worker's expand plus its absorb


class DistributedSearch(VectorSearch):
    """VectorSearch's results from partitions on the workers of `session`."""

    def __init__(self, model: Model, options: CheckOptions, stepper: VectorStepper,
                 session: Session, progress: Progress[Stats] | None = None,
                 graph: bool = False):
        """`graph`: the partitions record the state graph, for liveness (graph.py)."""
        super().__init__(model, options, stepper, progress)
        self.session, self.name, self.parts = session, session.run_id, session.size
        self.graph = graph
        self.levels: list[LevelFigures] = []
        self.partition_bytes = 0

    def close(self) -> None:
        """Free the partitions on a cluster numaspec did not start (its own is stopped)."""
        if not self.session.owned:
            try:
                self.session.client.unregister_worker_plugin(self.name)
            except Exception:  # a lost worker: nothing left to free there
                pass

    # ------------------------------------------------------------------ search
    def _search(self) -> Finding | None:
        self._build()
        found, frontier = self._seed()
        depth = 0
        while found is None and frontier:
            self.stats.depth = depth
            found, frontier = self._distributed_level(depth)
            depth += 1
        return found

    def _build(self) -> None:
        """Every worker compiles the spec and builds its (empty) partition."""
        plugin = PartitionPlugin(self.name, self.model.spec, self.symmetry is not None,
                                 self.parts, self.options.deadlock, self.graph)
        self.session.client.register_plugin(plugin, name=self.name)
        self.session.gather([self.session.submit(i, build_task, self.name, i)
                             for i in range(self.parts)], self.check_limits)

    def _seed(self) -> tuple[Finding | None, int]:
        """Send each initial state to its owner; a violation in one is found at depth 0."""
        rows = np.stack([self.layout.row(s) for s in self.initial])
        canonical, plain = self.fingerprinter.fingerprints(rows)
        owner = (canonical % np.uint64(self.parts)).astype(np.int64)
        number = np.arange(len(rows), dtype=np.int64)
        futures = []
        for part in range(self.parts):
            mine = owner == part
            batch = Batch(rows[mine], np.full(int(mine.sum()), -1, np.int64), number[mine],
                          plain[mine], canonical[mine])
            futures.append(self.session.submit(part, absorb_task, self.name,
                                               self._unwitnessed(), batch))
        absorbed: list[Absorbed] = self.session.gather(futures, self.check_limits)
        return self._judge(absorbed), sum(a.new for a in absorbed)

    def _distributed_level(self, depth: int) -> tuple[Finding | None, int]:
        start, session, parts = time.perf_counter(), self.session, range(self.parts)
        self.check_limits()
        expansions = [session.submit(i, expand_task, self.name) for i in parts]
        summaries = [session.submit(i, summary_of, expansions[i]) for i in parts]
        absorbs = [session.submit(j, absorb_task, self.name, self._unwitnessed(),
                                  *[session.submit(i, batch_of, expansions[i], j)
                                    for i in parts]) for j in parts]
        reports = session.gather([*summaries, *absorbs], self.check_limits)
        expanded: list[Expansion] = reports[:self.parts]
        absorbed: list[Absorbed] = reports[self.parts:]
        self._count_expansions(expanded)
        self.levels.append(LevelFigures(
            depth, sum(e.expanded for e in expanded), sum(a.new for a in absorbed),
            sum(e.transitions for e in expanded), sum(a.received_bytes for a in absorbed),
            time.perf_counter() - start,
            max(e.seconds + a.seconds for e, a in zip(expanded, absorbed, strict=True))))
        failures = [e.failure for e in expanded if e.failure is not None]
        if failures:
            return self._failure_at(*min(failures)), 0
        found = self._judge(absorbed)
        if self.options.max_states is not None and \
                self.stats.distinct_states >= self.options.max_states:
            raise LimitReached(f"--max-states {self.options.max_states}")
        return found, sum(a.new for a in absorbed)

    def _count_expansions(self, expanded: list[Expansion]) -> None:
        for report in expanded:
            self.expanded += report.expanded
            self.stats.transitions += report.transitions
            for action, count in zip(self.model.spec.actions, report.fired.tolist(),
                                     strict=True):
                if count:
                    self.stats.coverage[action.name] += count
        stuck = [e.deadlock for e in expanded if e.deadlock is not None]
        if self.deadlock is None and stuck:
            self.deadlock = deadlock_finding(self.trace_to(min(stuck)))

    def _judge(self, absorbed: list[Absorbed]) -> Finding | None:
        """Add up the new states; the first violating one, if any."""
        self.stats.distinct_states += sum(a.new for a in absorbed)
        self.partition_bytes = sum(a.store_bytes for a in absorbed)
        witnessed = {k for a in absorbed for k in a.witnessed}
        reachables = self.model.spec.reachables
        self.unwitnessed = [p for p in self.unwitnessed
                            if not any(reachables[k] is p for k in witnessed)]
        bad = [a.violating for a in absorbed if a.violating is not None]
        return self._invariant(min(bad)) if bad else None

    def _unwitnessed(self) -> list[int]:
        return [k for k, p in enumerate(self.model.spec.reachables)
                if any(p is q for q in self.unwitnessed)]

    def _failure_at(self, number: int, instance: int) -> Finding:
        trace = self.trace_to(number)
        try:
            self.model.execute(trace.last, self.model.instances[instance])
        except StepViolation as err:
            return step_finding(err, trace)
        raise AssertionError("the vectorised step fails but the model's does not")

    # ---------------------------------------------------------------- traces
    def trace_to(self, index: int) -> Trace:
        """The run to the state numbered `index` (a global number): its parent links are
        fetched from the partitions holding them, then re-executed by the model."""
        path = []
        parent, via, plain = self._record(index)
        while parent != -1:
            path.append((via, plain))
            parent, via, plain = self._record(parent)
        state = self.initial[via]
        initial, steps = state, []
        for via, plain in reversed(path):
            instance = self.model.instances[via]
            outcomes = self.model.execute(state, instance)
            state = next(s for s in outcomes if self._plain_of(s) == plain)
            steps.append(Step(instance, state))
        return Trace(initial, tuple(steps))

    def graph_parts(self) -> list[GraphPart]:
        """Every partition's part of the state graph, fetched one partition after the
        other (the search was built with `graph`)."""
        return [self.session.gather([self.session.submit(part, graph_task, self.name)],
                                    self.check_limits)[0] for part in range(self.parts)]

    def _record(self, number: int) -> tuple[int, int, int]:
        future = self.session.submit(number % self.parts, record_task, self.name, number)
        record: tuple[int, int, int] = self.session.gather([future])[0]
        return record

    def _plain_of(self, state: object) -> int:
        return int(self.fingerprinter.plain(self.layout.row(state)[None])[0])  # type: ignore[arg-type]

    def _store_bytes(self) -> int:
        return self.partition_bytes
