"""The documentation stays true: every file that a doc, comment or docstring names exists.

Checked over the .py, .md and .numa files that git tracks:
- every path-like reference (`spec/ir/evaluate.py`, `docs/design.md`, ...) names a file
  relative to the repository root, and every folder reference (`checker/smt/`) a folder;
- every relative Markdown link resolves from the file that contains it;
- every bare Python file name (`layout.py`) is the name of some file in the repository;
- nothing names the design file that lived outside the repository (now docs/design.md) or an
  absolute path under /work or /home; and no tracked file at all, data included (recorded
  traces, goldens, topologies), names one under /work, /home or /tmp, which a user has none
  of (a tool's output that records where it ran is rewritten to the repository path);
- no docstring cites an issue number.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOP = r"(?:spec|model|checker|traces|api|tests|docs|bench|examples|editors)"
EXTENSIONS = r"(?:py|md|numa|lark|json|jsonl|txt|pml)"
FILE_REF = re.compile(r"(?<![\w-])" + TOP + r"/[\w./-]*\w\." + EXTENSIONS + r"\b")
DIR_REF = re.compile(r"(?<![\w./-])(" + TOP + r"/(?:[\w.-]+/)*)(?![\w.*-])")
BARE_PY = re.compile(r"(?<![\w./*-])(\w+\.py)\b")
MD_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
ISSUE = re.compile(r"\bissues?\s*#?\d+|\(#\d+\)|\bPR\s*#?\d+", re.IGNORECASE)

# Files that a command writes; the docs show where they go, they are not in git.
WRITTEN_BY_COMMANDS: set[str] = set()  # none yet

ALLOWED = WRITTEN_BY_COMMANDS

# Where a path-like string is data, not a reference (generated fixtures of bad input).
SKIP = ("tests/corpus/bad/", "tests/traces/bad/")


def _listed(*patterns: str) -> list[str]:
    """The repository's files (matching `patterns`): git's list in a checkout, else (an
    unpacked sdist, which holds exactly the tracked files) every file outside build output."""
    listed = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True,
                            text=True)
    if listed.returncode == 0:
        return listed.stdout.splitlines()
    unbuilt = (p for p in ROOT.rglob("*") if p.is_file() and not _built(p.relative_to(ROOT)))
    return sorted(str(p.relative_to(ROOT)) for p in unbuilt
                  if not patterns or any(p.match(pattern) for pattern in patterns))


def _built(relative: Path) -> bool:
    """Made by installing, building or testing, not part of the sources."""
    return relative.name == "PKG-INFO" or relative.name == "setup.cfg" or any(
        part.startswith(".") and part not in (".ci", ".gitignore", ".pre-commit-hooks.yaml")
        or part.endswith(".egg-info") or part == "__pycache__" for part in relative.parts)


def _tracked() -> list[Path]:
    return [ROOT / line for line in _listed("*.py", "*.md", "*.numa")
            if not line.startswith(SKIP) and (ROOT / line).is_file()]


FILES = _tracked()
NAMES = {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _where(path: Path, text: str, pos: int) -> str:
    return f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, pos) + 1}"


def test_referenced_files_exist() -> None:
    missing = []
    for path in FILES:
        text = _text(path)
        for m in FILE_REF.finditer(text):
            if m.group(0) not in ALLOWED and not (ROOT / m.group(0)).is_file():
                missing.append(f"{_where(path, text, m.start())}: {m.group(0)}")
    assert not missing, "references to files that do not exist:\n" + "\n".join(missing)


def test_referenced_folders_exist() -> None:
    missing = []
    for path in FILES:
        text = _text(path)
        for m in DIR_REF.finditer(text):
            if not (ROOT / m.group(1)).is_dir():
                missing.append(f"{_where(path, text, m.start())}: {m.group(1)}")
    assert not missing, "references to folders that do not exist:\n" + "\n".join(missing)


def test_markdown_links_resolve() -> None:
    broken = []
    for path in FILES:
        if path.suffix != ".md":
            continue
        text = _text(path)
        for m in MD_LINK.finditer(text):
            target = m.group(1)
            if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                continue
            resolved = (path.parent / target).resolve()
            rel = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else ""
            if not resolved.exists() and rel not in ALLOWED:
                broken.append(f"{_where(path, text, m.start())}: {target}")
    assert not broken, "broken Markdown links:\n" + "\n".join(broken)


def test_bare_python_file_names_exist() -> None:
    missing = []
    for path in FILES:
        text = _text(path)
        for m in BARE_PY.finditer(text):
            if m.group(1) not in NAMES and m.group(1) not in ALLOWED:
                missing.append(f"{_where(path, text, m.start())}: {m.group(1)}")
    assert not missing, "Python files named that no longer exist:\n" + "\n".join(missing)


def test_no_references_outside_the_repository() -> None:
    bad = []
    pattern = re.compile("DESIGN" + r"\.md|(?<![\w.])/(?:work|home)/")
    for path in FILES:
        text = _text(path)
        for m in pattern.finditer(text):
            bad.append(f"{_where(path, text, m.start())}: {m.group(0)}")
    assert not bad, "references to files outside the repository:\n" + "\n".join(bad)


def _every_tracked_text_file() -> list[Path]:
    files = [ROOT / line for line in _listed() if (ROOT / line).is_file()]
    return [p for p in files if b"\0" not in p.read_bytes()[:8192]]  # not images


def test_no_tracked_file_names_a_path_outside_the_repository() -> None:
    bad = []
    pattern = re.compile(r"(?<![\w.~])/(?:work|home|tmp)/[\w.-]+")
    for path in _every_tracked_text_file():
        text = _text(path)
        bad += [f"{_where(path, text, m.start())}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not bad, "paths outside the repository (a user has none of them):\n" + \
        "\n".join(bad)


def _docstrings(tree: ast.AST) -> list[ast.Constant]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                found.append(body[0].value)
    return found


def test_no_docstring_cites_an_issue_number() -> None:
    bad = []
    for path in FILES:
        if path.suffix != ".py":
            continue
        for doc in _docstrings(ast.parse(_text(path))):
            m = ISSUE.search(doc.value)
            if m:
                bad.append(f"{path.relative_to(ROOT)}:{doc.lineno}: {m.group(0)}")
    assert not bad, "docstrings that cite issue numbers:\n" + "\n".join(bad)
