"""Run every experiment, write the tables (Markdown, CSV) and the plots (PNG) to a directory.

`evaluate(config, out, progress)` is the engine entry point: it never prints; `progress`
receives one line per stage.  The same config and seed give the same tables.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from numaspec.checker.evaluation import changes, plots
from numaspec.checker.evaluation.designs import (
    ALL_DESIGNS,
    PERNODE,
    PROTOCOL_DESIGNS,
    REPLICATION_DESIGNS,
    SINGLE,
    SYNC_DESIGNS,
    UNMAP_DESIGNS,
    Design,
    Machine,
)
from numaspec.checker.evaluation.experiments import insync as exp_insync
from numaspec.checker.evaluation.experiments import lazy as exp_lazy
from numaspec.checker.evaluation.experiments import locality as exp_locality
from numaspec.checker.evaluation.experiments import protocols as exp_protocols
from numaspec.checker.evaluation.experiments import replication as exp_replication
from numaspec.checker.evaluation.experiments import sharing as exp_sharing
from numaspec.checker.evaluation.experiments import traces as exp_traces
from numaspec.checker.evaluation.experiments import unmap as exp_unmap
from numaspec.checker.evaluation.experiments import verify as exp_verify
from numaspec.checker.evaluation.tables import Table
from numaspec.model.outcome import Progress
from numaspec.spec.topology.presets import PRESETS

STAGES = 9  # len(STAGE_RUNS), at the end of this module


@dataclass(frozen=True)
class EvalConfig:
    topologies: tuple[str, ...] = tuple(PRESETS)
    nodes: tuple[int, int] = (2, 8)  # the node counts n = lo..hi of the sweeps
    seed: int = 0
    verify_timeout: float = 60.0  # seconds per explicit-check run
    sharing: exp_sharing.SharingSetup = exp_sharing.SharingSetup()
    wide_nodes: tuple[int, int] = (2, 16)  # the node counts of experiments 6 to 8
    sync: exp_insync.SyncSetup = exp_insync.SyncSetup()
    replication_accesses: int = 2000
    traces: exp_traces.TraceSetup = exp_traces.TraceSetup()

    @property
    def node_counts(self) -> list[int]:
        return list(range(self.nodes[0], self.nodes[1] + 1))

    @property
    def wide_node_counts(self) -> list[int]:
        """Every n of the wide range (the unmap protocols: one unmap each, cheap)."""
        return list(range(self.wide_nodes[0], self.wide_nodes[1] + 1))

    @property
    def sync_node_counts(self) -> list[int]:
        """The even n of the wide range and its ends (a stream per n, ratio and design)."""
        lo, hi = self.wide_nodes
        return sorted({lo, hi, *range(lo + lo % 2, hi + 1, 2)})

    @property
    def replication_node_counts(self) -> tuple[int, ...]:
        """The ends of the wide range and the powers of two between them."""
        lo, hi = self.wide_nodes
        return tuple(sorted({lo, hi, *(2 ** k for k in range(1, 8) if lo < 2 ** k < hi)}))

    @property
    def sharing_node_counts(self) -> list[int]:
        """Several node counts for the sharing sweep: the smallest, middle and largest."""
        lo, hi = self.nodes
        return sorted({lo, (lo + hi) // 2, hi})


def quick_config() -> EvalConfig:
    """`numaspec evaluate --quick`: every stage on small sizes and few points (CI's smoke
    run; its figures are not the report's)."""
    return EvalConfig(
        topologies=("uniform2", "opteron4"), nodes=(2, 3), verify_timeout=10.0,
        sharing=exp_sharing.SharingSetup(accesses=300, fractions=(0.0, 0.5, 1.0)),
        wide_nodes=(2, 4),
        sync=exp_insync.SyncSetup(ratios=(1.2, 2.0, 3.0), accesses=300),
        replication_accesses=300, traces=exp_traces.TraceSetup(node_counts=(2,)))


@dataclass
class Results:
    config: EvalConfig
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, list[str]] = field(default_factory=dict)  # by experiment
    cost_crossings: dict[int, float | None] = field(default_factory=dict)  # memory cost
    kernel_crossings: dict[int, float | None] = field(default_factory=dict)  # kernel data
    # in-kernel design label -> n -> where it crosses P1 (experiment 6)
    sync_crossovers: dict[str, dict[int, exp_insync.Crossing]] = field(default_factory=dict)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)  # of the stages that say


