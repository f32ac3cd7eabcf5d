// Runs the Neovim configurations of docs/editors.md, each on the Neovim
// versions it is written for, against a fake `ward lsp`: a reader who pastes
// one into init.lua must get a `ward` client attached at the model root.
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');

const DOC = path.resolve(__dirname, '..', '..', '..', 'docs', 'editors.md');
const PROBE = path.join(__dirname, 'support', 'probe.lua');
const FAKE_SERVER = path.join(__dirname, 'support', 'fake-lsp-server.js');
const NVIM = process.env.NVIM || 'nvim';

const versionRun = spawnSync(NVIM, ['--version'], { encoding: 'utf8' });
const versionMatch = /NVIM v(\d+)\.(\d+)/.exec(versionRun.stdout || '');
const nvimVersion = versionMatch ? [Number(versionMatch[1]), Number(versionMatch[2])] : undefined;

const compare = (a, b) => (a[0] - b[0]) || (a[1] - b[1]);
const parseVersion = (text) => text.split('.').map(Number);

/**
 * The ```lua blocks whose first line is `-- Neovim X.Y`, `-- Neovim X.Y and
 * later` or `-- Neovim X.Y and X.Z`, with the versions they are for.
 */
function configurations(markdown) {
  const blocks = [];
  const pattern = /```lua\n(-- Neovim (\d+\.\d+)(?: and (later|\d+\.\d+))?\n[\s\S]*?)```/g;
  for (const match of markdown.matchAll(pattern)) {
    const min = parseVersion(match[2]);
    const max = match[3] === 'later' ? [Infinity, 0] : parseVersion(match[3] || match[2]);
    blocks.push({ title: match[1].split('\n')[0], code: match[1], min, max });
  }
  return blocks;
}

// scripts/test sets WARD_E2E_TOOLS=required: there a missing Neovim fails
// the run instead of skipping these tests.
if ((!nvimVersion) && process.env.WARD_E2E_TOOLS === 'required') {
  throw new Error(`these tests need Neovim (${NVIM}), which is not installed: run scripts/test or apt-get install neovim`);
}

const blocks = configurations(fs.readFileSync(DOC, 'utf8'));

describe('docs/editors.md', () => {
  it('has Neovim configurations for 0.7 up to the latest', () => {
    assert.deepEqual(blocks.map((block) => block.title), [
      '-- Neovim 0.10 and later',
      '-- Neovim 0.11 and later',
      '-- Neovim 0.8 and 0.9',
      '-- Neovim 0.7',
    ]);
  });
});

describe(`docs/editors.md on ${versionRun.stdout ? versionRun.stdout.split('\n')[0] : NVIM}`, { skip: !nvimVersion && `${NVIM} is not installed` }, () => {
  let dir;
  let project;
  let env;

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ward-nvim-docs-')));
    project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'model'), { recursive: true });
    fs.writeFileSync(path.join(project, 'Ward.toml'), 'files = ["model/**/*.ward"]\n');
    fs.writeFileSync(path.join(project, 'model', 'pump.ward'), 'zone home "Home" { trust: untrusted }\n');
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'ward'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_SERVER}" "$@"\n`);
    fs.chmodSync(path.join(bin, 'ward'), 0o755);
    env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fitting = nvimVersion
    ? blocks.filter((block) => compare(nvimVersion, block.min) >= 0 && compare(nvimVersion, block.max) <= 0)
    : [];
  it('has a configuration for this Neovim', { skip: !nvimVersion || compare(nvimVersion, [0, 7]) < 0 }, () => {
    assert.ok(fitting.length > 0, `no configuration in docs/editors.md covers Neovim ${nvimVersion.join('.')}`);
  });

  for (const block of fitting) {
    it(`${block.title}: attaches ward lsp at the Ward.toml root`, () => {
      const init = path.join(dir, `init-${block.min.join('.')}.lua`);
      fs.writeFileSync(init, block.code);
      const out = path.join(dir, `probe-${block.min.join('.')}.json`);
      const result = spawnSync(NVIM, [
        // As the reader's init.lua, so that it runs before filetype detection is set up.
        '--headless', '-u', init, '-i', 'NONE',
        '-c', `edit ${path.join(project, 'model', 'pump.ward')}`,
        '-c', `luafile ${PROBE}`,
        '-c', 'qa!',
      ], { cwd: dir, encoding: 'utf8', timeout: 60000, env: { ...env, WARD_PROBE_OUT: out } });
      assert.equal(result.status, 0, `nvim failed: ${result.stderr}`);
      assert.equal(result.stderr.trim(), '', 'the configuration printed errors');
      const seen = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.equal(seen.filetype, 'ward');
      assert.equal(seen.attached, true, JSON.stringify(seen));
      assert.equal(seen.name, 'ward');
      assert.equal(seen.root_dir, project);
      assert.equal(seen.hover, 'fake ward hover');
    });
  }
});
