// Loads the Ward TextMate grammar the way VS Code does (vscode-textmate with
// the Oniguruma WASM build from node_modules) and turns source text into
// tokens with their scopes.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR_PATH = path.join(__dirname, '..', '..', 'syntaxes', 'ward.tmLanguage.json');

let grammarPromise;

/** The Ward grammar, loaded once per test process. */
function loadGrammar() {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
          createOnigString: (text) => new oniguruma.OnigString(text),
        }),
        loadGrammar: async (scopeName) => {
          if (scopeName !== 'source.ward') return null;
          return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
        },
      });
      const grammar = await registry.loadGrammar('source.ward');
      if (!grammar) throw new Error('source.ward did not load');
      return grammar;
    })();
  }
  return grammarPromise;
}

/**
 * Tokenizes `text` line by line, carrying the rule stack across lines as an
 * editor does.
 * @returns {Promise<{ lines: Token[][], openScopes: string[] }>} the tokens of
 *   each line (`{ text, scopes, line, start }`), and the scopes still open after
 *   the last line (`['source.ward']` when every region was closed)
 */
async function tokenize(text) {
  const grammar = await loadGrammar();
  let stack = vsctm.INITIAL;
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n').map((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, stack);
    stack = result.ruleStack;
    return result.tokens.map((token) => ({
      text: lineText.slice(token.startIndex, token.endIndex),
      scopes: token.scopes,
      line,
      start: token.startIndex,
    }));
  });
  const openScopes = grammar.tokenizeLine('', stack).tokens[0].scopes;
  return { lines, openScopes };
}

module.exports = { loadGrammar, tokenize, GRAMMAR_PATH };
