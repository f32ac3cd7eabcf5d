// VS Code client for the Ward language server: starts `ward lsp` over stdio
// and hands `.ward` documents to it. Highlighting comes from the TextMate
// grammar (syntaxes/) and does not need the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind, State } = require('vscode-languageclient/node');
const { resolveServerCommand, serverArgs } = require('./server');

const CLIENT_ID = 'ward';
const CLIENT_NAME = 'Ward Language Server';

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let outputChannel;

function settings() {
  const config = vscode.workspace.getConfiguration('ward');
  return {
    path: config.get('server.path', 'ward'),
    extraArgs: config.get('server.extraArgs', []),
  };
}

function firstWorkspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

async function reportMissingServer(configuredPath) {
  const openSettings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(
    `Ward: the language server executable '${configuredPath}' was not found. ` +
      'Install the ward CLI (for example `cargo install --path .` in the Ward repository) ' +
      'and make sure it is on PATH, or set "ward.server.path" to its full path. ' +
      'Syntax highlighting works without it.',
    openSettings,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'ward.server.path');
  }
}

async function startClient() {
  const { path: configuredPath, extraArgs } = settings();
  const command = resolveServerCommand(configuredPath, { workspaceFolder: firstWorkspaceFolder() });
  if (!command) {
    await reportMissingServer(configuredPath);
    return;
  }

  const executable = { command, args: serverArgs(extraArgs), transport: TransportKind.stdio };
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = { run: executable, debug: executable };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'ward' },
      { scheme: 'untitled', language: 'ward' },
    ],
    // No static file watchers: the server registers the ones it needs
    // (workspace/didChangeWatchedFiles) itself, and both would send each event twice.
    outputChannel,
  };

  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outputChannel?.appendLine(`Failed to start '${command} ${serverArgs(extraArgs).join(' ')}': ${message}`);
    vscode.window.showErrorMessage(
      `Ward: could not start the language server '${command}': ${message}. ` +
        'Check that this ward build has the `lsp` command (see the "Ward Language Server" output).',
    );
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    await running.stop();
  }
}

async function restartClient() {
  await stopClient();
  await startClient();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(outputChannel);
  context.subscriptions.push(vscode.commands.registerCommand('ward.restartServer', restartClient));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ward.server')) {
        restartClient();
      }
    }),
  );
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
