// `npm run bench:editor`: the editor benchmark of issue 9 in a real VS Code (code-server driven by
// headless Chromium, guides/real-vscode.md) with the extension as users get it: the packaged VSIX,
// installed into a fresh extensions dir. Prints figures next to their targets; asserts nothing.
//   1. a 10,000-task tree opened as the first file: time to its first diagnostic on screen (a squiggle)
//      and to its first lens, timed in the page from the Enter that opens it (Playwright's own wait
//      polls, and is printed beside);
//   2. typing in the middle of it, against the control — the same text opened as plain YAML (a `.yaml`
//      copy, no `.apflow`) in the same session: median keypress-to-screen and frames over 200 ms.
// Options: --tasks N (10000), --keys N (keypresses per file, 60; 0 skips the typing), --dev (the
// extension from this checkout instead of the VSIX).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './code-server-install.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from './code-shim.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const TASKS = option('tasks', 10000);
const KEYS = option('keys', 60);
const dev = process.argv.includes('--dev');
/** Between keypresses: a fast typist (about 120 words a minute). */
const KEY_INTERVAL_MS = 100;
const TARGETS = { diagnostics: 2000, lenses: 2500, ratio: 1.25, longFrame: 200 };

process.env.CODE_SERVER_BIN ??= ensureCodeServer();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ws = mkdtempSync(join(tmpdir(), 'apflow-bench-editor-'));
const treeFile = 'tree.apflow.yaml';
const plainFile = 'tree-copy.yaml';

/**
 * The generated tree with one broken reference in the first task, so that a diagnostic appears on
 * the first screen, and where to type: the end of a task name in the middle of the file (1-based line).
 */
function writeTrees() {
  const generated = join(ws, treeFile);
  execFileSync(process.execPath, ['-r', 'esbuild-register', join(root, 'test', 'bench', 'generate.ts'), String(TASKS), generated, '--broken-reference'], { cwd: root });
  const text = readFileSync(generated, 'utf8');
  writeFileSync(join(ws, plainFile), text);
  const nameAt = text.indexOf('name: Task ', text.length >> 1);
  return { line: text.slice(0, nameAt).split('\n').length, bytes: text.length };
}

const ms = (n) => `${Math.round(n)} ms`;
const met = (value, limit, format = ms) => `(target ≤ ${format(limit)}: ${value <= limit ? 'met' : 'MISSED'})`;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};

/**
 * In the page: when the Enter that opens the file was pressed, and when the editor first showed a
 * squiggle and a lens with text (performance.now(), the clock of keydown's timeStamp).
 */
function watchFirstFeedback() {
  const seen = (window.__first = { enter: null, squiggle: null, lens: null });
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && seen.enter === null) seen.enter = e.timeStamp;
  }, true);
  const observer = new MutationObserver(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (seen.enter === null || !editor) return;
    if (seen.squiggle === null && editor.querySelector('.squiggly-error')) seen.squiggle = performance.now();
    if (seen.lens === null && [...editor.querySelectorAll('.codelens-decoration a')].some((a) => a.textContent.trim())) seen.lens = performance.now();
    if (seen.squiggle !== null && seen.lens !== null) observer.disconnect();
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}

/**
 * In the page: keydown → the first change of the active editor's text lines, then the next task
 * (which runs after that frame is painted) = keypress-to-screen; and the gaps between animation
 * frames while typing.
 */
