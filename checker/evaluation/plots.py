"""The figures (PNG and SVG, matplotlib), drawn from the result tables: one idea per figure,
labelled axes with units, a legend.  Each function writes NAME.png and NAME.svg and returns
the PNG's name (the report shows the PNG; the SVG is the same figure, to zoom or print)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402

from numaspec.checker.evaluation.designs import DEFAULT_TOPOLOGY
from numaspec.checker.evaluation.tables import Table

DPI = 110
MARKERS = "os^Dvx"
STYLES = ("-", "--", ":", "-.")
COST_UNIT = "distance units (10 = one local access)"


def _figure(title: str, xlabel: str, ylabel: str) -> tuple[Any, Any]:
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    return fig, ax


def _save(fig: Any, ax: Any, directory: Path, name: str) -> str:
    ax.legend(fontsize=8)
    return _save_plain(fig, directory, name)


def _floats(cells: Sequence[Any]) -> list[float]:
    return [float(c) if c is not None else float("nan") for c in cells]


def lazy_sync(table: Table, designs: Sequence[str], directory: Path) -> str:
    nodes = table.rows[0][0]
    fig, ax = _figure(f"Lazy synchronisation: pagefaults until a page is mapped on k of "
                      f"{nodes} nodes", "nodes that have read the page (k)",
                      "pagefaults (count)")
    ks = _floats(table.column("k"))
    for i, label in enumerate(designs):
        # wide first lines, so that a design that coincides with a later one stays visible
        ax.plot(ks, _floats(table.column(f"pagefaults: {label}")), marker=MARKERS[i],
                markersize=9 - 2 * i, linewidth=5 - 1.5 * i, alpha=0.8, linestyle=STYLES[i],
                label=label)
    ax.set_xticks(ks)
    return _save(fig, ax, directory, "lazy_sync")


def sharing(table: Table, designs: Sequence[str], measure: str, ylabel: str, title: str,
            name: str, directory: Path, crossings: dict[int, float | None] | None = None) -> str:
    fig, ax = _figure(title, "accesses to shared pages (% of all accesses)", ylabel)
    counts = sorted({int(n) for n in table.column("n")})  # type: ignore[arg-type]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for j, nodes in enumerate(counts):
        for i, label in enumerate(designs):
            rows = table.where(n=nodes, design=label)
            xs = [100 * float(r["shared fraction"]) for r in rows]  # type: ignore[arg-type]
            ax.plot(xs, _floats([r[measure] for r in rows]), color=colours[j],
                    linestyle=STYLES[i], marker=MARKERS[i], markersize=4,
                    label=f"{label}, n = {nodes}")
        cross = (crossings or {}).get(nodes)
        if cross is not None:  # where the designs swap ranks: a labelled dashed line
            ax.axvline(100 * cross, color=colours[j], alpha=0.9, linewidth=1.6,
                       linestyle=(0, (5, 3)), label=f"crossing, n = {nodes}: "
                       f"{100 * cross:.0f}% shared")
            ax.annotate(f"n = {nodes}: {100 * cross:.0f}%", (100 * cross, 1),
                        xycoords=("data", "axes fraction"), xytext=(3, -12 - 11 * j),
                        textcoords="offset points", color=colours[j], fontsize=8)
    return _save(fig, ax, directory, name)


def locality(table: Table, designs: Sequence[str], directory: Path) -> str:
    fig, ax = _figure("Kernel-data locality: remote share of the page-table and MDB accesses "
                      "of a pagefault", "topology (nodes)",
                      "remote accesses (% of kernel-data accesses)")
    machines = list(dict.fromkeys(table.column("topology")))
    _grouped_bars(ax, table, machines, designs, "remote share of fault kernel data (%)")
    ax.set_ylim(0, 105)
    return _save(fig, ax, directory, "locality")


def _grouped_bars(ax: Any, table: Table, machines: Sequence[Any], designs: Sequence[str],
                  column: str) -> None:
    """One group of bars per topology, one bar per design, each labelled with its value."""
    width = 0.8 / len(designs)
    for i, label in enumerate(designs):
        values = [float(table.where(topology=m, design=label)[0][column])  # type: ignore[arg-type]
                  for m in machines]
        bars = ax.bar([k + (i - (len(designs) - 1) / 2) * width
                       for k in range(len(machines))], values, width, label=label)
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    nodes = [table.where(topology=m)[0]["n"] for m in machines]
    ax.set_xticks(range(len(machines)), [f"{m} ({n})" for m, n in zip(machines, nodes,
                                                                       strict=True)])


def unmap_vs_n(table: Table, designs: Sequence[str], measure: str, ylabel: str, title: str,
               name: str, directory: Path) -> str:
    fig, ax = _figure(title, "nodes (n), default topology 10 local / 20 remote", ylabel)
    for i, label in enumerate(designs):
        rows = [r for r in table.where(design=label)
                if str(r["topology"]).startswith(DEFAULT_TOPOLOGY)]
        ax.plot(_floats([r["n"] for r in rows]), _floats([r[measure] for r in rows]),
                marker=MARKERS[i], linestyle=STYLES[i], label=label)
    return _save(fig, ax, directory, name)


def unmap_presets(table: Table, designs: Sequence[str], directory: Path) -> str:
    fig, ax = _figure("Global unmap on the preset topologies",
                      "topology (nodes)", f"cost per global unmap\n{COST_UNIT}")
    machines = [m for m in dict.fromkeys(table.column("topology"))
                if not str(m).startswith(DEFAULT_TOPOLOGY)]
    _grouped_bars(ax, table, machines, designs, "distance-weighted cost")
    return _save(fig, ax, directory, "unmap_presets")


def verification(table: Table, directory: Path, limit: float | None = None) -> list[str]:
    """States and time against n; a run stopped at the time limit is an "x" at the limit,
    and the limit (`limit` seconds per run) is a named horizontal line."""
    ns = _floats(table.column("n"))
    fig, ax = _figure("Explicit-state verification of P1: state-space size",
                      "nodes (n)", "states (count, log scale)")
    ax.set_yscale("log")
    _finished(ax, table, "distinct states (symmetry-reduced)", "safety verdict", 0,
              "distinct states, safety search (symmetry-reduced)", limits=False)
    _finished(ax, table, "liveness graph states", "verdict with liveness", 1,
              "states of the liveness graph (unreduced)", limits=False)
    ax.set_xticks(ns)
    first = _save(fig, ax, directory, "verification_states")
    fig, ax = _figure("Verification time of P1 (x: stopped at the time limit)", "nodes (n)",
                      "time (seconds, log scale)")
    ax.set_yscale("log")
    _finished(ax, table, "safety seconds", "safety verdict", 0,
              "explicit, safety (invariants, witnesses)")
    _finished(ax, table, "seconds with liveness", "verdict with liveness", 1,
              "explicit, safety and liveness")
    kinduction = _floats(table.column("k-induction seconds"))
    if any(v == v for v in kinduction):  # some value is not NaN
        ax.plot(ns, kinduction, marker=MARKERS[2], linestyle=STYLES[2],
                label="k-induction (SMT)")
    if limit is not None:
        ax.axhline(limit, color="0.4", linestyle=(0, (2, 2)), linewidth=1.2,
                   label=f"time limit: {limit:g} s per run")
    ax.set_xticks(ns)
    return [first, _save(fig, ax, directory, "verification_time")]


def _finished(ax: Any, table: Table, column: str, verdict: str, style: int, label: str,
              limits: bool = True) -> None:
    """`column` against n for the runs that finished; those stopped at a limit as crosses."""
    done = [r for r in table.where() if r[verdict] == "holds"]
    ax.plot(_floats([r["n"] for r in done]), _floats([r[column] for r in done]),
            marker=MARKERS[style], linestyle=STYLES[style], color=f"C{style}", label=label)
    stopped = [r for r in table.where() if str(r[verdict]).startswith("limit")]
    if limits and stopped:
        ax.plot(_floats([r["n"] for r in stopped]), _floats([r[column] for r in stopped]),
                marker="x", markersize=9, linestyle="none", color=f"C{style}")


def by_n(table: Table, designs: Sequence[str], measure: str, ylabel: str, title: str,
         name: str, directory: Path) -> str:
    """`measure` against n, one line per design (every row of the table is one (n, design))."""
    fig, ax = _figure(title, "nodes (n), default topology 10 local / 20 remote", ylabel)
    for i, label in enumerate(designs):
        rows = table.where(design=label)
        ax.plot(_floats([r["n"] for r in rows]), _floats([r[measure] for r in rows]),
                marker=MARKERS[i % len(MARKERS)], linestyle=STYLES[i % len(STYLES)],
                color=f"C{i}", label=label)
    return _save(fig, ax, directory, name)


def sync_heatmap(table: Table, reference: str, designs: Sequence[str],
                 crossovers: dict[str, dict[int, tuple[str, float | None]]],
                 directory: Path) -> str:
    """One panel per in-kernel design: its cost per access over P1's by (ratio, n), with the
    1.0 line (equal cost) drawn and labelled, and each n's crossing marked."""
    from matplotlib.colors import TwoSlopeNorm

    ratios = sorted({float(str(r)) for r in table.column("remote/local ratio")})
    counts = sorted({int(str(n)) for n in table.column("n")})
    fig, axes = plt.subplots(1, len(designs), figsize=(6 * len(designs), 4.8), squeeze=False)
    grids = [[[float(str(table.where(n=n, design=label, **{"remote/local ratio": r})[0]
                         ["cost / P1's"])) for r in ratios] for n in counts]
             for label in designs]
    spread = max(max(abs(v - 1) for row in grid for v in row) for grid in grids) or 0.01
    norm = TwoSlopeNorm(1.0, 1 - spread, 1 + spread)
    for ax, label, grid in zip(axes[0], designs, grids, strict=True):
        mesh = ax.pcolormesh(ratios, counts, grid, cmap="coolwarm", norm=norm, shading="nearest")
        values = [v for row in grid for v in row]
        if min(values) < 1 < max(values):
            lines = ax.contour(ratios, counts, grid, levels=[1.0], colors="black",
                               linewidths=2)
            ax.clabel(lines, fmt={1.0: "1.0: same cost as P1"}, fontsize=8)
        found = [(x, n) for n, (_, x) in sorted(crossovers[label].items()) if x is not None]
        if found:
            ax.plot([x for x, _ in found], [n for _, n in found], "k--", marker="o",
                    markersize=4, label="crossing for each n")
            ax.legend(fontsize=8, loc="upper right")
        elif all(verdict == "equal" for verdict, _ in crossovers[label].values()):
            ax.text(0.5, 0.5, "equal to P1 at every (ratio, n)", transform=ax.transAxes,
                    ha="center", fontsize=10, bbox={"facecolor": "white", "alpha": 0.8})
        ax.set_title(f"{label} / {reference}", fontsize=9)
        ax.set_xlabel("remote / local distance ratio")
        ax.set_ylabel("nodes (n)")
        ax.set_xticks(ratios)
        ax.set_yticks(counts)
        fig.colorbar(mesh, ax=ax, label="cost per access / P1's (below 1: cheaper)")
    fig.suptitle("User-level (P1) against in-kernel synchronisation: cost ratio", fontsize=11)
    return _save_plain(fig, directory, "sync_crossover")


