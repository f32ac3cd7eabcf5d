// Finds the `ward` executable that runs the language server. Kept free of the
// `vscode` module so that it can be tested with plain node.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * Expands `~` and `${workspaceFolder}` (and `${userHome}`) in a configured path.
 * @param {string} configured the `ward.server.path` setting
 * @param {{ workspaceFolder?: string, homedir?: string }} context
 */
function expandPath(configured, context = {}) {
  const home = context.homedir ?? os.homedir();
  let expanded = configured.trim();
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = home + expanded.slice(1);
  }
  expanded = expanded.replace(/\$\{userHome\}/g, home);
  if (context.workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, context.workspaceFolder);
  }
  return expanded;
}

function isExecutableFile(candidate, platform) {
  try {
    const stat = fs.statSync(candidate);
    if (!stat.isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(candidate, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves the configured server path to an executable file, the way a shell
 * would: a path with a separator is taken as is (relative ones against the
 * workspace folder), a bare name is looked up on PATH (with PATHEXT on Windows).
 * @returns {string | undefined} the absolute path, or undefined when missing
 */
function resolveServerCommand(configured, context = {}) {
  const platform = context.platform ?? process.platform;
  const env = context.env ?? process.env;
  const command = expandPath(configured || 'ward', context);
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const extensions = platform === 'win32'
    ? ['', ...(env.PATHEXT || '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)]
    : [''];

  const withExtensions = (base) => extensions.map((ext) => base + ext);
  const hasSeparator = command.includes('/') || (platform === 'win32' && command.includes('\\'));

  if (hasSeparator || pathApi.isAbsolute(command)) {
    const base = pathApi.isAbsolute(command)
      ? command
      : pathApi.resolve(context.workspaceFolder ?? process.cwd(), command);
    return withExtensions(base).find((candidate) => isExecutableFile(candidate, platform));
  }

  const searchPath = env.PATH ?? env.Path ?? '';
  for (const dir of searchPath.split(pathApi.delimiter)) {
    if (!dir) continue;
    const found = withExtensions(pathApi.join(dir, command))
      .find((candidate) => isExecutableFile(candidate, platform));
    if (found) return found;
  }
  return undefined;
}

/** The arguments that start the language server: `lsp`, then the extra ones. */
function serverArgs(extraArgs) {
  const extra = Array.isArray(extraArgs) ? extraArgs.filter((arg) => typeof arg === 'string') : [];
  return ['lsp', ...extra];
}

module.exports = { expandPath, resolveServerCommand, serverArgs };
