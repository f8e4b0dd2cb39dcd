// `npm run test:ui`: a click-through in the real workbench (guides/real-vscode.md, route B): code-server
// driven by playwright-core in headless Chromium, with the extension as users get it: `npm run package`
// builds the VSIX, code-server's `--install-extension` installs it into a fresh extensions dir, and the
// workbench opens without any extension development path.
//   open a tree → click ▶ Run task tree → the run appears in the Runs view → click ↻ Retry failed →
//   the lens reports a completed run → a dependency cycle shows in the Problems panel → a slow run is
//   cancelled from its notification → the Extensions view lists the installed apflow.
// --dev loads the extension from this checkout instead (no packaging; the last step is skipped).
// Screenshots: test-output/ui-*.png (git-ignored); with --docs also docs/screenshot.png (for the README).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerOrExit } from './code-server-install.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from './code-shim.mjs';
import { runPageStep } from './ui-steps/run-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
process.env.CODE_SERVER_BIN ??= codeServerOrExit();
const docs = process.argv.includes('--docs');
const dev = process.argv.includes('--dev');
const out = join(root, 'test-output');
mkdirSync(out, { recursive: true });
const ws = mkdtempSync(join(tmpdir(), 'apflow-ui-ws-'));
cpSync(join(root, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const started = Date.now();
const step = (what) => console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`);
let vsix;
let server;
let browser;
let page;
let code = 0;
try {
  if (dev) {
    execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit', cwd: root });
  } else {
    vsix = join(mkdtempSync(join(tmpdir(), 'apflow-ui-vsix-')), `${manifest.name}-${manifest.version}.vsix`);
    execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { stdio: 'pipe', cwd: root });
    step(`packaged ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KB)`);
  }
  server = await startCodeServer([], { vsix });
  if (vsix) {
    // What code-server unpacked: the VSIX's files, nothing of the checkout.
    const installed = join(server.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    if (!existsSync(join(installed, manifest.main))) throw new Error(`the VSIX was not installed into ${installed}: ${readdirSync(server.extensionsDir).join(', ')}`);
    step(`installed into ${installed}`);
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(workbenchUrl(server.host, { folder: ws, devPath: dev ? root : undefined }));
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  step(`workbench up (the extension ${dev ? 'from the checkout' : 'installed from the VSIX'})`);

  const openFile = async (name) => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  };
  const lens = (text) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });

  // The cycle first, so that its errors are in the Problems panel later.
  // (double-click: a pinned tab, not a preview the next file replaces — a closed file loses its diagnostics)
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'cycle.apflow.yaml' }).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: 'cycle.apflow.yaml' }).waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'flow.apflow.yaml' }).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: 'flow.apflow.yaml' }).waitFor();
  step('flow.apflow.yaml open');

  await lens('Run task tree').waitFor({ timeout: 60000 });
  step('lenses shown');
  await lens('Run task tree').click();
  step('clicked ▶ Run task tree');

  // The Runs view in the apflow activity-bar container.
  await page.locator('.activitybar .action-item a[aria-label^="apflow"]').click();
  // A wider side bar, so that the task labels and their errors fit.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box) {
    const edge = box.x + box.width;
    await page.mouse.move(edge, box.y + 300);
    await page.waitForTimeout(400); // the sash reacts after a hover delay
    await page.mouse.down();
    await page.mouse.move(edge + 170, box.y + 300, { steps: 8 });
    await page.mouse.up();
  }
  const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
  await runsPane.locator('.monaco-list-row', { hasText: 'flow.apflow.yaml' }).first().waitFor({ timeout: 30000 });
  step('the run is in the Runs view');
  await lens('Retry failed (3)').waitFor({ timeout: 30000 });
  await runsPane.locator('.monaco-list-row', { hasText: 'upstream returned 503 for parse' }).waitFor({ timeout: 10000 });
  step('the run failed: ↻ Retry failed (3)');

  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel .monaco-list-row');
  await problems.filter({ hasText: 'dependency cycle' }).first().waitFor({ timeout: 30000 });
  await problems.filter({ hasText: 'upstream returned 503 for parse' }).first().waitFor({ timeout: 10000 });
  step('Problems: the cycle and the run diagnostics');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'ui-1-failed-run.png') });
  if (docs) await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });

  // Issue 13: the run page, opened from the failed task; back to the tree for the retry.
  await runPageStep({ page, runsPane, out, step, docsDir: docs ? join(root, 'docs', 'images') : null });
  await page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^flow\.apflow\.yaml$/ }) }).click();
  await lens('Retry failed (3)').waitFor({ timeout: 10000 });

  await lens('Retry failed (3)').click();
  step('clicked ↻ Retry failed');
  await lens(/last run: completed · 4\/4 completed/).waitFor({ timeout: 30000 });
  step('the lens reports a completed run');
  await runsPane.locator('.monaco-list-row', { hasText: /completed ·/ }).first().waitFor({ timeout: 10000 });
  await problems.filter({ hasText: 'dependency cycle' }).first().waitFor({ timeout: 10000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'ui-2-retried.png') });

  // Cancel from the progress notification, while the status bar counts.
  await openFile('slow.apflow.yaml');
  await lens('Run task tree').click();
  step('slow.apflow.yaml: clicked ▶ Run task tree');
  await page.locator('.statusbar-item', { hasText: 'apflow: 0/2' }).waitFor({ timeout: 15000 });
  const toast = page.locator('.notification-toast', { hasText: 'apflow: running slow.apflow.yaml' });
  await toast.waitFor({ timeout: 15000 });
  await lens('■ Cancel').waitFor({ timeout: 15000 });
  await lens(/running · 0\/2/).waitFor({ timeout: 15000 });
  step('live lenses: ■ Cancel · running · 0/2');
  await page.screenshot({ path: join(out, 'ui-3-running.png') });
  await toast.getByRole('button', { name: 'Cancel' }).click();
  step('clicked Cancel in the progress notification');
  await lens(/last run: cancelled/).waitFor({ timeout: 15000 });
  await page.locator('.statusbar-item', { hasText: 'apflow: 0/2' }).waitFor({ state: 'hidden', timeout: 5000 });
  step('the run was cancelled; the status-bar item is gone');

  if (vsix) {
    // The Extensions view lists the package among the server's installed extensions, with its
    // icon, name and description.
    await page.keyboard.press('Control+Shift+X');
    const installedPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /127\.0\.0\.1:\d+ - installed/i }) });
    const row = installedPane.locator('.monaco-list-row', { hasText: manifest.displayName }).filter({ hasText: manifest.publisher });
    await row.first().waitFor({ timeout: 15000 });
    step(`Extensions view: ${manifest.displayName} installed on the server`);
    await row.first().click();
    await page.locator('.extension-editor .header .name', { hasText: manifest.displayName }).waitFor({ timeout: 15000 });
    // Its details page: installed from a VSIX (the "Source" of the Installation section).
    await page.locator('.extension-editor .more-info', { hasText: /Source\s*VSIX/ }).waitFor({ timeout: 10000 });
    step('its details page: source VSIX');
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'ui-4-installed-vsix.png') });
  }
  step(`screenshots in ${out}`);
} catch (error) {
  code = 1;
  console.error(`UI test failed: ${error instanceof Error ? error.message : String(error)}`);
  await page?.screenshot({ path: join(out, 'ui-failure.png') }).catch(() => undefined);
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(ws, { recursive: true, force: true });
  if (vsix) rmSync(dirname(vsix), { recursive: true, force: true });
  console.log(`UI click-through: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The closing line test runners print, so that CI can tell that a test ran.
  console.log(`ui: ${code === 0 ? '1 passed, 0 failed' : '0 passed, 1 failed'}`);
}
process.exit(code);
