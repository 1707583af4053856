"""Trace records, and the JSONL event log (docs/design.md, "Traces") read as a stream of them.

A record is what one line says before it is checked against a spec (traces/bind.py does
that): the `#meta` header, an event, or a `state` observation.  Values stay raw JSON here.
Reading is streaming: one line at a time, nothing kept, so memory does not grow with the
length of the log.  Every problem with the text itself is a `SpecError` naming the line:
E002 (not UTF-8), E500 (not JSON), E501 (not a record), E502 (too long), E503 (header).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from numaspec.spec.diagnostics import SpecError
from numaspec.traces.diagnose import MAX_LINE_BYTES, column_of, short, trace_error
from numaspec.traces.formats.source import Source, open_source

EVENT_KEYS = frozenset({"action", "args", "node", "ts", "post", "vc", "sent", "received"})
CAUSAL_KEYS = ("vc", "sent", "received")  # causality between per-node logs (traces/causal/)


@dataclass(slots=True)
class Meta:
    line: int
    text: str
    data: dict[str, Any]


@dataclass(slots=True)
class Event:
    """An action that happened; `action` None means any action (an ITF state without one)."""

    line: int
    text: str
    action: str | None
    args: dict[str, Any]  # partial: a missing parameter may have any value
    node: Any = None  # raw JSON; None when absent
    post: dict[str, Any] | None = None  # a partial state observed after the step
    plain: bool = False  # the line holds no bool and no number but integers (bind.Check)
    state: int | None = None  # the index of the ITF state it was read from
    ts: Any = None  # raw JSON: a number or a string; None when absent
    vc: list[int] | None = None  # the vector clock after the event (traces/causal/)
    sent: tuple[str, ...] = ()  # identities of the messages the event sends
    received: str | None = None  # identity of the message the event receives


@dataclass(slots=True)
class Observation:
    line: int
    text: str
    state: dict[str, Any]  # a partial state: variables and views of the spec
    plain: bool = False
    index: int | None = None  # the index of the ITF state it was read from
    ts: Any = None
    vc: list[int] | None = None


Record = Meta | Event | Observation


def position(record: Event | Observation) -> str:
    """Where a record is, for messages: `state 3 (line 40)` for an ITF state (a document
    on one line has every state at line 1), else `line 40`."""
    index = record.state if isinstance(record, Event) else record.index
    return f"line {record.line}" if index is None else f"state {index} (line {record.line})"


def read_jsonl(trace: str | Source) -> Iterator[Record]:
    """The records of a JSONL trace (a path, or a source already opened), one per non-blank
    line, streamed."""
    source = trace if isinstance(trace, Source) else open_source(trace)
    path = source.name
    for number, raw in enumerate(source.lines(), 1):
        text = _text(path, number, raw)
        if text.strip():
            yield parse_line(path, number, text, number == 1)


def _text(path: str, number: int, raw: bytes) -> str:
    if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
        raise trace_error("E502", f"line {number} is longer than {MAX_LINE_BYTES:,} bytes",
                          path, number, raw[:200].decode("utf-8", "replace"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        shown = raw.decode("utf-8", "replace").rstrip("\r\n")
        col = len(raw[:err.start].decode("utf-8", "replace")) + 1
        raise trace_error("E002", f"line {number} is not valid UTF-8 (byte "
                          f"0x{raw[err.start]:02x})", path, number, shown, col, 1) from None
    if number == 1 and text.startswith("\ufeff"):
        text = text[1:]  # a byte order mark
    return text.rstrip("\r\n")


def parse_line(path: str, number: int, text: str, first: bool) -> Record:
    """The record on line `number`; `first` says whether a `#meta` header may stand here."""
    try:
        _floats[0] = False
        data = _loads(text)
    except json.JSONDecodeError as err:
        raise trace_error("E500", f"line {number} is not valid JSON: {err.msg}", path,
                          number, text, err.colno, 1) from None
    except RecursionError:
        raise trace_error("E500", f"line {number} is nested too deeply", path, number,
                          text) from None
    except DuplicateKey as err:
        col, width = column_of(text, err.key)
        raise trace_error("E510", f"line {number}: the key {short(err.key)} appears twice in "
                          "one object", path, number, text, col, width) from None
    except ValueError:  # only json's integer conversion limit remains
        raise _long_number(path, number, text) from None
    if not isinstance(data, dict):
        raise trace_error("E501", f"line {number}: expected a JSON object, found "
                          f"{short(data)}", path, number, text)
    action = data.get("action")
    if action is not None:
        return _event(path, number, text, data, action)
    if "state" in data:
        observation = Observation(number, text, _observation(path, number, text, data),
                                  _plain(text), ts=data.get("ts"))
        if "vc" in data:
            observation.vc = _clock(path, number, text, data["vc"])
        return observation
    if "#meta" in data:
        return _meta(path, number, text, data, first)
    raise trace_error("E501", f"line {number}: expected an event (\"action\"), a \"state\" "
                      "observation or the \"#meta\" header", path, number, text)


_floats = [False]  # set when the line being parsed holds a non-integer number


def _float(text: str) -> float:
    _floats[0] = True
    return float(text)


class DuplicateKey(ValueError):
    """A JSON object names a key twice (json.loads would keep the last one silently)."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of `pairs`; raises DuplicateKey if a key repeats."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


