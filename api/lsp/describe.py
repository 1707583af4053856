"""What the language server shows: hover text, signatures, doc comments, document symbols.

A declaration's signature is its source text up to its body, on one line; its doc comment is
the run of `//` lines right above it (or the comment at the end of its line).  The type of an
expression comes from the IR, so it is known only while the spec is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from numaspec.lsp.resolve import Target, real_path
from numaspec.lsp.view import FileView
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.ir.format import format_value
from numaspec.spec.ir.walk import walk
from numaspec.spec.pipeline import Analysis
from numaspec.spec.span import Span
from numaspec.spec.syntax import nodes

MAX_SIGNATURE = 400


@dataclass(frozen=True)
class Outline:
    """A document symbol: a top-level declaration and, for an enum, its members."""

    name: str
    kind: str  # the declaration keyword: const, type, enum, var, channel, fun, proc, ...
    span: Span  # the whole declaration
    name_span: Span
    children: tuple[Outline, ...] = ()


def hover_text(target: Target | None, files: dict[Path, FileView],
               type_here: str | None) -> str | None:
    """Markdown for a hover: the signature, the doc comment, and the type under the cursor."""
    parts: list[str] = []
    if target is not None and target.symbol is not None:
        view = files.get(target.place.path) if target.place else None
        decl = target.symbol.decl
        if view is not None:
            parts.append(f"```numaspec\n{signature(view.text, decl)}\n```")
            doc = doc_comment(view.text, decl.span)
            if doc:
                parts.append(doc)
        module = target.symbol.module
        where = f" in module `{module.name}`" if module.prefix else ""
        parts.append(f"*{target.describe()}*{where}")
    elif target is not None:
        parts.append(f"`{target.name}`: *{target.describe()}*")
    if type_here is not None:
        parts.append(f"type: `{type_here}`")
    return "\n\n".join(parts) if parts else None


def signature(text: str, decl: nodes.Decl) -> str:
    """The declaration's source up to its body (the whole of a short declaration), one line."""
    span = decl.span
    end_span: Span | None = None
    match decl:
        case nodes.ProcDecl(body=body) | nodes.ActionDecl(body=body):
            end_span = body.span
        case nodes.FunDecl(body=body):
            end_span = body.span
    lines = text.split("\n")
    if isinstance(decl, nodes.PropertyDecl):
        flat = " ".join(_between(lines, span, None).split())  # a property: all of it
    else:
        flat = " ".join(_between(lines, span, end_span).split()).rstrip("=: {").rstrip()
    return flat if len(flat) <= MAX_SIGNATURE else flat[:MAX_SIGNATURE] + " …"


def _between(lines: list[str], span: Span, end: Span | None) -> str:
    stop_line, stop_col = (end.line, end.col) if end else (span.end_line, span.end_col)
    out = []
    for number in range(span.line, min(stop_line, len(lines)) + 1):
        line = lines[number - 1]
        begin = span.col - 1 if number == span.line else 0
        finish = stop_col - 1 if number == stop_line else len(line)
        out.append(line[begin:finish])
    return "\n".join(out)


def doc_comment(text: str, span: Span) -> str:
    """The `//` comment lines directly above the line of `span`, or the comment at its end."""
    lines = text.split("\n")
    number = span.line - 1
    found: list[str] = []
    while number >= 1 and lines[number - 1].strip().startswith("//"):
        found.append(lines[number - 1].strip()[2:].strip())
        number -= 1
        if number >= 1 and lines[number - 1].strip().startswith("@"):
            break
    if found:
        return "\n".join(reversed(found))
    if 1 <= span.line <= len(lines):
        line = lines[span.line - 1]
        marker = line.find("//", span.col - 1)
        if marker >= 0 and '"' not in line[span.col - 1 : marker]:
            return line[marker + 2 :].strip()
    return ""


def type_at(analysis: Analysis, view: FileView, line: int, col: int) -> str | None:
    """The type of the smallest IR expression around (line, col) of `view`'s file."""
    spec = analysis.spec
    if spec is None:
        return None
    best: tuple[tuple[int, int], str] | None = None
    for root in _roots(spec):
        for node in walk(root):
            span = getattr(node, "span", None)
            typ = getattr(node, "type", None)
            if not isinstance(span, Span) or not isinstance(typ, t.Type) or \
                    not _inside(span, line, col) or span.file != _shown(view, span):
                continue
            size = (span.end_line - span.line, span.end_col - span.col)
            if best is None or size < best[0]:
                best = (size, t.show(typ))
    return best[1] if best else None


def declared_type(analysis: Analysis, target: Target | None) -> str | None:
    """The type of a state variable, channel or constant, from the IR."""
    spec = analysis.spec
    if spec is None or target is None or target.symbol is None:
        return None
    name = target.symbol.qualified
    for var in spec.variables:
        if var.name == name:
            return t.show(var.type)
    if name in spec.constants:
        value, typ = spec.constants[name]
        return f"{t.show(typ)} = {format_value(value, typ)}"
    return None


def _shown(view: FileView, span: Span) -> str:
    return span.file if real_path(span.file) == view.path else ""


def _inside(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) < (span.end_line, span.end_col)


def _roots(spec: ir.Spec) -> list[object]:
    roots: list[object] = [spec.init] if spec.init is not None else []
    roots += [a.body for a in spec.actions] + [a.on for a in spec.actions if a.on is not None]
    for group in (spec.invariants, spec.reachables, spec.finals, spec.views):
        roots += [p.expr for p in group]
    roots += [x for lt in spec.liveness for x in (lt.premise, lt.conclusion)]
    return roots


def outline(module: nodes.Module) -> list[Outline]:
    """The document symbols of a parsed file, in source order."""
    out: list[Outline] = []
    for item in module.items:
        decl = item.decl
        name = getattr(decl, "name", None)
        kind = _keyword(decl)
        if isinstance(name, nodes.Ident):
            members: tuple[Outline, ...] = ()
            if isinstance(decl, nodes.EnumDecl):
                members = tuple(Outline(m.name, "member", m.span, m.span) for m in decl.members)
            out.append(Outline(name.name, kind, item.span, name.span, members))
        elif isinstance(decl, nodes.InitDecl | nodes.Topology):
            out.append(Outline(kind, kind, item.span, decl.span))
    return out


def _keyword(decl: nodes.Decl) -> str:
    match decl:
        case nodes.PropertyDecl(kind=kind):
            return kind
        case nodes.ProcDecl(kernel=kernel):
            return "kernel" if kernel else "proc"
    return {nodes.ConstDecl: "const", nodes.TypeDecl: "type", nodes.EnumDecl: "enum",
            nodes.VarDecl: "var", nodes.ChannelDecl: "channel", nodes.FunDecl: "fun",
            nodes.ActionDecl: "action", nodes.InitDecl: "init", nodes.Topology: "topology",
            nodes.WorkloadDecl: "workload", nodes.Import: "import", nodes.FairDecl: "fair",
            nodes.SymmetricDecl: "symmetric"}.get(type(decl), "declaration")
