"""Front-end throughput: generate a large spec and print parse+check lines per second.

    python bench/frontend.py [--lines 5000] [--repeat 3]

A benchmark, not a test: it prints figures (best of --repeat runs) and exits 0.
Aim: 20,000 lines/s or more for parse + names + types + IR.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from numaspec.spec.pipeline import compile_spec
from numaspec.spec.syntax.parser import _driver, parse_module

HEADER = """spec bench
topology { nodes 4 frames_per_node 2 }
const PAGES = 4
type Page = 0 .. PAGES - 1
enum Kind { code, data, stack }
var pt : Map[(Node, Page), Frame] placed [k] on k.0
var global_map : Map[Page, Frame] placed on 0
var allocated : Set[Frame]
channel req[Node] : (Page, Node) capacity 4
"""

# One unit, written like the specs in spec/ (a comment per declaration, blank lines between):
# about 6 tokens per line, as in spec/lib/l4.numa (4.7) and spec/examples/pernode.numa (5.4).
BLOCK = """
// ----------------------------------------------------------------------- unit {i}

// How many steps unit {i} may take before it must wait for the others.
const LIMIT_{i} = {i} % 7 + 1

// The steps taken so far; kept on one node so that the others pay remote accesses.
var counter_{i} : 0 .. 8 placed on {node}

// Unit {i} may step on node n for page v while v is unmapped there and it has budget.
fun ok_{i}(n: Node, v: Page): bool = (n, v) not in pt and counter_{i} < LIMIT_{i}

// A pagefault of unit {i}: map the global frame if there is one, else take a local frame.
action step_{i}(n: Node, v: Page) on n {{
  require ok_{i}(n, v)
  if v in global_map {{
    pt[n, v] := global_map[v]
  }} else {{
    let free = {{ f: Frame where node_of(f) == n and f not in allocated }}
    require free != {{}}
    let f = min(free)
    allocated += {{f}}
    global_map[v] := f
    pt[n, v] := f
  }}
  counter_{i} += 1
  for m: Node where m != n and size(req[m]) < 4 {{ send (v, n) to req[m] }}
}}

// Unit {i} stays within its budget, and every node that maps a page maps the same frame.
invariant bounded_{i}: counter_{i} <= 8 and forall a, b: Node, v: Page:
  (a, v) in pt and (b, v) in pt implies pt[a, v] == pt[b, v]
"""


def generate(lines: int) -> str:
    parts = [HEADER]
    count = HEADER.count("\n")
    i = 0
    while count < lines:
        block = BLOCK.format(i=i, node=i % 4)
        parts.append(block)
        count += block.count("\n")
        i += 1
    return "".join(parts)


def lexer_tokens(text: str):  # type: ignore[no-untyped-def]
    return _driver()[1].tokens(text, 0, len(text))


def best_of(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = generate(args.lines)
    lines = text.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.numa"
        path.write_text(text)
        parse_module("spec warmup\n", "warmup")  # builds the LALR tables once
        parse_time = best_of(args.repeat, lambda: parse_module(text, str(path)))
        total_time = best_of(args.repeat, lambda: compile_spec(str(path)))
    tokens = sum(1 for _ in lexer_tokens(text))
    print(f"spec: {lines} lines, {tokens} tokens ({tokens / lines:.1f} per line), "
          f"{len(text) / 1024:.0f} KiB")
    print(f"parse only:           {parse_time * 1000:8.1f} ms  {lines / parse_time:10,.0f} lines/s")
    print(f"parse + check + IR:   {total_time * 1000:8.1f} ms  {lines / total_time:10,.0f} lines/s")
    print(f"parse + check + IR:   {tokens / total_time:10,.0f} tokens/s")
    print("aim: 20,000 lines/s for parse + check + IR")
    return 0


if __name__ == "__main__":
    sys.exit(main())
