#!/usr/bin/env node
// The Debian packages the test suites need beyond Node and npm, checked (and installed, as root) by
// `npm test` before any suite starts and by `.ci/run` before `npm ci`, so that a fresh clone on a
// fresh Debian machine passes the README's second command. Nothing here ever removes a package.
//
//   node scripts/system-packages.mjs            install what is missing (as root), else say what to run
//   node scripts/system-packages.mjs --dry-run  only say what is missing and what would be run
//   node scripts/system-packages.mjs --require FILE=PACKAGE …
//                                               check these instead of the list below (to try the script
//                                               out with a package that is absent, without removing any)
//
// Exit status: 0 when everything is present (or was installed, or --dry-run as root), 1 when something
// is missing and cannot be installed here. Uses nothing but Node: it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the suites need, each found by a file or a command on PATH. A file path starts with `/`;
 * anything else is a command name.
 */
export const SYSTEM_PACKAGES = [
  // The extension and UI suites drive code-server's workbench in headless Chromium (code-shim.mjs).
  { needs: '/usr/bin/chromium', pkg: 'chromium' },
  // code-server's install pre-seeds @vscode/ripgrep's download with Debian's rg (code-server-install.mjs).
  { needs: '/usr/bin/rg', pkg: 'ripgrep' },
  // code-server's install compiles native modules: kerberos needs its headers, node-gyp a compiler,
  // make and Python. Python (≥ 3.10, Debian 12 has 3.11) also runs the Python host's tests (issue 12).
  { needs: '/usr/include/krb5.h', pkg: 'libkrb5-dev' },
  { needs: 'g++', pkg: 'g++' },
  { needs: 'make', pkg: 'make' },
  { needs: 'python3', pkg: 'python3' },
  // test/lsp/neovim.test.ts: a real third-party LSP client.
  { needs: 'nvim', pkg: 'neovim' },
  // test/cli/queue.test.ts and `npm run bench -- queue`: a real Redis for the BullMQ workers (issue 15),
  // started by the tests on a free loopback port without persistence.
  { needs: 'redis-server', pkg: 'redis-server' },
];

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const present = ({ needs }) => (needs.startsWith('/') ? existsSync(needs) : onPath(needs));

/** The packages of `list` whose file or command is absent, without duplicates. */
export function missingPackages(list = SYSTEM_PACKAGES) {
  return [...new Set(list.filter((r) => !present(r)).map((r) => r.pkg))];
}

/** The one command that installs `packages` (as root). */
export function installCommand(packages) {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Makes sure the packages of `list` are installed. Returns the exit status: 0 when they are (or,
 * with `dryRun`, would be as root), 1 when something is missing that cannot be installed here.
 */
export function ensureSystemPackages({ list = SYSTEM_PACKAGES, dryRun = false, log = console.log } = {}) {
  const missing = missingPackages(list);
  if (missing.length === 0) return 0;
  const command = installCommand(missing);
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    log(`The test suites need Debian packages that are not installed: ${missing.join(', ')}.\n` +
      `Install them as root (on Debian or Ubuntu), then run the tests again:\n  sudo sh -c '${command}'`);
    return 1;
  }
  if (dryRun) {
    log(`would install ${missing.join(', ')}: ${command}`);
    return 0;
  }
  log(`installing the Debian packages the test suites need: ${missing.join(', ')}`);
  const result = spawnSync('sh', ['-c', command], { stdio: 'inherit' });
  const still = missingPackages(list);
  if (result.status !== 0 || still.length > 0) {
    log(`Installing ${missing.join(', ')} failed (apt-get exited with ${result.status ?? result.signal}); ` +
      `${still.length ? `still missing: ${still.join(', ')}. ` : ''}Run it by hand to see why:\n  ${command}`);
    return 1;
  }
  return 0;
}

function parseArgs(argv) {
  const options = { dryRun: false, list: SYSTEM_PACKAGES };
  const required = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') options.dryRun = true;
    else if (argv[i] === '--require' && /^[^=]+=[^=]+$/.test(argv[i + 1] ?? '')) {
      const [needs, pkg] = argv[++i].split('=');
      required.push({ needs, pkg });
    } else {
      throw new Error(`unknown argument '${argv[i]}'; usage: system-packages.mjs [--dry-run] [--require FILE=PACKAGE …]`);
    }
  }
  if (required.length) options.list = required;
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = ensureSystemPackages(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(`system-packages: ${error.message}`);
    process.exitCode = 2;
  }
}
