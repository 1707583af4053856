"""The layers: spec < model < {checker, traces} < api, read from every import with `ast`.

A module may import its own layer and the layers below it; checker and traces never import
each other.  Every import counts, also one inside a function or under TYPE_CHECKING.  No
module imports a `_private` name of another module, and no two modules import each other,
directly or around a cycle, at run time (TYPE_CHECKING imports do not run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# folder -> (package, layer)
PACKAGES = {"spec": "numaspec.spec", "model": "numaspec.model", "checker": "numaspec.checker",
            "traces": "numaspec.traces", "api": "numaspec"}
ALLOWED = {"spec": {"spec"}, "model": {"spec", "model"},
           "checker": {"spec", "model", "checker"}, "traces": {"spec", "model", "traces"},
           "api": {"spec", "model", "checker", "traces", "api"}}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (for `from m import name`: m, or m.name if a module)
    names: tuple[str, ...]
    line: int
    runtime: bool  # False under `if TYPE_CHECKING:`


def layer_of(module: str) -> str:
    for prefix, layer in (("numaspec.spec", "spec"), ("numaspec.model", "model"),
                          ("numaspec.checker", "checker"), ("numaspec.traces", "traces")):
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return "api"


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((root / folder).rglob("*.py")):
            parts = list(path.relative_to(root / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imports(module: str, path: Path, known: set[str]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(), str(path))
    type_only = {id(n) for node in ast.walk(tree) if _is_type_checking(node)
                 for child in node.body for n in ast.walk(child)}  # type: ignore[attr-defined]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        runtime = id(node) not in type_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("numaspec"):
                    yield Import(module, alias.name, (), node.lineno, runtime)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if not base.startswith("numaspec"):
                continue
            names = tuple(a.name for a in node.names)
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in known]
            for target in submodules or [base]:
                yield Import(module, target, names, node.lineno, runtime)


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and \
        node.test.id == "TYPE_CHECKING"


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[:len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def all_imports(root: Path) -> list[Import]:
    found = modules(root)
    return [imp for name, path in found.items() for imp in imports(name, path, set(found))]


def violations(root: Path) -> list[str]:
    """Every import that breaks the layers or reaches for a private name, as messages."""
    problems = []
    for imp in all_imports(root):
        low, high = layer_of(imp.module), layer_of(imp.target)
        where = f"{imp.module}:{imp.line}"
        if high not in ALLOWED[low]:
            problems.append(f"{where}: the {low} layer imports {imp.target} ({high})")
        private = [n for n in imp.names if n.startswith("_") and n != "__version__"]
        if private and imp.target != imp.module:
            problems.append(f"{where}: imports private {', '.join(private)} of {imp.target}")
    return problems


def cycles(root: Path) -> list[list[str]]:
    """Run-time import cycles between modules (a package's __init__ importing its own
    submodules is not one: importing a submodule runs its package first, always)."""
    graph: dict[str, set[str]] = {}
    for imp in all_imports(root):
        if imp.runtime and imp.target != imp.module and \
                not imp.module.startswith(imp.target + "."):
            graph.setdefault(imp.module, set()).add(imp.target)
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open" and not node.startswith(nxt + "."):
                found.append([*stack[stack.index(nxt):], nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return found


def test_every_import_respects_the_layers() -> None:
    assert violations(ROOT) == []


def test_no_import_cycles() -> None:
    assert cycles(ROOT) == []


def test_the_rule_catches_a_bad_import(tmp_path: Path) -> None:
    """The checks themselves: a spec module importing the model, traces importing the
    checker, a private name, and a cycle are all found."""
    for folder in PACKAGES:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    sources = {("spec", "a"): "from numaspec.model import b\n",
               ("model", "b"): "def f():\n    from numaspec.spec.a import _x\n",
               ("traces", "c"): "import numaspec.checker.d\n",
               ("checker", "d"): "from numaspec.checker.e import g\n",
               ("checker", "e"): "from numaspec.checker import d\n"}
    for (folder, name), text in sources.items():
        (tmp_path / folder / name).with_suffix(".py").write_text(text)
    found = violations(tmp_path)
    assert any("the spec layer imports numaspec.model.b" in p for p in found)
    assert any("the traces layer imports numaspec.checker.d" in p for p in found)
    assert any("imports private _x of numaspec.spec.a" in p for p in found)
    assert ["numaspec.checker.d", "numaspec.checker.e", "numaspec.checker.d"] in cycles(tmp_path)
