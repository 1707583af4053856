"""Phase 3: the symbol table of each loaded module (top-level names, duplicates, built-ins).

A module's members are reached from an importer as `alias.member`; in the IR, names declared in
an imported module carry its module name as prefix (`l4.pt`), names of the root spec none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from numaspec.spec.diagnostics import Diagnostics, Note
from numaspec.spec.loader import LoadedModule
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes

SymbolKind = Literal[
    "const", "type", "enum", "var", "channel", "fun", "proc", "action", "property", "workload",
]

BUILTIN_TYPES = frozenset({"bool", "int", "Node", "Frame", "Set", "Map", "Seq"})
BUILTIN_CONSTS = frozenset({"NODES", "FRAMES", "FRAMES_PER_NODE"})
BUILTIN_FUNCTIONS = frozenset({
    "size", "min", "max", "dom", "ran", "get", "unwrap", "head", "tail", "append", "int",
    "node", "frame", "node_of", "frames_of", "distance", "descendants", "ancestors", "range",
})
KIND_NOUNS: dict[str, str] = {
    "const": "a constant", "type": "a type", "enum": "an enum type", "var": "a state variable",
    "channel": "a channel", "fun": "a function", "proc": "a procedure", "action": "an action",
    "property": "a property", "workload": "a workload",
}
KNOWN_ANNOTATIONS: dict[str, tuple[type, ...]] = {
    "pagefault": (nodes.ActionDecl,),
    "lemma": (nodes.PropertyDecl,),
}


@dataclass
class Symbol:
    kind: SymbolKind
    name: str
    qualified: str
    decl: nodes.Decl
    module: ModuleScope
    annotations: tuple[nodes.Annotation, ...] = ()

    @property
    def span(self) -> Span:
        name = getattr(self.decl, "name", None)
        return name.span if isinstance(name, nodes.Ident) else self.decl.span


@dataclass
class ModuleScope:
    loaded: LoadedModule
    prefix: str  # "" for the root spec, "l4." for a module named l4
    symbols: dict[str, Symbol] = field(default_factory=dict)
    imports: dict[str, ModuleScope] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.loaded.ast.name.name

    def qualify(self, name: str) -> str:
        return self.prefix + name


def _kind_of(decl: nodes.Decl) -> SymbolKind | None:
    match decl:
        case nodes.ConstDecl():
            return "const"
        case nodes.TypeDecl():
            return "type"
        case nodes.EnumDecl():
            return "enum"
        case nodes.VarDecl():
            return "var"
        case nodes.ChannelDecl():
            return "channel"
        case nodes.FunDecl():
            return "fun"
        case nodes.ProcDecl():
            return "proc"
        case nodes.ActionDecl():
            return "action"
        case nodes.PropertyDecl():
            return "property"
        case nodes.WorkloadDecl():
            return "workload"
        case _:
            return None


def build_scopes(modules: list[LoadedModule], diags: Diagnostics) -> list[ModuleScope]:
    """One scope per module (same order as `modules`: dependencies first)."""
    scopes: dict[int, ModuleScope] = {}
    names: dict[str, ModuleScope] = {}
    root = modules[-1]
    for loaded in modules:
        prefix = "" if loaded is root else loaded.ast.name.name + "."
        scope = ModuleScope(loaded, prefix)
        _check_module_name(scope, names, diags, is_root=loaded is root)
        for alias, target in loaded.imports.items():
            scope.imports[alias] = scopes[id(target)]
        _collect(scope, diags)
        scopes[id(loaded)] = scope
    return [scopes[id(m)] for m in modules]


def _check_module_name(scope: ModuleScope, seen: dict[str, ModuleScope], diags: Diagnostics,
                       is_root: bool) -> None:
    ast = scope.loaded.ast
    if not is_root and ast.kind == "spec":
        diags.error("E209", f"{scope.loaded.path} is a `spec`; only a `module` can be imported",
                    ast.name.span, Note("change its first line to `module "
                                        f"{ast.name.name}`"))
    other = seen.get(ast.name.name)
    if other is not None:
        diags.error("E201", f"two modules are named `{ast.name.name}`", ast.name.span,
                    Note("the other one", other.loaded.ast.name.span))
    seen[ast.name.name] = scope


def _collect(scope: ModuleScope, diags: Diagnostics) -> None:
    for item in scope.loaded.ast.items:
        _check_annotations(item, diags)
        kind = _kind_of(item.decl)
        if kind is None:
            continue
        ident = item.decl.name  # type: ignore[union-attr]
        _declare(scope, Symbol(kind, ident.name, scope.qualify(ident.name), item.decl, scope,
                               item.annotations), diags)


def _declare(scope: ModuleScope, symbol: Symbol, diags: Diagnostics) -> None:
    name = symbol.name
    if name in BUILTIN_TYPES or name in BUILTIN_CONSTS or name in BUILTIN_FUNCTIONS:
        diags.error("E201", f"`{name}` is a built-in name and cannot be redefined", symbol.span)
        return
    if name in scope.loaded.imports:
        diags.error("E201", f"`{name}` is already the name of an imported module", symbol.span,
                    Note("imported here", scope.loaded.import_decls[name].span))
        return
    first = scope.symbols.get(name)
    if first is not None:
        diags.error("E201", f"`{name}` is defined twice", symbol.span,
                    Note(f"first defined here (as {KIND_NOUNS[first.kind]})", first.span))
        return
    scope.symbols[name] = symbol


def _check_annotations(item: nodes.Annotated, diags: Diagnostics) -> None:
    seen: set[str] = set()
    for annotation in item.annotations:
        if annotation.name in seen:
            diags.error("E208", f"`@{annotation.name}` is given twice", annotation.span)
        seen.add(annotation.name)
        allowed = KNOWN_ANNOTATIONS.get(annotation.name)
        if allowed is None:
            known = ", ".join(f"@{a}" for a in KNOWN_ANNOTATIONS)
            diags.error("E208", f"unknown annotation `@{annotation.name}`", annotation.span,
                        Note(f"known annotations: {known}"))
        elif not isinstance(item.decl, allowed) or (
            annotation.name == "lemma" and getattr(item.decl, "kind", "") != "invariant"
        ):
            target = "invariants" if annotation.name == "lemma" else "actions"
            diags.error("E208", f"`@{annotation.name}` applies only to {target}",
                        annotation.span)
