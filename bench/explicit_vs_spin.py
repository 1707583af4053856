"""numaspec's explicit checker against SPIN on P1 (the reference protocol of docs/design.md).

    python bench/explicit_vs_spin.py [--configs 3,2,1 4,2,1] [--large] [--engine bfs|dfs]
                                     [--timeout 600] [--memory 4096] [--no-spin]
                                     [--with-liveness]

For each configuration (nodes, pages, frames per node) -- by default (3,2,1), (4,2,1),
(3,3,1) and (3,2,2); `--large` adds (5,2,1), (6,2,1), (7,2,1) and (8,2,1) -- the script

- if `spin` and `gcc` are on PATH, verifies bench/p1.pml in a temporary directory:
  `spin -a -DNODES=.. -DPAGES=.. -DFRAMES_PER_NODE=.. p1.pml`, then
  `gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=<--memory> -o pan pan.c`, then `./pan -m<depth>`,
  and reads pan's "states, stored" and "errors".  A pan that reaches its memory bound (or
  the timeout) is reported as "did not finish", with the states it had stored.
  The three invariants are p1.pml's `ltl safety { [] inv }`;
  with -DSAFETY pan checks that claim as a safety property (the claim of [] p is an
  assert-style claim whose violation is an error), so no `-a` is needed.  When inv is too
  long for SPIN's LTL translator (more than 4 nodes x 2 pages or 3 x 3) the script retries
  with -DINV_NEVER, p1.pml's hand-written never claim for the same property.  -DNOREDUCE
  only keeps the count comparable in principle: P1 is one process, so partial-order
  reduction has nothing to reduce;
- runs `numaspec check pernode.numa -D NODES=.. -D PAGES=.. -D FRAMES_PER_NODE=.. --json`
  with and without `--no-symmetry` (if the installed numaspec has a `check` command;
  otherwise those columns say "numaspec check not available"), with `--max-memory` the
  same bound as pan's; from 6 nodes on only with symmetry (the unreduced graph, like
  pan's, does not fit: "skipped");

and prints the distinct states of each run and its END-TO-END wall time to a verdict (SPIN:
spin -a + gcc + pan; numaspec: the whole subprocess, interpreter start and spec compilation
included), and the ratio numaspec time / SPIN time.  For a like-for-like comparison the
numaspec runs skip the liveness property unmap_terminates (which SPIN does not check here)
if `numaspec check` has an option to do so (--no-liveness); --with-liveness adds a column:
numaspec with symmetry deciding safety AND unmap_terminates (on the symmetry quotient,
docs/explicit.md), end to end, with the graph liveness was decided on in a note.

Why the counts agree (and when they would not).  p1.pml is written so that pan's "states,
stored" is the number of reachable states of P1 (docs/design.md): one process whose loop options
are the action instances, each one d_step (one transition, no stored intermediate state, the
same program counter in every state), scratch variables `hidden`, no initialisation steps;
the never claim of [] inv stays in its initial state until a violation, so it multiplies
nothing.  numaspec's state for spec/examples/pernode.numa has more variables than P1's -- the
L4 page tables (frame and rights per mapping), the MDB, sigma0's allocated set and l4's
thread_node -- but they are in bijection with P1's: a mapping (space_on(n), v) exists iff
pt[n][v] is a frame; its rights are always RWX and its MDB parent always `none` (every pager
maps from sigma0); thread_node stays empty; acks[v] is an absent key exactly where p1.pml
has 0 outside an unmap (before v's first unmap; afterwards it stays NODES - 1 in both).  So
without symmetry numaspec's distinct states equal pan's "states, stored" (verified for
(2,1,1): 20, (2,2,1): 250, (3,1,1): 128, (3,2,1): 12,496).  With symmetry numaspec stores
one state per orbit of the node permutations (uniform topology: all NODES! of them; frames
move with their node), roughly 1/NODES! of the states -- less reduction, because symmetric
states have smaller orbits.  A mismatch without symmetry means one of the two models
diverges from P1's atomic steps (docs/design.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMELA = ROOT / "bench" / "p1.pml"
SPEC = ROOT / "spec" / "examples" / "pernode.numa"
CONFIGS = [(3, 2, 1), (4, 2, 1), (3, 3, 1), (3, 2, 2)]
LARGE = [(5, 2, 1), (6, 2, 1), (7, 2, 1), (8, 2, 1)]  # --large
UNREDUCED_UP_TO = 5  # nodes: beyond, numaspec runs with symmetry only
MEMORY_MB = 4096  # --memory: pan's -DMEMLIM and numaspec's --max-memory (a shared machine)
DID_NOT_FINISH = "did not finish"
MAX_DEPTH = 10_000_000  # pan's -m: P1's DFS stack reaches ~330,000 at (3,3,1)
NUMASPEC = [sys.executable, "-m", "numaspec.cli"]
UNAVAILABLE = "numaspec check not available"

Config = tuple[int, int, int]


@dataclass
class Run:
    """One verification: distinct states, end-to-end seconds, verdict (or why it failed),
    and the search's own rate (states/s: pan's "rate", numaspec's safety search) and, for
    numaspec, bytes per stored state."""

    states: int | None = None
    seconds: float | None = None
    verdict: str = ""
    note: str = ""
    rate: float | None = None
    bytes_per_state: float | None = None
    peak_mb: float | None = None


def _defines(config: Config) -> list[str]:
    nodes, pages, frames = config
    return [f"NODES={nodes}", f"PAGES={pages}", f"FRAMES_PER_NODE={frames}"]


def _run(cmd: list[str], cwd: str | None, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------------------ SPIN


def spin_available() -> bool:
    return shutil.which("spin") is not None and shutil.which("gcc") is not None


def run_spin(config: Config, timeout: float, memory_mb: int = MEMORY_MB) -> Run:
    """spin -a + gcc + pan on p1.pml for `config`, pan bounded to `memory_mb`; the time
    covers all three."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="numaspec-spin-") as tmp:
        shutil.copy(PROMELA, tmp)
        try:
            run = _spin_in(tmp, config, timeout, memory_mb)
        except subprocess.TimeoutExpired:
            return Run(verdict=DID_NOT_FINISH, note=f"SPIN over the timeout, {timeout:.0f} s")
    run.seconds = time.perf_counter() - start
    return run


