// Runs editors/nvim/ward.lua in a headless Neovim against a fake `ward lsp`
// and checks filetype detection, the root, the command, attach, hover and
// keymaps, and the message shown when `ward` is missing.
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');

const WARD_LUA = path.resolve(__dirname, '..', 'ward.lua');
const PROBE = path.join(__dirname, 'support', 'probe.lua');
const FAKE_SERVER = path.join(__dirname, 'support', 'fake-lsp-server.js');
// NVIM=/path/to/nvim tests another Neovim build.
const NVIM = process.env.NVIM || 'nvim';

const version = spawnSync(NVIM, ['--version'], { encoding: 'utf8' });
const nvimMissing = version.error ? `${NVIM} is not installed` : false;

/** Opens `file` in headless Neovim with ward.lua loaded; returns what probe.lua saw. */
function runNvim(dir, file, { env = {}, setup = '' } = {}) {
  const out = path.join(dir, `probe-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  const result = spawnSync(NVIM, [
    '--headless', '--clean',
    '-c', 'lua _G.ward_notifications = {}; vim.notify = function(msg) table.insert(_G.ward_notifications, msg) end',
    '-c', `luafile ${WARD_LUA}`,
    ...(setup ? ['-c', `lua ${setup}`] : []),
    '-c', `edit ${file}`,
    '-c', `luafile ${PROBE}`,
    '-c', 'qa!',
  ], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, ...env, WARD_PROBE_OUT: out },
  });
  assert.equal(result.status, 0, `nvim failed: ${result.stderr}`);
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

// scripts/test sets WARD_E2E_TOOLS=required: there a missing Neovim fails
// the run instead of skipping these tests.
if ((nvimMissing) && process.env.WARD_E2E_TOOLS === 'required') {
  throw new Error(`these tests need Neovim (${NVIM}), which is not installed: run scripts/test or apt-get install neovim`);
}

describe(`editors/nvim/ward.lua on ${version.stdout ? version.stdout.split('\n')[0] : NVIM}`, { skip: nvimMissing }, () => {
  let dir;
  let project;
  let bin;
  let log;

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ward-nvim-')));
    project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'model'), { recursive: true });
    fs.writeFileSync(path.join(project, 'Ward.toml'), 'files = ["model/**/*.ward"]\n');
    fs.writeFileSync(path.join(project, 'model', 'pump.ward'), 'zone home "Home" { trust: untrusted }\n');
    // A nearer .git must not win over the Ward.toml that defines the model root.
    fs.mkdirSync(path.join(project, 'model', '.git'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'ward'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_SERVER}" "$@"\n`);
    fs.chmodSync(path.join(bin, 'ward'), 0o755);
    log = path.join(dir, 'server.log');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts `ward lsp` for a .ward file, at the Ward.toml root, with hover and keymaps', () => {
    const seen = runNvim(dir, path.join(project, 'model', 'pump.ward'), {
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, WARD_FAKE_LOG: log },
    });
    assert.equal(seen.filetype, 'ward');
    assert.equal(seen.commentstring, '// %s');
    assert.equal(seen.attached, true, JSON.stringify(seen));
    assert.equal(seen.name, 'ward');
    assert.equal(seen.root_dir, project);
    assert.equal(seen.hover, 'fake ward hover');
    assert.equal(seen.hover_keymap_buffer_local, true);
    assert.equal(seen.rename_keymap_buffer_local, true);
    assert.deepEqual(seen.notifications, []);

    const messages = fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(messages[0].argv, ['lsp']);
    const initialize = messages.find((m) => m.method === 'initialize');
    assert.equal(initialize.params.rootUri, `file://${project}`);
    const didOpen = messages.find((m) => m.method === 'textDocument/didOpen');
    assert.equal(didOpen.params.textDocument.languageId, 'ward');
    assert.match(didOpen.params.textDocument.text, /zone home/);
  });

  it('takes the command from setup()', () => {
    const seen = runNvim(dir, path.join(project, 'model', 'pump.ward'), {
      env: { WARD_FAKE_LOG: log },
      setup: `require("ward").setup({ cmd = { "${path.join(bin, 'ward')}", "lsp" } })`,
    });
    assert.equal(seen.attached, true, JSON.stringify(seen));
    assert.equal(seen.hover, 'fake ward hover');
  });

  it('says clearly when ward is missing, and still sets the filetype', () => {
    const seen = runNvim(dir, path.join(project, 'model', 'pump.ward'), {
      env: { WARD_PROBE_WAIT_MS: '300' },
      setup: 'require("ward").setup({ cmd = { "no-such-ward-binary", "lsp" } })',
    });
    assert.equal(seen.filetype, 'ward');
    assert.equal(seen.attached, false);
    assert.equal(seen.notifications.length, 1);
    assert.match(seen.notifications[0], /'no-such-ward-binary' was not found/);
  });
});