def evaluate(config: EvalConfig, out: Path, progress: Progress[str], jobs: int = 1) -> Results:
    """All the experiments; tables and figures are written to `out` (created if needed).
    With `jobs` > 1 the stages run in that many processes (the figures are the same: each
    stage's are its own; only the progress lines come when a stage ends, not as it goes)."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = Results(config)
    stage = _Stages(progress)
    if jobs <= 1:
        for name, run in STAGE_RUNS:
            run(config, results, out, stage(name))
    else:
        for partial in _in_parallel(config, out, jobs, stage):
            _merge(results, partial)
    for table in results.tables.values():
        table.write(out)
    results.seconds = time.perf_counter() - start
    return results


def run_stage(index: int, config: EvalConfig, out: Path) -> Results:
    """One stage on its own (what a worker process runs): its part of the results."""
    results = Results(config)
    STAGE_RUNS[index][1](config, results, out, lambda _text: None)
    return results


def _in_parallel(config: EvalConfig, out: Path, jobs: int, stage: _Stages) -> list[Results]:
    """Every stage in a pool of `jobs` processes, the longest first; in stage order."""
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    done: dict[int, Results] = {}
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        futures = {pool.submit(run_stage, index, config, out): index for index in LONGEST_FIRST}
        for future in as_completed(futures):
            index = futures[future]
            done[index] = future.result()
            stage.finished(STAGE_RUNS[index][0])
    return [done[index] for index in range(len(STAGE_RUNS))]


def _merge(results: Results, partial: Results) -> None:
    for name in ("tables", "figures", "cost_crossings", "kernel_crossings", "sync_crossovers",
                 "stage_seconds"):
        getattr(results, name).update(getattr(partial, name))


class _Stages:
    """Prefixes progress lines with the stage number and the elapsed time."""

    def __init__(self, progress: Progress[str]):
        self.progress, self.number, self.start = progress, 0, time.perf_counter()

    def __call__(self, name: str) -> Progress[str]:
        self.number += 1
        prefix = f"[{self.number}/{STAGES}]"
        self.progress(f"{prefix} {name}")
        return lambda text: self.progress(
            f"{prefix} {text} ({time.perf_counter() - self.start:.0f} s)")

    def finished(self, name: str) -> None:
        self.number += 1
        self.progress(f"[{self.number}/{STAGES}] {name}: done "
                      f"({time.perf_counter() - self.start:.0f} s)")


def _labels(designs: Sequence[Design]) -> list[str]:
    return [d.label for d in designs]


def _lazy(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    detail, summary = exp_lazy.run(ALL_DESIGNS, config.node_counts, progress)
    results.tables.update({detail.name: detail, summary.name: summary})
    results.figures["lazy"] = [plots.lazy_sync(detail, _labels(ALL_DESIGNS), out)]


def _sharing(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    designs = (PERNODE, SINGLE)
    table = exp_sharing.run(designs, config.sharing_node_counts, config.sharing, config.seed,
                            progress)
    results.tables[table.name] = table
    measure = exp_sharing.MEMORY
    results.cost_crossings = exp_sharing.crossings(table, PERNODE.label, SINGLE.label, measure)
    results.kernel_crossings = exp_sharing.crossings(table, PERNODE.label, SINGLE.label,
                                                     exp_sharing.KERNEL)
    labels = _labels(designs)
    results.figures["sharing"] = [
        plots.sharing(table, labels, "faults per 1000 accesses", "pagefaults per 1000 accesses",
                      "Pagefaults against the share of accesses to shared pages",
                      "sharing_faults", out),
        plots.sharing(table, labels, measure,
                      f"memory cost per access\n{plots.COST_UNIT}",
                      "Memory cost per access: data + pagefault handling (vertical lines: "
                      "crossings)",
                      "sharing_cost", out, results.cost_crossings),
        plots.sharing(table, labels, exp_sharing.KERNEL,
                      f"page-table and MDB cost per access\n{plots.COST_UNIT}",
                      "Kernel data alone: page-table and MDB cost of pagefaults per access",
                      "sharing_kernel", out, results.kernel_crossings)]


def _locality(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    machines = [Machine.named(name) for name in config.topologies]
    table = exp_locality.run(ALL_DESIGNS, machines, config.sharing, config.seed, progress)
    results.tables[table.name] = table
    results.figures["locality"] = [plots.locality(table, _labels(ALL_DESIGNS), out)]


def _unmap(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    machines = [Machine(n) for n in config.node_counts]
    machines += [Machine.named(name) for name in config.topologies]
    table = exp_unmap.run(UNMAP_DESIGNS, machines, progress)
    results.tables[table.name] = table
    before_after = changes.comparison(table)
    results.tables[before_after.name] = before_after
    labels = _labels(ALL_DESIGNS)
    results.figures["unmap"] = [
        plots.unmap_vs_n(table, labels, "messages", "messages per global unmap (count)",
                         "Global unmap: messages against the number of nodes",
                         "unmap_messages", out),
        plots.unmap_vs_n(table, labels, "distance-weighted cost",
                         f"cost per global unmap\n{plots.COST_UNIT}",
                         "Global unmap: distance-weighted cost against the number of nodes",
                         "unmap_cost", out)]
    if config.topologies:
        results.figures["unmap"].append(plots.unmap_presets(table, labels, out))


def _verify(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    table = exp_verify.run(config.node_counts, config.verify_timeout, progress)
    results.tables[table.name] = table
    results.figures["verify"] = plots.verification(table, out, config.verify_timeout)


def _traces(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    designs = exp_traces.DESIGNS
    started = time.perf_counter()
    workloads, table = exp_traces.run(designs, config.traces, progress)
    results.tables.update({workloads.name: workloads, table.name: table})
    results.stage_seconds["traces"] = time.perf_counter() - started
    labels = _labels(designs)
    results.figures["traces"] = [] if not table.rows else [
        plots.recorded(table, labels, "faults per 1000 accesses", "pagefaults per 1000 "
                       "accesses", "Recorded workloads: pagefaults per 1000 accesses",
                       "traces_faults", out),
        plots.recorded(table, labels, "fault cost per access", f"pagefault cost per access\n"
                       f"{plots.COST_UNIT}", "Recorded workloads: pagefault handling cost "
                       "per access", "traces_fault_cost", out)]


def _sync(config: EvalConfig, results: Results, out: Path, progress: Progress[str]) -> None:
    table = exp_insync.run(SYNC_DESIGNS, config.sync_node_counts, config.sync, config.seed,
                           progress)
    results.tables[table.name] = table
    results.sync_crossovers = {d.label: exp_insync.crossovers(table, PERNODE.label, d.label)
                               for d in SYNC_DESIGNS[1:]}
    summary = exp_insync.summary(table, results.sync_crossovers)
    results.tables[summary.name] = summary
    results.figures["sync"] = [plots.sync_heatmap(table, PERNODE.label,
                                                  _labels(SYNC_DESIGNS[1:]),
                                                  results.sync_crossovers, out)]


def _protocols(config: EvalConfig, results: Results, out: Path,
               progress: Progress[str]) -> None:
    table = exp_protocols.run(PROTOCOL_DESIGNS, config.wide_node_counts, progress)
    summary = exp_protocols.summary(table)
    results.tables.update({table.name: table, summary.name: summary})
    labels = _labels(PROTOCOL_DESIGNS)
    results.figures["protocols"] = [
        plots.by_n(table, labels, "rounds", "rounds per global unmap (longest causal chain)",
                   "Global-unmap protocols: rounds against the number of nodes",
                   "protocol_rounds", out),
        plots.by_n(table, labels, "distance-weighted cost",
                   f"cost per global unmap\n{plots.COST_UNIT}",
                   "Global-unmap protocols: distance-weighted cost against the number of nodes",
                   "protocol_cost", out)]


def _replication(config: EvalConfig, results: Results, out: Path,
                 progress: Progress[str]) -> None:
    setup = exp_replication.ReplicationSetup(config.replication_accesses,
                                             node_counts=config.replication_node_counts)
    table = exp_replication.run(REPLICATION_DESIGNS, setup, config.seed, progress)
    results.tables[table.name] = table
    results.figures["replication"] = [plots.replication(table, _labels(REPLICATION_DESIGNS),
                                                        out)]


StageRun = Callable[[EvalConfig, Results, Path, Progress[str]], None]
STAGE_RUNS: tuple[tuple[str, StageRun], ...] = (
    ("lazy synchronisation", _lazy),
    ("sharing degree", _sharing),
    ("kernel-data locality", _locality),
    ("global unmap cost", _unmap),
    ("verification cost", _verify),
    ("user-level vs in-kernel synchronisation", _sync),
    ("unmap protocols", _protocols),
    ("replication by sharing pattern", _replication),
    ("recorded workloads", _traces))
# the order a pool starts them in: the longest (measured on the default range) first
LONGEST_FIRST = (4, 1, 2, 7, 5, 8, 6, 3, 0)
