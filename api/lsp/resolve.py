"""What a name in a spec refers to: a declaration, an enum member, a local, a module, a built-in.

Resolution mirrors the front end's rules closely enough for an editor: `alias.member` looks in
the imported module, `Enum.member` in the enum, a plain name in the enclosing declaration's
bindings before it (parameters, `let`, quantifier and loop binders), then the module's
declarations, its imports and the built-ins.  Field names of records are not resolved.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from numaspec.lsp.view import FileView, Place
from numaspec.spec.elaborate.symbols import (
    BUILTIN_CONSTS,
    BUILTIN_FUNCTIONS,
    BUILTIN_TYPES,
    KIND_NOUNS,
    ModuleScope,
    Symbol,
)
from numaspec.spec.pipeline import Analysis
from numaspec.spec.span import Span, point
from numaspec.spec.syntax import nodes
from numaspec.spec.syntax.parser import keywords


@dataclass(frozen=True)
class Target:
    """What a name denotes.  `place` is None for built-ins."""

    name: str
    kind: str  # a symbol kind (symbols.SymbolKind), or "member", "local", "module", "built-in"
    place: Place | None
    symbol: Symbol | None = None
    module: ModuleScope | None = None  # of an import alias

    def describe(self) -> str:
        if self.symbol is not None:
            return KIND_NOUNS[self.symbol.kind]
        return {"member": "an enum member", "local": "a local name", "module": "a module"}.get(
            self.kind, "a built-in name")


def views(analysis: Analysis, root: Path, text: str) -> dict[Path, FileView]:
    """A view of every loaded file (the root with `text`, the others as loaded)."""
    out: dict[Path, FileView] = {}
    for scope in analysis.scopes:
        path = real_path(scope.loaded.path)
        body = text if path == root else analysis.sources.get(scope.loaded.path, "")
        out[path] = FileView(path, body, scope)
    if root not in out:
        out[root] = FileView(root, text)
    return out


def real_path(shown: str) -> Path:
    """A file name as diagnostics show it (relative to the working directory) → its path."""
    return Path(shown).resolve()


def place_of(span: Span) -> Place:
    return Place(real_path(span.file), span)


def resolve_at(view: FileView, offset: int) -> Target | None:
    """The target of the name at `offset`, if it names something."""
    index = view.index_at(offset)
    if index is None or view.scope is None:
        return None
    lexeme = view.lexemes[index]
    if lexeme.kind != "NAME":
        return None
    dot, qualifier = view.previous(index), view.previous(index, 2)
    if dot is not None and dot.text == "." and qualifier is not None and qualifier.kind == "NAME":
        return _member(view, qualifier.text, lexeme.text, qualifier.offset)
    return _plain(view, lexeme.text, lexeme.offset)


def _member(view: FileView, qualifier: str, name: str, at: int) -> Target | None:
    scope = view.scope
    assert scope is not None
    if _is_field(view, at):
        return None
    module = scope.imports.get(qualifier)
    if module is not None:
        symbol = module.symbols.get(name)
        return _of_symbol(symbol) if symbol is not None else None
    owner = _plain(view, qualifier, at)
    if owner is not None and owner.symbol is not None and isinstance(owner.symbol.decl,
                                                                        nodes.EnumDecl):
        for member in owner.symbol.decl.members:
            if member.name == name:
                return Target(name, "member", place_of(member.span), owner.symbol)
    return None


def _is_field(view: FileView, at: int) -> bool:
    """Whether the qualifier at `at` is itself a field (`a.b.c`: `b` qualifies nothing)."""
    index = view.index_at(at)
    before = view.previous(index) if index is not None else None
    return before is not None and before.text == "."


def _plain(view: FileView, name: str, offset: int) -> Target | None:
    scope = view.scope
    assert scope is not None
    line, col = view.position(offset)
    item = view.item_at(line, col)
    if item is not None:
        local = [at for bound, at in view.bindings(item) if bound == name and at <= offset]
        if local:
            span = view.span_of(view.lexemes[view.index_at(local[-1]) or 0])
            return Target(name, "local", Place(view.path, span))
    symbol = scope.symbols.get(name)
    if symbol is not None:
        return _of_symbol(symbol)
    module = scope.imports.get(name)
    if module is not None:
        return Target(name, "module", place_of(point(module.loaded.path, 1, 1)), module=module)
    if name in BUILTIN_TYPES | BUILTIN_CONSTS | BUILTIN_FUNCTIONS:
        return Target(name, "built-in", None)
    return None


def _of_symbol(symbol: Symbol) -> Target:
    return Target(symbol.name, symbol.kind, place_of(symbol.span), symbol)


def references(files: dict[Path, FileView], target: Target, declaration: bool) -> list[Place]:
    """Every use of `target` in the loaded files (and its declaration if asked)."""
    found: list[Place] = []
    for view in files.values():
        for lexeme in view.lexemes:
            if lexeme.kind != "NAME" or lexeme.text != target.name:
                continue
            other = resolve_at(view, lexeme.offset)
            if other is None or other.place != target.place:
                continue
            place = Place(view.path, view.span_of(lexeme))
            if declaration or _start(place) != _start(target.place):
                found.append(place)
    return found


def _start(place: Place | None) -> tuple[Path, int, int] | None:
    return None if place is None else (place.path, place.span.line, place.span.col)


def completions(view: FileView, offset: int) -> list[tuple[str, str]]:
    """(label, kind) of what may be written at `offset`: members after `x.`, else names."""
    scope = view.scope
    index = _index_before(view, offset)
    if scope is None:
        return [(k, "keyword") for k in sorted(keywords())]
    word = view.lexemes[index] if index is not None else None
    typing = word is not None and word.kind not in ("WS",) and word.text[:1].isalnum()
    dot = view.previous(index) if typing and index is not None else word
    prior = view.previous(index, 2 if typing else 1) if index is not None else None
    if dot is not None and dot.text == "." and prior is not None and prior.kind == "NAME":
        return _members(view, prior.text, prior.offset)
    names = [(k, "keyword") for k in sorted(keywords())]
    names += [(n, "built-in") for n in sorted(BUILTIN_TYPES | BUILTIN_CONSTS | BUILTIN_FUNCTIONS)]
    names += [(n, s.kind) for n, s in sorted(scope.symbols.items())]
    names += [(n, "module") for n in sorted(scope.imports)]
    line, col = view.position(offset)
    item = view.item_at(line, col)
    if item is not None:
        names += [(n, "local") for n, at in view.bindings(item) if at < offset]
    return list(dict.fromkeys(names))


def _index_before(view: FileView, offset: int) -> int | None:
    """The index of the lexeme that ends at or contains the character before `offset`."""
    i = bisect.bisect_left(view.offsets, offset) - 1
    return i if i >= 0 else None


def _members(view: FileView, qualifier: str, at: int) -> list[tuple[str, str]]:
    scope = view.scope
    assert scope is not None
    module = scope.imports.get(qualifier)
    if module is not None:
        return [(n, s.kind) for n, s in sorted(module.symbols.items())]
    owner = _plain(view, qualifier, at)
    if owner is not None and owner.symbol is not None and isinstance(owner.symbol.decl,
                                                                        nodes.EnumDecl):
        return [(m.name, "member") for m in owner.symbol.decl.members]
    return []