def _spin_in(tmp: str, config: Config, timeout: float, memory_mb: int) -> Run:
    defines = [f"-D{d}" for d in _defines(config)]
    note = ""
    gen = _run(["spin", "-a", *defines, PROMELA.name], tmp, timeout)
    if gen.returncode != 0 and "tl_spin" in gen.stdout + gen.stderr:
        # inv is too long for SPIN's LTL translator: the same property as a never claim
        note = "never claim (-DINV_NEVER)"
        gen = _run(["spin", "-a", *defines, "-DINV_NEVER", PROMELA.name], tmp, timeout)
    if gen.returncode != 0:
        return Run(verdict="error", note="spin -a: " + _last_line(gen))
    cc = _run(["gcc", "-O2", "-w", "-DSAFETY", "-DNOREDUCE", f"-DMEMLIM={memory_mb}", "-o",
               "pan", "pan.c"], tmp, timeout)
    if cc.returncode != 0:
        return Run(verdict="error", note="gcc: " + _last_line(cc))
    pan = _run(["./pan", f"-m{MAX_DEPTH}"], tmp, timeout)
    run = _parse_pan(pan.stdout, note)
    if "-DMEMLIM bound" in pan.stdout or "out of memory" in pan.stdout:
        run.verdict = DID_NOT_FINISH
        run.note = (f"pan reached its memory bound, {memory_mb:,} MB" +
                    (f", after {run.states:,} states" if run.states else ""))
    return run


def _parse_pan(out: str, note: str) -> Run:
    stored = re.search(r"^\s*(\d+) states, stored", out, re.MULTILINE)
    errors = re.search(r"errors: (\d+)", out)
    rate = re.search(r"rate\s+([\d.]+) states/second", out)
    run = Run(states=int(stored.group(1)) if stored else None, note=note,
              rate=float(rate.group(1)) if rate else None)
    if errors is None:
        run.verdict, run.note = "error", "no result from pan: " + out.strip()[-200:]
    elif int(errors.group(1)) > 0:
        run.verdict = "violated"
    elif "max search depth too small" in out:
        run.verdict = "limit"
    else:
        run.verdict = "holds"
    return run


def _last_line(proc: subprocess.CompletedProcess[str]) -> str:
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return lines[-1][:200] if lines else f"exit status {proc.returncode}"


# -------------------------------------------------------------------------- numaspec


