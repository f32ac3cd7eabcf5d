// The client side of the extension: finding `ward`, and what a user sees
// when it is missing. `vscode` is replaced by a small fake.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { describe, it, before, after } = require('node:test');

const { expandPath, resolveServerCommand, serverArgs } = require('../server');

function makeExecutable(dir, name) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n');
  fs.chmodSync(file, 0o755);
  return file;
}

describe('resolveServerCommand', () => {
  let dir;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-vscode-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a bare name on PATH', () => {
    const ward = makeExecutable(dir, 'ward');
    const env = { PATH: ['/nonexistent', dir].join(path.delimiter) };
    assert.equal(resolveServerCommand('ward', { env, platform: 'linux' }), ward);
  });

  it('skips files that are not executable', () => {
    const other = fs.mkdtempSync(path.join(dir, 'noexec-'));
    fs.writeFileSync(path.join(other, 'ward'), '');
    fs.chmodSync(path.join(other, 'ward'), 0o644);
    assert.equal(resolveServerCommand('ward', { env: { PATH: other }, platform: 'linux' }), undefined);
  });

  it('reports a missing binary as undefined', () => {
    assert.equal(resolveServerCommand('ward', { env: { PATH: '' }, platform: 'linux' }), undefined);
    assert.equal(resolveServerCommand(path.join(dir, 'no-such-ward'), { env: {}, platform: 'linux' }), undefined);
  });

  it('takes a path with a separator relative to the workspace folder', () => {
    const bin = fs.mkdtempSync(path.join(dir, 'ws-'));
    fs.mkdirSync(path.join(bin, 'target'));
    const ward = makeExecutable(path.join(bin, 'target'), 'ward');
    assert.equal(resolveServerCommand('target/ward', { workspaceFolder: bin, env: {}, platform: 'linux' }), ward);
    assert.equal(resolveServerCommand('${workspaceFolder}/target/ward', { workspaceFolder: bin, env: {}, platform: 'linux' }), ward);
  });

  it('expands ~ and ${workspaceFolder}', () => {
    assert.equal(expandPath('~/bin/ward', { homedir: '/home/u' }), '/home/u/bin/ward');
    assert.equal(expandPath('${workspaceFolder}/ward', { workspaceFolder: '/ws' }), '/ws/ward');
    assert.equal(expandPath('ward'), 'ward');
  });
});

describe('serverArgs', () => {
  it('runs `ward lsp` with the extra arguments after it', () => {
    assert.deepEqual(serverArgs([]), ['lsp']);
    assert.deepEqual(serverArgs(['--log', 'debug']), ['lsp', '--log', 'debug']);
    assert.deepEqual(serverArgs(undefined), ['lsp']);
  });
});

/** A fake of the parts of the `vscode` API that the extension and the client library touch. */
function fakeVscode(settings) {
  const calls = { errors: [], commands: [], registered: [] };
  const disposable = { dispose() {} };
  const vscode = {
    workspace: {
      workspaceFolders: undefined,
      getConfiguration: (section) => ({
        get: (key, fallback) => (settings[`${section}.${key}`] ?? fallback),
      }),
      onDidChangeConfiguration: () => disposable,
      createFileSystemWatcher: () => disposable,
    },
    window: {
      createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
      showErrorMessage: async (message, ...items) => { calls.errors.push({ message, items }); return items[0]; },
    },
    commands: {
      registerCommand: (name) => { calls.registered.push(name); return disposable; },
      executeCommand: async (...args) => { calls.commands.push(args); },
    },
  };
  // The client library reads classes off `vscode` when it loads; empty ones do.
  return {
    calls,
    module: new Proxy(vscode, {
      get: (target, prop) => (prop in target ? target[prop] : class {}),
    }),
  };
}

function loadExtensionWith(vscodeModule) {
  const originalLoad = Module._load;
  Module._load = function load(request, ...rest) {
    if (request === 'vscode') return vscodeModule;
    return originalLoad.call(this, request, ...rest);
  };
  try {
    for (const key of Object.keys(require.cache)) {
      if (key.includes(`${path.sep}vscode-languageclient${path.sep}`) || key.endsWith(`${path.sep}extension.js`)) {
        delete require.cache[key];
      }
    }
    return require('../extension');
  } finally {
    Module._load = originalLoad;
  }
}

describe('activate', () => {
  it('shows a clear error, and offers the setting, when ward is missing', async () => {
    const missing = path.join(os.tmpdir(), 'definitely-not-ward-7f3a');
    const fake = fakeVscode({ 'ward.server.path': missing });
    const extension = loadExtensionWith(fake.module);
    const context = { subscriptions: [] };
    await extension.activate(context);

    assert.equal(fake.calls.errors.length, 1);
    const [{ message, items }] = fake.calls.errors;
    assert.match(message, /language server executable .*definitely-not-ward-7f3a.* was not found/);
    assert.match(message, /ward\.server\.path/);
    assert.deepEqual(items, ['Open Settings']);
    assert.deepEqual(fake.calls.commands, [['workbench.action.openSettings', 'ward.server.path']]);
    assert.deepEqual(fake.calls.registered, ['ward.restartServer']);
    assert.ok(context.subscriptions.length >= 3);
    await extension.deactivate();
  });
});
