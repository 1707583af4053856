"""Invariant inference (`numaspec infer`) and what it buys `prove`, plus BMC's depth in a
time limit.  A benchmark, not a test: run it on a quiet machine.

For each design (tests/corpus/infer/lock.numa, spec/examples/single_as.numa,
spec/examples/pernode_rootpager.numa, and P1 = spec/examples/pernode.numa with its lemma
section removed) prints the inference time, the candidates generated and kept, whether the
spec's invariants are inductive with them, and then the time `prove --lemmas` needs for
NODES = 2..--max-nodes.  Last, BMC on P1 without lemmas with --depth 12 and --time-limit:
the depth reached.  CPU seconds are printed next to wall seconds (the machine may be shared).

    python bench/infer.py [--max-nodes 8] [--infer-timeout 300] [--bmc-limit 120] [--only NAME]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from numaspec.checker.infer import InferOptions, infer, lemma_file
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.spec.pipeline import compile_spec

ROOT = Path(__file__).resolve().parent.parent
DESIGNS = {"lock": ROOT / "tests/corpus/infer/lock.numa",
           "single_as": ROOT / "spec/examples/single_as.numa",
           "pernode_rootpager": ROOT / "spec/examples/pernode_rootpager.numa",
           "p1_without_lemmas": ROOT / "spec/examples/pernode.numa"}
LEMMAS_START = "-" * 87 + "\n// Lemmas"
LEMMAS_END = "// Every global unmap eventually"


def without_lemmas(path: Path, folder: Path) -> Path:
    """P1 with its lemma section (and the helper funs of its lemmas) cut out."""
    text = path.read_text()
    start, end = text.index("// " + LEMMAS_START), text.index(LEMMAS_END)
    out = folder / "pernode_no_lemmas.numa"
    out.write_text(text[:start] + text[end:])
    return out


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> str:
    wall, cpu = clocks()
    return f"{wall - start[0]:.1f} s ({cpu - start[1]:.1f} s CPU)"


def bench_design(name: str, path: Path, folder: Path, args: argparse.Namespace) -> None:
    compiled = compile_spec(str(path))
    start = clocks()
    result = infer(str(path), compiled.spec, compiled.sources[compiled.spec.path], (),
                   InferOptions((2, 3), args.infer_timeout))
    verdict = "inductive" if result.proved else "not inductive" if result.complete \
        else "timeout"
    print(f"| {name} | {since(start)} | {result.generated} | {len(result.kept)} | "
          f"{verdict} |", flush=True)
    if not result.proved:
        return
    lemmas = folder / f"{name}.lemmas.numa"
    lemmas.write_text(lemma_file(str(path), result.kept, []))
    for nodes in range(2, args.max_nodes + 1):
        spec = compile_spec(str(path), [f"NODES={nodes}"],
                            lemmas=((str(lemmas), lemmas.read_text()),)).spec
        start = clocks()
        proved = prove(spec, ProveOptions())
        print(f"|   prove --lemmas, NODES={nodes} | {since(start)} | | | {proved.verdict} |",
              flush=True)


def bench_bmc(path: Path, limit: float) -> None:
    spec = compile_spec(str(path)).spec
    start = clocks()
    depths: list[str] = []
    result = bmc(spec, BmcOptions(depth=12, time_limit=limit),
                 lambda report: depths.append(f"{report.depth}@{report.seconds:.0f}s"))
    print(f"BMC P1 without lemmas, --depth 12 --time-limit {limit:g}: {result.verdict}, "
          f"{result.stopped_by}; {since(start)}; clean depths: {', '.join(depths)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-nodes", type=int, default=8)
    parser.add_argument("--infer-timeout", type=float, default=300.0)
    parser.add_argument("--bmc-limit", type=float, default=120.0)
    parser.add_argument("--only", choices=[*DESIGNS, "bmc"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        p1 = without_lemmas(DESIGNS["p1_without_lemmas"], folder)
        print("| design | infer time | candidates | kept | result |")
        print("|---|---|---|---|---|")
        for name, path in DESIGNS.items():
            if args.only in (None, name):
                bench_design(name, p1 if name == "p1_without_lemmas" else path, folder, args)
        if args.only in (None, "bmc"):
            bench_bmc(p1, args.bmc_limit)


if __name__ == "__main__":
    main()
