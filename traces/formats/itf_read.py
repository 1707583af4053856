"""ITF traces read (Apalache ADR-015): numaspec's own, Apalache's and Quint's.

The document is `{"#meta": {...}, "vars": [...], "states": [...], "loop": k}`.  State 0 is an
observation of the initial state; every later state is an event whose `post` is that state.
The action of a step comes from the state's `#meta` (`"action"`, `"args"`: what numaspec
writes) or from Quint's `mbt::actionTaken` / `mbt::nondetPicks` (older Quint: `action_taken`,
`nondet_picks`); picks of `None` leave that argument open.  Quint's qualified names
(`l4::pt`) name numaspec's `l4.pt`.  Integers may be `{"#bigint": "..."}` (what ADR-015
requires and numaspec writes) or, kindly, plain JSON numbers (older files, hand-written
ones).  A state without an action name (Apalache) may be reached by any action.  States
may be partial (variables or views).
`loop` (a lasso) is kept in `Trace.loop` but plays no part in validation.

An ITF file is one JSON document, so it is read whole (up to MAX_ITF_BYTES); diagnostics name
the line where the offending state starts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from numaspec.spec.diagnostics import SpecError
from numaspec.traces.diagnose import short, trace_error
from numaspec.traces.formats.source import Source, open_source
from numaspec.traces.records import (
    LONG_NUMBER,
    MAX_DIGITS,
    DuplicateKey,
    Event,
    Observation,
    unique_keys,
)

MAX_ITF_BYTES = 512 * 1024 * 1024
_PICKS = ("mbt::nondetPicks", "nondet_picks")
_TAKEN = ("mbt::actionTaken", "action_taken")
_LONG_LINE = 300
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]')


@dataclass
class ItfDocument:
    path: str
    text: str
    meta: dict[str, Any]
    states: list[Any]
    loop: int | None
    offsets: list[tuple[int, int]]  # (offset in `text`, line) where each state starts

    def where(self, index: int) -> tuple[int, str]:
        """(line number, line text) where state `index` starts."""
        at, line = self.offsets[index] if index < len(self.offsets) else (0, 1)
        start = self.text.rfind("\n", 0, at) + 1
        end = self.text.find("\n", at)
        return line, self.text[start:end if end >= 0 else None]

    def error(self, index: int | None, message: str) -> SpecError:
        """E508 at the line of state `index`, or of the "states" key."""
        if index is None:
            at = max(self.text.find('"states"'), 0)
            line = self.text.count("\n", 0, at) + 1
            text = self.text.split("\n")[line - 1]
        else:
            line, text = self.where(index)
        where = f"state {index}: " if index is not None else ""
        return trace_error("E508", f"{where}{message}", self.path, line, text)


def read_itf(path: str | Source) -> ItfDocument:
    """Read and check the structure of the ITF file at `path` (SpecError if malformed)."""
    source = path if isinstance(path, Source) else open_source(path)
    path = source.name
    text = _read(source)
    data = _parse(path, text)
    document = ItfDocument(path, text, {}, [], None, [])
    if not isinstance(data, dict) or not isinstance(data.get("states"), list):
        raise document.error(None, 'expected an ITF object with a "states" array')
    meta, loop = data.get("#meta", {}), data.get("loop")
    if not isinstance(meta, dict):
        raise document.error(None, f'"#meta" must be an object, not {short(meta)}')
    if meta.get("format", "ITF") != "ITF":
        raise document.error(None, f'unsupported format {short(meta["format"])} in "#meta"; '
                             'this numaspec reads "ITF" (Apalache ADR-015)')
    if loop is not None and (type(loop) is not int or not 0 <= loop < len(data["states"])):
        raise document.error(None, f'"loop" must be the index of a state, not {short(loop)}')
    document.meta, document.states, document.loop = meta, data["states"], loop
    if not document.states:
        raise document.error(None, "the trace has no states")
    for index, state in enumerate(document.states):
        if not isinstance(state, dict):
            raise document.error(None, f"state {index} must be an object, not {short(state)}")
    document.offsets = _state_offsets(text)
    return document


def _parse(path: str, text: str) -> Any:
    """The JSON document `text`: E500 if it is not JSON or nested too deeply, E510 if an
    object repeats a key, E511 if a number is too long to convert."""
    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as err:
        line = text.split("\n")[err.lineno - 1] if err.lineno else ""
        raise trace_error("E500", f"{path} is not valid JSON: {err.msg}", path, err.lineno,
                          line, err.colno, 1) from None
    except RecursionError:
        raise trace_error("E500", f"{path} is nested too deeply", path, 1, None) from None
    except DuplicateKey as err:
        at = _second(text, json.dumps(err.key))
        raise _located("E510", f"the key {short(err.key)} appears twice in one object", path,
                       text, at, len(json.dumps(err.key))) from None
    except ValueError:  # only json's integer conversion limit remains
        match = LONG_NUMBER.search(text)
        raise _located("E511", f"a number of more than {MAX_DIGITS:,} digits; no value of a "
                       "spec is that large", path, text, match.start() if match else 0,
                       match.end() - match.start() if match else None) from None


def _second(text: str, token: str) -> int:
    """Where `token` occurs for the second time in `text` (or first, or 0): near enough to
    point at a repeated key."""
    first = text.find(token)
    second = text.find(token, first + 1) if first >= 0 else -1
    return second if second >= 0 else max(first, 0)


def _located(code: str, message: str, path: str, text: str, at: int,
             width: int | None) -> SpecError:
    line = text.count("\n", 0, at) + 1
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return trace_error(code, f"line {line}: {message}", path, line,
                       text[start:end if end >= 0 else None], at - start + 1, width)


def _read(source: Source) -> str:
    path = source.name
    data = source.read_all(MAX_ITF_BYTES)
    if len(data) > MAX_ITF_BYTES:
        raise trace_error("E508", f"{path} is larger than {MAX_ITF_BYTES // 2**20} MB; write "
                          "long traces as JSONL, which is read as a stream", path, 1, None)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, err.start) + 1
        end = data.find(b"\n", err.start)
        shown = data[start:end if end >= 0 else None].decode("utf-8", "replace")
        col = len(data[start:err.start].decode("utf-8", "replace")) + 1
        raise trace_error("E002", f"line {line} is not valid UTF-8 (byte "
                          f"0x{data[err.start]:02x})", path, line, shown, col, 1) from None


def _state_offsets(text: str) -> list[tuple[int, int]]:
    """(offset, line) where each element of the top-level "states" array starts (a scan of
    the tokens; the elements are known to be objects)."""
    offsets: list[tuple[int, int]] = []
    depth, key, in_states, line, counted = 0, "", False, 1, 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            if depth == 1:
                key = token
        elif token in "{[":
            if depth == 1 and token == "[" and key == '"states"':
                in_states = True
            elif in_states and depth == 2:
                line += text.count("\n", counted, match.start())
                counted = match.start()
                offsets.append((counted, line))
            depth += 1
        else:
            depth -= 1
            in_states = in_states and depth > 1
    return offsets


def itf_records(document: ItfDocument) -> Iterator[Event | Observation]:
    """State 0 as an observation, every later state as an event."""
    for index, state in enumerate(document.states):
        line, text = document.where(index)
        meta = state.get("#meta", {})
        if not isinstance(meta, dict):
            raise document.error(index, f'"#meta" must be an object, not {short(meta)}')
        values = {k.replace("::", "."): v for k, v in state.items()
                  if not k.startswith(("#", "mbt::")) and k not in _PICKS + _TAKEN}
        if len(text) > _LONG_LINE:  # a document on one line: show the state, not the line
            text = short(state, _LONG_LINE)
        if index == 0:
            yield Observation(line, text, values, index=0)
            continue
        action, args = _action(document, index, state, meta)
        yield Event(line, text, action, args, None, values, state=index)


def _action(document: ItfDocument, index: int, state: dict[str, Any],
            meta: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    action = meta.get("action", next((state[k] for k in _TAKEN if k in state), None))
    if action is not None and not isinstance(action, str):
        raise document.error(index, f"the action must be a string, not {short(action)}")
    args = meta.get("args")
    if args is None:
        picks: Any = next((state[k] for k in _PICKS if k in state), {})
        if not isinstance(picks, dict):
            raise document.error(index, f"nondeterministic picks must be an object, not "
                                 f"{short(picks)}")
        args = {name: value["value"] if _is_variant(value, "Some") else value
                for name, value in picks.items() if not _is_variant(value, "None")}
    if not isinstance(args, dict):
        raise document.error(index, f'"args" must be an object, not {short(args)}')
    return action or None, args


def _is_variant(value: Any, tag: str) -> bool:
    return isinstance(value, dict) and value.get("tag") == tag and "value" in value
