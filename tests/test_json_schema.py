"""Every command's `--json` output is one envelope that validates against its JSON Schema in
docs/schema/ (`COMMAND.schema.json`, sharing `common.schema.json`): results, violations, limits,
bad input and argument errors alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import P1, ROOT, run_cli

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

SCHEMAS = ROOT / "docs" / "schema"
LEAKY = "tests/corpus/small/leaky_pager.numa"
LIVE = "tests/corpus/small/live_intermittent.numa"
LINT = "tests/corpus/smt/lint_target.numa"
pytestmark = pytest.mark.usefixtures("at_root")


def validator(command: str) -> jsonschema.protocols.Validator:
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    registry = referencing.Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{command}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def assert_valid(command: str, argv: list[str], status: int) -> dict:
    run = run_cli([command, *argv, "--json"])
    assert run.status == status, run.out + run.err
    document = json.loads(run.out)
    errors = sorted(validator(command).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert (document["command"], document["exit_code"]) == (command, status)
    return document  # type: ignore[no-any-return]


def test_the_schemas_are_valid_schemas() -> None:
    for path in SCHEMAS.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))


CASES = [
    ("parse", [P1], 0), ("parse", [P1, "nosuch.numa"], 2),
    ("check", ["tests/corpus/small/live_fair.numa"], 0), ("check", [LEAKY], 1),
    ("check", [LIVE], 1), ("check", [P1, "--max-states", "5"], 3),
    ("check", [LEAKY, "--engine", "bmc", "--depth", "3"], 1), ("check", ["nosuch.numa"], 2),
    ("simulate", [P1, "--steps", "30"], 0), ("simulate", [LEAKY, "--steps", "30"], 1),
    ("fuzz", [LEAKY, "--examples", "30"], 1),
    ("prove", [LEAKY], 1), ("lint", [LINT], 1), ("infer", [LEAKY], 1),
    ("topology", ["uniform2"], 0), ("topology", ["nosuch"], 2),
    ("workload", ["import", "tests/corpus/workloads/tiny.csv"], 0),
    ("workload", ["import", "tests/corpus/workloads/bad/op.csv"], 2),
]


@pytest.mark.parametrize(("command", "argv", "status"), CASES,
                         ids=[f"{c}-{s}-{i}" for i, (c, _, s) in enumerate(CASES)])
def test_command_json_validates(command: str, argv: list[str], status: int) -> None:
    assert_valid(command, argv, status)


def test_violation_steps_are_structured() -> None:
    document = assert_valid("check", [LEAKY], 1)
    step = document["violation"]["steps"][0]
    assert (step["action"], step["args"], step["node"]) == ("fault", {
        "n": {"#bigint": "0"}, "v": {"#bigint": "0"}}, 0)
    assert step["changed"] == ["pt", "allocated"] and step["index"] == 1
    assert step["state"]["allocated"] == {"#set": [{"#bigint": "0"}]}
    assert document["violation"]["location"]["line"] == 23


def test_trace_json_validates(tmp_path: Path) -> None:
    walk = tmp_path / "walk.itf.json"
    assert run_cli(["simulate", P1, "--steps", "20", "--trace-out", str(walk)]).status == 0
    assert_valid("trace", [P1, str(walk)], 0)
    document = json.loads(walk.read_text())
    document["states"][3]["global_map"] = {"#map": []}
    walk.write_text(json.dumps(document))
    diverges = assert_valid("trace", [P1, str(walk)], 1)
    assert diverges["divergence"]["state"] == 3
    walk.write_text("{")
    assert assert_valid("trace", [P1, str(walk)], 2)["diagnostics"][0]["code"] == "E500"


def test_report_json_validates(tmp_path: Path) -> None:
    cex = tmp_path / "cex.itf.json"
    assert run_cli(["check", LEAKY, "--trace-out", str(cex)]).status == 1
    assert_valid("report", [str(cex), "-o", str(tmp_path / "r.html")], 0)


@pytest.mark.parametrize("command", ["parse", "check", "simulate", "fuzz", "prove", "lint",
                                     "infer", "trace", "topology", "report"])
def test_argument_errors_are_enveloped(command: str) -> None:
    run = run_cli([command, "--json", "--no-such-option"])
    assert run.status == 2 and run.exited
    document = json.loads(run.out)
    assert not list(validator(command).iter_errors(document))
    assert document["diagnostics"][0]["code"] == "E004" and document["command"] == command


def test_many_traces_json_validates(tmp_path: Path) -> None:
    for seed in range(2):
        assert run_cli(["simulate", P1, "--steps", "10", "--seed", str(seed), "--trace-out",
                        str(tmp_path / f"w{seed}.itf.json")]).status == 0
    document = assert_valid("trace", [P1, str(tmp_path)], 0)
    assert document["summary"]["conforms"] == 2
    (tmp_path / "w2.itf.json").write_text("{")
    document = assert_valid("trace", [P1, str(tmp_path)], 2)
    assert document["traces"][2]["verdict"] == "malformed"


def test_check_stopped_while_compiling_validates(tmp_path: Path) -> None:
    """A limit reached in the front end (no model to render with) is still an envelope."""
    lines = ["spec many", "topology {", "  nodes 2", "  frames_per_node 1", "}",
             "var x : 0 .. 3", *(f"action a{i}(){{}}" for i in range(30_000))]
    spec = tmp_path / "many.numa"
    spec.write_text("\n".join(lines) + "\n")
    document = assert_valid("check", [str(spec), "--timeout", "0.2"], 3)
    assert document["outcome"] == "limit" and document["stopped_by"] == "--timeout 0.2 s"

