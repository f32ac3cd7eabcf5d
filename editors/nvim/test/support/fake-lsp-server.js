#!/usr/bin/env node
// A stand-in for `ward lsp` in the Neovim tests: speaks just enough LSP over
// stdio for a client to attach, answers hover, and appends every message it
// receives (and its own argv) as JSON lines to $WARD_FAKE_LOG.
'use strict';

const fs = require('node:fs');

// Started as `ward lsp`; anything else (a test runner walking the folder) is not a server.
if (!process.argv.includes('lsp')) process.exit(0);

const log = (entry) => {
  if (process.env.WARD_FAKE_LOG) fs.appendFileSync(process.env.WARD_FAKE_LOG, `${JSON.stringify(entry)}\n`);
};
log({ argv: process.argv.slice(2) });

const send = (message) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};

const handlers = {
  initialize: () => ({
    capabilities: { textDocumentSync: 1, hoverProvider: true },
    serverInfo: { name: 'fake-ward' },
  }),
  'textDocument/hover': () => ({ contents: { kind: 'markdown', value: 'fake ward hover' } }),
  shutdown: () => null,
};

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
    buffer = buffer.subarray(headerEnd + 4 + length);
    log({ method: message.method, params: message.params });
    if (message.method === 'exit') process.exit(0);
    if (message.id !== undefined && message.method) {
      const handler = handlers[message.method];
      send(handler
        ? { id: message.id, result: handler(message.params) }
        : { id: message.id, error: { code: -32601, message: `unhandled ${message.method}` } });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