def numaspec_check_help() -> str | None:
    """The help text of `numaspec check`, or None if this numaspec has no check command."""
    try:
        proc = _run([*NUMASPEC, "check", "--help"], None, 60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def run_numaspec(config: Config, symmetry: bool, extra: list[str], timeout: float,
                 memory_mb: int = MEMORY_MB) -> Run:
    """`numaspec check --json` on pernode.numa; the time covers the whole subprocess.  The
    check's own --timeout and --max-memory stop it (exit 3, "did not finish", with its
    figures); the subprocess timeout, a little later, is the backstop."""
    cmd = [*NUMASPEC, "check", str(SPEC), "--json", *extra, "--timeout", f"{timeout:g}",
           "--max-memory", str(memory_mb)]
    for define in _defines(config):
        cmd += ["-D", define]
    if not symmetry:
        cmd.append("--no-symmetry")
    # Python's bytecode cache as on any installation (some sandboxes switch it off, which
    # adds about 0.1 s of compiling numaspec's modules to every run)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 60,
                              env=env)
    except subprocess.TimeoutExpired:
        return Run(verdict=DID_NOT_FINISH, note=f"numaspec over the timeout, {timeout:.0f} s")
    seconds = time.perf_counter() - start
    try:
        report = json.loads(proc.stdout)
        stats = report["stats"]
        graph = stats.get("liveness_graph")
        run = Run(int(stats["distinct_states"]), seconds, str(report["verdict"]),
                  rate=float(stats["states_per_second"]),
                  bytes_per_state=float(stats["bytes_per_state"]),
                  peak_mb=float(stats.get("peak_memory_mb") or 0) or None,
                  note=f"liveness on the {graph} graph ({stats['liveness_states']:,} nodes)"
                  if graph else "")
    except (ValueError, KeyError, TypeError):
        return Run(verdict="error", note=f"exit {proc.returncode}: {_last_line(proc)}")
    if run.verdict == "limit":
        run.verdict = DID_NOT_FINISH
        run.note = (f"numaspec stopped by {report.get('stopped_by')} after {run.states:,} "
                    f"states ({run.rate or 0:,.0f} states/s)")
    return run


# --------------------------------------------------------------------------- report


def _cell(run: Run | None, width: int = 24) -> str:
    if run is None:
        return f"{'-':>{width}}"
    if run.states is None or run.seconds is None:
        return f"{run.verdict:>{width}}"
    if run.verdict == DID_NOT_FINISH:
        return f"{'did not finish':>{width}}"
    text = f"{run.states:,} {run.seconds:.2f}s"
    if run.verdict != "holds":
        text += f" {run.verdict}"
    return f"{text:>{width}}"


def _ratio(run: Run | None, spin: Run | None) -> str:
    if run is None or spin is None or not run.seconds or not spin.seconds or \
            DID_NOT_FINISH in (run.verdict, spin.verdict):
        return f"{'-':>8}"
    return f"{run.seconds / spin.seconds:>7.1f}x"


@dataclass
class Row:
    """The runs of one configuration (None: not run)."""

    config: Config
    spin: Run | None
    plain: Run | None
    sym: Run | None
    live: Run | None = None  # --with-liveness: symmetry, safety and unmap_terminates


