"""`numaspec lsp`: the Language Server Protocol over stdio, on pygls (`numaspec[lsp]`).

Every open document is analysed by the front end (spec/pipeline.py `analyse`) on open and on
each change, with every open buffer read in place of its file, so an unsaved module is seen by
the specs importing it.  The diagnostics are published; the queries (hover, definition,
references, symbols, completion) use the latest analysis of the document that parsed, so they
keep working while a line is half typed.  A handler never raises: an unexpected error is
logged to the client and the request answered with nothing.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from numaspec import __version__
from numaspec.lsp.describe import Outline, declared_type, hover_text, outline, type_at
from numaspec.lsp.resolve import completions, real_path, references, resolve_at, views
from numaspec.lsp.view import FileView, Place
from numaspec.spec.diagnostics import Diagnostic, SpecError
from numaspec.spec.pipeline import Analysis, analyse
from numaspec.spec.span import Span
from numaspec.spec.syntax.formatter import format_text
from numaspec.spec.syntax.incremental import ParseCache

F = TypeVar("F", bound=Callable[..., Any])
_SYMBOL_KINDS = {
    "const": lsp.SymbolKind.Constant, "type": lsp.SymbolKind.Class, "enum": lsp.SymbolKind.Enum,
    "member": lsp.SymbolKind.EnumMember, "var": lsp.SymbolKind.Variable,
    "channel": lsp.SymbolKind.Event, "fun": lsp.SymbolKind.Function,
    "proc": lsp.SymbolKind.Function, "kernel": lsp.SymbolKind.Function,
    "action": lsp.SymbolKind.Method, "invariant": lsp.SymbolKind.Property,
    "property": lsp.SymbolKind.Property, "reachable": lsp.SymbolKind.Property,
    "final": lsp.SymbolKind.Property, "init": lsp.SymbolKind.Constructor,
    "topology": lsp.SymbolKind.Namespace, "workload": lsp.SymbolKind.Object,
}
_COMPLETION_KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword, "built-in": lsp.CompletionItemKind.Function,
    "module": lsp.CompletionItemKind.Module, "local": lsp.CompletionItemKind.Variable,
    "member": lsp.CompletionItemKind.EnumMember, "const": lsp.CompletionItemKind.Constant,
    "type": lsp.CompletionItemKind.Class, "enum": lsp.CompletionItemKind.Enum,
    "var": lsp.CompletionItemKind.Variable, "channel": lsp.CompletionItemKind.Event,
    "fun": lsp.CompletionItemKind.Function, "proc": lsp.CompletionItemKind.Function,
    "action": lsp.CompletionItemKind.Method, "property": lsp.CompletionItemKind.Property,
}


@dataclass(frozen=True)
class Snapshot:
    """One analysis of a document: the front end's results and a view of each loaded file."""

    path: Path
    analysis: Analysis
    files: dict[Path, FileView]

    @property
    def view(self) -> FileView:
        return self.files[self.path]


