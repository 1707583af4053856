"""The front end as named phases: load (read + parse) → scopes → elaborate (names, types, IR).

`compile_spec` is the one entry point engines and the CLI use.  It either returns the IR with
any warnings, or raises `SpecError` carrying every diagnostic found and the source texts
needed to render them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from numaspec.spec.diagnostics import Diagnostic, Diagnostics, SpecError, fail
from numaspec.spec.elaborate.decls import Elaborator
from numaspec.spec.elaborate.symbols import ModuleScope, build_scopes
from numaspec.spec.ir import nodes as ir
from numaspec.spec.loader import LoadedModule, LoadResult, Parse, load
from numaspec.spec.syntax import nodes
from numaspec.spec.syntax.parser import parse_expression, parse_module

_DEFINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*=(.*)$", re.S)


@dataclass(frozen=True)
class CompiledSpec:
    spec: ir.Spec
    sources: dict[str, str]
    warnings: tuple[Diagnostic, ...]


def parse_defines(raw: list[str] | tuple[str, ...]) -> tuple[dict[str, tuple[nodes.Expr, str]],
                                                             dict[str, str]]:
    """`-D NAME=VALUE` arguments → {NAME: (value expression, "NAME=VALUE")}, and their texts."""
    defines: dict[str, tuple[nodes.Expr, str]] = {}
    sources: dict[str, str] = {}
    for item in raw:
        match = _DEFINE.match(item)
        if match is None or not match.group(2).strip():
            raise fail("E004", f"`-D {item}`: expected NAME=VALUE, e.g. -D PAGES=3", None)
        name, text = match.group(1), match.group(2).strip()
        if name in defines:
            raise fail("E004", f"`-D {name}` is given twice", None)
        where = f"-D {name}"
        sources[where] = text
        try:
            defines[name] = (parse_expression(text, where), f"{name}={text}")
        except SpecError as err:
            err.sources.update(sources)
            raise
    return defines, sources


_LEMMA_DECLS = (nodes.PropertyDecl, nodes.FunDecl, nodes.TypeDecl)


def _append_lemmas(root: LoadedModule, extra: nodes.Module) -> None:
    """Append the declarations of a lemma file to the root module (E630 for others)."""
    for item in extra.items:
        if not isinstance(item.decl, _LEMMA_DECLS) or (
                isinstance(item.decl, nodes.PropertyDecl) and item.decl.kind != "invariant"):
            raise fail("E630", "a lemma file may only declare invariants and the `fun`s and "
                       "`type`s they use", item.span)
    root.ast = replace(root.ast, items=root.ast.items + extra.items)


def _dedupe(items: list[Diagnostic]) -> list[Diagnostic]:
    # An inlined procedure is elaborated once per call; report each problem once.
    seen: set[tuple[str, str, object]] = set()
    out = []
    for item in items:
        key = (item.code, item.message, item.span)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def compile_spec(path: str, defines: list[str] | tuple[str, ...] = (),
                 topology: ir.Topology | None = None,
                 texts: Mapping[Path, str] | None = None,
                 lemmas: tuple[tuple[str, str], ...] = ()) -> CompiledSpec:
    """Load, check and lower the spec at `path`.  Raises `SpecError` if it is invalid.

    `texts` (resolved path → text) replaces files by unsaved editor buffers (`loader.load`).
    `lemmas` are side files, (shown path, text), each a `module` of `@lemma invariant`s (and
    the `fun`s and `type`s they use) elaborated in the root spec's scope, as if written at
    its end; their diagnostics are located in the side file."""
    parsed_defines, define_sources = parse_defines(defines)
    loaded = load(path, texts)
    sources = {**loaded.sources, **define_sources}
    for shown, text in lemmas:
        sources[shown] = text
        try:
            _append_lemmas(loaded.root, parse_module(text, shown))
        except SpecError as err:
            err.sources.update(sources)
            raise
    diags = Diagnostics()
    try:
        scopes = build_scopes(loaded.modules, diags)
        spec = Elaborator(scopes, diags, parsed_defines, topology).elaborate()
    except RecursionError:
        raise SpecError([fail("E103", "the spec is nested too deeply to check", None)
                         .diagnostics[0]], sources) from None
    problems = _dedupe(diags.items)
    if any(d.severity == "error" for d in problems):
        raise SpecError(problems, sources)
    return CompiledSpec(spec, sources, tuple(problems))


@dataclass(frozen=True)
class Analysis:
    """What an editor needs of a spec, valid or not (`analyse`)."""

    diagnostics: tuple[Diagnostic, ...]  # every error and warning found, in order
    sources: dict[str, str]  # shown file name -> text, as far as the files were read
    loaded: LoadResult | None  # None if a file could not be read or parsed
    scopes: tuple[ModuleScope, ...]  # one per loaded module, the root last
    spec: ir.Spec | None  # None unless the spec is valid


def analyse(path: str, texts: Mapping[Path, str] | None = None,
            parse: Parse = parse_module) -> Analysis:
    """Run the front end on `path` and keep every intermediate result; never raises SpecError.

    Like `compile_spec` without defines or topology override, for tools that go on after an
    error (the language server): a syntax or import error stops after loading (one
    diagnostic); otherwise all names and types are checked and every problem is reported.
    `parse` replaces `parse_module` (see `loader.load`).
    """
    try:
        loaded = load(path, texts, parse)
    except SpecError as err:
        return Analysis(tuple(err.diagnostics), err.sources, None, (), None)
    diags = Diagnostics()
    scopes: list[ModuleScope] = []
    spec: ir.Spec | None = None
    try:
        scopes = build_scopes(loaded.modules, diags)
        spec = Elaborator(scopes, diags, {}, None).elaborate()
    except RecursionError:
        diags.error("E103", "the spec is nested too deeply to check", None)
    except SpecError as err:
        diags.items.extend(err.diagnostics)
    problems = tuple(_dedupe(diags.items))
    if any(d.severity == "error" for d in problems):
        spec = None
    return Analysis(problems, loaded.sources, loaded, tuple(scopes), spec)
