"""Experiment 3, kernel-data locality: how many of the accesses to page tables (`l4.pt`) and
MDB entries (`l4.mdb`) that a pagefault makes are remote, per design, on each topology.  The
paper: with per-node spaces none are (page tables and MDB entries live on the node where the
space is used); with one node-spanning space most are (they live on its home node)."""

from __future__ import annotations

from collections.abc import Sequence

from numaspec.checker.evaluation.designs import Design, Machine
from numaspec.checker.evaluation.experiments.sharing import SharingSetup, run_stream
from numaspec.checker.evaluation.tables import Table
from numaspec.checker.evaluation.workloads import Layout
from numaspec.model.outcome import Progress

FRACTION = 0.5  # half of the accesses go to shared pages: lazy-sync faults and first touches

COLUMNS = ["topology", "n", "design", "pagefaults", "kernel-data accesses per fault",
           "remote per fault", "remote share of fault kernel data (%)",
           "remote accesses per fault (all data)", "distance-weighted cost per fault",
           "remote kernel-data accesses per global unmap"]


def run(designs: Sequence[Design], machines: Sequence[Machine], setup: SharingSetup, seed: int,
        progress: Progress[str]) -> Table:
    table = Table("locality", "Kernel-data locality: accesses to page tables and MDB entries",
                  COLUMNS, note=f"The sharing-degree stream with shared fraction {FRACTION} on "
                  f"each topology ({setup.accesses:,} accesses, unmap probability "
                  f"{setup.unmap_probability}); a fault on node m is remote when it touches "
                  "kernel data homed on another node. All data: also the pagers' tables "
                  "(on node 0 in every design) and sigma0's.")
    for machine in machines:
        progress(f"kernel-data locality: {machine.name}")
        layout = Layout(machine.nodes, setup.private, setup.shared)
        for design in designs:
            driver = run_stream(design, machine, layout, FRACTION, setup, seed)
            faults = driver.phase("fault")
            every, remote, _ = faults.kernel_data()
            count = max(faults.costs.pagefaults, 1)
            unmaps = max(driver.global_unmaps, 1)
            table.add(machine.name, machine.nodes, design.label, faults.costs.pagefaults,
                      every / count, remote / count, 100 * remote / max(every, 1),
                      faults.costs.remote_accesses / count, faults.costs.access_cost / count,
                      driver.phase("unmap").kernel_data()[1] / unmaps)
    return table
