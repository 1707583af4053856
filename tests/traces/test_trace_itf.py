"""ITF: numaspec's files load back identically; Quint's and Apalache's styles validate;
ITF values (#bigint, #map, #tup, #set, variants) decode by type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import P1, run_cli

from numaspec.checker.simulate import SimulateOptions, simulate
from numaspec.model.machine import Model
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap
from numaspec.spec.pipeline import compile_spec
from numaspec.traces.formats.itf import ItfWriter, write_itf
from numaspec.traces.formats.itf_values import ValueFormatError, decode, encode
from numaspec.traces.formats.jsonl import write_jsonl
from numaspec.traces.formats.load import load_trace

QUINT = "tests/traces/data/quint_style.itf.json"
SPECS = [P1, "tests/corpus/good/constructs.numa", "tests/corpus/small/leaky_pager.numa",
         "spec/examples/migration.numa", "spec/examples/node_local.numa",
         "spec/examples/pernode_rootpager.numa", "spec/examples/single_as.numa"]
pytestmark = pytest.mark.usefixtures("at_root")


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("seed", [0, 1])
def test_itf_written_by_numaspec_loads_back_identically(spec: str, seed: int,
                                                       tmp_path: Path) -> None:
    compiled = compile_spec(spec)
    model = Model(compiled.spec)
    trace = simulate(compiled.spec, SimulateOptions(60, 1, seed, deadlock=False)).last_trace
    assert trace is not None and trace.steps
    first, second = tmp_path / "a.itf.json", tmp_path / "b.itf.json"
    write_itf(str(first), model, trace, compiled)
    loaded = load_trace(model, str(first))
    assert loaded == trace
    write_itf(str(second), model, loaded, compiled)
    assert first.read_text() == second.read_text()


@pytest.mark.parametrize("spec", SPECS)
def test_jsonl_written_by_numaspec_loads_back_identically(spec: str, tmp_path: Path) -> None:
    compiled = compile_spec(spec)
    model = Model(compiled.spec)
    trace = simulate(compiled.spec, SimulateOptions(60, 1, 5, deadlock=False)).last_trace
    assert trace is not None and trace.steps
    write_jsonl(str(tmp_path / "t.jsonl"), model, trace, compiled)
    assert load_trace(model, str(tmp_path / "t.jsonl")) == trace


def test_incomplete_traces_do_not_load(tmp_path: Path) -> None:
    model = Model(compile_spec(P1).spec)
    log = tmp_path / "t.jsonl"
    log.write_text('{"action":"fault","args":{"n":1,"v":0}}\n')
    with pytest.raises(SpecError, match="E501"):
        load_trace(model, str(log))


def test_streamed_itf_is_the_same_document(tmp_path: Path) -> None:
    compiled = compile_spec(P1)
    model = Model(compiled.spec)
    trace = simulate(compiled.spec, SimulateOptions(30, 1, 3)).last_trace
    assert trace is not None
    whole, streamed = tmp_path / "whole.itf.json", tmp_path / "streamed.itf.json"
    write_itf(str(whole), model, trace, compiled)
    writer = ItfWriter(str(streamed), model, compiled)
    writer.state(trace.initial, None)
    for step in trace.steps:
        writer.state(step.state, step.instance)
    writer.close()
    assert json.loads(whole.read_text()) == json.loads(streamed.read_text())
    assert load_trace(model, str(streamed)) == trace


def test_lasso_keeps_its_loop(tmp_path: Path) -> None:
    out = tmp_path / "lasso.itf.json"
    spec = "tests/corpus/small/live_intermittent.numa"
    assert run_cli(["check", spec, "--trace-out", str(out)]).status == 1
    loaded = load_trace(Model(compile_spec(spec).spec), str(out))
    assert loaded.loop == json.loads(out.read_text())["loop"]


# ---------------------------------------------------------------- other tools
def test_quint_style_itf_validates() -> None:
    text = Path(QUINT).read_text()
    assert all(tag in text for tag in ('"#bigint"', '"#map"', '"#tup"', '"#set"',
                                       '"mbt::actionTaken"', '"mbt::nondetPicks"'))
    run = run_cli(["trace", P1, QUINT])
    assert run.status == 0
    assert "conforms" in run.out


def test_quint_style_itf_divergence_names_the_state_line(tmp_path: Path) -> None:
    document = json.loads(Path(QUINT).read_text())
    document["states"][5]["acks"] = {"#map": [[{"#bigint": "0"}, {"#bigint": "2"}]]}
    bad = tmp_path / "bad.itf.json"
    bad.write_text(json.dumps(document, indent=2))
    run = run_cli(["trace", P1, str(bad), "--json"])
    assert run.status == 1
    divergence = json.loads(run.out)["divergence"]
    line = bad.read_text().splitlines()[divergence["line"] - 1]
    assert line.strip() == "{" and divergence["event"] == "recv_ack(n=1)"
    assert "acks: the spec has {0 -> 1}" in divergence["candidates"][0]["reasons"][0]["message"]


def test_apalache_style_itf_without_actions_validates(tmp_path: Path) -> None:
    document = json.loads(Path(QUINT).read_text())
    for state in document["states"]:
        del state["mbt::actionTaken"], state["mbt::nondetPicks"]
    plain = tmp_path / "apalache.itf.json"
    plain.write_text(json.dumps(document))
    first = run_cli(["trace", P1, str(plain)])
    assert first.status == 0
    document["states"][2], document["states"][3] = document["states"][3], document["states"][2]
    plain.write_text(json.dumps(document))
    second = run_cli(["trace", P1, str(plain)])
    assert second.status == 1
    assert "some action" in first.out + second.out


def test_nondet_picks_of_none_leave_the_argument_open(tmp_path: Path) -> None:
    document = json.loads(Path(QUINT).read_text())
    document["states"][1]["mbt::nondetPicks"]["n"] = {"tag": "None", "value": {"#tup": []}}
    partial = tmp_path / "partial.itf.json"
    partial.write_text(json.dumps(document))
    assert run_cli(["trace", P1, str(partial)]).status == 0


# ---------------------------------------------------------------------- values
NODE, PAGE = t.NodeType(3), t.IntType(0, 1)


@pytest.mark.parametrize("data, typ, value", [
    ({"#bigint": "2"}, NODE, 2),
    (2, NODE, 2),
    ({"#tup": [1, {"#bigint": "0"}]}, t.TupleType((NODE, PAGE)), (1, 0)),
    ({"#set": [1, 0]}, t.SetType(PAGE), frozenset({0, 1})),
    ({"#map": [[{"#tup": [1, 0]}, 2]]}, t.MapType(t.TupleType((NODE, PAGE)), NODE),
     FrozenMap({(1, 0): 2})),
    ({"tag": "Some", "value": 1}, t.OptionType(NODE), 1),
    ({"tag": "None", "value": {"#tup": []}}, t.OptionType(NODE), None),
    (None, t.OptionType(NODE), None),
    (1, t.OptionType(NODE), 1),
    ({"frame": 1, "rights": {"#set": ["r"]}},
     t.RecordType((("frame", NODE), ("rights", t.SetType(t.EnumType("R", ("r", "w")))))),
     (1, frozenset({0}))),
    ([0, 1], t.SeqType(PAGE, 2), (0, 1)),
    ({"tag": "w", "value": {"#tup": []}}, t.EnumType("R", ("r", "w")), 1),
])
def test_values_decode_and_encode(data: object, typ: t.Type, value: object) -> None:
    assert decode(data, typ) == value
    assert decode(encode(value, typ), typ) == value


@pytest.mark.parametrize("data, typ", [
    (3, NODE), (True, NODE), (1.0, NODE), ({"#bigint": "x"}, NODE), ([0, 1, 1], t.SeqType(PAGE, 2)),
    ({"#map": [[0, 1], [0, 2]]}, t.MapType(PAGE, NODE)), ("q", t.EnumType("R", ("r", "w"))),
    ({"frame": 1}, t.RecordType((("frame", NODE), ("rights", NODE)))), (1, t.BoolType()),
])
def test_ill_typed_values_are_refused(data: object, typ: t.Type) -> None:
    with pytest.raises(ValueFormatError):
        decode(data, typ)
