"""`numaspec lsp` driven over stdio as an editor drives it (tests/lsp/lsp_client.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs pip install 'numaspec[lsp]'")

from lsp_client import LspClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
L4 = ROOT / "spec" / "lib" / "l4.numa"

SPEC = """spec two

import l4 with { PAGES = 2 }

var owner : Map[l4.Page, Node]

// Take page p for node n.
action grab(n: Node, p: l4.Page) on n {
  require p not in owner
  l4.map(l4.space_on(n), p, l4.space_on(n), p, {l4.Right.r})
  owner[p] := n
}

invariant small: size(owner) <= LIMIT
invariant known: owner == mystery
"""


def _at(text: str, needle: str, shift: int = 0) -> dict[str, int]:
    """The LSP position of `needle` (plus `shift` characters) in `text`."""
    offset = text.index(needle) + shift
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


@pytest.fixture
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    session = LspClient(ROOT)
    session.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(),
                                   "capabilities": {}})
    session.notify("initialized", {})
    yield session
    assert session.close() == 0


def test_a_session_as_an_editor_has_it(client: LspClient, tmp_path: Path) -> None:
    path = tmp_path / "two.numa"
    path.write_text(SPEC)
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "numaspec", "version": 1, "text": SPEC}})
    published = client.notification("textDocument/publishDiagnostics")
    assert published["uri"] == uri
    found = sorted((d["code"], d["range"]["start"]["line"], d["message"])
                   for d in published["diagnostics"])
    assert found == [("E200", 13, "unknown name `LIMIT`"),
                     ("E200", 14, "unknown name `mystery`")]
    assert published["diagnostics"][0]["range"]["start"]["character"] == 32

    where = {"textDocument": {"uri": uri}, "position": _at(SPEC, "l4.map(", 3)}
    hover = client.request("textDocument/hover", where)
    shown = hover["contents"]["value"]
    assert "kernel map(fs: Space, fp: Page, ts: Space, tp: Page, rs: Set[Right])" in shown
    assert "map(fs, fp, ts, tp, rs): a map item" in shown  # the doc comment

    definition = client.request("textDocument/definition", where)
    assert Path(definition["uri"].removeprefix("file://")).resolve() == L4.resolve()
    line = definition["range"]["start"]["line"]
    assert L4.read_text().split("\n")[line].startswith("kernel map(")

    fixed = SPEC.replace("<= LIMIT", "<= 2")
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": fixed}]})
    published = client.notification("textDocument/publishDiagnostics")
    assert [d["message"] for d in published["diagnostics"]] == ["unknown name `mystery`"]


def test_navigation_symbols_and_completion(client: LspClient, tmp_path: Path) -> None:
    text = SPEC.replace("<= LIMIT", "<= 2").replace("== mystery", "== {}")
    path = tmp_path / "ok.numa"
    path.write_text(text)
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "numaspec", "version": 1, "text": text}})
    assert client.notification("textDocument/publishDiagnostics")["diagnostics"] == []
    doc = {"uri": uri}

    hover = client.request("textDocument/hover", {"textDocument": doc,
                                                  "position": _at(text, "owner[p]")})
    assert "var owner : Map[l4.Page, Node]" in hover["contents"]["value"]
    assert "type: `Map[0..1, Node]`" in hover["contents"]["value"]
    hover = client.request("textDocument/hover", {"textDocument": doc,
                                                  "position": _at(text, "grab")})
    assert "Take page p for node n." in hover["contents"]["value"]

    refs = client.request("textDocument/references", {
        "textDocument": doc, "position": _at(text, "owner"),
        "context": {"includeDeclaration": True}})
    assert len(refs) == 5  # the declaration, require, assignment, two invariants

    local = client.request("textDocument/definition", {"textDocument": doc,
                                                       "position": _at(text, "p not in")})
    assert local["range"]["start"] == _at(text, "p: l4.Page")

    symbols = client.request("textDocument/documentSymbol", {"textDocument": doc})
    assert [s["name"] for s in symbols] == ["owner", "grab", "small", "known"]

    typing = text.replace("  owner[p] := n\n", "  owner[p] := n\n  l4.\n")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": typing}]})
    assert client.notification("textDocument/publishDiagnostics")["diagnostics"]
    items = client.request("textDocument/completion", {
        "textDocument": doc, "position": _at(typing, "l4.\n", 3)})
    labels = {item["label"] for item in items["items"]}
    assert {"map", "grant", "pt", "Page"} <= labels and "require" not in labels
    items = client.request("textDocument/completion", {
        "textDocument": doc, "position": _at(typing, "  owner[p]", 2)})
    labels = {item["label"] for item in items["items"]}
    assert {"owner", "require", "size", "l4", "p", "n"} <= labels

    edits = client.request("textDocument/formatting", {
        "textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}})
    assert edits is None  # a syntax error: nothing to format


class _Recorder:
    """A writer standing in for stdout that keeps what the server sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        pass


def test_errors_after_exit_are_not_sent_to_the_gone_client() -> None:
    from pygls.exceptions import JsonRpcInternalError

    from numaspec.lsp.server import build_server

    server = build_server()
    writer = _Recorder()
    server.protocol.set_writer(writer)
    server.report_server_error(ValueError("I/O operation on closed file"), JsonRpcInternalError)
    assert len(writer.sent) == 1 and b"window/showMessage" in writer.sent[0]
    server.exiting = True  # what the client's `exit` sets, just before stdout closes
    server.report_server_error(ValueError("I/O operation on closed file"), JsonRpcInternalError)
    assert len(writer.sent) == 1
