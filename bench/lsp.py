"""Language-server latency: re-analysis of a 5,000-line spec after a change.

    python bench/lsp.py [--lines 5000] [--repeat 5]

Needs the extra `numaspec[lsp]`.  Prints (best of --repeat) the time of a whole parse, of the
server's incremental re-parse (spec/syntax/incremental.py) after an edit within a line and
after a line is added at the top (every later declaration moves), of what `numaspec lsp` does
on each change (re-parse, names, types, IR, diagnostics), and of the round trip an editor sees
over stdio: didChange sent to publishDiagnostics received.  A benchmark, not a test; it
exits 0.  Aim: re-parse under 200 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests" / "lsp")]

from frontend import generate  # noqa: E402  (bench/frontend.py: the generated spec)
from lsp_client import LspClient  # noqa: E402

from numaspec.lsp.server import analyse_document  # noqa: E402
from numaspec.spec.syntax.incremental import ParseCache  # noqa: E402
from numaspec.spec.syntax.parser import parse_module  # noqa: E402


def _edit(text: str, i: int, newline: bool = False) -> str:
    """`text` with the first constant changed (on the same line, or over two lines)."""
    return text.replace("const LIMIT_0 = ", f"const LIMIT_0 = {i} +{chr(10) if newline else ' '}",
                        1)


def best(repeat: int, run: Callable[[int], object],
         setup: Callable[[int], object] = lambda i: None) -> float:
    """The fastest of `repeat` calls of `run(i)`, each after an untimed `setup(i)`."""
    times = []
    for i in range(repeat):
        setup(i)
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return min(times)


def in_process(path: Path, text: str, repeat: int) -> dict[str, float]:
    cache = ParseCache()
    cache.parse(text, str(path))
    figures = {
        "parse, whole file": best(repeat, lambda i: parse_module(_edit(text, i), str(path))),
        "re-parse, edit within a line": best(
            repeat, lambda i: cache.parse(_edit(text, i), str(path))),
        "re-parse, line added at the top": best(
            repeat, lambda i: cache.parse(_edit(text, i, True), str(path)),
            setup=lambda i: cache.parse(text, str(path))),
    }
    analyse_document(path, {path: text}, cache)
    figures["re-analysis (parse, names, types, IR)"] = best(
        repeat, lambda i: analyse_document(path, {path: _edit(text, i)}, cache))
    return figures


def over_stdio(path: Path, text: str, repeat: int) -> float:
    client = LspClient(HERE.parent)
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "numaspec", "version": 1, "text": text}})
    client.notification("textDocument/publishDiagnostics")
    times = []
    for i in range(repeat):
        changed = _edit(text, i)
        start = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [{"text": changed}]})
        client.notification("textDocument/publishDiagnostics")
        times.append(time.perf_counter() - start)
    client.close()
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = generate(args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp).resolve() / "bench.numa"
        path.write_text(text)
        analyse_document(path, {path: text})  # warm up: LALR tables, imports
        local = in_process(path, text, args.repeat)
        remote = over_stdio(path, text, args.repeat)
    print(f"spec: {text.count(chr(10))} lines (best of {args.repeat})")
    for name, seconds in local.items():
        print(f"{name + ':':42} {seconds * 1000:8.1f} ms")
    print(f"{'didChange -> publishDiagnostics (stdio):':42} {remote * 1000:8.1f} ms")
    print("aim: re-parse on a change under 200 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
