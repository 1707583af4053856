"""The language server of `numaspec lsp` (docs/editors.md).

`view.py` (a loaded file: text, lexemes, positions, local bindings), `resolve.py` (what a name
refers to, references, completion), `describe.py` (hover text, signatures, doc comments,
document symbols), `server.py` (the LSP wiring over pygls, the optional extra `numaspec[lsp]`).
Only `server.py` imports pygls; the rest runs on the front end alone (spec/pipeline.py
`analyse`).
"""
