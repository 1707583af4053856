"""Malformed traces: file name -> (contents, extra command-line arguments).

`numaspec trace spec/examples/pernode.numa NAME` must exit 2 with exactly the golden
diagnostic `<stem>.expected` (next to this file) and no traceback.  Each case is malformed at
the line its name or comment says, after lines that are fine, so the line number is tested.
"""

from __future__ import annotations

OK1 = b'{"action":"fault","args":{"n":1,"v":0},"node":1}\n'
OK2 = b'{"action":"fault","args":{"n":2,"v":0},"node":2}\n'
META = (b'{"#meta":{"format":"numaspec-trace/1","constants":{"PAGES":2},"topology":'
        b'{"nodes":3,"frames_per_node":1}}}\n')
# a valid state observation of the initial state (every variable)
INITIAL = (b'{"state":{"global_map":{"#map":[]},"unmapping":{"#set":[]},"acks":{"#map":[]},'
           b'"req":{"#map":[[0,[]],[1,[]],[2,[]]]}}}\n')
# diverges at line 2 (page 0 is mapped on node 1 already), then malformed at line 3
DIVERGING = OK1 + OK1


def _long_line() -> bytes:
    return OK1 + b'{"action":"fault","args":{"n":1,"v":0},"#pad":"' + b"x" * (1 << 20) + b'"}\n'


CASES: dict[str, tuple[bytes, list[str]]] = {
    # -- the text of a line
    "json_invalid.jsonl": (OK1 + b'{"action":"fault","args":{"n":1,"v":0}\n', []),
    "json_trailing_garbage.jsonl": (OK1 + OK2 + b'{"action":"fault"} x\n', []),
    "utf8_invalid.jsonl": (OK1 + b'{"action":"caf\xe9"}\n', []),
    "line_too_long.jsonl": (_long_line(), []),
    "record_not_object.jsonl": (OK1 + b"[1, 2]\n", []),
    "record_unknown_key.jsonl": (OK1 + b'{"action":"fault","arg":{"n":1}}\n', []),
    "record_neither.jsonl": (OK1 + b'{"event":"fault"}\n', []),
    "record_args_not_object.jsonl": (OK1 + b'{"action":"fault","args":[1,0]}\n', []),
    "record_action_not_string.jsonl": (OK1 + b'{"action":3}\n', []),
    "record_ts_bool.jsonl": (OK1 + b'{"action":"fault","args":{"n":2,"v":0},"ts":true}\n', []),
    "record_state_not_object.jsonl": (OK1 + b'{"state":[1]}\n', []),
    # -- the header
    "meta_not_first.jsonl": (OK1 + META, []),
    "meta_unknown_format.jsonl": (b'{"#meta":{"format":"numaspec-trace/9"}}\n' + OK1, []),
    "meta_unknown_constant.jsonl": (b'{"#meta":{"constants":{"PAGEZ":2}}}\n' + OK1, []),
    "meta_bad_constant.jsonl": (b'{"#meta":{"constants":{"PAGES":"two"}}}\n' + OK1, []),
    "meta_bad_topology.jsonl": (b'{"#meta":{"topology":{"nodes":0}}}\n' + OK1, []),
    # -- names and values against the spec
    "action_unknown.jsonl": (META + OK1 + b'{"action":"faul","args":{"n":1,"v":0}}\n', []),
    "argument_unknown.jsonl": (OK1 + b'{"action":"fault","args":{"n":1,"w":0}}\n', []),
    "argument_out_of_range.jsonl": (OK1 + b'{"action":"fault","args":{"n":7,"v":0}}\n', []),
    "argument_bool_for_int.jsonl": (OK1 + b'{"action":"fault","args":{"n":true}}\n', []),
    "argument_float.jsonl": (OK1 + b'{"action":"fault","args":{"n":1.0}}\n', []),
    "argument_bad_bigint.jsonl": (OK1 + b'{"action":"fault","args":{"n":{"#bigint":"x"}}}\n',
                                  []),
    "node_out_of_range.jsonl": (OK1 + b'{"action":"fault","args":{"n":2,"v":0},"node":3}\n',
                                []),
    "post_unknown_variable.jsonl": (
        OK1 + b'{"action":"fault","args":{"n":2,"v":0},"post":{"global_mapp":{"#map":[]}}}\n',
        []),
    "post_bool_in_map.jsonl": (
        OK1 + b'{"action":"fault","args":{"n":2,"v":0},"post":{"global_map":{"#map":[[0,true]]'
        b'}}}\n', []),
    "post_duplicate_key.jsonl": (
        OK1 + b'{"action":"fault","args":{"n":2,"v":0},"post":{"global_map":{"#map":[[0,1],'
        b'[0,1]]}}}\n', []),
    "state_ill_typed.jsonl": (INITIAL + b'{"state":{"unmapping":{"#set":[5]}}}\n', []),
    "state_unknown_view.jsonl": (INITIAL + b'{"state":{"ptt":{"#map":[]}}}\n', []),
    # -- malformed after the point where the trace stops conforming: still bad input
    "malformed_after_divergence.jsonl": (DIVERGING + b'{"action":"nope"}\n', []),
    "ill_typed_post_on_diverging_line.jsonl": (
        OK1 + b'{"action":"fault","args":{"n":1,"v":0},"post":{"acks":{"#map":[[0,false]]}}}\n',
        []),
    # -- ITF documents
    "itf_invalid_json.itf.json": (b'{\n "vars": ["x"],\n "states": [\n  {"x": 1,}\n ]\n}\n', []),
    "itf_no_states.itf.json": (b'{\n "vars": []\n}\n', []),
    "itf_state_not_object.itf.json": (b'{\n "states": [\n  {},\n  3\n ]\n}\n', []),
    "itf_unknown_action.itf.json": (
        b'{\n "states": [\n  {"#meta": {"index": 0}},\n  {"mbt::actionTaken": "falt",\n'
        b'   "global_map": {"#map": []}}\n ]\n}\n', []),
    "itf_ill_typed.itf.json": (
        b'{\n "states": [\n  {"unmapping": {"#set": []}},\n'
        b'  {"#meta": {"action": "fault"}, "unmapping": [0]}\n ]\n}\n', []),
    "itf_bad_loop.itf.json": (b'{\n "states": [{}],\n "loop": 4\n}\n', []),
    # -- arguments
    "hidden_unknown_action.jsonl": (OK1, ["--hidden", "recv_reqq"]),
}
