"""Opening a trace: its format, its header, the spec it is checked against, or the full trace.

`open_trace(path)` tells JSONL from ITF (by the name, `.json` is ITF, or by the first line)
and returns the header (`#meta`) and the stream of records.  `load_trace(model, path)` reads a
trace that gives everything (every argument, every variable of every state: what numaspec
writes) back as the `Trace` it was written from.  `compile_for(spec, header, ...)`
compiles the spec with the header's constants and topology, except those given on the
command line, which win.  Constants the header gives and the spec has are passed as `-D`; a
header constant or topology that still differs after that is E509.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from numaspec.model.findings import Step, Trace
from numaspec.model.machine import Model, State
from numaspec.spec.diagnostics import Diagnostic, Note, SpecError
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.format import format_value
from numaspec.spec.pipeline import CompiledSpec, compile_spec
from numaspec.spec.topology.resolve import parse_json
from numaspec.traces.bind import Binder, Check
from numaspec.traces.diagnose import short, trace_error
from numaspec.traces.formats.itf_read import ItfDocument, itf_records, read_itf
from numaspec.traces.formats.itf_values import ValueFormatError, decode
from numaspec.traces.formats.source import open_source
from numaspec.traces.records import Event, Meta, Observation, Record, position, read_jsonl


@dataclass
class TraceFile:
    path: str
    format: str  # "jsonl" or "itf"
    header: Meta | None  # constants and topology, when the trace has them
    records: Iterator[Record]
    document: ItfDocument | None = None  # an ITF file's document


def open_trace(path: str) -> TraceFile:
    """The trace at `path` (`-`: standard input), ready to stream; opened once, so a pipe or
    FIFO works (traces/formats/source.py).  `TraceFile.path` is the name diagnostics use.
    Raises SpecError if its start is malformed."""
    source = open_source(path)
    if _is_itf(path, source.head):
        document = read_itf(source)
        header = Meta(1, document.text.split("\n", 1)[0], document.meta) \
            if "constants" in document.meta or "topology" in document.meta else None
        return TraceFile(source.name, "itf", header, itf_records(document), document)
    records = read_jsonl(source)
    first = next(records, None)
    if isinstance(first, Meta):
        return TraceFile(source.name, "jsonl", first, records)
    return TraceFile(source.name, "jsonl", None, _chain(first, records))


def load_trace(model: Model, path: str | TraceFile) -> Trace:
    """The trace at `path` (or the one already opened: standard input is read once) as
    written by numaspec (JSONL or ITF), every step and state complete.  Raises SpecError
    (E501) where it is not."""
    trace = open_trace(path) if isinstance(path, str) else path
    path = trace.path
    loop = trace.document.loop if trace.document is not None else None
    initial: State | None = None
    steps: list[Step] = []
    binder = Binder(model, path)
    for record in trace.records:
        if isinstance(record, Observation):
            if initial is not None:
                raise _incomplete(path, record, "only the first state can be an observation")
            initial = _full(model, path, record, binder.observation(record).checks)
        elif isinstance(record, Event):
            bound = binder.event(record)
            if initial is None or len(bound.instances) != 1:
                raise _incomplete(path, record, f"{bound.label} is not a complete step of a "
                                  "trace that starts with the initial state")
            steps.append(Step(bound.instances[0], _full(model, path, record, bound.post)))
    if initial is None:
        raise trace_error("E501", "the trace has no initial state", path, 1, None)
    return Trace(initial, tuple(steps), loop)


def _full(model: Model, path: str, record: Event | Observation,
          checks: tuple[Check, ...]) -> State:
    values = {check.name: check.value for check in checks}
    missing = [name for name in model.names if name not in values]
    if missing:
        raise _incomplete(path, record, f"the state lacks the variable {missing[0]}")
    return tuple(values[name] for name in model.names)


def _incomplete(path: str, record: Event | Observation, message: str) -> SpecError:
    return trace_error("E501", f"{position(record)}: {message}", path, record.line,
                       record.text)


def _chain(first: Record | None, rest: Iterator[Record]) -> Iterator[Record]:
    if first is not None:
        yield first
    yield from rest


def _is_itf(path: str, head: bytes) -> bool:
    """ITF by the name (`.json`), JSONL by the name (`.jsonl`), else by the first line."""
    if path.endswith(".json"):
        return True
    if path.endswith(".jsonl"):
        return False
    first = head[:4096].strip()
    return first == b"{" or b'"states"' in first or b'"format":"ITF"' in first.replace(b" ", b"")


def compile_for(spec_path: str, header: Meta | None, path: str, defines: list[str],
                topology: ir.Topology | None, views: tuple[tuple[str, str], ...] = (),
                texts: Mapping[Path, str] | None = None) -> tuple[CompiledSpec, list[str]]:
    """The spec compiled for the trace, and notes on what was taken from its header.
    `views` are side files of `fun`s (path, text), elaborated in the spec's scope as
    `compile_spec`'s lemma files are: their parameterless `fun`s are views a trace may
    observe.  `texts` stand in for files as in `compile_spec` (a spec read from standard
    input is compiled again from them when the header sets constants)."""
    notes: list[str] = []
    if topology is None and header is not None and "topology" in header.data:
        topology = _topology(header, path)
        notes.append(f"topology from the trace: {topology.nodes} nodes, "
                     f"{topology.frames_per_node} frame(s) per node")
    compiled = compile_spec(spec_path, defines, topology, texts, views)
    if header is None or "constants" not in header.data:
        return compiled, notes
    given = {d.split("=", 1)[0].strip() for d in defines}
    extra = _differing(compiled, header, path, given)
    if extra:
        try:
            compiled = compile_spec(spec_path, [*defines, *extra], topology, texts, views)
        except SpecError as err:  # say where the offending value came from
            raise _from_header(err, header, path, extra) from None
        notes.append("constants from the trace: " + ", ".join(extra))
    left = _differing(compiled, header, path, given)
    if left:
        raise _error(header, path, f"the trace was written with {left[0]}, which the spec "
                     "does not have; give -D to choose the constants")
    return compiled, notes


def spec_note(header: Meta | None, spec_path: str, spec_name: str) -> str | None:
    """A warning when the header's "spec" names another spec than the one checked against
    (by name, file name or path; a file named after the spec, as for one read from standard
    input): the trace may be checked against the wrong spec."""
    named = header.data.get("spec") if header is not None else None
    if not isinstance(named, str):
        return None
    known = {spec_name, spec_path, Path(spec_path).name, Path(spec_path).stem}
    if named in known or Path(named).stem in (Path(spec_path).stem, spec_name) or \
            Path(named).resolve() == Path(spec_path).resolve():
        return None
    return (f"the trace's header names the spec {named!r}, but it was checked against "
            f"{spec_path} (spec {spec_name}): is that the spec it was written for?")


def _from_header(err: SpecError, header: Meta, path: str, extra: list[str]) -> SpecError:
    note = Note(f"the constants {', '.join(extra)} come from the trace's header "
                f"({path}:{header.line}); give -D to choose others")
    err.diagnostics[:] = [Diagnostic(d.code, d.message, d.span, d.severity, (*d.notes, note))
                          for d in err.diagnostics]
    return err


def _topology(header: Meta, path: str) -> ir.Topology:
    """The header's topology: a topology file's JSON; without "distance", the language's
    default distances (10 local, 20 remote) for "nodes" nodes."""
    data = header.data["topology"]
    if isinstance(data, dict) and "distance" not in data and type(data.get("nodes")) is int:
        nodes = data["nodes"]
        data = {**data, "distance": [[10 if i == j else 20 for j in range(nodes)]
                                     for i in range(nodes)]}
    try:
        return parse_json(json.dumps(data), "#meta topology")
    except SpecError as err:
        raise _error(header, path, err.diagnostics[0].message) from None


def _differing(compiled: CompiledSpec, header: Meta, path: str, given: set[str]) -> list[str]:
    """`NAME=VALUE` for each header constant that the spec has with another value."""
    constants = header.data["constants"]
    if not isinstance(constants, dict):
        raise _error(header, path, f'"constants" must be an object, not {short(constants)}')
    found = []
    for name, raw in constants.items():
        if name in given or name not in compiled.spec.constants:
            continue  # the command line wins; an unknown name is reported below
        value, typ = compiled.spec.constants[name]
        try:
            wanted = decode(raw, typ)
        except ValueFormatError as err:
            raise _error(header, path, f"constant {name}: {err}") from None
        if wanted != value:
            found.append(f"{name}={format_value(wanted, typ)}")
    unknown = [n for n in constants if n not in compiled.spec.constants and n not in given]
    if unknown:
        raise _error(header, path, f"the trace sets the constant {unknown[0]}, which the spec "
                     "does not have")
    return found


def _error(header: Meta, path: str, message: str) -> SpecError:
    return trace_error("E509", f"line {header.line}: {message}", path, header.line,
                       header.text)

