"""The workload file (docs/workloads.md, "The workload file"): what `numaspec workload
import` writes and the evaluation replays.  JSON: a format name and version, where the
workload came from, the node and page counts, the statistics, and the access stream as
`[node, page, "r"|"w"]` triples.  `read_workload` refuses a file that is not one (E546)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from numaspec.checker.evaluation.recorded.compact import POLICIES, Stats, Workload
from numaspec.checker.evaluation.workloads import Access
from numaspec.spec.diagnostics import Diagnostic, SpecError

FORMAT = "numaspec-workload"
VERSION = 1


def summary(workload: Workload) -> dict[str, Any]:
    """Everything but the stream: the `--json` payload of `workload import`."""
    return {"source": workload.name, "nodes": workload.nodes, "pages": workload.pages,
            "assign": workload.assign, "stats": asdict(workload.stats),
            "thread_nodes": {str(t): n for t, n in sorted(workload.thread_nodes.items())},
            "page_map": [f"{page:#x}" for page in workload.page_map]}


def workload_json(workload: Workload) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, **summary(workload),
            "accesses": [[a.node, a.page, "w" if a.write else "r"] for a in workload.stream]}


def write_workload(workload: Workload, path: Path) -> None:
    """Raises OSError."""
    path.write_text(json.dumps(workload_json(workload), separators=(",", ":")) + "\n")


def read_workload(path: Path) -> Workload:
    """The workload file at `path`.  Raises SpecError: E001 unreadable, E546 not a workload
    file of this version or inconsistent (a node or page out of range)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise _error("E001", f"cannot read {path}: {getattr(err, 'strerror', None) or err}") \
            from None
    except json.JSONDecodeError as err:
        raise _error("E546", f"{path}: not JSON ({err.msg}, line {err.lineno})") from None
    try:
        return _workload(data)
    except (KeyError, TypeError, ValueError) as err:
        raise _error("E546", f"{path}: not a {FORMAT} file of version {VERSION} ({err})") \
            from None


def _workload(data: Any) -> Workload:
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ValueError(f"format {data.get('format')!r}, version {data.get('version')!r}")
    nodes, pages = int(data["nodes"]), int(data["pages"])
    stream = [Access(int(node), int(page), write=op == "w")
              for node, page, op in data["accesses"]]
    bad = next((a for a in stream if not (0 <= a.node < nodes and 0 <= a.page < pages)), None)
    if bad is not None or nodes < 1 or data["assign"] not in POLICIES:
        raise ValueError("an access outside its nodes or pages, or an unknown assignment")
    return Workload(str(data["source"]), nodes, pages, data["assign"], stream,
                    _stats(data["stats"]),
                    tuple(int(p, 16) for p in data["page_map"]),
                    {int(t): int(n) for t, n in data["thread_nodes"].items()})


def _stats(data: dict[str, Any]) -> Stats:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                              for k, v in data.items()}
    return Stats(**fields)


def _error(code: str, message: str) -> SpecError:
    return SpecError([Diagnostic(code, message, None)])
