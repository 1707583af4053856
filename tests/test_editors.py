"""Editor support: the VS Code extension (editors/vscode/) and the pre-commit hooks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import lark
import pytest

from numaspec.cli.main import main
from numaspec.spec.syntax.lexer import OPERATORS

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = ROOT / "spec" / "syntax" / "grammar.lark"


def _patterns(node: object) -> list[tuple[str, str]]:
    """Every (scope name, regular expression) of a TextMate grammar, nested ones too."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        names = [node.get("name", "")] + [c.get("name", "") for c in
                                          node.get("captures", {}).values()]
        for key in ("match", "begin"):
            if key in node:
                found += [(name, node[key]) for name in names]
        for value in node.values():
            found += _patterns(value)
    elif isinstance(node, list):
        for value in node:
            found += _patterns(value)
    return found


def _grammar_words() -> tuple[set[str], set[str]]:
    """The keywords and the operators and punctuation of spec/syntax/grammar.lark."""
    parser = lark.Lark(GRAMMAR.read_text(), parser="lalr", lexer="basic",
                       start=["start", "expr"])
    words, symbols = set(), set()
    for terminal in parser.terminals:
        if terminal.pattern.type == "str":
            text = terminal.pattern.value
            (words if re.fullmatch(r"[A-Za-z_]\w*", text) else symbols).add(text)
    for name, texts in OPERATORS.items():
        assert name in {t.name for t in parser.terminals}
        symbols.update(texts)
    return words, symbols


def test_textmate_grammar_names_every_keyword_and_operator() -> None:
    grammar = json.loads((VSCODE / "syntaxes" / "numaspec.tmLanguage.json").read_text())
    patterns = _patterns(grammar)
    words, symbols = _grammar_words()
    assert {"spec", "action", "leads_to", "forall", "placed", "_"} <= words
    assert {":=", "->", "..", "+=", "==", "?", "@", "{"} <= symbols

    def named(text: str, scopes: tuple[str, ...]) -> bool:
        return any(name.startswith(scopes) and (m := re.match(regex, text)) is not None
                   and m.group(0) == text for name, regex in patterns)

    missing = [w for w in sorted(words) if not named(w, ("keyword", "storage", "constant",
                                                          "variable.language"))]
    assert not missing, f"keywords without a scope: {missing}"
    missing = [s for s in sorted(symbols) if not named(s, ("keyword.operator", "punctuation"))]
    assert not missing, f"operators without a scope: {missing}"


def test_problem_matcher_reads_numaspec_diagnostics(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = json.loads((VSCODE / "package.json").read_text())
    matcher = manifest["contributes"]["problemMatchers"][0]["pattern"]
    bad = tmp_path / "bad.numa"
    bad.write_text("spec bad\nvar x : 0 .. 1\ninvariant i: y\n")
    assert main(["parse", str(bad)]) == 2
    header = capsys.readouterr().err.splitlines()[0]
    found = re.match(matcher["regexp"], header)
    assert found is not None, header
    assert found.group(matcher["file"]) == str(bad)
    assert (found.group(matcher["line"]), found.group(matcher["column"])) == ("3", "14")
    assert (found.group(matcher["severity"]), found.group(matcher["code"])) == ("error", "E200")
    assert found.group(matcher["message"]) == "unknown name `y`"


def test_extension_manifest_points_at_its_files() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text())
    contributes = manifest["contributes"]
    assert (VSCODE / manifest["main"]).is_file()
    for entry in contributes["grammars"]:
        assert (VSCODE / entry["path"]).is_file()
    for entry in contributes["languages"]:
        assert entry["extensions"] == [".numa"]
        config = json.loads((VSCODE / entry["configuration"]).read_text())
        assert config["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}


def test_pre_commit_hooks_run_existing_commands() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    ids = re.findall(r"^- id: (\S+)$", text, re.M)
    entries = re.findall(r"^  entry: (.+)$", text, re.M)
    assert ids == ["numaspec-parse", "numaspec-fmt", "numaspec-lint"]
    assert entries[:2] == ["numaspec parse", "numaspec fmt --check"]
    assert "numaspec lint" in entries[2]


@pytest.mark.slow
def test_extension_package_builds(tmp_path: Path) -> None:
    """`npx @vscode/vsce package`, where node is installed and the npm registry reachable."""
    if shutil.which("npx") is None or shutil.which("npm") is None:
        pytest.skip("node is not installed")
    work = tmp_path / "vscode"
    shutil.copytree(VSCODE, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    install = subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=work,
                             capture_output=True, text=True, timeout=300)
    if install.returncode != 0:
        pytest.skip(f"npm install failed (no network?): {install.stderr[-300:]}")
    built = subprocess.run(["npx", "--yes", "@vscode/vsce", "package", "--out", "ext.vsix"],
                           cwd=work, capture_output=True, text=True, timeout=300)
    if built.returncode != 0 and "ENOTFOUND" in built.stderr + built.stdout:
        pytest.skip("@vscode/vsce cannot be fetched (no network)")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (work / "ext.vsix").stat().st_size > 10_000