function instrument() {
  const bench = (window.__bench = { latencies: [], frames: [], pending: null, on: false, last: null });
  window.addEventListener('keydown', (e) => {
    if (bench.on && e.key.length === 1) bench.pending = e.timeStamp;
  }, true);
  const lines = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
  new MutationObserver(() => {
    if (bench.pending === null) return;
    const pressed = bench.pending;
    bench.pending = null;
    setTimeout(() => bench.latencies.push(performance.now() - pressed), 0);
  }).observe(lines, { childList: true, subtree: true, characterData: true });
  const frame = (t) => {
    if (bench.on && bench.last !== null) bench.frames.push(t - bench.last);
    bench.last = bench.on ? t : null;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

let vsix;
let server;
let browser;
let code = 0;
try {
  const { line, bytes } = writeTrees();
  console.log(`\n== editor (code-server ${dev ? 'with the extension from the checkout' : 'with the packaged VSIX'}, headless Chromium) ==`);
  console.log(`  ${TASKS} tasks (${(bytes / 2 ** 20).toFixed(1)} MiB); ${KEYS > 0 ? `typing at the end of line ${line}, ${KEYS} keys ${KEY_INTERVAL_MS} ms apart` : 'no typing'}; load average ${loadavg().map((n) => n.toFixed(1)).join(', ')}`);
  if (!dev) {
    vsix = join(mkdtempSync(join(tmpdir(), 'apflow-bench-vsix-')), `${manifest.name}-${manifest.version}.vsix`);
    execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { stdio: 'pipe', cwd: root });
    console.log(`  packaged ${(statSync(vsix).size / 1024).toFixed(0)} KB`);
  } else {
    execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit', cwd: root });
  }
  server = await startCodeServer([], { vsix });
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(workbenchUrl(server.host, { folder: ws, devPath: dev ? root : undefined }));
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 120000 });
  // Let the workbench settle so that its own start-up is not counted as the tree's.
  await page.waitForTimeout(3000);

  const editor = page.locator('.editor-group-container.active .monaco-editor');
  /** Types `query` into quick open (a file name, or `:line`) and waits for the row it picks. */
  const quickOpen = async (query, row) => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(query);
    if (row) await page.locator('.quick-input-widget .monaco-list-row', { hasText: row }).first().waitFor();
  };
  /** Opens a file of the workspace; returns when Enter was pressed. */
  const openFile = async (name) => {
    await quickOpen(name, name);
    const pressed = performance.now();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    return pressed;
  };

  await page.evaluate(watchFirstFeedback);
  const opened = await openFile(treeFile);
  const squiggle = editor.locator('.squiggly-error').first().waitFor({ timeout: 180000 }).then(() => performance.now() - opened);
  const lens = editor.locator('.codelens-decoration a').first().waitFor({ timeout: 180000 }).then(() => performance.now() - opened);
  const [polledDiagnostics, polledLenses] = await Promise.all([squiggle, lens]);
  await page.waitForFunction(() => window.__first.squiggle !== null && window.__first.lens !== null);
  const first = await page.evaluate(() => window.__first);
  const toDiagnostics = first.squiggle - first.enter;
  const toLenses = first.lens - first.enter;
  console.log(`  opened as the first file → first diagnostic on screen: ${ms(toDiagnostics)} ${met(toDiagnostics, TARGETS.diagnostics)} (Playwright's wait: ${ms(polledDiagnostics)})`);
  console.log(`  opened as the first file → first lens on screen: ${ms(toLenses)} ${met(toLenses, TARGETS.lenses)} (Playwright's wait: ${ms(polledLenses)})`);

  /** Types KEYS letters at the end of `line` of the active editor; returns the page's figures. */
  const typeInMiddle = async () => {
    await quickOpen(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.waitForTimeout(1500);
    await page.evaluate(instrument);
    await page.evaluate(() => (window.__bench.on = true));
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press(String.fromCharCode(97 + (i % 26)));
      await page.waitForTimeout(KEY_INTERVAL_MS);
    }
    await page.waitForTimeout(1000);
    const figures = await page.evaluate(() => {
      window.__bench.on = false;
      return { latencies: window.__bench.latencies, frames: window.__bench.frames };
    });
    await page.keyboard.press('Escape');
    return figures;
  };

  /** The typing figures: in the tree, then in its plain-YAML copy. */
  const typing = async () => {
    const ours = await typeInMiddle();
    await openFile(plainFile);
    await page.waitForTimeout(2000);
    return { ours, plain: await typeInMiddle() };
  };
  const describe = (f) => {
    const long = f.frames.filter((gap) => gap > TARGETS.longFrame).length;
    return { median: median(f.latencies), long, worst: Math.max(0, ...f.frames), seen: f.latencies.length };
  };
  if (KEYS > 0) {
    const { ours, plain } = await typing();
    const a = describe(ours);
    const b = describe(plain);
    const ratio = a.median / b.median;
    console.log(`  typing in the middle, keypress → screen (median): ${ms(a.median)} as apflow, ${ms(b.median)} as plain YAML (${a.seen}/${b.seen} of ${KEYS} keys seen)`);
    console.log(`    ratio apflow / plain YAML: ${ratio.toFixed(2)}× ${met(ratio, TARGETS.ratio, (n) => `${n}×`)}`);
    console.log(`    frames over ${TARGETS.longFrame} ms while typing: ${a.long} as apflow (longest ${ms(a.worst)}) ${met(a.long, 0, String)}, ${b.long} as plain YAML (longest ${ms(b.worst)})`);
  }
} catch (error) {
  code = 1;
  console.error(`editor benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(ws, { recursive: true, force: true });
  if (vsix) rmSync(dirname(vsix), { recursive: true, force: true });
}
process.exit(code);
