// Runs extension-host tests in a real VS Code (guides/real-vscode.md, route A). No VS Code desktop build
// can be downloaded here, so this starts code-server (VS Code's server build, whose Node extension host
// runs the extension with the real `vscode` API) on a free loopback port with a fresh user-data-dir,
// opens the workbench in headless Chromium with the extension development and test paths in the URL
// payload, relays the extension host's console, and ends with the tests' exit code. (It began as a
// stand-in "VS Code executable" for @vscode/test-electron, which added nothing but a process and an
// engine requirement of Node 22; the UI test uses its pieces too.)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { CODE_SERVER_BIN } from './code-server-install.mjs';

const CODE_SERVER = process.env.CODE_SERVER_BIN || CODE_SERVER_BIN;

/** User settings of the throwaway profile: no start page, no telemetry, no update checks. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

export async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Starts code-server on a fresh profile; returns its URL base, the temp dir, the extensions dir and a
 * stop function. With `vsix`, that package is first installed into the (empty) extensions dir with
 * code-server's own `--install-extension`, as a user would install it.
 */
/**
 * `restricted`: workspace trust on and the folder left untrusted (Restricted Mode, without the startup
 * prompt); otherwise trust is off and every folder is trusted.
 */
export async function startCodeServer(extraArgs = [], { vsix, restricted = false } = {}) {
  const port = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), 'apflow-cs-'));
  mkdirSync(join(tmp, 'ud', 'User'), { recursive: true });
  const settings = restricted ? { ...USER_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : USER_SETTINGS;
  writeFileSync(join(tmp, 'ud', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const extensionsDir = join(tmp, 'ext');
  const profile = ['--config', join(tmp, 'config.yaml'), '--user-data-dir', join(tmp, 'ud'), '--extensions-dir', extensionsDir];
  // A private TMPDIR: code-server leaves its IPC sockets there.
  const env = { ...process.env, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp, TMPDIR: tmp };
  if (vsix) {
    try {
      execFileSync(CODE_SERVER, [...profile, '--install-extension', vsix], { env, stdio: 'pipe', timeout: 60000 });
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${vsix} failed: ${error.stderr || error.stdout || error.message}`);
    }
  }
  const cs = spawn(
    CODE_SERVER,
    [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...profile, '--disable-telemetry',
      '--disable-update-check', ...(restricted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
      ...extraArgs,
      ...(process.env.CODE_SERVER_EXTRA_ARGS || '').split(' ').filter(Boolean),
    ],
    { stdio: ['ignore', 'ignore', process.env.SHIM_VERBOSE ? 'inherit' : 'ignore'], env },
  );
  const exited = new Promise((resolve) => cs.once('exit', resolve));
  for (let i = 0; ; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch {
      if (i > 300) throw new Error('code-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host: `127.0.0.1:${port}`,
    tmp,
    extensionsDir,
    async stop() {
      cs.kill();
      await exited;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Workbench chatter with no bearing on the tests (no network here: the extension gallery is unreachable). */
const NOISE = /open-vsx\.org|ENOTFOUND|connection token|Creating a socket|Service Worker|builtin extensions cache|ChatSessionStore|workbench contribution/;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** The workbench URL: a folder, and the extension development (and tests) paths in the payload. */
export function workbenchUrl(host, { folder, devPath, testsPath }) {
  const payload = [];
  if (devPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${host}${devPath}`]);
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${testsPath}`]);
  const query = [folder ? `folder=${encodeURIComponent(folder)}` : null, payload.length ? `payload=${encodeURIComponent(JSON.stringify(payload))}` : null].filter(Boolean);
  return `http://${host}/?${query.join('&')}`;
}

/**
 * Opens `folder` with the extension at `devPath` and runs the test runner `testsPath` in its extension
 * host; resolves to the tests' exit code (124 when they do not finish in time).
 */
export async function runExtensionTests({ folder, devPath, testsPath }) {
  let code = 1;
  let server;
  let browser;
  try {
    server = await startCodeServer();
    browser = await launchChromium();
    const page = await browser.newPage();
    const done = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationLog', (_type, args) => {
        const text = format(...(args || []));
        if (process.env.SHIM_VERBOSE || !NOISE.test(text)) console.log(text);
      });
      void page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    await page.goto(workbenchUrl(server.host, { folder, devPath, testsPath }));
    const timeout = Number(process.env.SHIM_TIMEOUT_MS || 240000);
    code = await Promise.race([done, new Promise((r) => setTimeout(() => r(124), timeout))]);
    if (code === 124) console.error(`code-shim: the tests did not finish within ${timeout / 1000} s`);
  } catch (e) {
    console.error('code-shim:', e instanceof Error ? e.message : e);
  } finally {
    await browser?.close();
    await server?.stop();
  }
  return code;
}
