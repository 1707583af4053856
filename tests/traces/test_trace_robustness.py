"""Whatever a trace file holds, validation ends in a verdict or a diagnostic (SpecError, exit
2), never in another exception: Hypothesis writes lines that are almost right."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from harness import P1, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numaspec.model.machine import Model
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.pipeline import compile_spec
from numaspec.traces.bind import Binder
from numaspec.traces.formats.load import open_trace
from numaspec.traces.frontier import FrontierOptions
from numaspec.traces.validate import validate

MODEL = Model(compile_spec(str(ROOT / P1)).spec)
EXAMPLES = int(os.environ.get("NUMASPEC_FUZZ_EXAMPLES", "150"))

scalars = st.one_of(st.integers(-2, 4), st.booleans(), st.none(), st.sampled_from(["r", "0"]),
                    st.floats(allow_nan=False, width=16), st.just({"#bigint": "1"}))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.builds(lambda xs: {"#set": xs}, st.lists(inner, max_size=3)),
    st.builds(lambda xs: {"#tup": xs}, st.lists(inner, max_size=3)),
    st.builds(lambda xs: {"#map": xs}, st.lists(st.lists(inner, min_size=2, max_size=2),
                                                 max_size=3)),
    st.dictionaries(st.sampled_from(["tag", "value", "frame"]), inner, max_size=2)),
    max_leaves=6)
names = st.sampled_from(["global_map", "unmapping", "acks", "req", "pt", "l4.allocated", "x"])
events = st.fixed_dictionaries(
    {"action": st.sampled_from(["fault", "start_unmap", "recv_req", "recv_ack", "nope"])},
    optional={"args": st.dictionaries(st.sampled_from(["n", "v", "m", "x"]), values, max_size=2),
              "node": values, "post": st.dictionaries(names, values, max_size=2),
              "ts": values})
lines = st.one_of(
    events.map(json.dumps).map(str.encode),
    st.dictionaries(names, values, max_size=2).map(lambda s: json.dumps({"state": s}).encode()),
    st.binary(max_size=20),
    st.text(max_size=20).map(str.encode),
)


def _run(data: bytes, suffix: str, hidden: bool) -> Any:
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        trace = open_trace(path)
        options = FrontierOptions(("recv_req", "recv_ack") if hidden else (),
                                  2 if hidden else 0, 2000)
        return validate(MODEL, Binder(MODEL, path), trace.records, options)
    except SpecError:
        return None
    finally:
        os.unlink(path)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(lines, max_size=6), st.booleans())
def test_jsonl_lines_give_a_verdict_or_a_diagnostic(content: list[bytes], hidden: bool) -> None:
    result = _run(b"\n".join(content), ".jsonl", hidden)
    assert result is None or result.verdict in ("conforms", "diverges", "limit")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(events, st.dictionaries(names, values, max_size=2), values),
                max_size=4), st.one_of(st.none(), values))
def test_itf_documents_give_a_verdict_or_a_diagnostic(states: list[Any], loop: Any) -> None:
    document: dict[str, Any] = {"states": states}
    if loop is not None:
        document["loop"] = loop
    result = _run(json.dumps(document, indent=1).encode(), ".itf.json", False)
    assert result is None or result.verdict in ("conforms", "diverges", "limit")
