"""Throughput and memory of `numaspec trace` on long P1 logs (a benchmark, not a test).

Generates a random walk of P1 (spec/examples/pernode.numa, 3 nodes, 2 pages) of N events
(default 1,000,000) as a JSONL log with full arguments and the node of each event, then runs
`numaspec trace` on it in a child process and prints events/s and the child's peak RSS, with
RSS samples taken while it runs (flat = memory does not grow with the trace).  Then the same
log with every recv_req / recv_ack event deleted, validated with
`--hidden recv_req,recv_ack --max-hidden K` (K = the longest run of deleted events).

    python bench/trace_throughput.py [--events N] [--seed S] [--hidden-events M] [--dir D]
                                     [--per-node] [--nodes K]

`--per-node`: instead, per-node logs of P1 with K nodes (default 4), N events in total, with
vector clocks (messages and the lock of the node-0 tables: tests/traces/causal_logs.py), fully
observed and with every receive deleted (`--hidden recv_req,recv_ack`).

`--hidden-events` validates only the first M visible events of the hidden variant (default:
all of them; it is much slower, as every event is matched against a set of candidates).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from numaspec.model.machine import Model
from numaspec.spec.pipeline import compile_spec
from numaspec.traces.formats.itf_values import encode
from numaspec.traces.formats.jsonl import meta_line, state_json

ROOT = Path(__file__).resolve().parent.parent
P1 = str(ROOT / "spec" / "examples" / "pernode.numa")


def generate(path: Path, events: int, seed: int) -> None:
    """A random walk of P1 as a JSONL log (successors cached per state: P1 is small)."""
    compiled = compile_spec(P1)
    model = Model(compiled.spec)
    rng = random.Random(seed)
    state = model.initial_states()[0]
    edges: dict[object, list[tuple[str, object]]] = {}
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(meta_line(compiled), separators=(",", ":")) + "\n")
        out.write(json.dumps({"state": state_json(model, state)}, separators=(",", ":")) + "\n")
        for _ in range(events):
            choices = edges.get(state)
            if choices is None:
                choices = edges[state] = [(_event(model, state, i), nxt)
                                          for i, nxt in model.successors(state)]
            line, state = rng.choice(choices)  # type: ignore[assignment]
            out.write(line)


def _event(model: Model, state: object, instance: object) -> str:
    params = model.params(instance)  # type: ignore[arg-type]
    args = {p.name: encode(v, p.type) for p, v in zip(params, instance.args, strict=True)}  # type: ignore[attr-defined]
    event = {"action": model.action_name(instance), "args": args,  # type: ignore[arg-type]
             "node": model.node_of(state, instance)}  # type: ignore[arg-type]
    return json.dumps(event, separators=(",", ":")) + "\n"


def hide_receives(source: Path, target: Path, limit: int | None) -> tuple[int, int]:
    """Copy without receive events (at most `limit` visible events); (events, longest run)."""
    kept = run = longest = 0
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            if '"action":"recv_' in line:
                run += 1
                longest = max(longest, run)
                continue
            if limit is not None and kept >= limit + 2:  # + the header and the state line
                break
            out.write(line)
            kept += 1
            run = 0
    return kept - 2, longest


def measure(args: list[str]) -> tuple[dict[str, object], float, int, list[int]]:
    """Run `numaspec trace ... --json`: (its JSON, seconds, peak RSS KB, RSS samples KB)."""
    command = [sys.executable, "-m", "numaspec.cli.main", "trace", *args, "--json"]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out)
        samples = []
        while True:  # wait4: the peak RSS of this child alone
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                break
            samples.append(_rss(child.pid))
            time.sleep(0.25)
        seconds = time.perf_counter() - start
        out.seek(0)
        result = json.loads(out.read())
    return result, seconds, usage.ru_maxrss, [s for s in samples if s]


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def report(name: str, result: dict[str, object], seconds: float, peak: int,
           samples: list[int]) -> None:
    print(f"{name}: {result['verdict']}, {result['events']:,} events, "
          f"{result['hidden_steps']:,} hidden steps inferred, largest frontier "
          f"{result['largest_frontier']}")
    print(f"  validation {result['seconds']:.1f} s = {result['events_per_second']:,} events/s "
          f"(whole command {seconds:.1f} s); peak RSS {peak / 1024:.0f} MB")
    if len(samples) >= 5:
        shown = [samples[len(samples) * i // 5] for i in range(1, 5)]
        print("  RSS at 20/40/60/80% of the run: " +
              ", ".join(f"{kb / 1024:.0f} MB" for kb in shown) +
              f" (highest sample {max(samples) / 1024:.0f} MB)")


def per_node(folder: Path, events: int, nodes: int, seed: int) -> None:
    """The per-node variant (see the module's docstring)."""
    sys.path.insert(0, str(ROOT / "tests" / "traces"))
    from causal_logs import write_logs

    full, visible = folder / "logs", folder / "visible"
    full.mkdir(parents=True, exist_ok=True)
    visible.mkdir(exist_ok=True)
    start = time.perf_counter()
    paths = write_logs(full, nodes, events, seed, "vc")
    print(f"generated {events:,} P1 events on {nodes} nodes in "
          f"{time.perf_counter() - start:.1f} s: {full}")
    report(f"per-node logs of {nodes} nodes, fully observed", *measure([P1, str(full)]))
    longest = 0
    for path in paths:
        with open(path, encoding="utf-8") as lines, \
                open(visible / path.name, "w", encoding="utf-8") as out:
            run = 0
            for line in lines:
                if '"action":"recv_' in line:
                    run += 1
                    longest = max(longest, run)
                    continue
                run = 0
                out.write(line)
    k = max(longest, 8)
    report(f"per-node logs, receives hidden (--max-hidden {k})",
           *measure([P1, str(visible), "--hidden", "recv_req,recv_ack", "--max-hidden",
                     str(k)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hidden-events", type=int, default=None)
    parser.add_argument("--dir", default=None, help="where to write the logs (a temp dir)")
    parser.add_argument("--per-node", action="store_true", help="per-node logs (see above)")
    parser.add_argument("--nodes", type=int, default=4)
    options = parser.parse_args()
    folder = Path(options.dir or tempfile.mkdtemp(prefix="numaspec-trace-bench-"))
    if options.per_node:
        per_node(folder, options.events, options.nodes, options.seed)
        return
    full, visible = folder / "p1.jsonl", folder / "p1_visible.jsonl"
    start = time.perf_counter()
    generate(full, options.events, options.seed)
    print(f"generated {options.events:,} P1 events in {time.perf_counter() - start:.1f} s: "
          f"{full} ({full.stat().st_size / 1e6:.0f} MB)")
    report("fully observed", *measure([P1, str(full)]))
    count, k = hide_receives(full, visible, options.hidden_events)
    print(f"receive events deleted: {count:,} visible events left, longest run of hidden "
          f"events {k}")
    report(f"recv_req/recv_ack hidden (--max-hidden {k})",
           *measure([P1, str(visible), "--hidden", "recv_req,recv_ack", "--max-hidden",
                     str(k)]))
    if options.dir is None:
        for path in (full, visible):
            os.unlink(path)
        folder.rmdir()


if __name__ == "__main__":
    main()
