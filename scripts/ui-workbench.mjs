// The UI tests' workbench (guides/real-vscode.md, route B): the extension packaged as users get it
// (`npm run package`, installed with code-server's `--install-extension` into a fresh extensions dir)
// or, with `dev`, loaded from this checkout; code-server on a free loopback port; headless Chromium
// showing the workbench on `folder`. Shared by run-ui-test.mjs and run-ui-graph-test.mjs.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerOrExit } from './code-server-install.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from './code-shim.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Opens the workbench; `close()` ends everything it started, even after a failure half-way (and may be
 * called twice). `restricted`: workspace trust on and the folder untrusted (Restricted Mode). `vsix`:
 * install this package (another session's, which keeps it) instead of packaging again.
 */
export async function openWorkbench({ folder, dev, step, restricted = false, vsix }) {
  process.env.CODE_SERVER_BIN ??= codeServerOrExit();
  const session = {
    vsix: undefined,
    server: undefined,
    browser: undefined,
    page: undefined,
  };
  session.close = async () => {
    if (session.closed) return;
    session.closed = true;
    await session.browser?.close();
    // code-server may still be writing its profile when stopped; a leftover temp dir is no failure.
    await session.server?.stop().catch((error) => console.warn(`could not remove the code-server profile: ${error.message}`));
    if (session.vsix && !vsix) rmSync(dirname(session.vsix), { recursive: true, force: true });
  };
  if (vsix) {
    session.vsix = vsix;
  } else if (dev) {
    execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], {
      stdio: 'inherit',
      cwd: root,
    });
  } else {
    session.vsix = join(mkdtempSync(join(tmpdir(), 'apflow-ui-vsix-')), `${manifest.name}-${manifest.version}.vsix`);
    execFileSync('npm', ['run', '--silent', 'package', '--', '--out', session.vsix], { stdio: 'pipe', cwd: root });
    step(`packaged ${session.vsix} (${(statSync(session.vsix).size / 1024).toFixed(0)} KB)`);
  }
  session.server = await startCodeServer([], { vsix: session.vsix, restricted });
  if (session.vsix) {
    // What code-server unpacked: the VSIX's files, nothing of the checkout.
    const installed = join(session.server.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    if (!existsSync(join(installed, manifest.main))) throw new Error(`the VSIX was not installed into ${installed}: ${readdirSync(session.server.extensionsDir).join(', ')}`);
    step(`installed into ${installed}`);
  }
  session.browser = await launchChromium();
  session.page = await session.browser.newPage({
    viewport: { width: 1600, height: 1000 },
  });
  await session.page.goto(
    workbenchUrl(session.server.host, {
      folder,
      devPath: dev ? root : undefined,
    }),
  );
  await session.page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  step(`workbench up (the extension ${dev ? 'from the checkout' : 'installed from the VSIX'})`);
  return session;
}

/**
 * Runs one click-through: a copy of test/fixtures/workspace, the workbench on it, `steps`, and the
 * closing lines test runners print; exits with the result. `--dev` loads the extension from the
 * checkout, `--docs` lets the steps write their screenshots into docs/ too. A failure leaves
 * test-output/<name>-failure.png.
 */
export async function runUiTest(name, title, steps) {
  const docs = process.argv.includes('--docs');
  const dev = process.argv.includes('--dev');
  const out = join(root, 'test-output');
  mkdirSync(out, { recursive: true });
  const ws = mkdtempSync(join(tmpdir(), `apflow-${name}-ws-`));
  cpSync(join(root, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
  const started = Date.now();
  const step = (what) => console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`);
  let session;
  let code = 0;
  try {
    session = await openWorkbench({ folder: ws, dev, step });
    await steps({ page: session.page, session, ws, dev, out, docs, step });
    step(`screenshots in ${out}`);
  } catch (error) {
    code = 1;
    console.error(`${title} failed: ${error instanceof Error ? error.message : String(error)}`);
    await session?.page?.screenshot({ path: join(out, `${name}-failure.png`) }).catch(() => undefined);
  } finally {
    await session?.close();
    rmSync(ws, { recursive: true, force: true });
    console.log(`${title}: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The closing line test runners print, so that CI can tell that a test ran.
    console.log(`${name}: ${code === 0 ? '1 passed, 0 failed' : '0 passed, 1 failed'}`);
  }
  process.exit(code);
}