def replication(table: Table, designs: Sequence[str], directory: Path) -> str:
    """Cost per access by sharing pattern, one panel per n, one bar per design."""
    counts = sorted({int(str(n)) for n in table.column("n")})
    patterns = list(dict.fromkeys(str(p) for p in table.column("pattern")))
    fig, axes = plt.subplots(1, len(counts), figsize=(3.8 * len(counts), 4.6), squeeze=False)
    width = 0.8 / len(designs)
    for ax, nodes in zip(axes[0], counts, strict=True):
        for i, label in enumerate(designs):
            values = [float(str(table.where(n=nodes, pattern=p, design=label)[0]
                                ["cost per access"])) for p in patterns]
            ax.bar([k + (i - (len(designs) - 1) / 2) * width for k in range(len(patterns))],
                   values, width, label=label, color=f"C{i}")
        ax.set_xticks(range(len(patterns)), patterns, rotation=30, fontsize=8)
        ax.set_title(f"n = {nodes}", fontsize=10)
        ax.grid(True, axis="y", alpha=0.3)
    axes[0][0].set_ylabel(f"fault + unmap cost per access\n{COST_UNIT}")
    axes[0][-1].legend(fontsize=7)
    fig.suptitle("Replication by sharing pattern: cost per access (default topology)",
                 fontsize=11)
    return _save_plain(fig, directory, "replication")


