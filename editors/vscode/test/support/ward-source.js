// What the grammar tests need to know about Ward sources, worked out without
// the grammar: where the example files are, and whether a text's brackets
// balance outside strings and comments (spec §1 lexical rules).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** The repository root: WARD_REPO_ROOT, else three levels up (editors/vscode/test). */
function repoRoot() {
  return process.env.WARD_REPO_ROOT
    ? path.resolve(process.env.WARD_REPO_ROOT)
    : path.resolve(__dirname, '..', '..', '..', '..');
}

/** Every `.ward` file below `dir`, sorted; none if `dir` does not exist. */
function wardFilesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  const walk = (current) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'out' && !entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.ward')) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** The ```ward blocks of a Markdown file, with the line each starts on. */
function wardBlocksIn(markdown) {
  const blocks = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    if (/^\s*```ward\s*$/.test(lines[i])) {
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end += 1;
      blocks.push({ line: start + 1, text: lines.slice(start, end).join('\n') });
      i = end;
    }
  }
  return blocks;
}

const CLOSERS = { '}': '{', ']': '[', ')': '(' };

/**
 * True when every `{ [ (` outside strings and comments is closed in order and
 * no string or block comment is left open: then a grammar that follows the
 * language must also end with no region open.
 */
function bracketsBalance(text) {
  const stack = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.startsWith.bind(text);
    if (rest('//', i)) {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (rest('/*', i)) {
      let depth = 0;
      do {
        if (rest('/*', i)) { depth += 1; i += 2; } else if (rest('*/', i)) { depth -= 1; i += 2; } else i += 1;
      } while (depth > 0 && i < text.length);
      if (depth > 0) return false;
    } else if (rest('"""', i)) {
      i += 3;
      while (i < text.length && !rest('"""', i)) i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) return false;
      i += 3;
    } else if (text[i] === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (text[i] !== '"') return false;
      i += 1;
    } else {
      const c = text[i];
      if (c === '{' || c === '[' || c === '(') stack.push(c);
      else if (CLOSERS[c] && stack.pop() !== CLOSERS[c]) return false;
      i += 1;
    }
  }
  return stack.length === 0;
}

module.exports = { repoRoot, wardFilesUnder, wardBlocksIn, bracketsBalance };
