"""Trace records, and the JSONL event log (docs/design.md, "Traces") read as a stream of them.

A record is what one line says before it is checked against a spec (traces/bind.py does
that): the `#meta` header, an event, or a `state` observation.  Values stay raw JSON here.
Reading is streaming: one line at a time, nothing kept, so memory does not grow with the
length of the log.  Every problem with the text itself is a `SpecError` naming the line:
E002 (not UTF-8), E500 (not JSON), E501 (not a record), E502 (too long), E503 (header).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from numaspec.spec.diagnostics import SpecError, fail
from numaspec.traces.diagnose import MAX_LINE_BYTES, column_of, short, trace_error

EVENT_KEYS = frozenset({"action", "args", "node", "ts", "post"})


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


@dataclass(slots=True)
class Observation:
    line: int
    text: str
    state: dict[str, Any]  # a partial state: variables and views of the spec
    plain: bool = False


Record = Meta | Event | Observation


def read_jsonl(path: str) -> Iterator[Record]:
    """The records of the JSONL trace at `path`, one per non-blank line, streamed."""
    stream = _open(path)
    with stream:
        number = 0
        while True:
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            text = _text(path, number, raw)
            if text.strip():
                yield parse_line(path, number, text, number == 1)


def _open(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the reading generator
    except OSError as err:
        raise fail("E001", f"cannot read {path}: {err.strerror or err}", None) from None


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
    if not isinstance(data, dict):
        raise trace_error("E501", f"line {number}: expected a JSON object, found "
                          f"{short(data)}", path, number, text)
    action = data.get("action")
    if action is not None:
        return _event(path, number, text, data, action)
    if "state" in data:
        return Observation(number, text, _observation(path, number, text, data),
                           _plain(text))
    if "#meta" in data:
        return _meta(path, number, text, data, first)
    raise trace_error("E501", f"line {number}: expected an event (\"action\"), a \"state\" "
                      "observation or the \"#meta\" header", path, number, text)


_floats = [False]  # set when the line being parsed holds a non-integer number


def _float(text: str) -> float:
    _floats[0] = True
    return float(text)


_decoder = json.JSONDecoder(parse_float=_float, parse_constant=_float)
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
    return Event(number, text, action, args, data.get("node"), post,
                 post is not None and _plain(text))


def _observation(path: str, number: int, text: str, data: dict[str, Any]) -> dict[str, Any]:
    state = data["state"]
    if type(state) is not dict:
        raise _field_error(path, number, text, "state", state, "an object")
    _unknown_keys(path, number, text, data, frozenset({"state", "ts"}))
    return state


def _meta(path: str, number: int, text: str, data: dict[str, Any], first: bool) -> Meta:
    if not first:
        raise trace_error("E503", f"line {number}: the \"#meta\" header must be the first "
                          "line of the trace", path, number, text)
    meta = data["#meta"]
    if type(meta) is not dict:
        raise _field_error(path, number, text, "#meta", meta, "an object", "E503")
    form = meta.get("format")
    if form is not None and (type(form) is not str or not form.startswith("numaspec-trace/1")):
        col, width = column_of(text, "format", form)
        raise trace_error("E503", f"line {number}: unsupported trace format {short(form)}; "
                          "this numaspec reads \"numaspec-trace/1\"", path, number, text, col,
                          width)
    return Meta(number, text, meta)


def _unknown_keys(path: str, number: int, text: str, data: dict[str, Any],
                  known: frozenset[str]) -> None:
    # keys starting with "#" are annotations for other tools (e.g. "#comment"), ignored
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
