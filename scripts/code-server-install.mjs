// code-server, the VS Code the extension tests run in, is installed on demand into .vscode-test/
// rather than as a dev dependency: its install needs root-only npm settings, a pre-seeded ripgrep
// download and system packages (system-packages.mjs), none of which `npm ci` of the project should
// depend on. Installed once per machine; later test runs reuse it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './system-packages.mjs';

// 4.100.3 is the newest code-server that runs on Node 20 (VS Code 1.100.3).
const VERSION = '4.100.3';
// The ripgrep release code-server 4.100.3's @vscode/ripgrep downloads, pre-seeded from Debian's rg.
const RIPGREP_CACHE = { version: '1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = join(root, '.vscode-test', `code-server-${VERSION}`);
export const CODE_SERVER_BIN = join(prefix, 'node_modules', '.bin', 'code-server');

export function ensureCodeServer() {
  if (existsSync(CODE_SERVER_BIN)) return CODE_SERVER_BIN;
  // Run alone (`npm run test:extension`), nothing has checked the system packages yet.
  if (ensureSystemPackages() !== 0) throw new Error('code-server cannot be installed without the packages named above');
  console.log(`installing code-server ${VERSION} into ${prefix} (once per machine, about a minute)…`);
  const seedDir = mkdtempSync(join(tmpdir(), 'apflow-rg-'));
  try {
    const cache = join(seedDir, `vscode-ripgrep-cache-${RIPGREP_CACHE.version}`);
    mkdirSync(cache, { recursive: true });
    execFileSync('tar', ['czf', join(cache, RIPGREP_CACHE.file), '-C', '/usr/bin', 'rg']);
    mkdirSync(prefix, { recursive: true });
    // code-server runs only once its own and argon2's install scripts have. Listed as reviewed, npm 11
    // does not warn about them, and npm 12, which skips unreviewed install scripts, still runs them.
    writeFileSync(join(prefix, 'package.json'), `${JSON.stringify({ private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2)}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${VERSION}`], {
      cwd: prefix,
      stdio: 'inherit',
      // As root, code-server's postinstall refuses without unsafe-perm; `yes` lets node-pty's npx run.
      env: { ...process.env, TMPDIR: seedDir, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
    });
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
  }
  return CODE_SERVER_BIN;
}

/** `ensureCodeServer` for a test script: when it cannot, says why and exits 1 (no stack trace). */
export function codeServerOrExit() {
  try {
    return ensureCodeServer();
  } catch (error) {
    console.error(`cannot run the tests in code-server: ${error.message}`);
    process.exit(1);
  }
}
