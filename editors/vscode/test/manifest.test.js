// The extension manifest, language configuration and generated grammar agree
// with each other and with the spec.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { describe, it } = require('node:test');

const ROOT = path.join(__dirname, '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

describe('package.json', () => {
  const manifest = readJson('package.json');

  it('names the extension and its entry point', () => {
    assert.equal(manifest.name, 'ward-vscode');
    assert.equal(manifest.publisher, 'ward');
    assert.equal(manifest.engines.vscode, '^1.85.0');
    assert.equal(manifest.main, './extension.js');
    assert.ok(fs.existsSync(path.join(ROOT, manifest.main)));
    assert.deepEqual(manifest.activationEvents, ['onLanguage:ward']);
  });

  it('contributes the ward language and its grammar', () => {
    const [language] = manifest.contributes.languages;
    assert.equal(language.id, 'ward');
    assert.deepEqual(language.extensions, ['.ward']);
    assert.ok(language.aliases.includes('Ward'));
    assert.ok(fs.existsSync(path.join(ROOT, language.configuration)));
    const [grammar] = manifest.contributes.grammars;
    assert.equal(grammar.language, 'ward');
    assert.equal(grammar.scopeName, 'source.ward');
    assert.equal(readJson(grammar.path).scopeName, 'source.ward');
  });

  it('has the server settings', () => {
    const settings = manifest.contributes.configuration.properties;
    assert.equal(settings['ward.server.path'].default, 'ward');
    assert.equal(settings['ward.server.extraArgs'].type, 'array');
    assert.deepEqual(settings['ward.server.extraArgs'].default, []);
  });

  it('uses a vscode-languageclient that supports the declared VS Code version', () => {
    const clientManifest = JSON.parse(fs.readFileSync(require.resolve('vscode-languageclient/package.json'), 'utf8'));
    const needs = clientManifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
    const declared = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
    assert.ok(needs[0] < declared[0] || (needs[0] === declared[0] && needs[1] <= declared[1]),
      `vscode-languageclient needs VS Code ${clientManifest.engines.vscode}, the extension declares ${manifest.engines.vscode}`);
  });
});

describe('language-configuration.json', () => {
  const config = readJson('language-configuration.json');

  it('has the comment tokens of the spec', () => {
    assert.equal(config.comments.lineComment, '//');
    assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
  });

  it('pairs brackets and quotes', () => {
    assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    const opens = config.autoClosingPairs.map((pair) => pair.open);
    for (const open of ['{', '[', '(', '"']) assert.ok(opens.includes(open), open);
  });

  it('indents after an opening brace and outdents at a closing one', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    assert.ok(increase.test('component pump "Pump" in home {'));
    assert.ok(increase.test('  hazards {  // of its own function'));
    assert.ok(increase.test('  steps: ['));
    assert.ok(!increase.test('zone z { trust: hostile }'));
    assert.ok(!increase.test('// a comment {'));
    assert.ok(decrease.test('  }'));
    assert.ok(decrease.test(']'));
    assert.ok(!decrease.test('  kind: device'));
  });

  it('matches ids as words', () => {
    const word = new RegExp(`^${config.wordPattern}$`);
    assert.ok(word.test('unauthenticated_crossing'));
    assert.ok(!word.test('9lives'));
  });
});

describe('syntaxes/ward.tmLanguage.json', () => {
  it('is what syntaxes/build-grammar.js generates', () => {
    const { OUTPUT, render } = require('../syntaxes/build-grammar');
    assert.equal(fs.readFileSync(OUTPUT, 'utf8'), render(),
      'the grammar is out of date: run `node syntaxes/build-grammar.js`');
  });
});
