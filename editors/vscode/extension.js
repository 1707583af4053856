// The numaspec extension: starts `numaspec lsp` (a Language Server Protocol server over stdio)
// for .numa files.  Highlighting, brackets, comments and the problem matcher are declarative
// (package.json, syntaxes/, language-configuration.json).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("numaspec");
  const server = {
    command: config.get("server.command", "numaspec"),
    args: config.get("server.args", ["lsp"]),
  };
  client = new LanguageClient(
    "numaspec",
    "numaspec language server",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "numaspec" }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `numaspec: cannot start \`${server.command} ${server.args.join(" ")}\` ` +
      `(pip install 'numaspec[lsp]'): ${error.message}`);
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
