"""Writing a counterexample or walk in the format its file name asks for."""

from __future__ import annotations

from numaspec.model.findings import Finding, Trace
from numaspec.model.machine import Model
from numaspec.spec.pipeline import CompiledSpec
from numaspec.traces.formats.itf import DEFAULT_STYLE, write_itf
from numaspec.traces.formats.itf_style import ItfStyle
from numaspec.traces.formats.jsonl import write_jsonl


def write_trace(path: str, model: Model, trace: Trace, compiled: CompiledSpec,
                finding: Finding | None = None, style: ItfStyle = DEFAULT_STYLE) -> None:
    """`FILE.jsonl`: the JSONL event log; any other name: ITF.  Both are read back by
    `numaspec trace`."""
    if path.endswith(".jsonl"):
        write_jsonl(path, model, trace, compiled)
    else:
        write_itf(path, model, trace, compiled, finding, style)
