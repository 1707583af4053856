"""`numaspec lsp`: the language server (numaspec.lsp) on stdin/stdout, for editors.

It needs the optional extra `numaspec[lsp]` (pygls), imported only when the command runs;
without it the command exits 2 and says how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from numaspec.cli import exit_status


def add_lsp(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "lsp", help="run the language server (LSP over stdio) for editors",
        description="Serve the Language Server Protocol on stdin/stdout: diagnostics, hover, "
                    "definitions, references, symbols, completion, formatting.  Needs "
                    "pip install 'numaspec[lsp]'.")
    cmd.set_defaults(run=lsp_command)


def lsp_command(args: argparse.Namespace) -> int:
    """Serve until the client exits; 2 if the optional dependency pygls is missing."""
    if importlib.util.find_spec("pygls") is None:
        sys.stderr.write("numaspec: error[E004]: `numaspec lsp` needs the language-server "
                         "extra: pip install 'numaspec[lsp]'\n")
        return exit_status.BAD_INPUT
    from numaspec.lsp.server import serve

    serve()
    return exit_status.OK
