"""`--format sarif` (validated against the SARIF 2.1.0 schema, tests/data/) and `--format
github` for the diagnostics of parse, lint and trace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import P1, ROOT, run_cli

jsonschema = pytest.importorskip("jsonschema")
# SARIF 2.1.0 (rtm.5, as schemastore.org publishes it), from the npm package
# @microsoft/jest-sarif 1.0.0-beta.0 (MIT): see tests/data/README.md
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.schema.json").read_text())
LINT = "tests/corpus/smt/lint_target.numa"
pytestmark = pytest.mark.usefixtures("at_root")


def sarif_of(argv: list[str], status: int) -> dict:
    run = run_cli([*argv, "--format", "sarif"])
    assert run.status == status, run.out + run.err
    log = json.loads(run.out)
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log))
    assert not errors, [e.message for e in errors[:5]]
    assert log["runs"][0]["invocations"][0]["exitCode"] == status
    return log  # type: ignore[no-any-return]


def results(log: dict) -> list[dict]:
    return log["runs"][0]["results"]  # type: ignore[no-any-return]


def test_lint_warnings_as_sarif() -> None:
    found = results(sarif_of(["lint", LINT], 1))
    assert {r["ruleId"] for r in found} == {"W610", "W611", "W613", "W614"}
    region = found[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 11 and region["startColumn"] == 3


def test_parse_errors_as_sarif(tmp_path: Path) -> None:
    bad = tmp_path / "bad.numa"
    bad.write_text("spec bad\naction a() { x := }\n")
    (result,) = results(sarif_of(["parse", P1, str(bad)], 2))
    assert result["ruleId"] == "E101" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == str(bad)
    assert location["region"]["startLine"] == 2
    assert results(sarif_of(["parse", P1], 0)) == []


def test_trace_divergence_and_malformed_trace_as_sarif(tmp_path: Path) -> None:
    walk = tmp_path / "walk.itf.json"
    assert run_cli(["simulate", P1, "--steps", "20", "--trace-out", str(walk)]).status == 0
    assert results(sarif_of(["trace", P1, str(walk)], 0)) == []
    document = json.loads(walk.read_text())
    document["states"][4]["global_map"] = {"#map": []}
    walk.write_text(json.dumps(document))
    (result,) = results(sarif_of(["trace", P1, str(walk)], 1))
    assert result["ruleId"] == "divergence" and "state 4" in result["message"]["text"]
    walk.write_text('{"states": 3}')
    (result,) = results(sarif_of(["trace", P1, str(walk)], 2))
    assert result["ruleId"] == "E508"


def test_github_annotations() -> None:
    run = run_cli(["lint", LINT, "--format", "github"])
    assert run.status == 1
    lines = run.out.splitlines()
    assert len(lines) == 4 and all(line.startswith("::warning file=") for line in lines)
    assert "line=11,col=3," in lines[0] and "title=W613::" in lines[0]
    assert "\n" not in lines[0] and "%0Anote: " in lines[0]  # the note, escaped


def test_format_json_is_the_envelope() -> None:
    run = run_cli(["parse", P1, "--format", "json"])
    assert json.loads(run.out)["command"] == "parse"
