"""Diagnostics for CI: `--format sarif` (SARIF 2.1.0, for code-scanning dashboards) and
`--format github` (GitHub Actions workflow commands, shown as annotations on the diff).

Both are built from the JSON envelope (api/cli/envelope.py): its `diagnostics` (errors and
warnings with file, line and column) and, for `trace`, the divergence (a result at the trace
file's line, rule `divergence`).  `--format json` is `--json`; `--format text` the default.
"""

from __future__ import annotations

import argparse
from typing import Any

from numaspec.spec.codes import CODES

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DIVERGENCE = "divergence"


def add_format_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--format", choices=FORMATS, default="text",
                     help="how to print the result: text (default), json (as --json), sarif "
                          "(SARIF 2.1.0) or github (GitHub Actions annotations)")


def findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The envelope's diagnostics, and a trace's divergence as one more (an error)."""
    found = list(document.get("diagnostics", []))
    divergence = document.get("divergence")
    if divergence:
        where = f"state {divergence['state']}" if divergence.get("state") is not None \
            else f"line {divergence['line']}"
        found.append({"code": DIVERGENCE, "severity": "error",
                      "message": f"the trace does not conform at {where}: "
                                 f"{divergence['event']}", "file": document.get("trace"),
                      "line": divergence["line"], "column": None, "end_line": None,
                      "end_column": None, "notes": []})
    return found


def sarif(document: dict[str, Any]) -> dict[str, Any]:
    """The envelope as a SARIF 2.1.0 log: one run, a rule per code, a result per finding."""
    found = findings(document)
    codes = sorted({d["code"] for d in found})
    rules = [{"id": code, "shortDescription": {"text": CODES.get(
        code, "the trace does not conform to the spec")}} for code in codes]
    results = [_result(d, codes.index(d["code"])) for d in found]
    driver = {"name": "numaspec", "version": document["version"], "rules": rules}
    invocation = {"executionSuccessful": document["exit_code"] != 2,
                  "exitCode": document["exit_code"],
                  "commandLine": f"numaspec {document['command']}"}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "invocations": [invocation],
                      "results": results}]}


def _result(diagnostic: dict[str, Any], index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic["code"], "ruleIndex": index,
        "level": "error" if diagnostic["severity"] == "error" else "warning",
        "message": {"text": _message(diagnostic)}}
    if diagnostic["file"]:
        region = {key: diagnostic[field] for key, field in (
            ("startLine", "line"), ("startColumn", "column"), ("endLine", "end_line"),
            ("endColumn", "end_column")) if diagnostic.get(field)}
        location: dict[str, Any] = {"artifactLocation": {"uri": diagnostic["file"]}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def _message(diagnostic: dict[str, Any]) -> str:
    notes = "".join(f"\nnote: {n}" for n in diagnostic["notes"])
    return diagnostic["message"] + notes


def github(document: dict[str, Any]) -> list[str]:
    """One workflow command per finding: `::error file=F,line=L,col=C,title=CODE::message`."""
    lines = []
    for d in findings(document):
        level = "error" if d["severity"] == "error" else "warning"
        fields = [f"{key}={_escape(str(d[name]), True)}" for key, name in (
            ("file", "file"), ("line", "line"), ("col", "column"), ("endLine", "end_line"),
            ("endColumn", "end_column")) if d.get(name)]
        fields.append(f"title={_escape(d['code'], True)}")
        lines.append(f"::{level} {','.join(fields)}::{_escape(_message(d), False)}")
    return lines


def _escape(text: str, property_value: bool) -> str:
    """GitHub's escaping of workflow command data (and of property values)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text