def run_config(config: Config, args: argparse.Namespace, use_spin: bool,
               extra: list[str] | None, live_extra: list[str] | None = None) -> Row:
    """Every run of one configuration: SPIN (if used), numaspec without symmetry (up to
    UNREDUCED_UP_TO nodes) and with it (`extra`: numaspec's options, None if unavailable)."""
    spin = run_spin(config, args.timeout, args.memory) if use_spin else None
    plain = sym = None
    if extra is not None:
        if config[0] <= UNREDUCED_UP_TO:
            plain = run_numaspec(config, False, extra, args.timeout, args.memory)
        else:
            plain = Run(verdict="skipped", note="the unreduced graph does not fit")
        sym = run_numaspec(config, True, extra, args.timeout, args.memory)
    live = run_numaspec(config, True, live_extra, args.timeout, args.memory) \
        if live_extra is not None and args.with_liveness else None
    return Row(config, spin, plain, sym, live)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", metavar="N,P,F",
                        help="configurations nodes,pages,frames_per_node (default: "
                             + " ".join(",".join(map(str, c)) for c in CONFIGS) + ")")
    parser.add_argument("--large", action="store_true",
                        help="add " + " ".join(",".join(map(str, c)) for c in LARGE))
    parser.add_argument("--engine", choices=["bfs", "dfs"], default="bfs")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--memory", type=int, default=MEMORY_MB, metavar="MB",
                        help="memory bound of every run: pan's -DMEMLIM, numaspec's "
                             f"--max-memory (default {MEMORY_MB})")
    parser.add_argument("--no-spin", action="store_true", help="numaspec's figures only")
    parser.add_argument("--with-liveness", action="store_true",
                        help="a column of numaspec with symmetry also checking "
                             "unmap_terminates (SPIN does not)")
    parser.add_argument("--no-vectorise", action="store_true",
                        help="numaspec's interpreted breadth-first search instead of the "
                             "vectorised one")
    args = parser.parse_args()
    configs = ([tuple(int(x) for x in c.split(",")) for c in args.configs]
               if args.configs else list(CONFIGS)) + (LARGE if args.large else [])

    use_spin = not args.no_spin and spin_available()
    if not use_spin and not args.no_spin:
        print("spin or gcc not on PATH: numaspec's figures only")
    help_text = numaspec_check_help()
    extra = ["--engine", args.engine] + (["--no-vectorise"] if args.no_vectorise else [])
    if help_text is None:
        print(UNAVAILABLE)
    live_extra = list(extra)  # the --with-liveness column keeps unmap_terminates
    if help_text is not None and "--no-liveness" in help_text:
        extra.append("--no-liveness")

    header = f"{'nodes,pages,fpn':<16}"
    if use_spin:
        header += f"{'SPIN states, time':>24}"
    header += f"{'numaspec (no sym)':>24}{'ratio':>8}{'numaspec (symmetry)':>24}{'ratio':>8}"
    header += f"{'peak MB':>9}"
    if args.with_liveness:
        header += f"{'symmetry + liveness':>24}"
    print(header)
    rows = []
    for config in configs:
        row = run_config(config, args, use_spin, None if help_text is None else extra,
                         live_extra)
        rows.append(row)
        print(_line(row, use_spin), flush=True)
    _report(rows)
    return 0


def _line(row: Row, use_spin: bool) -> str:
    line = f"{','.join(map(str, row.config)):<16}"
    if use_spin:
        line += _cell(row.spin)
    if row.sym is None:
        return line + f"{UNAVAILABLE:>64}"
    peak = f"{row.sym.peak_mb:,.0f}" if row.sym.peak_mb else "-"
    return (line + _cell(row.plain) + _ratio(row.plain, row.spin) + _cell(row.sym)
            + _ratio(row.sym, row.spin) + f"{peak:>9}"
            + (_cell(row.live) if row.live is not None else ""))


def _report(rows: list[Row]) -> None:
    """The notes under the table, and the table of search rates."""
    for row in rows:
        name = ",".join(map(str, row.config))
        for label, run in (("SPIN", row.spin), ("numaspec", row.plain),
                           ("numaspec sym", row.sym), ("numaspec sym + liveness", row.live)):
            if run is not None and run.note:
                print(f"note: {name} {label}: {run.note}")
        spin, plain = row.spin, row.plain
        if spin and plain and spin.states and plain.states and spin.states != plain.states \
                and DID_NOT_FINISH not in (spin.verdict, plain.verdict):
            print(f"note: {name}: pan stored {spin.states:,} states, numaspec without "
                  f"symmetry {plain.states:,} -- the models differ (see docstring)")
    print("times are end to end (SPIN: spin -a + gcc + pan; numaspec: the whole process); "
          "ratio = numaspec time / SPIN time; peak MB: numaspec with symmetry; the machine "
          "is shared, so figures are noisy")
    print()
    print(f"{'nodes,pages,fpn':<16}{'pan states/s':>14}{'numaspec states/s':>19}"
          f"{'fraction':>10}{'bytes/state':>13}   (no symmetry; search alone)")
    for row in rows:
        print(_rates(",".join(map(str, row.config)), row.spin, row.plain))


def _rates(name: str, spin: Run | None, plain: Run | None) -> str:
    """Search throughput without symmetry: pan's rate, numaspec's, and their ratio."""
    pan = f"{spin.rate:,.0f}" if spin and spin.rate else "-"
    ours = f"{plain.rate:,.0f}" if plain and plain.rate else "-"
    fraction = (f"{plain.rate / spin.rate:.2f}" if spin and spin.rate and plain and plain.rate
                else "-")
    size = f"{plain.bytes_per_state:.0f}" if plain and plain.bytes_per_state else "-"
    return f"{name:<16}{pan:>14}{ours:>19}{fraction:>10}{size:>13}"


if __name__ == "__main__":
    sys.exit(main())