class NumaspecServer(LanguageServer):
    """The pygls server with the analyses of the open documents."""

    def __init__(self) -> None:
        super().__init__("numaspec", __version__)
        self.latest: dict[Path, Snapshot] = {}
        self.parsed: dict[Path, Snapshot] = {}  # the latest analysis that got past parsing
        self.cache = ParseCache()
        # The parser keeps the current file name in class attributes: one analysis at a time.
        self.front_end = threading.Lock()
        self.analysed: dict[str, tuple[int | None, str]] = {}  # uri -> (version, text) done
        self.exiting = False  # set by the client's `exit`: stdout is about to close

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Show an unexpected server error to the client, unless the client has exited.

        pygls reports a failed send by sending a message.  After `exit` has closed stdout that
        send fails too, and so on, each time logging a longer chained traceback to stderr,
        until an editor that does not drain stderr leaves the process blocked instead of gone.
        """
        if self.exiting:
            logging.getLogger(__name__).debug("numaspec lsp: after exit: %s", error)
            return
        super().report_server_error(error, source)

    def refresh(self, uri: str) -> None:
        """Analyse the document at `uri` again and publish its diagnostics.

        Runs in a worker thread.  Changes that arrive while one is analysed are taken
        together: a call that finds the document as last analysed returns at once.
        """
        with self.front_end:
            doc = self.workspace.get_text_document(uri)
            state = (doc.version, doc.source)
            if self.analysed.get(uri) == state:
                return
            path = _path(uri)
            texts = {_path(u): d.source for u, d in self.workspace.text_documents.items()}
            texts[path] = state[1]
            snapshot, diagnostics = analyse_document(path, texts, self.cache)
            self.analysed[uri] = state
        self.latest[path] = snapshot
        if snapshot.analysis.loaded is not None:
            self.parsed[path] = snapshot
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=doc.version))

    def snapshot(self, uri: str) -> Snapshot | None:
        path = _path(uri)
        return self.parsed.get(path) or self.latest.get(path)

    def forget(self, uri: str) -> None:
        path = _path(uri)
        self.analysed.pop(uri, None)
        self.latest.pop(path, None)
        self.parsed.pop(path, None)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def analyse_document(path: Path, texts: dict[Path, str], cache: ParseCache | None = None,
                     ) -> tuple[Snapshot, list[lsp.Diagnostic]]:
    """The analysis of the document at `path` (open buffers in `texts`), and its diagnostics.

    What the server does on every change, re-parsing only the declarations that changed
    since the last call with the same `cache`; bench/lsp.py times it.
    """
    analysis = analyse(str(path), texts, (cache or ParseCache()).parse)
    snapshot = Snapshot(path, analysis, views(analysis, path, texts.get(path, "")))
    return snapshot, [_diagnostic(d, path) for d in analysis.diagnostics]


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri).resolve()


def _range(span: Span) -> lsp.Range:
    return lsp.Range(lsp.Position(max(span.line - 1, 0), max(span.col - 1, 0)),
                     lsp.Position(max(span.end_line - 1, 0), max(span.end_col - 1, 0)))


def _location(place: Place) -> lsp.Location:
    return lsp.Location(uri=from_fs_path(str(place.path)) or str(place.path),
                        range=_range(place.span))


def _diagnostic(d: Diagnostic, path: Path) -> lsp.Diagnostic:
    """A front-end diagnostic for the document at `path` (one elsewhere goes on line 1)."""
    here = d.span is not None and real_path(d.span.file) == path
    message = d.message if here or d.span is None else f"{d.span}: {d.message}"
    related = []
    for note in d.notes:
        if note.span is None:
            message += f"\nnote: {note.message}"
        else:
            related.append(lsp.DiagnosticRelatedInformation(
                _location(Place(real_path(note.span.file), note.span)), note.message))
    where = _range(d.span) if here and d.span else lsp.Range(lsp.Position(0, 0),
                                                              lsp.Position(0, 0))
    severity = lsp.DiagnosticSeverity.Error if d.severity == "error" else \
        lsp.DiagnosticSeverity.Warning
    return lsp.Diagnostic(range=where, message=message, severity=severity, code=d.code,
                          source="numaspec", related_information=related or None)


def _guarded(default: object) -> Callable[[F], F]:
    """Answer `default` instead of failing if a handler meets an unexpected error."""
    def wrap(handler: F) -> F:
        @functools.wraps(handler)
        def run(server: NumaspecServer, params: Any) -> Any:
            try:
                return handler(server, params)
            except Exception:  # an editor must never lose its server
                logging.getLogger(__name__).exception("numaspec lsp: %s failed", handler)
                return default
        return cast(F, run)
    return wrap


def _offset(snapshot: Snapshot, position: lsp.Position) -> int:
    return snapshot.view.offset(position.line + 1, position.character + 1)


def _exit(server: NumaspecServer, params: Any) -> None:
    server.exiting = True


@_guarded(None)
def _did_open(server: NumaspecServer, params: lsp.DidOpenTextDocumentParams) -> None:
    server.refresh(params.text_document.uri)


@_guarded(None)
def _did_change(server: NumaspecServer, params: lsp.DidChangeTextDocumentParams) -> None:
    server.refresh(params.text_document.uri)


@_guarded(None)
def _did_close(server: NumaspecServer, params: lsp.DidCloseTextDocumentParams) -> None:
    server.forget(params.text_document.uri)


@_guarded(None)
def _hover(server: NumaspecServer, params: lsp.HoverParams) -> lsp.Hover | None:
    snapshot = server.snapshot(params.text_document.uri)
    if snapshot is None:
        return None
    view = snapshot.view
    offset = _offset(snapshot, params.position)
    target = resolve_at(view, offset)
    line, col = view.position(offset)
    typ = declared_type(snapshot.analysis, target) or type_at(snapshot.analysis, view, line, col)
    text = hover_text(target, snapshot.files, typ)
    if text is None:
        return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text))


@_guarded(None)
def _definition(server: NumaspecServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    snapshot = server.snapshot(params.text_document.uri)
    if snapshot is None:
        return None
    target = resolve_at(snapshot.view, _offset(snapshot, params.position))
    return _location(target.place) if target is not None and target.place else None


@_guarded([])
def _references(server: NumaspecServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    snapshot = server.snapshot(params.text_document.uri)
    if snapshot is None:
        return []
    target = resolve_at(snapshot.view, _offset(snapshot, params.position))
    if target is None or target.place is None:
        return []
    found = references(snapshot.files, target, params.context.include_declaration)
    return [_location(place) for place in found]


def _symbol(entry: Outline) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=entry.name, kind=_SYMBOL_KINDS.get(entry.kind, lsp.SymbolKind.Object),
        range=_range(entry.span), selection_range=_range(entry.name_span), detail=entry.kind,
        children=[_symbol(child) for child in entry.children] or None)


@_guarded([])
def _symbols(server: NumaspecServer,
             params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    snapshot = server.snapshot(params.text_document.uri)
    if snapshot is None or snapshot.view.scope is None:
        return []
    return [_symbol(entry) for entry in outline(snapshot.view.scope.loaded.ast)]


@_guarded(None)
def _complete(server: NumaspecServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri = params.text_document.uri
    snapshot = server.snapshot(uri)
    text = server.workspace.get_text_document(uri).source
    if snapshot is None:
        return lsp.CompletionList(is_incomplete=False, items=[])
    # The words before the cursor come from the text as it is now; the names in scope from
    # the latest analysis that parsed.
    now = FileView(snapshot.path, text, snapshot.view.scope)
    offset = now.offset(params.position.line + 1, params.position.character + 1)
    items = [lsp.CompletionItem(label=label, kind=_COMPLETION_KINDS.get(kind), detail=kind)
             for label, kind in completions(now, offset)]
    return lsp.CompletionList(is_incomplete=False, items=items)


@_guarded(None)
def _format(server: NumaspecServer,
            params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    doc = server.workspace.get_text_document(params.text_document.uri)
    try:
        with server.front_end:
            formatted = format_text(doc.source, doc.path)
    except SpecError:
        return None  # the diagnostics already show why
    if formatted == doc.source:
        return []
    end = lsp.Position(len(doc.lines), 0)
    return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), formatted)]


def build_server() -> NumaspecServer:
    """A server with every feature registered (not started)."""
    server = NumaspecServer()
    server.feature(lsp.EXIT)(_exit)
    server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)(server.thread()(_did_open))
    server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)(server.thread()(_did_change))
    server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)(_did_close)
    server.feature(lsp.TEXT_DOCUMENT_HOVER)(_hover)
    server.feature(lsp.TEXT_DOCUMENT_DEFINITION)(_definition)
    server.feature(lsp.TEXT_DOCUMENT_REFERENCES)(_references)
    server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(_symbols)
    server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                   lsp.CompletionOptions(trigger_characters=["."]))(_complete)
    server.feature(lsp.TEXT_DOCUMENT_FORMATTING)(_format)
    return server


def serve() -> None:
    """Serve on stdin/stdout until the client sends `exit`."""
    build_server().start_io()
