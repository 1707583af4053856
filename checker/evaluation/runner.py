"""Run every experiment, write the tables (Markdown, CSV) and the plots (PNG) to a directory.

`evaluate(config, out, progress)` is the engine entry point: it never prints; `progress`
receives one line per stage.  The same config and seed give the same tables.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from numaspec.checker.evaluation import changes, plots
from numaspec.checker.evaluation.designs import (
    ALL_DESIGNS,
    PERNODE,
    SINGLE,
    UNMAP_DESIGNS,
    Design,
    Machine,
)
from numaspec.checker.evaluation.experiments import lazy as exp_lazy
from numaspec.checker.evaluation.experiments import locality as exp_locality
from numaspec.checker.evaluation.experiments import sharing as exp_sharing
from numaspec.checker.evaluation.experiments import traces as exp_traces
from numaspec.checker.evaluation.experiments import unmap as exp_unmap
from numaspec.checker.evaluation.experiments import verify as exp_verify
from numaspec.checker.evaluation.tables import Table
from numaspec.model.outcome import Progress
from numaspec.spec.topology.presets import PRESETS

STAGES = 6


@dataclass(frozen=True)
class EvalConfig:
    topologies: tuple[str, ...] = tuple(PRESETS)
    nodes: tuple[int, int] = (2, 8)  # the node counts n = lo..hi of the sweeps
    seed: int = 0
    verify_timeout: float = 60.0  # seconds per explicit-check run
    sharing: exp_sharing.SharingSetup = exp_sharing.SharingSetup()
    traces: exp_traces.TraceSetup = exp_traces.TraceSetup()

    @property
    def node_counts(self) -> list[int]:
        return list(range(self.nodes[0], self.nodes[1] + 1))

    @property
    def sharing_node_counts(self) -> list[int]:
        """Several node counts for the sharing sweep: the smallest, middle and largest."""
        lo, hi = self.nodes
        return sorted({lo, (lo + hi) // 2, hi})


@dataclass
class Results:
    config: EvalConfig
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, list[str]] = field(default_factory=dict)  # by experiment
    cost_crossings: dict[int, float | None] = field(default_factory=dict)  # memory cost
    kernel_crossings: dict[int, float | None] = field(default_factory=dict)  # kernel data
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)  # of the stages that say


def evaluate(config: EvalConfig, out: Path, progress: Progress[str]) -> Results:
    """All six experiments; tables and figures are written to `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = Results(config)
    stage = _Stages(progress)
    _lazy(config, results, out, stage("lazy synchronisation"))
    _sharing(config, results, out, stage("sharing degree"))
    _locality(config, results, out, stage("kernel-data locality"))
    _unmap(config, results, out, stage("global unmap cost"))
    _verify(config, results, out, stage("verification cost"))
    _traces(config, results, out, stage("recorded workloads"))
    for table in results.tables.values():
        table.write(out)
    results.seconds = time.perf_counter() - start
    return results


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