def _save_plain(fig: Any, directory: Path, name: str) -> str:
    """Write NAME.png and NAME.svg (a figure that has placed its own legends)."""
    fig.tight_layout()
    fig.savefig(directory / f"{name}.png", dpi=DPI)
    with matplotlib.rc_context({"svg.hashsalt": "numaspec"}):  # same figure, same bytes
        fig.savefig(directory / f"{name}.svg", metadata={"Date": None})
    plt.close(fig)
    return f"{name}.png"


def recorded(table: Table, designs: Sequence[str], measure: str, ylabel: str, title: str,
             name: str, directory: Path) -> str:
    """Grouped bars: one group per (trace, n), one bar per design."""
    groups = sorted({(str(r["trace"]), int(r["n"])) for r in table.where()},  # type: ignore[arg-type]
                    key=lambda g: (g[0], g[1]))
    fig, ax = _figure(title, "trace, nodes", ylabel)
    width = 0.8 / max(len(designs), 1)
    for i, label in enumerate(designs):
        values = [next((float(r[measure]) for r in table.where(trace=t, n=n, design=label)),  # type: ignore[arg-type]
                       float("nan")) for t, n in groups]
        ax.bar([g + i * width for g in range(len(groups))], values, width, label=label)
    ax.set_xticks([g + 0.4 - width / 2 for g in range(len(groups))],
                  [f"{t}, n = {n}" for t, n in groups])
    return _save(fig, ax, directory, name)