def _long_number(path: str, number: int, text: str) -> SpecError:
    """E511: json refuses integers of more than sys.get_int_max_str_digits() digits."""
    match = LONG_NUMBER.search(text)
    col, width = (match.start() + 1, match.end() - match.start()) if match else (1, None)
    return trace_error("E511", f"line {number}: a number of more than "
                       f"{MAX_DIGITS:,} digits; no value of a spec is that large", path, number,
                       text, col, width)


_FORMAT = re.compile(r"numaspec-trace/1(\.[0-9]+)?")  # version 1 and its compatible 1.N
MAX_DIGITS = 4300  # Python's default limit on converting digits to an int
LONG_NUMBER = re.compile(rf"-?\d{{{MAX_DIGITS + 1},}}")
_decoder = json.JSONDecoder(parse_float=_float, parse_constant=_float,
                            object_pairs_hook=unique_keys)
_scan = _decoder.scan_once  # type: ignore[attr-defined]


def _loads(text: str) -> Any:
    """`json.loads`, without its per-call overhead when the line is one compact value (the
    slow path gives json's own error message and position)."""
    try:
        data, end = _scan(text, 0)
    except (StopIteration, ValueError):
        return _decoder.decode(text)
    return data if end == len(text) else _decoder.decode(text)


def _plain(text: str) -> bool:
    """Whether the line just parsed holds no JSON bool and no number but integers."""
    return not _floats[0] and "true" not in text and "false" not in text


def _event(path: str, number: int, text: str, data: dict[str, Any], action: Any) -> Event:
    if type(action) is not str:
        raise _field_error(path, number, text, "action", action, "a string")
    args = data.get("args", {})
    if type(args) is not dict:
        raise _field_error(path, number, text, "args", args, "an object")
    post = data.get("post")
    if post is not None and type(post) is not dict:
        raise _field_error(path, number, text, "post", post, "an object")
    ts = data.get("ts")
    if ts is not None and (not isinstance(ts, (int, float, str)) or isinstance(ts, bool)):
        raise _field_error(path, number, text, "ts", ts, "a number or a string")
    if len(data) > 1 + ("args" in data) + ("post" in data) + ("ts" in data) + ("node" in data):
        _unknown_keys(path, number, text, data, EVENT_KEYS)
        event = Event(number, text, action, args, data.get("node"), post,
                      post is not None and _plain(text), ts=ts)
        _causal(path, number, text, data, event)
        return event
    return Event(number, text, action, args, data.get("node"), post,
                 post is not None and _plain(text), ts=ts)


def _causal(path: str, number: int, text: str, data: dict[str, Any], event: Event) -> None:
    """The causal metadata of an event: its shape only (traces/causal/ checks the rest)."""
    if "vc" in data:
        event.vc = _clock(path, number, text, data["vc"])
    if "sent" in data:
        sent = data["sent"]
        if type(sent) is not list or not all(type(i) is str for i in sent):
            raise _field_error(path, number, text, "sent", sent,
                               "a list of message identities (strings)", "E520")
        event.sent = tuple(sent)
    if "received" in data:
        received = data["received"]
        if type(received) is not str:
            raise _field_error(path, number, text, "received", received,
                               "a message identity (a string)", "E520")
        event.received = received


def _clock(path: str, number: int, text: str, vc: Any) -> list[int]:
    if type(vc) is not list or not vc or not all(type(c) is int and c >= 0 for c in vc):
        raise _field_error(path, number, text, "vc", vc,
                           "a vector clock (a list of counters >= 0, one per node)", "E520")
    return vc


def _observation(path: str, number: int, text: str, data: dict[str, Any]) -> dict[str, Any]:
    state = data["state"]
    if type(state) is not dict:
        raise _field_error(path, number, text, "state", state, "an object")
    _unknown_keys(path, number, text, data, frozenset({"state", "ts", "vc"}))
    return state


def _meta(path: str, number: int, text: str, data: dict[str, Any], first: bool) -> Meta:
    if not first:
        raise trace_error("E503", f"line {number}: the \"#meta\" header must be the first "
                          "line of the trace", path, number, text)
    meta = data["#meta"]
    if type(meta) is not dict:
        raise _field_error(path, number, text, "#meta", meta, "an object", "E503")
    form = meta.get("format")
    if form is not None and (type(form) is not str or not _FORMAT.fullmatch(form)):
        col, width = column_of(text, "format", form)
        raise trace_error("E503", f"line {number}: unsupported trace format {short(form)}; "
                          "this numaspec reads \"numaspec-trace/1\"", path, number, text, col,
                          width)
    return Meta(number, text, meta)


def _unknown_keys(path: str, number: int, text: str, data: dict[str, Any],
                  known: frozenset[str]) -> None:
    # keys starting with "#" are annotations for other tools (e.g. "#comment"), ignored
    if all(k.startswith("#") for k in data.keys() - known):
        return
    unknown = [k for k in data if k not in known and not k.startswith("#")]
    if unknown:
        col, width = column_of(text, unknown[0])
        raise trace_error("E501", f"line {number}: unknown key {short(unknown[0])}; an event "
                          "has \"action\", \"args\", \"node\", \"ts\" and \"post\", an "
                          "observation \"state\"", path, number, text, col, width)


def _field_error(path: str, number: int, text: str, key: str, value: Any, expected: str,
                 code: str = "E501") -> SpecError:
    col, width = column_of(text, key, value)
    return trace_error(code, f"line {number}: \"{key}\" must be {expected}, not {short(value)}",
                       path, number, text, col, width)
